// detmath.hpp - deterministic elementary functions for gloss.
//
// Why this exists: gloss promises bit-identical output across machines with
// different libm versions and between the CPU and CUDA paths. libm's
// exp/log/pow/sin/... are not specified to the last bit and differ between
// glibc releases, musl, MSVC and CUDA's libdevice. Every host-side value that
// can reach output bits (filter coefficients, dB<->gain conversions, loudness
// values) must therefore come from these functions instead.
//
// Implementation rules (see detmath.cpp): only + - * / and std::sqrt (IEEE
// correctly rounded), comparisons, integer ops and the exact operations
// std::ldexp / std::frexp / std::floor / std::fabs. No libm transcendental is
// ever called, no std::fma; the code must be compiled with -ffp-contract=off
// and without fast-math, so each expression rounds exactly as written.
//
// Accuracy (measured against 64-bit long double references): exp, pow and
// db_to_* < 0.51 ulp; log, log2, log10 and *_to_db < 0.501 ulp (double-double
// internals, almost always correctly rounded); sin, cos, tan < 0.86 ulp
// (fdlibm kernels). sin/cos/tan support |x| < 2^20 * pi/2 (~1.647e6): there is
// no Payne-Hanek reduction, so larger (and infinite) arguments return NaN.
// NaN results are the canonical quiet NaN, or the input NaN itself.
#pragma once

namespace gloss::detmath {

inline constexpr double pi = 3.14159265358979323846;

// exp(x). exp(x > 709.78) = +inf, exp(x < -745.13) = 0, NaN propagates.
double exp(double x);

// Natural logarithm. log(+-0) = -inf, log(x < 0) = NaN, log(+inf) = +inf.
double log(double x);
double log2(double x);
double log10(double x);  // log10(10^n) == n exactly for representable 10^n

// x^y with the C99 special cases (pow(x, 0) = 1, pow(1, y) = 1,
// pow(+-0, y > 0) = +-0 / 0, pow(+-0, y < 0) = inf, pow(x < 0, non-integer y)
// = NaN, pow(x < 0, integer y) = +-|x|^y). Computed as exp(y * log(x)) in
// double-double, so the result stays within ~0.51 ulp even for large
// |y*log(x)|.
double pow(double x, double y);

// Trigonometric functions, argument in radians, |x| < ~1.647e6 (else NaN).
double sin(double x);
double cos(double x);
double tan(double x);

// Level conversions.
double db_to_amplitude(double db);  // 10^(db/20)
double amplitude_to_db(double a);   // 20*log10(a), a <= 0 -> -inf
double db_to_power(double db);      // 10^(db/10)
double power_to_db(double p);       // 10*log10(p), p <= 0 -> -inf

// Modified Bessel function of the first kind, order 0 (power series), for Kaiser windows.
double bessel_i0(double x);

}  // namespace gloss::detmath
