// Deterministic signal generators for `gloss selftest` and `gloss demo`. Identity between
// backends does not depend on libm here: every backend measures the same buffer.
#pragma once

#include <cstdint>

#include "gloss/audio.hpp"

namespace gloss::cli {

// A sine of peak amplitude `amplitude` on every channel.
AudioTrack make_sine(int sample_rate, int channels, double seconds, double frequency_hz, double amplitude);

// Uniform white noise in [-amplitude, amplitude], independent per channel, from `seed`.
AudioTrack make_noise(int sample_rate, int channels, double seconds, double amplitude, std::uint64_t seed);

// Music-like material: a chord progression with harmonics, a bass line, noise-burst drums
// and a slow dynamic envelope; `density` in 0..1 thins it out for a ballad. Peaks near
// `amplitude`; different per channel, reproducible from `seed`.
AudioTrack make_music(int sample_rate, int channels, double seconds, double amplitude, double density,
                      std::uint64_t seed);

// Multiplies every sample by `gain`.
void scale(AudioTrack& track, double gain);

}  // namespace gloss::cli
