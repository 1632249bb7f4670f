// Measuring what the resampler did to a sine: generation in double precision, a least-squares
// fit of a sine of known frequency over a steady stretch, and levels in dB.
#pragma once

#include <cmath>
#include <cstdint>
#include <numbers>
#include <span>
#include <vector>

namespace gloss::test {

inline std::vector<float> make_sine(int rate, double hz, double amplitude, std::int64_t frames, double phase = 0.3) {
  std::vector<float> x(static_cast<std::size_t>(frames));
  const double w = 2 * std::numbers::pi * hz / rate;
  for (std::int64_t i = 0; i < frames; ++i)
    x[static_cast<std::size_t>(i)] = static_cast<float>(amplitude * std::sin(w * static_cast<double>(i) + phase));
  return x;
}

struct SineFit {
  double amplitude = 0;     // of the fitted sine
  double residual_rms = 0;  // what the fit leaves (everything that is not that sine)
  double rms = 0;           // of the stretch itself
};

// Fits a cos(w n) + b sin(w n) to y[begin, end) by least squares (the 2 x 2 normal equations).
inline SineFit fit_sine(std::span<const float> y, int rate, double hz, std::int64_t begin, std::int64_t end) {
  const double w = 2 * std::numbers::pi * hz / rate;
  double cc = 0, ss = 0, cs = 0, yc = 0, ys = 0, yy = 0;
  for (std::int64_t n = begin; n < end; ++n) {
    const double c = std::cos(w * static_cast<double>(n)), s = std::sin(w * static_cast<double>(n));
    const double v = y[static_cast<std::size_t>(n)];
    cc += c * c;
    ss += s * s;
    cs += c * s;
    yc += v * c;
    ys += v * s;
    yy += v * v;
  }
  const double det = cc * ss - cs * cs;
  const double a = (yc * ss - ys * cs) / det, b = (ys * cc - yc * cs) / det;
  double residual = 0;
  for (std::int64_t n = begin; n < end; ++n) {
    const double fit = a * std::cos(w * static_cast<double>(n)) + b * std::sin(w * static_cast<double>(n));
    const double e = y[static_cast<std::size_t>(n)] - fit;
    residual += e * e;
  }
  const auto count = static_cast<double>(end - begin);
  return {std::hypot(a, b), std::sqrt(residual / count), std::sqrt(yy / count)};
}

// Level of an RMS relative to a sine of peak amplitude `reference`, in dB.
inline double rms_db(double rms, double reference) { return 20 * std::log10(rms * std::numbers::sqrt2 / reference); }

}  // namespace gloss::test
