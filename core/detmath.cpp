// detmath.cpp - deterministic elementary functions (see detmath.hpp).
//
// Built only from + - * /, comparisons, integer/bit operations and the exact
// std::ldexp / std::frexp / std::floor / std::fabs, so results depend only on
// IEEE-754 double arithmetic. Requires -ffp-contract=off (no fused a*b+c) and
// no fast-math: the error-free transformations below rely on every operation
// rounding exactly once.
//
// sin, cos, tan use the algorithms and minimax coefficients of fdlibm
// (Copyright (C) 1993, 2004 Sun Microsystems, Inc.: "Permission to use, copy,
// modify, and distribute this software is freely granted, provided that this
// notice is preserved."). exp and log are double-double Taylor/atanh series.

#include "detmath.hpp"

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

namespace gloss::detmath {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// ---------------------------------------------------------------------------
// Double-double helpers: a value is hi + lo with |lo| <= ulp(hi)/2.

struct dd {
    double hi;
    double lo;
};

// a + b exactly, valid when exponent(a) >= exponent(b) (or a == 0).
dd fast_two_sum(double a, double b) {
    const double s = a + b;
    return {s, b - (s - a)};
}

// a + b exactly, any order (Knuth).
dd two_sum(double a, double b) {
    const double s = a + b;
    const double bb = s - a;
    return {s, (a - (s - bb)) + (b - bb)};
}

// Veltkamp split of a into two 26-bit halves (a must be < ~1e300).
dd split(double a) {
    const double t = 134217729.0 * a;  // 2^27 + 1
    const double hi = t - (t - a);
    return {hi, a - hi};
}

// a * b exactly (Dekker); no fma so the result is the same everywhere.
dd two_prod(double a, double b) {
    const double p = a * b;
    const dd as = split(a);
    const dd bs = split(b);
    const double err = ((as.hi * bs.hi - p) + as.hi * bs.lo + as.lo * bs.hi) + as.lo * bs.lo;
    return {p, err};
}

dd dd_add(dd a, dd b) {
    dd s = two_sum(a.hi, b.hi);
    const dd t = two_sum(a.lo, b.lo);
    s = fast_two_sum(s.hi, s.lo + t.hi);
    return fast_two_sum(s.hi, s.lo + t.lo);
}

dd dd_mul(dd a, dd b) {
    const dd p = two_prod(a.hi, b.hi);
    return fast_two_sum(p.hi, p.lo + (a.hi * b.lo + a.lo * b.hi));
}

// Constants as double-double (hi = correctly rounded value, lo = remainder),
// computed with 300-bit mpmath.
constexpr dd kInvLn2 = {0x1.71547652b82fep+0, 0x1.777d0ffda0d24p-56};    // 1/ln 2
constexpr dd kInvLn10 = {0x1.bcb7b1526e50ep-2, 0x1.95355baaafad3p-57};   // 1/ln 10
constexpr dd k20InvLn10 = {0x1.15f2ced384f29p+3, -0x1.02bea6b55233cp-52}; // 20/ln 10
constexpr dd k10InvLn10 = {0x1.15f2ced384f29p+2, -0x1.02bea6b55233cp-53}; // 10/ln 10
constexpr dd kLn10Over20 = {0x1.d791c5f888822p-4, 0x1.abeeabde89357p-58}; // ln 10 / 20
constexpr dd kLn10Over10 = {0x1.d791c5f888822p-3, 0x1.abeeabde89357p-57}; // ln 10 / 10
constexpr dd kTwoThirds = {0x1.5555555555555p-1, 0x1.5555555555555p-55};

// ln 2 split so that k * kLn2Hi is exact for |k| < 2^21 (kLn2Hi has 32
// significant bits); kLn2Hi + kLn2Lo is ln 2 to ~2^-86 relative.
constexpr double kLn2Hi = 0x1.62e42fee00000p-1;
constexpr double kLn2Lo = 0x1.a39ef35793c76p-33;

std::uint64_t bits(double x) { return std::bit_cast<std::uint64_t>(x); }

// Zero the low 32 bits of the significand (fdlibm's SET_LOW_WORD(x, 0)):
// the result times a similar number is exact.
double clear_low_word(double x) {
    return std::bit_cast<double>(bits(x) & 0xffffffff00000000ULL);
}

// ---------------------------------------------------------------------------
// exp

constexpr double kExpOverflow = 0x1.62e42fefa39efp+9;    // 709.78..., exp overflows above
constexpr double kExpUnderflow = -0x1.74910d52d3051p+9;  // -745.13..., exp is 0 below

// exp(hi + lo) where |lo| is at most a few ulp of hi.
// Reduce x = k*ln2 + r, |r| <= ln2/2 (k*kLn2Hi is exact, so r = hi - k*ln2
// is carried as a double-double with error ~2^-75). Then
//   exp(r) = 1 + r + r^2/2 + r^3 * (1/3! + r/4! + ... + r^12/15!)
// where the first three terms are summed in double-double and only the last
// one (< 0.008) is plain double; the truncated r^16/16! term is < 2^-70.
// The sum is rounded once and scaled by the exact std::ldexp, so the result is
// within ~0.51 ulp (almost always correctly rounded).
// Feeding the tail lo into r is what lets pow/db_to_* keep full accuracy.
double exp_dd(double hi, double lo) {
    if (hi != hi) return hi;                  // NaN
    if (hi > kExpOverflow) return kInf;       // also +inf
    if (hi < kExpUnderflow) return 0.0;       // also -inf

    const double kf = std::floor(hi * kInvLn2.hi + 0.5);  // |kf| <= 1075
    const dd r = two_sum(hi - kf * kLn2Hi, lo - kf * kLn2Lo);  // first term exact

    // Taylor coefficients 1/n!, n = 3..15, Horner in r.hi.
    const double x = r.hi;
    double p = 1.0 / 1307674368000.0;  // 1/15!
    constexpr double kInvFact[] = {
        1.0 / 87178291200.0, 1.0 / 6227020800.0, 1.0 / 479001600.0, 1.0 / 39916800.0,
        1.0 / 3628800.0,     1.0 / 362880.0,     1.0 / 40320.0,     1.0 / 5040.0,
        1.0 / 720.0,         1.0 / 120.0,        1.0 / 24.0,        1.0 / 6.0,
    };  // 1/14! .. 1/3!
    for (double c : kInvFact) p = c + x * p;
    const double cubic = x * x * x * p;

    const dd sq = two_prod(x, x);
    const dd half_sq = {0.5 * sq.hi, 0.5 * sq.lo + x * r.lo};  // r^2/2 incl. cross term
    dd sum = dd_add(dd{1.0, 0.0}, r);
    sum = dd_add(sum, half_sq);
    sum = dd_add(sum, dd{cubic, 0.0});
    return std::ldexp(sum.hi, static_cast<int>(kf));
}

// exp(y * c) with the product formed in double-double.
double exp_of_product(double y, dd c) {
    if (y != y) return kNaN;
    const double approx = y * c.hi;
    // |y*c| >= 2048 is certain overflow/underflow; bailing out here also
    // keeps two_prod's split away from overflow.
    if (!(std::fabs(approx) < 2048.0)) return approx > 0.0 ? kInf : 0.0;
    dd z = two_prod(y, c.hi);
    z = fast_two_sum(z.hi, z.lo + y * c.lo);
    return exp_dd(z.hi, z.lo);
}

// ---------------------------------------------------------------------------
// log

// log(m) for m in [sqrt(1/2), sqrt(2)) as double-double, via
// log(m) = 2*atanh(s) = 2s + 2s^3/3 + 2s^5/5 + ...,  s = (m-1)/(m+1), |s| < 0.1716.
// s and the first two terms are carried in double-double; the rest is below
// 2^-12 of the result, so plain double there costs < 2^-63 relative.
dd log_near_one(double m) {
    const double f = m - 1.0;  // exact (Sterbenz)
    if (f == 0.0) return {0.0, 0.0};
    const dd d = fast_two_sum(1.0, m);  // m + 1, exact
    const double sh = f / d.hi;
    const dd p = two_prod(sh, d.hi);
    // Residual of the division gives the low part of s = f / (m+1).
    const double sl = (((f - p.hi) - p.lo) - sh * d.lo) / d.hi;
    const dd s = {sh, sl};
    const dd s2 = dd_mul(s, s);
    const dd s3 = dd_mul(s2, s);

    // Taylor coefficients 2/(2k+1), k = 2..12; the k = 13 term is < 2^-69
    // relative, so truncating there is far below an ulp.
    const double z = s2.hi;
    const double poly =
        2.0 / 5 + z * (2.0 / 7 + z * (2.0 / 9 + z * (2.0 / 11 + z * (2.0 / 13 +
        z * (2.0 / 15 + z * (2.0 / 17 + z * (2.0 / 19 + z * (2.0 / 21 +
        z * (2.0 / 23 + z * (2.0 / 25))))))))));
    const double tail = s3.hi * z * poly;  // s^5 * (2/5 + ...)

    const dd two_s = {2.0 * s.hi, 2.0 * s.lo};
    return dd_add(two_s, dd_add(dd_mul(s3, kTwoThirds), dd{tail, 0.0}));
}

// log(x) as double-double, relative error ~2^-63, for finite x > 0
// (subnormals included: frexp normalises them exactly).
dd log_dd(double x) {
    int e = 0;
    double m = std::frexp(x, &e);  // x = m * 2^e, m in [0.5, 1)
    if (m < 0x1.6a09e667f3bcdp-1) {  // keep m in [sqrt(1/2), sqrt(2)): |log m| small
        m *= 2.0;
        --e;
    }
    const double ef = static_cast<double>(e);
    const dd e_ln2 = fast_two_sum(ef * kLn2Hi, ef * kLn2Lo);  // ef*kLn2Hi exact
    return dd_add(e_ln2, log_near_one(m));
}

// c * log(x) rounded once; shared special-value handling for log-like functions.
double scaled_log(double x, dd c) {
    if (x != x) return x;
    if (x == 0.0) return -kInf;
    if (x < 0.0) return kNaN;
    if (x == kInf) return kInf;
    return dd_mul(log_dd(x), c).hi;
}

// ---------------------------------------------------------------------------
// sin / cos / tan kernels on [-pi/4, pi/4]; x + y is the reduced argument
// with tail y. fdlibm k_sin.c / k_cos.c / k_tan.c (minimax errors 2^-58,
// 2^-58, 2^-59.2); the tail enters through the first-order derivative term.

double kernel_sin(double x, double y) {
    constexpr double S1 = -0x1.5555555555549p-3;
    constexpr double S2 = 0x1.111111110f8a6p-7;
    constexpr double S3 = -0x1.a01a019c161d5p-13;
    constexpr double S4 = 0x1.71de357b1fe7dp-19;
    constexpr double S5 = -0x1.ae5e68a2b9cebp-26;
    constexpr double S6 = 0x1.5d93a5acfd57cp-33;
    const double z = x * x;
    const double w = z * z;
    const double r = S2 + z * (S3 + z * S4) + z * w * (S5 + z * S6);
    const double v = z * x;
    return x - ((z * (0.5 * y - v * r) - y) - v * S1);
}

double kernel_cos(double x, double y) {
    constexpr double C1 = 0x1.555555555554cp-5;
    constexpr double C2 = -0x1.6c16c16c15177p-10;
    constexpr double C3 = 0x1.a01a019cb1590p-16;
    constexpr double C4 = -0x1.27e4f809c52adp-22;
    constexpr double C5 = 0x1.1ee9ebdb4b1c4p-29;
    constexpr double C6 = -0x1.8fae9be8838d4p-37;
    const double z = x * x;
    double w = z * z;
    const double r = z * (C1 + z * (C2 + z * C3)) + w * w * (C4 + z * (C5 + z * C6));
    const double hz = 0.5 * z;
    w = 1.0 - hz;
    // (1 - w) - hz recovers the rounding error of w = 1 - z/2 exactly.
    return w + (((1.0 - w) - hz) + (z * r - x * y));
}

// tan(x + y) if iy == 1, -1/tan(x + y) if iy == -1.
double kernel_tan(double x, double y, int iy) {
    constexpr double T[13] = {
        0x1.5555555555563p-2,  0x1.111111110fe7ap-3, 0x1.ba1ba1bb341fep-5,
        0x1.664f48406d637p-6,  0x1.226e3e96e8493p-7, 0x1.d6d22c9560328p-9,
        0x1.7dbc8fee08315p-10, 0x1.344d8f2f26501p-11, 0x1.026f71a8d1068p-12,
        0x1.47e88a03792a6p-14, 0x1.2b80f32f0a7e9p-14, -0x1.375cbdb605373p-16,
        0x1.b2a7074bf7ad4p-16,
    };
    constexpr double kPio4 = 0x1.921fb54442d18p-1;
    constexpr double kPio4Lo = 0x1.1a62633145c07p-55;

    // Near pi/4 use tan(pi/4 - t) = (1 - tan t)/(1 + tan t) with small t.
    const bool big = std::fabs(x) >= 0x1.59428p-1;  // 0.67434
    const bool neg = x < 0.0;
    if (big) {
        if (neg) {
            x = -x;
            y = -y;
        }
        x = (kPio4 - x) + (kPio4Lo - y);
        y = 0.0;
    }
    double z = x * x;
    double w = z * z;
    // Odd and even halves of the polynomial in x^2, evaluated in w = x^4.
    double r = T[1] + w * (T[3] + w * (T[5] + w * (T[7] + w * (T[9] + w * T[11]))));
    double v = z * (T[2] + w * (T[4] + w * (T[6] + w * (T[8] + w * (T[10] + w * T[12])))));
    double s = z * x;
    r = y + z * (s * (r + v) + y);
    r += T[0] * s;
    w = x + r;
    if (big) {
        v = static_cast<double>(iy);
        const double res = v - 2.0 * (x - (w * w / (w + v) - r));
        return neg ? -res : res;
    }
    if (iy == 1) return w;
    // -1/(x + r) with extra precision: z + v == x + r, t ~ -1/w, then one
    // Newton correction using the split (exactly multipliable) parts.
    z = clear_low_word(w);
    v = r - (z - x);
    const double a = -1.0 / w;
    const double t = clear_low_word(a);
    s = 1.0 + t * z;
    return t + a * (s + t * v);
}

// Reduce x to y.hi + y.lo in ~[-pi/4, pi/4] with x = n*pi/2 + y; returns n mod 4.
// Cody-Waite with pi/2 split into 33-bit pieces (fdlibm e_rem_pio2.c, medium
// case): n*pio2_k is exact for |n| < 2^20, and a 2nd/3rd piece is only used
// when cancellation has eaten the bits the previous step provided.
int rem_pio2(double x, dd& y) {
    constexpr double kInvPio2 = 0x1.45f306dc9c883p-1;
    constexpr double kPio2_1 = 0x1.921fb54400000p+0;
    constexpr double kPio2_1t = 0x1.0b4611a626331p-34;
    constexpr double kPio2_2 = 0x1.0b4611a600000p-34;
    constexpr double kPio2_2t = 0x1.3198a2e037073p-69;
    constexpr double kPio2_3 = 0x1.3198a2e000000p-69;
    constexpr double kPio2_3t = 0x1.b839a252049c1p-104;

    auto exponent = [](double v) { return static_cast<int>((bits(v) >> 52) & 0x7ff); };

    const double fn = std::floor(x * kInvPio2 + 0.5);
    const int ex = exponent(x);
    double r = x - fn * kPio2_1;
    double w = fn * kPio2_1t;
    y.hi = r - w;
    if (ex - exponent(y.hi) > 16) {  // heavy cancellation: use 2nd piece
        double t = r;
        w = fn * kPio2_2;
        r = t - w;
        w = fn * kPio2_2t - ((t - r) - w);
        y.hi = r - w;
        if (ex - exponent(y.hi) > 49) {  // still cancelling: 3rd piece
            t = r;
            w = fn * kPio2_3;
            r = t - w;
            w = fn * kPio2_3t - ((t - r) - w);
            y.hi = r - w;
        }
    }
    y.lo = (r - y.hi) - w;
    // fn mod 4 without converting a possibly huge fn to int.
    return static_cast<int>(fn - 4.0 * std::floor(fn * 0.25));
}

// Largest |x| for which rem_pio2 is accurate (n < 2^20); beyond it we would
// need Payne-Hanek reduction, so sin/cos/tan return NaN there instead of a
// silently wrong (even out-of-range) value.
constexpr double kMaxTrigArg = 0x1.921fbp+20;  // ~2^20 * pi/2 = 1.647e6
constexpr double kPio4Bound = 0x1.921fb54442d18p-1;  // pi/4: no reduction needed below
constexpr double kTiny = 0x1p-27;  // sin x == tan x == x, cos x == 1 below this

}  // namespace

// ---------------------------------------------------------------------------
// Public functions

double exp(double x) { return exp_dd(x, 0.0); }

double log(double x) {
    if (x != x) return x;
    if (x == 0.0) return -kInf;
    if (x < 0.0) return kNaN;
    if (x == kInf) return kInf;
    return log_dd(x).hi;
}

double log2(double x) { return scaled_log(x, kInvLn2); }
double log10(double x) { return scaled_log(x, kInvLn10); }

double pow(double x, double y) {
    if (y == 0.0 || x == 1.0) return 1.0;
    // Canonical NaN: x + y would pick a platform-dependent payload.
    if (x != x || y != y) return kNaN;
    const double ax = std::fabs(x);
    if (std::fabs(y) == kInf) {
        if (ax == 1.0) return 1.0;
        return ((ax > 1.0) == (y > 0.0)) ? kInf : 0.0;
    }
    const bool y_int = std::floor(y) == y;
    // |y| >= 2^53 is always an even integer; y*0.5 is exact.
    const bool y_odd = y_int && std::fabs(y) < 0x1p53 && std::floor(y * 0.5) * 2.0 != y;
    if (x < 0.0 && !y_int) return kNaN;
    const bool negate = std::signbit(x) && y_odd;
    double mag;
    if (ax == 0.0) {
        mag = y > 0.0 ? 0.0 : kInf;
    } else if (ax == kInf) {
        mag = y > 0.0 ? kInf : 0.0;
    } else {
        mag = exp_of_product(y, log_dd(ax));
    }
    return negate ? -mag : mag;
}

double sin(double x) {
    const double ax = std::fabs(x);
    if (ax < kTiny) return x;  // includes +-0
    if (ax <= kPio4Bound) return kernel_sin(x, 0.0);
    if (!(ax < kMaxTrigArg)) return kNaN;  // inf, NaN, out of range
    dd y;
    switch (rem_pio2(x, y)) {
        case 0: return kernel_sin(y.hi, y.lo);
        case 1: return kernel_cos(y.hi, y.lo);
        case 2: return -kernel_sin(y.hi, y.lo);
        default: return -kernel_cos(y.hi, y.lo);
    }
}

double cos(double x) {
    const double ax = std::fabs(x);
    if (ax < kTiny) return 1.0;
    if (ax <= kPio4Bound) return kernel_cos(x, 0.0);
    if (!(ax < kMaxTrigArg)) return kNaN;
    dd y;
    switch (rem_pio2(x, y)) {
        case 0: return kernel_cos(y.hi, y.lo);
        case 1: return -kernel_sin(y.hi, y.lo);
        case 2: return -kernel_cos(y.hi, y.lo);
        default: return kernel_sin(y.hi, y.lo);
    }
}

double tan(double x) {
    const double ax = std::fabs(x);
    if (ax < kTiny) return x;
    if (ax <= kPio4Bound) return kernel_tan(x, 0.0, 1);
    if (!(ax < kMaxTrigArg)) return kNaN;
    dd y;
    const int n = rem_pio2(x, y);
    return kernel_tan(y.hi, y.lo, (n & 1) ? -1 : 1);
}

double db_to_amplitude(double db) { return exp_of_product(db, kLn10Over20); }
double db_to_power(double db) { return exp_of_product(db, kLn10Over10); }
double amplitude_to_db(double a) { return a <= 0.0 ? -kInf : scaled_log(a, k20InvLn10); }
double power_to_db(double p) { return p <= 0.0 ? -kInf : scaled_log(p, k10InvLn10); }

double bessel_i0(double x) {
  // sum_k ((x/2)^k / k!)^2: every term positive, so the sum is accurate; it stops once a term
  // no longer changes it (about 30 terms for the window betas used).
  double sum = 1, term = 1;
  const double q = x * x / 4;
  for (int k = 1; k < 500 && term > 1e-20 * sum; ++k) {
    term = term * q / (static_cast<double>(k) * static_cast<double>(k));
    sum += term;
  }
  return sum;
}

}  // namespace gloss::detmath
