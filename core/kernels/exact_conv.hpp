// Exact FFT convolution, the arithmetic around the FFTs (DESIGN.md rule 4). Both backends run
// these functions: the CPU in loops, CUDA one thread per element. Only the raw FFT differs
// between them (FFTW or cuFFT), and rounding every inverse-FFT output to the nearest integer
// removes that difference. The error bound and the format choices are documented in
// core/exact_convolution.hpp.
//
// Everything here is integer arithmetic or exact in double (+ - * of values that stay below
// 2^53, power-of-two scaling, rounding by the 1.5 * 2^52 trick), except the complex multiply
// of spectra, whose round-off is covered by the bound.
#pragma once

#include <cstdint>
#include <cstring>

#include "kernels/gloss_hd.hpp"

namespace gloss::kernels {

// 128-bit integers are a GCC/Clang/nvcc extension; __extension__ keeps -Wpedantic quiet.
__extension__ typedef __int128 ExactInt;
__extension__ typedef unsigned __int128 ExactUInt;

// Samples: x * 2^24 rounded to an integer of at most 31 bits plus sign, so |x| < 2^7 = 128
// (+42.1 dBFS) is representable: 24 fractional bits, 7 bits of headroom.
inline constexpr int kSampleFractionBits = 24;
inline constexpr double kSampleScale = 16777216.0;      // 2^24
inline constexpr double kSampleLimitScaled = 2147483648.0;  // 2^31: |x * 2^24| must stay below
inline constexpr double kExactPartialLimit = 1125899906842624.0;  // 2^50: plans keep every partial sum below
inline constexpr int kMaxLimbs = 4;
inline constexpr int kMaxWeights = 2 * kMaxLimbs - 1;

// One exact convolution plan as plain data (copied to the device as is). Overlap-save blocks
// of fft_size samples; block b's outputs are full-convolution indices delay + b * hop + i,
// i in [0, hop), i.e. track positions b * hop + i.
struct ExactConvShape {
  std::int32_t fft_size;           // N, a power of two
  std::int32_t taps;               // M, odd
  std::int32_t hop;                // N - M + 1 outputs per block
  std::int32_t delay;              // (M - 1) / 2, the FIR's delay compensated
  std::int32_t limb_bits;          // b: limbs in base 2^b (common to samples and taps)
  std::int32_t signal_limbs;       // Lx
  std::int32_t tap_limbs;          // Lh (1: h_q whole, however wide; see exact_convolution.hpp)
  std::int32_t weights;            // Lx + Lh - 1 inverse transforms per block
  std::int32_t tap_fraction_bits;  // taps are h * 2^f rounded
};

// Unrolls a short loop over limbs or weights (at most 7 trips): with constant counts the CPU's
// loop over bins then vectorises. (nvcc's host pass knows neither spelling; the CPU never runs
// its copy.)
#if defined(__CUDA_ARCH__)
#define GLOSS_EXACT_UNROLL _Pragma("unroll")
#elif defined(__CUDACC__)
#define GLOSS_EXACT_UNROLL
#else
#define GLOSS_EXACT_UNROLL _Pragma("GCC unroll 8")
#endif

inline namespace GLOSS_KERNEL_ISA {

// Nearest integer, ties to even, for |v| < 2^51: adding 1.5 * 2^52 leaves no fraction bits,
// the default rounding mode does the rest, and subtracting it back is exact.
GLOSS_HD double round_half_even(double v) {
  constexpr double kMagic = 6755399441055744.0;
  return (v + kMagic) - kMagic;
}

// 2^e as a double, built from its bits (exact, no libm), for -1022 <= e <= 1023.
GLOSS_HD double power_of_two(int e) {
  const std::uint64_t bits = static_cast<std::uint64_t>(e + 1023) << 52;
  double d;
  std::memcpy(&d, &bits, sizeof d);
  return d;
}

// True when x * 2^24 is representable: finite and |x| < 128 (x * 2^24 is exact, so this is
// |x * 2^24| < 2^31; NaN compares false).
GLOSS_HD bool sample_in_range(float x) { return (x > -128.0f) & (x < 128.0f); }

// x * 2^24 rounded to the nearest integer (ties to even), as an exact double, for an x that is
// sample_in_range.
GLOSS_HD double quantized_value(float x) { return round_half_even(static_cast<double>(x) * kSampleScale); }

// x * 2^24 to the nearest integer (ties to even). False for NaN, Inf and |x| >= 128.
GLOSS_HD bool quantize_sample(float x, std::int32_t* q) {
  if (!sample_in_range(x)) return false;
  *q = static_cast<std::int32_t>(quantized_value(x));
  return true;
}

// The bits of a double and back (exact, no conversion instructions: vectorises as integer ops).
GLOSS_HD std::int64_t double_bits(double d) {
  std::int64_t b;
  std::memcpy(&b, &d, sizeof b);
  return b;
}

GLOSS_HD double bits_double(std::int64_t b) {
  double d;
  std::memcpy(&d, &b, sizeof d);
  return d;
}

inline constexpr double kRoundMagic = 6755399441055744.0;        // 1.5 * 2^52
inline constexpr std::int64_t kRoundMagicBits = 0x4338000000000000;  // its bits

// round_half_even(v) as an integer, for |v| < 2^51: v + 1.5 * 2^52 holds the rounded value in
// its low mantissa bits, so subtracting the magic number's bits recovers it as an int64.
GLOSS_HD std::int64_t round_to_int64(double v) { return double_bits(v + kRoundMagic) - kRoundMagicBits; }

// An integer with |i| < 2^51 as a double (exact), the same trick backwards.
GLOSS_HD double int64_to_double(std::int64_t i) { return bits_double(i + kRoundMagicBits) - kRoundMagic; }

// Balanced limbs of v in base 2^bits: limbs 0..count-2 in [-2^(bits-1), 2^(bits-1)), the last
// one takes the rest. Balanced digits halve each limb's magnitude against unsigned digits.
GLOSS_HD void balanced_limbs(std::int64_t v, int bits, int count, double* limbs, std::int64_t stride) {
  const std::int64_t base = std::int64_t{1} << bits;
  const std::int64_t half = base >> 1;
  for (int i = 0; i < count - 1; ++i) {
    const std::int64_t low = ((v + half) & (base - 1)) - half;
    limbs[i * stride] = static_cast<double>(low);
    v = (v - low) >> bits;  // exact: v - low is a multiple of base (arithmetic shift, C++20)
  }
  limbs[(count - 1) * stride] = static_cast<double>(v);
}

// Limbs of one sample x_q (an integer |v| < 2^31, held exactly in a double) in double
// arithmetic (vectorises on any x86-64): high = v / 2^bits rounded to nearest (ties to even),
// low = v - high * 2^bits, both exact. So |low| <= 2^(bits-1) and the top limb is at most
// 2^(31 - bits (count - 1)) + 1 in magnitude: the limb sizes the error bound assumes. (The tie
// choice differs from balanced_limbs; only raw FFT doubles see that, never the rounded
// integers.)
GLOSS_HD void split_sample(double v, int bits, int count, double* limbs, std::int64_t stride) {
  const double down = power_of_two(-bits);
  const double up = power_of_two(bits);
  double rest = v;
  for (int i = 0; i < count - 1; ++i) {
    const double high = round_half_even(rest * down);
    limbs[i * stride] = rest - high * up;
    rest = high;
  }
  limbs[(count - 1) * stride] = rest;
}

// Input position p of overlap-save block `block` of one channel: its sample's limbs, written to
// limbs[i * fft_size + p]. Positions outside the track are zero (edges zero-padded).
GLOSS_HD void split_signal_position(const ExactConvShape& s, const std::int32_t* x, std::int64_t frames,
                                    std::int64_t block, std::int32_t p, double* limbs) {
  const std::int64_t j = block * s.hop + s.delay - (s.taps - 1) + p;
  const std::int32_t v = (j >= 0 && j < frames) ? x[j] : 0;
  split_sample(static_cast<double>(v), s.limb_bits, s.signal_limbs, limbs + p, s.fft_size);
}

// Spectrum bin k of every weight's product: P_w = sum over i + j = w of X_i * H_j, i ascending.
// Complex values are interleaved (re, im); spectra of one block lie `bins` complex values apart.
// The bin's signal values are read before any product is written, so p may be x (in place).
// (The limb counts are arguments so that a caller can make them compile-time constants.)
GLOSS_HD void multiply_bin_limbs(int signal_limbs, int tap_limbs, const double* x, const double* h, double* p,
                                 std::int64_t bins, std::int64_t k) {
  double x_re[kMaxLimbs];
  double x_im[kMaxLimbs];
  GLOSS_EXACT_UNROLL
  for (int i = 0; i < signal_limbs; ++i) {
    x_re[i] = x[2 * (i * bins + k)];
    x_im[i] = x[2 * (i * bins + k) + 1];
  }
  GLOSS_EXACT_UNROLL
  for (int w = 0; w < signal_limbs + tap_limbs - 1; ++w) {
    double re = 0;
    double im = 0;
    GLOSS_EXACT_UNROLL
    for (int i = 0; i < signal_limbs; ++i) {
      const int j = w - i;
      if (j < 0 || j >= tap_limbs) continue;
      const double* b = h + 2 * (j * bins + k);
      re += x_re[i] * b[0] - x_im[i] * b[1];
      im += x_re[i] * b[1] + x_im[i] * b[0];
    }
    p[2 * (w * bins + k)] = re;
    p[2 * (w * bins + k) + 1] = im;
  }
}

GLOSS_HD void multiply_bin(const ExactConvShape& s, const double* x, const double* h, double* p,
                           std::int64_t bins, std::int64_t k) {
  multiply_bin_limbs(s.signal_limbs, s.tap_limbs, x, h, p, bins, k);
}

GLOSS_HD int bit_length(std::uint64_t v) {
#if defined(__CUDA_ARCH__)
  return 64 - __clzll(static_cast<long long>(v));
#else
  return v == 0 ? 0 : 64 - __builtin_clzll(v);
#endif
}

GLOSS_HD int bit_length(ExactUInt v) {
  const std::uint64_t high = static_cast<std::uint64_t>(v >> 64);
  return high != 0 ? 64 + bit_length(high) : bit_length(static_cast<std::uint64_t>(v));
}

// The one requantisation rule: y * 2^-(24 + f) to the nearest float32 that is a multiple of
// 2^-24, ties to even. Below 0.5 that is the 2^-24 grid; above it float32's own grid (never
// finer than 2^-24 there), so it is a single rounding straight from the exact integer. Zero
// is +0. An input that is a multiple of 2^-24 convolved with the unit impulse comes back
// unchanged.
GLOSS_HD float requantize_wide(ExactInt y, int tap_fraction_bits) {
  const bool negative = y < 0;
  const ExactUInt m = static_cast<ExactUInt>(negative ? -y : y);
  const int excess = bit_length(m) - 24;  // drop this many bits to keep 24 significant ones
  const int shift = excess > tap_fraction_bits ? excess : tap_fraction_bits;
  ExactUInt q = m;
  if (shift > 0) {
    q = m >> shift;
    const ExactUInt rest = m - (q << shift);
    const ExactUInt half = ExactUInt{1} << (shift - 1);
    if (rest > half || (rest == half && (q & 1) != 0)) ++q;
  }
  if (q == 0) return 0.0f;
  const double v = static_cast<double>(static_cast<std::uint64_t>(q)) *
                   power_of_two(shift - tap_fraction_bits - kSampleFractionBits);
  return static_cast<float>(negative ? -v : v);  // exact: q <= 2^24
}

// The same rule on 64 bits, for |y| < 2^62 (nearly every output): same result, less work.
GLOSS_HD float requantize_narrow(std::int64_t y, int tap_fraction_bits) {
  const bool negative = y < 0;
  const std::uint64_t m = static_cast<std::uint64_t>(negative ? -y : y);
  const int excess = bit_length(m) - 24;
  const int shift = excess > tap_fraction_bits ? excess : tap_fraction_bits;
  std::uint64_t q = m;
  if (shift > 0) {
    q = m >> shift;
    const std::uint64_t rest = m - (q << shift);
    const std::uint64_t half = std::uint64_t{1} << (shift - 1);
    if (rest > half || (rest == half && (q & 1) != 0)) ++q;
  }
  if (q == 0) return 0.0f;
  const double v = static_cast<double>(q) * power_of_two(shift - tap_fraction_bits - kSampleFractionBits);
  return static_cast<float>(negative ? -v : v);
}

GLOSS_HD float requantize(ExactInt y, int tap_fraction_bits) {
  constexpr std::int64_t kNarrow = std::int64_t{1} << 62;
  if (y > -kNarrow && y < kNarrow) return requantize_narrow(static_cast<std::int64_t>(y), tap_fraction_bits);
  return requantize_wide(y, tap_fraction_bits);
}

// Outputs whose |y| provably stays below this (peak |x_q| * sum |h_q|) may take finish_narrow.
inline constexpr std::int64_t kNarrowOutputLimit = std::int64_t{1} << 61;

// One output of a block: the weights' inverse-FFT values r[w * stride] (already divided by N)
// rounded to integers and recombined as sum r_w * 2^(b * w) in 128 bits. `distance` grows to
// the largest |r_w - round(r_w)| seen: the runtime check that rounding was unambiguous.
GLOSS_HD ExactInt recombine_position(const ExactConvShape& s, const double* r, std::int64_t stride,
                                     double& distance) {
  const ExactInt base = ExactInt{1} << s.limb_bits;
  ExactInt acc = 0;
  for (int w = s.weights - 1; w >= 0; --w) {
    const double v = r[w * stride];
    // NaN, Inf or a value beyond every exact partial sum (|v| >= 2^50) counts as distance 1.
    const bool in_range = v > -kExactPartialLimit && v < kExactPartialLimit;
    const double n = in_range ? round_half_even(v) : 0.0;
    const double d = !in_range ? 1.0 : (v > n ? v - n : n - v);
    distance = d > distance ? d : distance;
    acc = acc * base + static_cast<std::int64_t>(n);
  }
  return acc;
}

// Output i (in [0, hop)) of block `block`: the kept inverse-FFT position is taps - 1 + i.
// Writes the float32 output when it falls inside the track; returns the distance seen.
GLOSS_HD double finish_position(const ExactConvShape& s, const double* r, std::int64_t frames, std::int64_t block,
                                std::int32_t i, float* out) {
  const std::int64_t t = block * s.hop + i;
  if (t >= frames) return 0;
  double distance = 0;
  const ExactInt y = recombine_position(s, r + (s.taps - 1 + i), s.fft_size, distance);
  out[t] = requantize(y, s.tap_fraction_bits);
  return distance;
}

// ---- The narrow finish, written once for "lanes": T is double (one output: CUDA, scalar code)
// or a GCC vector of doubles (the CPU's SIMD loop). Comparisons give a bool or a lane mask and
// `?:` then picks per lane, so the vector form has no branches at all. Only + - * and
// comparisons on values that stay exact, as the comments show.

// A constant in every lane.
template <typename T>
GLOSS_HD T lanes_of(double c) {
  return T{} + c;
}

// round_half_even per lane (|v| < 2^51).
template <typename T>
GLOSS_HD T nearest_integer(T v) {
  return (v + 6755399441055744.0) - 6755399441055744.0;
}

// Knuth's TwoSum: s + e == a + b exactly, s = a + b rounded (needs no contraction, no overflow).
template <typename T>
GLOSS_HD void two_sum(T a, T b, T& s, T& e) {
  s = a + b;
  const T b_part = s - a;
  e = (a - (s - b_part)) + (b - b_part);
}

// A weight's inverse-FFT value v rounded to its integer n; |v - n| folded into `distance`. NaN,
// Inf or a value beyond every exact partial sum (|v| >= 2^50) counts as distance 1 (its
// integer is then meaningless: the guard discards the track).
template <typename T>
GLOSS_HD T round_weight(T v, T& distance) {
  const T size = v > -v ? v : -v;  // NaN stays NaN
  const auto in_range = size < kExactPartialLimit;
  const T n = nearest_integer(v);
  const T gap = v - n;
  const T magnitude = gap > -gap ? gap : -gap;
  const T d = in_range ? magnitude : lanes_of<T>(1.0);
  distance = d > distance ? d : distance;
  return n;
}

// One step of the narrow finish for any limb width: (hi, lo) <- (hi, lo) * base + n as an exact
// double-double (TwoSum twice; every value is an integer far below 2^106, so lo * base + e is
// exact and hi stays hi + lo rounded, |lo| <= ulp(hi) / 2).
template <typename T>
GLOSS_HD void accumulate_weight(T v, double base, T& hi, T& lo, T& distance) {
  const T n = round_weight(v, distance);
  T top;
  T carry;
  two_sum(hi * base, n, top, carry);
  two_sum(top, lo * base + carry, hi, lo);
}

// The integer y = hi + lo (hi = y rounded, |lo| <= ulp(hi) / 2, |y| < 2^61) as requantize_odd
// wants it: y itself when |y| < 2^51 (then lo = 0), else y rounded to odd at bit 10. Exact
// double arithmetic on integers below 2^53:
//  * a = hi / 2^10 (exact) and its nearest integer ta give y = ta * 2^10 + rest exactly, with
//    |rest| < 2^10;
//  * floor(y / 2^10) = ta + round((rest - 511.5) / 2^10), a correction of -1 or 0 (never a tie);
//  * t mod 2 = t - 2 * round((t - 1/2) / 2), and the lowest bit is set when anything was cut off.
template <typename T>
GLOSS_HD T round_to_odd_bit10(T hi, T lo) {
  constexpr double kUnit = 1024.0;
  const T a = hi * (1.0 / kUnit);
  const T ta = nearest_integer(a);
  const T rest = (a - ta) * kUnit + lo;
  const T correction = nearest_integer((rest - 511.5) * (1.0 / kUnit));
  const T t = ta + correction;
  const T cut = rest - correction * kUnit;  // in [0, 2^10)
  const T parity = t - 2.0 * nearest_integer((t - 0.5) * 0.5);
  const T sticky = cut < 1.0 ? cut : lanes_of<T>(1.0);  // 0 or 1
  const T odd = (t + sticky * (1.0 - parity)) * kUnit;
  const auto small = (hi > -2251799813685248.0) & (hi < 2251799813685248.0);  // |y| < 2^51
  return small ? hi : odd;
}

// requantize for |y| < 2^61, from v = round_to_odd_bit10(y), as a double whose conversion to
// float32 is the final rounding. The same result as requantize, because:
//  * rounding to odd with at least two spare bits below the final rounding position makes a
//    later round-to-nearest give the same result as rounding y itself. |y| >= 2^51 means the
//    float rounding position is bitlen - 24 >= 28, and the grid position f matters only below
//    2^(24 + f), which is below 2^51 when f < 27; otherwise f >= 27 > 12. Either way the
//    rounding happens at bit >= 12.
//  * |v| < 2^(24 + f) (the same test on y: 2^(24 + f) is a multiple of 2^11, which an inexact
//    round-to-odd never returns): the 2^-24 grid, q = round_half_even(v * 2^-f), |q| <= 2^24,
//    and q * 2^-24 is exact. Otherwise the float32 grid is no finer than 2^-24:
//    float(v * 2^-(24 + f)), one round-to-nearest-even of a value scaled by a power of two.
//  * zero gives +0 (the magic rounding returns +0 for every |v| <= 1/2).
template <typename T>
GLOSS_HD T requantize_odd(T v, int tap_fraction_bits) {
  const double grid_limit = power_of_two(24 + tap_fraction_bits);
  const T q = nearest_integer(v * power_of_two(-tap_fraction_bits));
  const auto on_grid = (v > -grid_limit) & (v < grid_limit);
  const T grid_value = q * power_of_two(-kSampleFractionBits);
  const T float_value = v * power_of_two(-tap_fraction_bits - kSampleFractionBits);
  return on_grid ? grid_value : float_value;
}

// What round_to_odd_bit10 gives, for limbs of b >= 10 bits, without a double-double: y =
// upper * 2^b + n0 with upper = sum over w >= 1 of n_w 2^(b (w - 1)) (|upper| < 2^52 when
// |y| < 2^61, so its Horner sums are exact). Since 2^10 divides 2^b, floor(y / 2^10) =
// upper * 2^(b - 10) + floor(n0 / 2^10) (exact: below 2^51), and the bits cut off are those
// of n0 mod 2^10; floor(n0 / 2^10) = round((n0 - 511.5) / 2^10), never a tie.
template <typename T>
GLOSS_HD T odd_from_weights(T upper, T n0, int limb_bits) {
  constexpr double kUnit = 1024.0;
  const T q0 = nearest_integer((n0 - 511.5) * (1.0 / kUnit));
  const T cut = n0 - q0 * kUnit;  // in [0, 2^10)
  const T t = upper * power_of_two(limb_bits - 10) + q0;
  const T parity = t - 2.0 * nearest_integer((t - 0.5) * 0.5);
  const T sticky = cut < 1.0 ? cut : lanes_of<T>(1.0);  // 0 or 1
  const T odd = (t + sticky * (1.0 - parity)) * kUnit;
  const T y = upper * power_of_two(limb_bits) + n0;  // exact when |y| < 2^53
  const auto small = (y > -2251799813685248.0) & (y < 2251799813685248.0);  // |y| < 2^51
  return small ? y : odd;
}

// The narrow finish of one output, or one vector of outputs, from its W weight values v[w]
// (lowest weight first), for limbs of at least 10 bits (odd_from_weights): the same float
// (before the final conversion) as finish_position, and the largest distance folded into
// `distance`.
template <int W, typename T>
GLOSS_HD T finish_narrow_lanes(const T* v, int limb_bits, int tap_fraction_bits, T& distance) {
  static_assert(W >= 2, "a signal always has at least two limbs");
  const double base = power_of_two(limb_bits);
  T upper = round_weight(v[W - 1], distance);
  for (int w = W - 2; w >= 1; --w) upper = upper * base + round_weight(v[w], distance);
  const T n0 = round_weight(v[0], distance);
  return requantize_odd(odd_from_weights(upper, n0, limb_bits), tap_fraction_bits);
}

// finish_position for a block whose outputs all satisfy |y| < kNarrowOutputLimit (the caller
// checks peak |x_q| * sum |h_q|), in double arithmetic only: weights from the top down through
// accumulate_weight, then rounded to odd and requantised. The same float as finish_position.
// `r` points at the block's kept outputs (position taps - 1), `stride` apart per weight. (The
// CPU runs the same steps on vectors of outputs, with the weight count fixed at compile time.)
GLOSS_HD float finish_narrow(const ExactConvShape& s, const double* r, std::int64_t stride, std::int32_t i,
                             double& distance) {
  const double base = power_of_two(s.limb_bits);
  double hi = 0;
  double lo = 0;
  distance = 0;
  for (int w = s.weights - 1; w >= 0; --w) accumulate_weight(r[w * stride + i], base, hi, lo, distance);
  return static_cast<float>(requantize_odd(round_to_odd_bit10(hi, lo), s.tap_fraction_bits));
}

}  // namespace GLOSS_KERNEL_ISA
}  // namespace gloss::kernels
