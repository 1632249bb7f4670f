#include "signals.hpp"

#include <array>
#include <cmath>
#include <numbers>

namespace gloss::cli {

namespace {

constexpr double kTwoPi = 2 * std::numbers::pi;

AudioTrack silent_track(int sample_rate, int channels, double seconds) {
  AudioTrack t;
  t.sample_rate = sample_rate;
  t.channels = channels;
  t.frames = static_cast<std::int64_t>(std::llround(seconds * sample_rate));
  t.samples.assign(static_cast<std::size_t>(t.frames) * static_cast<std::size_t>(channels), 0.0f);
  t.layout = default_layout(channels);
  return t;
}

// SplitMix64: tiny, reproducible, good enough for test noise.
struct Random {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  double uniform() { return static_cast<double>(next() >> 11) * (2.0 / 9007199254740992.0) - 1.0; }  // [-1, 1)
};

// Root frequencies of a I-vi-IV-V progression in A (Hz), one chord every two seconds.
constexpr std::array<double, 4> kChordRoots = {220.0, 184.997, 146.832, 164.814};

double chord(double time, double root) {
  double v = 0;
  for (const double ratio : {1.0, 1.25992, 1.49831}) {  // root, major third, fifth
    const double f = root * ratio;
    v += std::sin(kTwoPi * f * time) + 0.35 * std::sin(kTwoPi * 2 * f * time) + 0.15 * std::sin(kTwoPi * 3 * f * time);
  }
  return v / 4.5;
}

// A decaying noise burst on every beat (120 bpm) and a kick-like sine sweep.
double drums(double time, Random& random) {
  const double beat = std::fmod(time, 0.5);
  const double snare = std::exp(-beat * 30) * random.uniform();
  const double kick = std::exp(-beat * 18) * std::sin(kTwoPi * (50 + 80 * std::exp(-beat * 40)) * beat);
  return 0.5 * snare + 0.8 * kick;
}

}  // namespace

AudioTrack make_sine(int sample_rate, int channels, double seconds, double frequency_hz, double amplitude) {
  AudioTrack t = silent_track(sample_rate, channels, seconds);
  for (std::int64_t i = 0; i < t.frames; ++i) {
    const auto v = static_cast<float>(amplitude * std::sin(kTwoPi * frequency_hz * static_cast<double>(i) / sample_rate));
    for (int c = 0; c < channels; ++c) t.channel(c)[static_cast<std::size_t>(i)] = v;
  }
  return t;
}

AudioTrack make_noise(int sample_rate, int channels, double seconds, double amplitude, std::uint64_t seed) {
  AudioTrack t = silent_track(sample_rate, channels, seconds);
  Random random{seed};
  for (int c = 0; c < channels; ++c)
    for (float& s : t.channel(c)) s = static_cast<float>(amplitude * random.uniform());
  return t;
}

AudioTrack make_music(int sample_rate, int channels, double seconds, double amplitude, double density,
                      std::uint64_t seed) {
  AudioTrack t = silent_track(sample_rate, channels, seconds);
  for (int c = 0; c < channels; ++c) {
    Random random{seed + static_cast<std::uint64_t>(c) * 7919};
    const double pan = 1.0 - 0.15 * c;  // channels differ a little, like a real mix
    for (std::int64_t i = 0; i < t.frames; ++i) {
      const double time = static_cast<double>(i) / sample_rate;
      const double root = kChordRoots[static_cast<std::size_t>(time / 2) % kChordRoots.size()];
      const double envelope = 0.7 + 0.3 * std::sin(kTwoPi * 0.07 * time + c);
      const double bass = std::sin(kTwoPi * root / 2 * time);
      const double v = envelope * (0.45 * pan * chord(time, root) + 0.3 * density * bass +
                                   0.35 * density * drums(time, random) + 0.02 * random.uniform());
      t.channel(c)[static_cast<std::size_t>(i)] = static_cast<float>(amplitude * v);
    }
  }
  return t;
}

void scale(AudioTrack& track, double gain) {
  for (float& s : track.samples) s = static_cast<float>(s * gain);
}

}  // namespace gloss::cli
