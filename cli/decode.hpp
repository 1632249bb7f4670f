// Decoding audio files into gloss::AudioTrack with libsndfile.
//
// Bad input is a value, not an exit: every failure comes back as a message that names the
// file, says what is wrong and what to do, so one broken file never stops a catalog run.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "gloss/audio.hpp"
#include "source_format.hpp"

namespace gloss::cli {

struct DecodeResult {
  std::optional<AudioTrack> track;  // set on success
  std::string error;                // set on failure: "<file>: <what is wrong>; <what to do>"
  SourceFormat format = {};         // container and sample format, on success

  bool ok() const { return track.has_value(); }
};

// Reads the whole file as planar float32, keeping libsndfile's float normalisation (exact
// for 16/24-bit PCM) and never clipping. `display_name` is how messages and reports name
// the file (the path as the user gave it).
DecodeResult decode_file(const std::filesystem::path& path, const std::string& display_name);

}  // namespace gloss::cli
