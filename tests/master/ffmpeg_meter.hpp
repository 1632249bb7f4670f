// The second oracle for the ceiling guarantee: FFmpeg's ebur128 filter (peak=true), fed a
// float WAV of the track. Its per-frame metadata gives the running true peak as a linear
// value with three decimals.
#pragma once

#include <filesystem>
#include <optional>

#include "gloss/audio.hpp"

namespace gloss::test {

// Whether an `ffmpeg` program is on PATH.
bool have_ffmpeg();

// FFmpeg's true peak of the track (linear, rounded to 0.001 by FFmpeg), written to a float
// WAV in `scratch`. Throws std::runtime_error when ffmpeg fails.
double ffmpeg_true_peak(const AudioTrack& track, const std::filesystem::path& scratch);

// Writes planar `track` as a 32-bit float WAV.
void write_float_wav(const AudioTrack& track, const std::filesystem::path& path);

}  // namespace gloss::test
