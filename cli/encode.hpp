// Writing mastered files with libsndfile: WAV, FLAC or AIFF at 16/24-bit integer or 32-bit
// float, with the input's text tags (title, artist, album, ... : what libsndfile carries).
// A file is written under a temporary name in its destination folder, flushed and renamed,
// so it appears complete or not at all.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "gloss/audio.hpp"

namespace gloss::cli {

// What the master keeps from its input when the preset and flags do not say otherwise.
struct SourceInfo {
  std::string format = "wav";  // wav, flac or aiff (lossy and other inputs: flac)
  int bits = 24;               // 16, 24, or 32 (float input: 32; lossy: 24)
  std::map<int, std::string> tags;  // libsndfile SF_STR_* id -> text
};

// Reads the container, sample format and tags of an audio file (never throws; unknown parts
// take the defaults above).
SourceInfo read_source_info(const std::filesystem::path& path);

// The file name extension for a format ("wav" -> ".wav", "aiff" -> ".aif").
std::string extension_for(const std::string& format);

// Why `format` cannot carry `bits` ("" when it can): FLAC has no float samples.
std::string check_format(const std::string& format, int bits);

// Writes planar integer codes (16/24-bit; pcm, channel after channel) or, for bits 32, the
// float samples of `track`, to `destination` atomically. Empty on success, else a message
// naming the file; nothing is left behind on failure.
std::string write_audio_file(const std::filesystem::path& destination, const std::string& format, int bits,
                             const AudioTrack& track, const std::vector<std::int32_t>& pcm,
                             const std::map<int, std::string>& tags);

}  // namespace gloss::cli
