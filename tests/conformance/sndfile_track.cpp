#include "sndfile_track.hpp"

#include <sndfile.h>

#include <memory>
#include <stdexcept>
#include <vector>

namespace gloss::test {

AudioTrack read_sound_file(const std::filesystem::path& path) {
  SF_INFO info{};
  SNDFILE* raw = sf_open(path.c_str(), SFM_READ, &info);
  if (raw == nullptr)
    throw std::runtime_error("cannot open " + path.string() + ": " + sf_strerror(nullptr));
  const std::unique_ptr<SNDFILE, int (*)(SNDFILE*)> file(raw, sf_close);
  // Float reads are never clipped by default (SFC_SET_CLIPPING is off); make it explicit.
  sf_command(raw, SFC_SET_CLIPPING, nullptr, SF_FALSE);
  std::vector<float> interleaved;
  std::vector<float> chunk(static_cast<std::size_t>(65536 * info.channels));
  for (;;) {
    const sf_count_t got = sf_readf_float(raw, chunk.data(), 65536);
    if (got <= 0) break;
    interleaved.insert(interleaved.end(), chunk.begin(), chunk.begin() + got * info.channels);
  }
  if (sf_error(raw) != SF_ERR_NO_ERROR)
    throw std::runtime_error("error reading " + path.string() + ": " + sf_strerror(raw));
  return make_track_from_interleaved(interleaved, info.channels, info.samplerate, path.filename().string());
}

}  // namespace gloss::test
