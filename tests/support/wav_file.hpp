// Writing a generated AudioTrack as a WAV file for end-to-end tests (libsndfile).
#pragma once

#include <gtest/gtest.h>
#include <sndfile.h>

#include <cstdint>
#include <filesystem>
#include <vector>

#include "gloss/audio.hpp"

namespace gloss::test {

// Writes `track` times `scale` to `path` (folders created) as WAV with libsndfile's
// `subformat` (SF_FORMAT_PCM_16, SF_FORMAT_PCM_24, SF_FORMAT_FLOAT, ...). Fails the test
// when the file can't be written.
inline void write_wav(const std::filesystem::path& path, const AudioTrack& track, float scale = 1.0f,
                      int subformat = SF_FORMAT_PCM_24) {
  std::filesystem::create_directories(path.parent_path());
  SF_INFO info{};
  info.samplerate = track.sample_rate;
  info.channels = track.channels;
  info.format = SF_FORMAT_WAV | subformat;
  SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
  ASSERT_NE(f, nullptr) << path << ": " << sf_strerror(nullptr);
  std::vector<float> interleaved(track.samples.size());
  for (int c = 0; c < track.channels; ++c)
    for (std::int64_t n = 0; n < track.frames; ++n)
      interleaved[static_cast<std::size_t>(n * track.channels + c)] = scale * track.channel(c)[static_cast<std::size_t>(n)];
  const sf_count_t written = sf_writef_float(f, interleaved.data(), track.frames);
  sf_close(f);
  ASSERT_EQ(written, track.frames) << path;
}

}  // namespace gloss::test
