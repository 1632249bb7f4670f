// Filters, signals and the direct integer convolution the exact FFT path is checked against.
// Shared by the CPU and GPU convolution tests and the convolution benchmark.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "exact_convolution.hpp"
#include "gloss/audio.hpp"

namespace gloss::test {

// An EQ-like linear-phase FIR: a Blackman-windowed low-pass at `cutoff` (fraction of the
// rate) mixed with the unit impulse, i.e. a broad low shelf of about +6 dB. Symmetric, odd.
inline std::vector<double> eq_like_fir(int taps, double cutoff = 0.05) {
  std::vector<double> h(static_cast<std::size_t>(taps), 0.0);
  const int mid = (taps - 1) / 2;
  const double pi = 3.14159265358979323846;
  for (int k = 0; k < taps; ++k) {
    const double t = k - mid;
    const double sinc = t == 0 ? 2 * cutoff : std::sin(2 * pi * cutoff * t) / (pi * t);
    const double phase = taps == 1 ? 0.0 : 2 * pi * k / (taps - 1);
    const double window = 0.42 - 0.5 * std::cos(phase) + 0.08 * std::cos(2 * phase);
    h[static_cast<std::size_t>(k)] = sinc * window;
  }
  h[static_cast<std::size_t>(mid)] += 1.0;
  return h;
}

// Full-scale random taps in [-amplitude, amplitude]: the worst case for the tap limbs.
inline std::vector<double> random_fir(int taps, std::uint64_t seed, double amplitude = 0.5) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(-amplitude, amplitude);
  std::vector<double> h(static_cast<std::size_t>(taps));
  for (double& v : h) v = u(rng);
  return h;
}

inline AudioTrack planar_track(int channels, std::int64_t frames, int rate, const char* name = "test") {
  AudioTrack t;
  t.name = name;
  t.sample_rate = rate;
  t.channels = channels;
  t.frames = frames;
  t.samples.assign(static_cast<std::size_t>(channels * frames), 0.0f);
  return t;
}

// Uniform random floats in [-amplitude, amplitude] (full float mantissas: most are not on the
// 2^-24 grid, so quantisation is exercised too).
inline AudioTrack random_track(int channels, std::int64_t frames, std::uint64_t seed, float amplitude = 1.0f,
                               int rate = 48000) {
  AudioTrack t = planar_track(channels, frames, rate);
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<float> u(-amplitude, amplitude);
  for (float& v : t.samples) v = u(rng);
  return t;
}

// The definition: y[n] = sum_k h_q[k] x_q[n + D - k] in 128-bit integers, zero outside the
// track, requantised by the same rule as the FFT path.
inline std::vector<float> direct_convolution(const ExactFir& fir, const AudioTrack& track, int c) {
  const std::vector<std::int32_t> x = quantize_channel(track, c);
  const auto h = fir.quantized_taps();
  const std::int64_t m = fir.taps();
  const std::int64_t d = (m - 1) / 2;
  const std::int64_t frames = track.frames;
  std::vector<float> out(static_cast<std::size_t>(frames));
  for (std::int64_t n = 0; n < frames; ++n) {
    const std::int64_t k0 = std::max<std::int64_t>(0, n + d - (frames - 1));
    const std::int64_t k1 = std::min<std::int64_t>(m - 1, n + d);
    kernels::ExactInt acc = 0;
    for (std::int64_t k = k0; k <= k1; ++k)
      acc += static_cast<kernels::ExactInt>(h[static_cast<std::size_t>(k)]) * x[static_cast<std::size_t>(n + d - k)];
    out[static_cast<std::size_t>(n)] = kernels::requantize(acc, fir.shape().tap_fraction_bits);
  }
  return out;
}

}  // namespace gloss::test
