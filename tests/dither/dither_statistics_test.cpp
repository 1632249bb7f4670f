// What the dither does to the signal, measured: the TPDF total error has mean 0 and variance
// 1/4 LSB^2 whatever the signal (1/12 rounding + 1/6 dither), no distortion products on a
// -90 dBFS sine, a flat spectrum without shaping and the designed F-weighted curve with it,
// bounded shaped error on full-scale and clipped input, and uncorrelated noise between
// channels, tracks and seeds.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iostream>
#include <numbers>
#include <vector>

#include "noise_spectrum.hpp"
#include "quantizer.hpp"

namespace gloss {
namespace {

using test::averaged_power;
using test::band_mean;
using test::db;
using test::Window;

std::vector<float> sine(std::size_t frames, int rate, double hz, double amplitude) {
  std::vector<float> x(frames);
  for (std::size_t i = 0; i < frames; ++i)
    x[i] = static_cast<float>(amplitude * std::sin(2 * std::numbers::pi * hz * static_cast<double>(i) / rate));
  return x;
}

// A slowly varying signal that visits every fraction of an LSB many times.
std::vector<float> slow_signal(std::size_t frames, int rate) { return sine(frames, rate, 0.7, 0.3); }

// Mean and variance of the total error, overall and in 8 bins of the fractional part of the
// exact value x 2^(bits-1): with TPDF neither depends on where between two codes x lies.
// Undithered rounding fails the same check (its error is a function of the fraction).
TEST(DitherStatistics, TpdfErrorHasMomentsIndependentOfTheSignal) {
  const int rate = 48000;
  const std::vector<float> x = slow_signal(1 << 20, rate);
  for (int bits : {16, 24}) {
    for (bool dither : {true, false}) {
      const auto q = quantize_channel(x, {.bits = bits, .dither = dither, .seed = 17}, rate, 1, 0);
      const std::vector<double> e = test::total_error(x, q, bits);
      if (dither) {
        EXPECT_NEAR(test::mean(e), 0.0, 0.003) << bits;  // sd of the mean: 0.0005
        EXPECT_NEAR(test::variance(e), 0.25, 0.003) << bits;
      }
      std::vector<double> sum(8, 0.0), sum2(8, 0.0), count(8, 0.0);
      const double scale = std::ldexp(1.0, bits - 1);
      for (std::size_t i = 0; i < x.size(); ++i) {
        const double v = static_cast<double>(x[i]) * scale;
        const int bin = std::min(7, static_cast<int>((v - std::floor(v)) * 8));
        sum[bin] += e[i];
        sum2[bin] += e[i] * e[i];
        ++count[bin];
      }
      double worst_mean = 0, worst_variance = 0;
      for (int b = 0; b < 8; ++b) {
        const double m = sum[b] / count[b];
        worst_mean = std::max(worst_mean, std::abs(m));
        worst_variance = std::max(worst_variance, std::abs(sum2[b] / count[b] - m * m - 0.25));
      }
      if (dither) {
        EXPECT_LT(worst_mean, 0.01) << bits;
        EXPECT_LT(worst_variance, 0.01) << bits;
      } else {
        EXPECT_GT(worst_mean, 0.3) << bits;  // rounding error = -(fraction) or 1 - fraction
        EXPECT_GT(worst_variance, 0.2) << bits;
      }
    }
  }
}

// A -90 dBFS sine (about 1 LSB) at 16 bits, exactly on a bin: with TPDF every harmonic up to
// Nyquist stays in the noise floor and the fundamental keeps its level; undithered, the same
// sine has harmonics more than 20 dB over that floor (the check has teeth).
TEST(DitherStatistics, NoDistortionOnAMinus90DbfsSine) {
  const int rate = 48000, n = 16384, blocks = 16, k0 = 341;  // 999.0 Hz, 23 harmonics below Nyquist
  const double amplitude = std::pow(10.0, -90.0 / 20);
  const std::vector<float> x = sine(static_cast<std::size_t>(n) * blocks, rate, static_cast<double>(k0) * rate / n, amplitude);
  for (bool dither : {true, false}) {
    const auto q = quantize_channel(x, {.dither = dither, .seed = 4}, rate, 2, 0);
    const std::vector<double> y(q.begin(), q.end());
    const std::vector<double> power = averaged_power(y, n, Window::rectangular);
    double floor = 0;
    int floor_bins = 0;
    for (int k = 1; k < n / 2; ++k)
      if (k % k0 != 0) {
        floor += power[k];
        ++floor_bins;
      }
    floor /= floor_bins;
    double worst_harmonic = 0;
    for (int h = 2; h * k0 < n / 2; ++h) worst_harmonic = std::max(worst_harmonic, power[h * k0]);
    const double fundamental = std::sqrt(4 * power[k0] / n) / 32768;  // amplitude, full scale 1
    std::cout << (dither ? "TPDF" : "undithered") << ": floor " << floor << " LSB^2/bin, worst harmonic "
              << db(worst_harmonic / 0.25) << " dB re 1/4 LSB^2, fundamental " << db(fundamental * fundamental)
              << " dBFS\n";
    if (dither) {
      EXPECT_NEAR(floor, 0.25, 0.01);  // white TPDF: 1/4 LSB^2 per bin
      EXPECT_LT(worst_harmonic, 3 * floor) << "harmonic " << db(worst_harmonic / floor) << " dB over the floor";
      EXPECT_NEAR(fundamental / amplitude, 1.0, 0.02);
    } else {
      EXPECT_GT(worst_harmonic, 100 * 0.25) << "undithered harmonics only " << db(worst_harmonic / 0.25)
                                             << " dB over the TPDF floor";
    }
  }
}

// Without shaping the error is white: five bands from 100 Hz to Nyquist within 0.2 dB of
// 1/4 LSB^2 per bin.
TEST(DitherStatistics, UnshapedNoiseIsFlat) {
  const int rate = 48000, n = 4096;
  const std::vector<float> x = slow_signal(1 << 20, rate);
  const auto q = quantize_channel(x, {.seed = 8}, rate, 3, 1);
  const std::vector<double> power = averaged_power(test::total_error(x, q, 16), n, Window::hann);
  for (double lo : {100.0, 5000.0, 10000.0, 15000.0, 20000.0}) {
    const double band = band_mean(power, n, rate, lo, std::min(lo + 5000, 23900.0));
    EXPECT_NEAR(db(band / 0.25), 0.0, 0.2) << "band from " << lo << " Hz";
  }
  EXPECT_NEAR(db(band_mean(power, n, rate, 2000, 5000) / band_mean(power, n, rate, 15000, 24000)), 0.0, 0.2);
}

// With F-weighted shaping the error follows 1/4 |NTF|^2 in every 1 kHz band (within 0.5 dB,
// over 45 dB of range), at 44.1 and 48 kHz, 16 and 24 bits: about 40 dB less in 2-5 kHz than
// above 15 kHz, and more than 10 dB under flat TPDF where the ear is most sensitive.
TEST(DitherStatistics, ShapedNoiseFollowsTheDesignedCurve) {
  const int n = 4096;
  for (int rate : {44100, 48000}) {
    for (int bits : {16, 24}) {
      const kernels::ShapingFilter f = shaping_filter(NoiseShaping::f_weighted, rate);
      const std::vector<float> x = slow_signal(1 << 20, rate);
      QuantizeStats stats;
      const auto q = quantize_channel(x, {.bits = bits, .shaping = NoiseShaping::f_weighted, .seed = 8}, rate, 3, 1,
                                      &stats);
      EXPECT_EQ(stats.clipped, 0);
      const std::vector<double> power = averaged_power(test::total_error(x, q, bits), n, Window::hann);
      for (double lo = 500; lo + 1000 <= rate / 2.0; lo += 1000) {
        const double measured = band_mean(power, n, rate, lo, lo + 1000);
        const double designed = test::designed_band_power(f, n, rate, lo, lo + 1000);
        EXPECT_NEAR(db(measured / designed), 0.0, 0.5) << rate << " Hz, " << bits << "-bit, band " << lo << " Hz";
      }
      const double mid = band_mean(power, n, rate, 2000, 5000), high = band_mean(power, n, rate, 15000, rate / 2.0);
      std::cout << rate << " Hz " << bits << "-bit: 2-5 kHz " << db(mid / 0.25) << " dB, 15 kHz-Nyquist "
                << db(high / 0.25) << " dB (re flat TPDF), total error power " << test::variance(test::total_error(x, q, bits))
                << " LSB^2\n";
      EXPECT_GT(db(high / mid), 30) << rate;
      EXPECT_LT(db(mid / 0.25), -10) << rate;
    }
  }
}

// The largest possible shaped error without clipping: |e| < 1.5 fed back through sum |h_k|.
double shaped_error_bound(const kernels::ShapingFilter& f) {
  double sum = 0;
  for (int k = 0; k < f.taps; ++k) sum += std::abs(f.coeff[k]);
  return f.error_limit * (1 + sum);
}

// Full-scale and 2x-overdriven sines: the output never leaves the clamped input by more than
// the bound (33.6 LSB), clips are counted, and after the overdriven part the noise is shaped
// again. With the error clamp switched off the same input drives the loop far off.
TEST(DitherStatistics, ShapedErrorStaysBoundedWhenClipping) {
  const int rate = 44100, n = 4096;
  const kernels::ShapingFilter f = shaping_filter(NoiseShaping::f_weighted, rate);
  const double bound = shaped_error_bound(f);
  EXPECT_NEAR(bound, 33.58, 0.01);
  std::vector<float> x = sine(static_cast<std::size_t>(rate), rate, 997, 1.0);  // 1 s full scale
  const std::vector<float> hot = sine(static_cast<std::size_t>(rate), rate, 997, 2.0);  // 1 s clipped
  const std::vector<float> quiet = sine(static_cast<std::size_t>(4 * rate), rate, 997, 0.01);  // 4 s at -40 dBFS
  x.insert(x.end(), hot.begin(), hot.end());
  const std::size_t quiet_start = x.size();
  x.insert(x.end(), quiet.begin(), quiet.end());

  const QuantizeSpec spec{.shaping = NoiseShaping::f_weighted, .seed = 21};
  QuantizeStats stats;
  const auto q = quantize_channel(x, spec, rate, 4, 0, &stats);
  auto worst_distance = [&](const std::vector<std::int32_t>& out) {
    double worst = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
      const double target = std::clamp(static_cast<double>(x[i]) * 32768, -32768.0, 32767.0);
      worst = std::max(worst, std::abs(out[i] - target));
    }
    return worst;
  };
  EXPECT_LE(worst_distance(q), bound);
  EXPECT_GT(stats.clipped, rate / 3);      // the 2x sine is over full scale two thirds of the time
  EXPECT_LT(stats.clipped, 2 * rate / 3 + rate / 10);  // plus peaks of the full-scale second

  const std::vector<float> tail(x.begin() + static_cast<std::ptrdiff_t>(quiet_start + rate / 10), x.end());
  const std::vector<std::int32_t> tail_q(q.begin() + static_cast<std::ptrdiff_t>(quiet_start + rate / 10), q.end());
  const std::vector<double> power = averaged_power(test::total_error(tail, tail_q, 16), n, Window::hann);
  const double mid = band_mean(power, n, rate, 2000, 5000);
  EXPECT_NEAR(db(mid / test::designed_band_power(f, n, rate, 2000, 5000)), 0.0, 0.5);

  kernels::ShapingFilter unclamped = f;
  unclamped.error_limit = 1e30;
  std::vector<std::int32_t> loose(x.size());
  const kernels::QuantizeParams params = quantize_params(spec, 4, 0);
  kernels::quantize_shaped(params, unclamped, x.data(), static_cast<std::int64_t>(x.size()), loose.data());
  EXPECT_GT(worst_distance(loose), 1000);
}

// Noise of different channels, tracks and seeds is uncorrelated (|r| < 5 / sqrt(N)), at lag 0
// and at small lags, including the swap of seed and track key.
TEST(DitherStatistics, StreamsAreUncorrelated) {
  const int rate = 48000;
  const std::size_t frames = 1 << 18;
  const std::vector<float> x = slow_signal(frames, rate);
  auto error = [&](std::uint64_t seed, std::uint64_t track, int channel, NoiseShaping shaping) {
    const auto q = quantize_channel(x, {.shaping = shaping, .seed = seed}, rate, track, channel);
    return test::total_error(x, q, 16);
  };
  const double limit = 5 / std::sqrt(static_cast<double>(frames));
  for (NoiseShaping shaping : {NoiseShaping::none, NoiseShaping::f_weighted}) {
    const std::vector<double> base = error(1, 7, 0, shaping);
    const std::vector<std::vector<double>> others = {error(1, 7, 1, shaping), error(1, 8, 0, shaping),
                                                     error(2, 7, 0, shaping), error(7, 1, 0, shaping)};
    for (std::size_t o = 0; o < others.size(); ++o)
      for (int lag : {0, 1, 2, 3}) {
        const std::span<const double> a(base.data() + lag, frames - 3);
        const std::span<const double> b(others[o].data(), frames - 3);
        EXPECT_LT(std::abs(test::correlation(a, b)), limit) << "other " << o << ", lag " << lag;
      }
  }
}

}  // namespace
}  // namespace gloss
