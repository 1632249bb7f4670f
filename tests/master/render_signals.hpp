// Tracks for the render-chain identity tests (CPU golden hashes, CPU vs CUDA stages):
// adversarial material for the limiter, SRC and quantizer, and music-like programme. Built
// only from integer noise and detmath::sin, so the inputs are the same bits on every libm
// and the pinned hashes hold on every machine.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "detmath.hpp"
#include "gloss/audio.hpp"

namespace gloss::test::render {

inline AudioTrack planar(int rate, int channels, std::int64_t frames, const std::string& name) {
  AudioTrack t;
  t.name = name;
  t.sample_rate = rate;
  t.channels = channels;
  t.frames = frames;
  t.samples.assign(static_cast<std::size_t>(channels) * static_cast<std::size_t>(frames), 0.0f);
  t.layout = channels == 2 ? std::vector{ChannelRole::Left, ChannelRole::Right}
                           : std::vector<ChannelRole>(static_cast<std::size_t>(channels), ChannelRole::Center);
  return t;
}

// Uniform in [-1, 1) from a 64-bit LCG (exact: an integer scaled by a power of two).
inline double uniform(std::uint64_t& state) {
  state = state * 6364136223846793005ull + 1442695040888963407ull;
  return static_cast<double>(static_cast<std::int64_t>(state >> 11) - (std::int64_t{1} << 52)) * 0x1p-52;
}

inline double sine_at(double hz, std::int64_t n, int rate, double phase) {
  return detmath::sin(2 * detmath::pi * hz * static_cast<double>(n) / rate + phase);
}

// Full-scale square wave: every edge rings over full scale after interpolation and SRC.
inline AudioTrack square(int rate, double seconds, double hz) {
  auto t = planar(rate, 2, static_cast<std::int64_t>(seconds * rate), "square");
  for (std::int64_t n = 0; n < t.frames; ++n) {
    const double phase = static_cast<double>(n) * hz / rate;
    const float v = phase - static_cast<double>(static_cast<std::int64_t>(phase)) < 0.5 ? 1.0f : -1.0f;
    t.samples[static_cast<std::size_t>(n)] = v;
    t.samples[static_cast<std::size_t>(t.frames + n)] = v;
  }
  return t;
}

// fs/4 at 45 degrees: the samples sit at 0.707 of the true peak.
inline AudioTrack quarter_rate_sine(int rate, double seconds) {
  auto t = planar(rate, 2, static_cast<std::int64_t>(seconds * rate), "fs/4 sine at 45 degrees");
  for (std::int64_t n = 0; n < t.frames; ++n) {
    const auto v = static_cast<float>(detmath::sin(detmath::pi / 2 * static_cast<double>(n % 4) + detmath::pi / 4));
    t.samples[static_cast<std::size_t>(n)] = v;
    t.samples[static_cast<std::size_t>(t.frames + n)] = -v;
  }
  return t;
}

// Music-like: three partials, a slow envelope and coloured noise, different per channel.
inline AudioTrack programme(int rate, int channels, double seconds, std::uint64_t seed) {
  auto t = planar(rate, channels, static_cast<std::int64_t>(seconds * rate), "programme");
  std::uint64_t state = seed;
  const double f1 = 80 + 40 * (uniform(state) + 1), f2 = 440 + 200 * (uniform(state) + 1),
               f3 = 3000 + 2000 * (uniform(state) + 1);
  for (int c = 0; c < channels; ++c) {
    double low = 0;
    auto out = t.channel(c);
    for (std::int64_t n = 0; n < t.frames; ++n) {
      const double envelope = 0.25 + 0.2 * sine_at(0.13, n, rate, c);
      low = 0.98 * low + 0.02 * uniform(state);
      const double v = envelope * (0.5 * sine_at(f1, n, rate, 0) + 0.3 * sine_at(f2, n, rate, c) +
                                   0.1 * sine_at(f3, n, rate, 0) + 0.1 * uniform(state) + 2 * low);
      out[static_cast<std::size_t>(n)] = static_cast<float>(v);
    }
  }
  return t;
}

// A brickwalled master: programme driven 18 dB into a hard clip.
inline AudioTrack clipped_master(int rate, double seconds) {
  auto t = programme(rate, 2, seconds, 21);
  for (float& v : t.samples) v = std::clamp(v * 8.0f, -1.0f, 1.0f);
  t.name = "clipped master";
  return t;
}

// Lone full-scale impulses at the very start, inside, and at the very end.
inline AudioTrack impulses(int rate, double seconds) {
  auto t = planar(rate, 2, static_cast<std::int64_t>(seconds * rate), "isolated impulses");
  // In tracks shorter than a third of a second the rate / 3 impulse lands in the second
  // channel (as the golden hashes were pinned) and its mirror would fall past the buffer:
  // that write is skipped (found by ASan).
  auto set = [&t](std::int64_t at, float v) {
    if (at >= 0 && static_cast<std::size_t>(at) < t.samples.size()) t.samples[static_cast<std::size_t>(at)] = v;
  };
  for (const std::int64_t n : {std::int64_t{0}, std::int64_t{rate / 3}, t.frames / 2, t.frames - 1}) {
    set(n, 1.0f);
    set(t.frames + n, -1.0f);
  }
  return t;
}

// White noise 6 dB over full scale (float input), three channels.
inline AudioTrack hot_noise(int rate, double seconds) {
  auto t = planar(rate, 3, static_cast<std::int64_t>(seconds * rate), "noise at +6 dBFS, 3 channels");
  std::uint64_t state = 5;
  for (float& v : t.samples) v = static_cast<float>(2.0 * uniform(state));
  return t;
}

// Shorter than the look-ahead and the interpolator: every kernel runs only its edge paths.
inline AudioTrack tiny(int rate) {
  auto t = planar(rate, 1, 7, "7 frames, mono");
  for (std::int64_t n = 0; n < t.frames; ++n) t.samples[static_cast<std::size_t>(n)] = n % 2 ? 0.99f : -0.99f;
  return t;
}

inline std::vector<AudioTrack> render_cases(int rate, double seconds) {
  return {square(rate, seconds, 997),  quarter_rate_sine(rate, seconds), clipped_master(rate, seconds),
          impulses(rate, seconds),     hot_noise(rate, seconds),         programme(rate, 2, seconds, 4),
          programme(rate, 6, seconds / 2, 9), tiny(rate)};
}

}  // namespace gloss::test::render
