#include "noise_spectrum.hpp"

#include <cmath>
#include <complex>
#include <numbers>

#include "../../cpu/fftw_engine.hpp"

namespace gloss::test {

std::vector<double> averaged_power(std::span<const double> x, int n, Window window) {
  std::vector<double> w(static_cast<std::size_t>(n), 1.0);
  if (window == Window::hann)
    for (int i = 0; i < n; ++i) w[i] = 0.5 - 0.5 * std::cos(2 * std::numbers::pi * i / n);  // periodic Hann
  double w2 = 0;
  for (double v : w) w2 += v * v;
  const int blocks = static_cast<int>(x.size() / static_cast<std::size_t>(n));
  const int bins = n / 2 + 1;
  std::vector<double> real(static_cast<std::size_t>(n) * blocks);
  for (int b = 0; b < blocks; ++b)
    for (int i = 0; i < n; ++i) real[static_cast<std::size_t>(b) * n + i] = x[static_cast<std::size_t>(b) * n + i] * w[i];
  std::vector<double> spectra(2 * static_cast<std::size_t>(bins) * blocks);
  FftwEngine engine;
  engine.forward(n, blocks, real.data(), spectra.data());
  std::vector<double> power(static_cast<std::size_t>(bins), 0.0);
  for (int b = 0; b < blocks; ++b)
    for (int k = 0; k < bins; ++k) {
      const double re = spectra[2 * (static_cast<std::size_t>(b) * bins + k)];
      const double im = spectra[2 * (static_cast<std::size_t>(b) * bins + k) + 1];
      power[k] += (re * re + im * im) / w2;
    }
  for (double& p : power) p /= blocks;
  return power;
}

namespace {
template <typename F>
double band_average(int n, int sample_rate, double lo_hz, double hi_hz, F value) {
  double sum = 0;
  int count = 0;
  for (int k = 0; k <= n / 2; ++k) {
    const double hz = static_cast<double>(k) * sample_rate / n;
    if (hz >= lo_hz && hz < hi_hz) {
      sum += value(k, hz);
      ++count;
    }
  }
  return count ? sum / count : 0.0;
}
}  // namespace

double band_mean(std::span<const double> power, int n, int sample_rate, double lo_hz, double hi_hz) {
  return band_average(n, sample_rate, lo_hz, hi_hz, [&](int k, double) { return power[k]; });
}

double shaping_gain(const kernels::ShapingFilter& f, double hz, int sample_rate) {
  std::complex<double> h = 1.0;
  for (int k = 0; k < f.taps; ++k)
    h -= f.coeff[k] * std::polar(1.0, -2 * std::numbers::pi * hz * (k + 1) / sample_rate);
  return std::norm(h);
}

double designed_band_power(const kernels::ShapingFilter& f, int n, int sample_rate, double lo_hz, double hi_hz) {
  return 0.25 * band_average(n, sample_rate, lo_hz, hi_hz,
                             [&](int, double hz) { return shaping_gain(f, hz, sample_rate); });
}

std::vector<double> total_error(std::span<const float> x, std::span<const std::int32_t> q, int bits) {
  const double scale = std::ldexp(1.0, bits - 1);
  std::vector<double> e(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) e[i] = q[i] - static_cast<double>(x[i]) * scale;
  return e;
}

double mean(std::span<const double> x) {
  double s = 0;
  for (double v : x) s += v;
  return s / static_cast<double>(x.size());
}

double variance(std::span<const double> x) {
  const double m = mean(x);
  double s = 0;
  for (double v : x) s += (v - m) * (v - m);
  return s / static_cast<double>(x.size());
}

double correlation(std::span<const double> a, std::span<const double> b) {
  const double ma = mean(a), mb = mean(b);
  double ab = 0, aa = 0, bb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    ab += (a[i] - ma) * (b[i] - mb);
    aa += (a[i] - ma) * (a[i] - ma);
    bb += (b[i] - mb) * (b[i] - mb);
  }
  return ab / std::sqrt(aa * bb);
}

double db(double power_ratio) { return 10 * std::log10(power_ratio); }

}  // namespace gloss::test
