// Test signals, generated from their definitions (EBU Tech 3341/3342 and friends), so the
// conformance cases always run, with or without the official files.
#pragma once

#include <cstdint>
#include <string>
#include <limits>
#include <vector>

#include "gloss/audio.hpp"

namespace gloss::test {

inline constexpr double kSilence = -std::numeric_limits<double>::infinity();

// A stretch of a sine at a per-channel peak level in dBFS (kSilence for silence).
struct Segment {
  double seconds;
  double dbfs;
};

// Consecutive segments of one phase-continuous sine, the same on every channel (in phase).
AudioTrack tone_sequence(int sample_rate, int channels, double frequency_hz, const std::vector<Segment>& segments);

// A sine with a per-channel level in dBFS (channel c gets channel_dbfs[c]).
AudioTrack multichannel_tone(int sample_rate, double frequency_hz, double seconds,
                             const std::vector<double>& channel_dbfs);

// A sine of linear amplitude with a start phase in degrees, with linear fades at both ends.
AudioTrack sine(int sample_rate, int channels, double frequency_hz, double amplitude, double seconds,
                double phase_degrees = 0, double fade_seconds = 0);

// Uniform white noise in [-amplitude, amplitude], different per channel, reproducible.
AudioTrack noise(int sample_rate, int channels, double seconds, double amplitude, std::uint64_t seed);

// Music-like test material: a few sines and noise with a slow loudness envelope.
AudioTrack programme(int sample_rate, int channels, double seconds, std::uint64_t seed);

// Tracks that exercise every path of the kernels, for the bit-identity tests: every channel
// count form (1, 2, 6 and the generic path: 3, 8), all true-peak rate classes, an empty
// track, tracks shorter than the interpolator and than a sub-block, a last tile without a
// complete sub-block, and clipped runs crossing tile boundaries.
struct NamedTrack {
  std::string name;
  AudioTrack track;
};
std::vector<NamedTrack> identity_cases();

// The tracks concatenated (same rate and channel count).
AudioTrack concatenate(const std::vector<AudioTrack>& parts);

}  // namespace gloss::test
