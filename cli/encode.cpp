#include "encode.hpp"

#include "atomic_file.hpp"

#include <fcntl.h>
#include <sndfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fmt/format.h>

namespace gloss::cli {

namespace fs = std::filesystem;

namespace {

constexpr int kTagIds[] = {SF_STR_TITLE,   SF_STR_COPYRIGHT, SF_STR_SOFTWARE, SF_STR_ARTIST, SF_STR_COMMENT,
                           SF_STR_DATE,    SF_STR_ALBUM,     SF_STR_LICENSE,  SF_STR_TRACKNUMBER,
                           SF_STR_GENRE};

int container(const std::string& format) {
  if (format == "flac") return SF_FORMAT_FLAC;
  if (format == "aiff") return SF_FORMAT_AIFF;
  return SF_FORMAT_WAV;
}

int subtype(int bits) {
  if (bits == 16) return SF_FORMAT_PCM_16;
  if (bits == 24) return SF_FORMAT_PCM_24;
  return SF_FORMAT_FLOAT;
}

// Interleaved frames for libsndfile: integer codes left-justified in 32 bits (sf_writef_int's
// full scale), or the floats as they are.
bool write_frames(SNDFILE* file, int bits, const AudioTrack& track, const std::vector<std::int32_t>& pcm) {
  const auto channels = static_cast<std::size_t>(track.channels);
  const auto frames = static_cast<std::size_t>(track.frames);
  if (bits == 32) {
    std::vector<float> interleaved(channels * frames);
    for (std::size_t c = 0; c < channels; ++c)
      for (std::size_t n = 0; n < frames; ++n) interleaved[n * channels + c] = track.samples[c * frames + n];
    return sf_writef_float(file, interleaved.data(), track.frames) == track.frames;
  }
  std::vector<int> interleaved(channels * frames);
  const int shift = 32 - bits;
  for (std::size_t c = 0; c < channels; ++c)
    for (std::size_t n = 0; n < frames; ++n)
      interleaved[n * channels + c] = static_cast<int>(static_cast<std::uint32_t>(pcm[c * frames + n]) << shift);
  return sf_writef_int(file, interleaved.data(), track.frames) == track.frames;
}

// libsndfile's text for a failed write, as the rest of a message: "System error : File too
// large." becomes "File too large".
std::string write_error_text(SNDFILE* file) {
  std::string text = sf_strerror(file);
  if (const std::string prefix = "System error : "; text.starts_with(prefix)) text.erase(0, prefix.size());
  while (!text.empty() && (text.back() == '.' || text.back() == ' ')) text.pop_back();
  return text;
}

}  // namespace

SourceInfo read_source_info(const fs::path& path) {
  SourceInfo info;
  SF_INFO sf{};
  SNDFILE* file = sf_open(path.c_str(), SFM_READ, &sf);
  if (file == nullptr) return info;
  const int major = sf.format & SF_FORMAT_TYPEMASK, sub = sf.format & SF_FORMAT_SUBMASK;
  info.format = major == SF_FORMAT_WAV || major == SF_FORMAT_WAVEX || major == SF_FORMAT_RF64 ? "wav"
                : major == SF_FORMAT_AIFF                                                    ? "aiff"
                                                                                             : "flac";
  switch (sub) {
    case SF_FORMAT_PCM_S8:
    case SF_FORMAT_PCM_U8:
    case SF_FORMAT_PCM_16: info.bits = 16; break;
    case SF_FORMAT_FLOAT:
    case SF_FORMAT_DOUBLE: info.bits = 32; break;
    default: info.bits = 24; break;  // 24/32-bit PCM and lossy sources
  }
  if (info.format == "flac" && info.bits == 32) info.bits = 24;
  for (int id : kTagIds)
    if (const char* text = sf_get_string(file, id); text != nullptr && *text != '\0') info.tags[id] = text;
  sf_close(file);
  return info;
}

std::string extension_for(const std::string& format) {
  if (format == "aiff") return ".aif";
  return "." + format;
}

std::string check_format(const std::string& format, int bits) {
  if (format == "flac" && bits == 32) return "FLAC cannot hold 32-bit float samples: use --bits 24 or --format wav";
  return {};
}

std::string write_audio_file(const fs::path& destination, const std::string& format, int bits, const AudioTrack& track,
                             const std::vector<std::int32_t>& pcm, const std::map<int, std::string>& tags) {
  if (std::string why = check_format(format, bits); !why.empty()) return destination.string() + ": " + why;
  TempFile temp;
  if (std::string why = open_temp_beside(destination, temp); !why.empty()) return why;
  auto fail = [&](const std::string& why) {
    discard_temp(temp);
    return fmt::format("{}: cannot write: {}; nothing was written there", destination.string(), why);
  };
  SF_INFO info{};
  info.samplerate = track.sample_rate;
  info.channels = track.channels;
  info.format = container(format) | subtype(bits);
  SNDFILE* file = sf_open_fd(temp.fd, SFM_WRITE, &info, SF_FALSE);
  if (file == nullptr) return fail(sf_strerror(nullptr));
  // libsndfile's PEAK chunk (float files) records the time of writing: without it the same
  // input and settings give the same bytes on every run, machine and shard.
  sf_command(file, SFC_SET_ADD_PEAK_CHUNK, nullptr, SF_FALSE);
  for (const auto& [id, text] : tags) sf_set_string(file, id, text.c_str());
  const bool written = write_frames(file, bits, track, pcm);
  const std::string sf_error = written ? "" : write_error_text(file);
  if (sf_close(file) != 0 || !written) return fail(sf_error.empty() ? "libsndfile could not finish the file" : sf_error);
  if (std::string why = commit_temp(temp, destination); !why.empty()) return why + "; nothing was written there";
  return {};
}

}  // namespace gloss::cli
