// Test-only decoding of audio files into gloss::AudioTrack (planar float, never clipped),
// for the conformance suite (official EBU files) and the oracle suite (real music).
#pragma once

#include <filesystem>
#include <string>

#include "gloss/audio.hpp"

namespace gloss::test {

// Reads every frame of `path` with libsndfile as float (values above full scale are kept),
// with the default channel layout for its channel count. Throws std::runtime_error naming
// the file and libsndfile's message when it cannot be read.
AudioTrack read_sound_file(const std::filesystem::path& path);

}  // namespace gloss::test
