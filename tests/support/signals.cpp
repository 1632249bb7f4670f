#include "support/signals.hpp"

#include <cmath>
#include <numbers>

namespace gloss::test {

namespace {

AudioTrack empty_track(int sample_rate, int channels, std::int64_t frames) {
  AudioTrack t;
  t.sample_rate = sample_rate;
  t.channels = channels;
  t.frames = frames;
  t.samples.assign(static_cast<std::size_t>(frames * channels), 0.0f);
  t.layout = default_layout(channels);
  return t;
}

double amplitude(double dbfs) { return dbfs == kSilence ? 0.0 : std::pow(10.0, dbfs / 20.0); }

std::int64_t frames_for(double seconds, int rate) { return std::llround(seconds * rate); }

// SplitMix64: a small reproducible generator for test noise.
std::uint64_t split_mix(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

double uniform(std::uint64_t& state) {
  return static_cast<double>(split_mix(state) >> 11) * (2.0 / 9007199254740992.0) - 1.0;
}

}  // namespace

AudioTrack tone_sequence(int sample_rate, int channels, double frequency_hz, const std::vector<Segment>& segments) {
  std::int64_t total = 0;
  for (const Segment& s : segments) total += frames_for(s.seconds, sample_rate);
  AudioTrack t = empty_track(sample_rate, channels, total);
  std::int64_t i = 0;
  for (const Segment& s : segments) {
    const double a = amplitude(s.dbfs);
    const std::int64_t n = frames_for(s.seconds, sample_rate);
    for (std::int64_t k = 0; k < n; ++k, ++i) {
      const double v = a * std::sin(2 * std::numbers::pi * frequency_hz * static_cast<double>(i) / sample_rate);
      for (int c = 0; c < channels; ++c) t.channel(c)[static_cast<std::size_t>(i)] = static_cast<float>(v);
    }
  }
  return t;
}

AudioTrack multichannel_tone(int sample_rate, double frequency_hz, double seconds, const std::vector<double>& channel_dbfs) {
  const int channels = static_cast<int>(channel_dbfs.size());
  AudioTrack t = empty_track(sample_rate, channels, frames_for(seconds, sample_rate));
  for (int c = 0; c < channels; ++c) {
    const double a = amplitude(channel_dbfs[static_cast<std::size_t>(c)]);
    for (std::int64_t i = 0; i < t.frames; ++i)
      t.channel(c)[static_cast<std::size_t>(i)] =
          static_cast<float>(a * std::sin(2 * std::numbers::pi * frequency_hz * static_cast<double>(i) / sample_rate));
  }
  return t;
}

AudioTrack sine(int sample_rate, int channels, double frequency_hz, double amp, double seconds, double phase_degrees,
                double fade_seconds) {
  AudioTrack t = empty_track(sample_rate, channels, frames_for(seconds, sample_rate));
  const double phase = phase_degrees * std::numbers::pi / 180.0;
  const double fade = fade_seconds * sample_rate;
  for (std::int64_t i = 0; i < t.frames; ++i) {
    double g = 1.0;
    if (fade > 0) {
      g = std::min(1.0, std::min(static_cast<double>(i) / fade, static_cast<double>(t.frames - 1 - i) / fade));
    }
    const double v = g * amp * std::sin(2 * std::numbers::pi * frequency_hz * static_cast<double>(i) / sample_rate + phase);
    for (int c = 0; c < channels; ++c) t.channel(c)[static_cast<std::size_t>(i)] = static_cast<float>(v);
  }
  return t;
}

AudioTrack noise(int sample_rate, int channels, double seconds, double amp, std::uint64_t seed) {
  AudioTrack t = empty_track(sample_rate, channels, frames_for(seconds, sample_rate));
  std::uint64_t state = seed;
  for (int c = 0; c < channels; ++c)
    for (float& s : t.channel(c)) s = static_cast<float>(amp * uniform(state));
  return t;
}

AudioTrack programme(int sample_rate, int channels, double seconds, std::uint64_t seed) {
  AudioTrack t = empty_track(sample_rate, channels, frames_for(seconds, sample_rate));
  std::uint64_t state = seed;
  const double f1 = 80 + 40 * (uniform(state) + 1), f2 = 440 + 200 * (uniform(state) + 1), f3 = 3000 + 2000 * (uniform(state) + 1);
  for (int c = 0; c < channels; ++c) {
    double low = 0;
    for (std::int64_t i = 0; i < t.frames; ++i) {
      const double time = static_cast<double>(i) / sample_rate;
      const double envelope = 0.25 + 0.2 * std::sin(2 * std::numbers::pi * 0.13 * time + c);
      low = 0.98 * low + 0.02 * uniform(state);
      const double v = envelope * (0.5 * std::sin(2 * std::numbers::pi * f1 * time) +
                                   0.3 * std::sin(2 * std::numbers::pi * f2 * time + c) +
                                   0.1 * std::sin(2 * std::numbers::pi * f3 * time) + 0.1 * uniform(state) + 2 * low);
      t.channel(c)[static_cast<std::size_t>(i)] = static_cast<float>(v);
    }
  }
  return t;
}

std::vector<NamedTrack> identity_cases() {
  std::vector<NamedTrack> out;
  out.push_back({"programme 44.1k stereo 25 s (3 tiles)", programme(44100, 2, 25, 1)});
  out.push_back({"programme 48k 5.1 12 s", programme(48000, 6, 12, 2)});
  out.push_back({"programme 96k mono 11 s", programme(96000, 1, 11, 3)});
  out.push_back({"programme 48k 3 channels 4 s", programme(48000, 3, 4, 7)});
  out.push_back({"programme 32k 7.1 11 s", programme(32000, 8, 11, 8)});
  out.push_back({"noise 22.05k stereo 10.37 s", noise(22050, 2, 10.37, 0.9, 4)});
  out.push_back({"programme 192k stereo 3 s", programme(192000, 2, 3, 6)});
  out.push_back({"sine 12 kHz 1.41 FFS 45 deg 48k", sine(48000, 2, 12000, 1.41, 3, 45, 0.01)});
  out.push_back({"empty stereo", programme(48000, 2, 0, 9)});
  out.push_back({"30 samples (shorter than the interpolator)", programme(44100, 2, 30.0 / 44100, 10)});
  out.push_back({"10 s + 50 samples (last tile has no complete sub-block)", programme(48000, 2, 10 + 50.0 / 48000, 11)});
  // Full-scale square wave with long flat tops, clipped across both tile boundaries.
  AudioTrack square = programme(44100, 2, 21, 12);
  for (int c = 0; c < 2; ++c) {
    std::span<float> x = square.channel(c);
    for (std::size_t i = 440000; i < 442000; ++i) x[i] = 1.0f;     // crosses 10 s (441000)
    for (std::size_t i = 881990; i < 882010; ++i) x[i] = -1.0f;    // crosses 20 s (882000)
    for (std::size_t i = 100; i < 103; ++i) x[i] = 1.0f;           // exactly the minimum run
  }
  out.push_back({"clipped runs across tile boundaries 44.1k", std::move(square)});
  return out;
}

AudioTrack concatenate(const std::vector<AudioTrack>& parts) {
  std::int64_t total = 0;
  for (const AudioTrack& p : parts) total += p.frames;
  AudioTrack t = empty_track(parts.front().sample_rate, parts.front().channels, total);
  std::int64_t at = 0;
  for (const AudioTrack& p : parts) {
    for (int c = 0; c < t.channels; ++c)
      std::copy(p.channel(c).begin(), p.channel(c).end(), t.channel(c).begin() + at);
    at += p.frames;
  }
  return t;
}

}  // namespace gloss::test
