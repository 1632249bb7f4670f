#include "decode.hpp"

#include <sndfile.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdint>
#include <fmt/format.h>
#include <fstream>
#include <memory>
#include <new>
#include <system_error>
#include <vector>

#include "gloss/meter.hpp"

namespace gloss::cli {

namespace {

struct SndfileCloser {
  void operator()(SNDFILE* f) const { sf_close(f); }
};
using SndfilePtr = std::unique_ptr<SNDFILE, SndfileCloser>;

DecodeResult failure(const std::string& name, const std::string& what, const std::string& remedy) {
  return {std::nullopt, fmt::format("{}: {}; {}", name, what, remedy)};
}

bool is_compressed(int format) {
  switch (format & SF_FORMAT_SUBMASK) {
    case SF_FORMAT_FLAC:
    case SF_FORMAT_VORBIS:
    case SF_FORMAT_OPUS:
    case SF_FORMAT_ALAC_16:
    case SF_FORMAT_ALAC_20:
    case SF_FORMAT_ALAC_24:
    case SF_FORMAT_ALAC_32:
    case SF_FORMAT_MPEG_LAYER_I:
    case SF_FORMAT_MPEG_LAYER_II:
    case SF_FORMAT_MPEG_LAYER_III: return true;
    default: return false;
  }
}

// How many decoded bytes a file of this size can plausibly hold. Lossy and lossless codecs
// compress silence enormously (FLAC constant subframes, low-bitrate Opus), so their bound
// is generous; uncompressed and ADPCM-like formats expand at most ~8x into float32. The
// floor keeps small files from ever being refused. A header claiming more is lying, and we
// refuse it before allocating.
std::uintmax_t max_plausible_bytes(std::uintmax_t file_size, int format) {
  constexpr std::uintmax_t kFloor = 256ull << 20;
  const std::uintmax_t ratio = is_compressed(format) ? 16384 : 64;
  return std::max(kFloor, file_size * ratio);
}

// The most memory this process can get: physical RAM, lowered by a cgroup (container) limit
// and by ulimit -d / -v. gloss decodes whole tracks, so a track larger than this can only
// end in an allocation failure or the OOM killer; it is refused before anything is read.
std::uint64_t usable_memory_bytes() {
  const long pages = ::sysconf(_SC_PHYS_PAGES), page = ::sysconf(_SC_PAGESIZE);
  std::uint64_t limit = pages > 0 && page > 0 ? static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page)
                                              : UINT64_MAX;
  for (int resource : {RLIMIT_AS, RLIMIT_DATA}) {
    rlimit r{};
    if (::getrlimit(resource, &r) == 0 && r.rlim_cur != RLIM_INFINITY)
      limit = std::min<std::uint64_t>(limit, r.rlim_cur);
  }
  std::ifstream cgroup("/sys/fs/cgroup/memory.max");  // cgroup v2; "max" when unlimited
  std::uint64_t cgroup_max = 0;
  if (cgroup >> cgroup_max && cgroup_max > 0) limit = std::min(limit, cgroup_max);
  return limit;
}

double gib(std::uint64_t bytes) { return static_cast<double>(bytes) / (1ull << 30); }

// libsndfile channel map entries -> BS.1770 roles. Rear left/right are the surround pair
// (weight 1.41) unless the file also has side channels, as in 7.1, where they are the backs
// (1.0): the common 5.1 WAV mask (0x3F) names its surrounds "back", and BS.1770 and
// libebur128 weight them as surrounds, like default_layout(6) does for unmapped files.
std::vector<ChannelRole> roles_from_map(const std::vector<int>& map) {
  bool has_sides = false;
  for (int m : map) has_sides = has_sides || m == SF_CHANNEL_MAP_SIDE_LEFT || m == SF_CHANNEL_MAP_SIDE_RIGHT;
  std::vector<ChannelRole> roles;
  for (int m : map) {
    switch (m) {
      case SF_CHANNEL_MAP_MONO: roles.push_back(ChannelRole::Mono); break;
      case SF_CHANNEL_MAP_LEFT:
      case SF_CHANNEL_MAP_FRONT_LEFT: roles.push_back(ChannelRole::Left); break;
      case SF_CHANNEL_MAP_RIGHT:
      case SF_CHANNEL_MAP_FRONT_RIGHT: roles.push_back(ChannelRole::Right); break;
      case SF_CHANNEL_MAP_CENTER:
      case SF_CHANNEL_MAP_FRONT_CENTER: roles.push_back(ChannelRole::Center); break;
      case SF_CHANNEL_MAP_LFE: roles.push_back(ChannelRole::Lfe); break;
      case SF_CHANNEL_MAP_SIDE_LEFT: roles.push_back(ChannelRole::LeftSurround); break;
      case SF_CHANNEL_MAP_SIDE_RIGHT: roles.push_back(ChannelRole::RightSurround); break;
      case SF_CHANNEL_MAP_REAR_LEFT:
        roles.push_back(has_sides ? ChannelRole::LeftBack : ChannelRole::LeftSurround);
        break;
      case SF_CHANNEL_MAP_REAR_RIGHT:
        roles.push_back(has_sides ? ChannelRole::RightBack : ChannelRole::RightSurround);
        break;
      case SF_CHANNEL_MAP_REAR_CENTER: roles.push_back(ChannelRole::BackCenter); break;
      default: roles.push_back(ChannelRole::Other); break;
    }
  }
  return roles;
}

// The file's channel map when it carries a complete one, else the WAVE default order.
std::vector<ChannelRole> channel_layout(SNDFILE* file, int channels) {
  std::vector<int> map(static_cast<std::size_t>(channels), SF_CHANNEL_MAP_INVALID);
  const int bytes = static_cast<int>(map.size() * sizeof(int));
  if (sf_command(file, SFC_GET_CHANNEL_MAP_INFO, map.data(), bytes) == SF_TRUE) {
    bool complete = true;
    for (int m : map) complete = complete && m != SF_CHANNEL_MAP_INVALID;
    if (complete) return roles_from_map(map);
  }
  return default_layout(channels);
}

// Reads interleaved frames until the decoder stops; returns how many frames it delivered.
std::int64_t read_all(SNDFILE* file, std::vector<float>& interleaved, int channels) {
  constexpr sf_count_t kChunk = 1 << 16;
  std::int64_t frames = 0;
  for (;;) {
    const std::size_t at = static_cast<std::size_t>(frames) * static_cast<std::size_t>(channels);
    if (interleaved.size() < at + static_cast<std::size_t>(kChunk * channels))
      interleaved.resize(at + static_cast<std::size_t>(kChunk * channels));
    const sf_count_t got = sf_readf_float(file, interleaved.data() + at, kChunk);
    if (got <= 0) break;
    frames += got;
  }
  interleaved.resize(static_cast<std::size_t>(frames) * static_cast<std::size_t>(channels));
  return frames;
}

// Bytes per frame of uncompressed PCM/float subtypes; 0 when not fixed (ADPCM, codecs).
std::int64_t bytes_per_frame(int format, int channels) {
  switch (format & SF_FORMAT_SUBMASK) {
    case SF_FORMAT_PCM_S8:
    case SF_FORMAT_PCM_U8:
    case SF_FORMAT_ULAW:
    case SF_FORMAT_ALAW: return channels;
    case SF_FORMAT_PCM_16: return 2 * channels;
    case SF_FORMAT_PCM_24: return 3 * channels;
    case SF_FORMAT_PCM_32:
    case SF_FORMAT_FLOAT: return 4 * channels;
    case SF_FORMAT_DOUBLE: return 8 * channels;
    default: return 0;
  }
}

// What libsndfile noted while reading the header, a line each, leading spaces removed.
std::vector<std::string> sndfile_log_lines(SNDFILE* file) {
  std::string log(16384, '\0');
  sf_command(file, SFC_GET_LOG_INFO, log.data(), static_cast<int>(log.size()));
  log.resize(log.find('\0'));
  std::vector<std::string> lines;
  for (std::size_t at = 0; at < log.size();) {
    const std::size_t end = std::min(log.find('\n', at), log.size());
    const std::size_t first = log.find_first_not_of(' ', at);
    if (first < end) lines.push_back(log.substr(first, end - first));
    at = end + 1;
  }
  return lines;
}

// libsndfile silently shortens a WAV/AIFF data chunk whose length runs past the end of the
// file, noting "data : <claimed> (should be <present>)" in its log. That is a truncated file
// to us. Returns the claimed and present byte counts, or nothing. Streamed WAVs that write
// 0xFFFFFFFF ("length unknown") are not truncated.
std::optional<std::pair<std::uint64_t, std::uint64_t>> truncated_data_chunk(SNDFILE* file) {
  for (const std::string& line : sndfile_log_lines(file)) {
    if (line.compare(0, 4, "data") != 0 && line.compare(0, 4, "SSND") != 0) continue;
    unsigned long long claimed = 0, present = 0;
    if (std::sscanf(line.c_str() + 4, " : %llu (should be %llu)", &claimed, &present) == 2 && claimed > present &&
        claimed < 0xFFFFFF00ull)
      return std::pair<std::uint64_t, std::uint64_t>{claimed, present};
  }
  return std::nullopt;
}

// The frame count an RF64 ds64 chunk or an AIFF COMM chunk declares ("Frames : N" in
// libsndfile's log). libsndfile believes the data chunk instead and reports fewer frames
// when the file is cut short; a declared count above what it found is a truncated file.
std::optional<std::uint64_t> declared_frames(SNDFILE* file) {
  for (const std::string& line : sndfile_log_lines(file)) {
    unsigned long long frames = 0;
    if (line.compare(0, 6, "Frames") == 0 && std::sscanf(line.c_str() + 6, " : %llu", &frames) == 1) return frames;
  }
  return std::nullopt;
}

std::string truncation_message(std::uint64_t claimed_bytes, std::uint64_t present_bytes, int format, int channels) {
  const std::int64_t frame_bytes = bytes_per_frame(format, channels);
  if (frame_bytes > 0)
    return fmt::format("truncated: header claims {} frames but only {} could be read",
                       claimed_bytes / static_cast<std::uint64_t>(frame_bytes),
                       present_bytes / static_cast<std::uint64_t>(frame_bytes));
  return fmt::format("truncated: header claims {} bytes of audio but the file holds only {}", claimed_bytes,
                     present_bytes);
}

// For lossy streams the frame count libsndfile reports is an estimate: MP3's comes from the
// bitrate when there is no Xing/Info header, Ogg's from the last page's granule position
// (which can run past the final decoded sample: Debian's wesnoth music has such files, and
// they decode completely). Fewer decoded frames than "claimed" is no evidence of truncation.
bool length_is_estimate(int format) {
  const int sub = format & SF_FORMAT_SUBMASK;
  if ((format & SF_FORMAT_TYPEMASK) == SF_FORMAT_OGG) return true;
  return sub == SF_FORMAT_MPEG_LAYER_I || sub == SF_FORMAT_MPEG_LAYER_II || sub == SF_FORMAT_MPEG_LAYER_III ||
         sub == SF_FORMAT_VORBIS || sub == SF_FORMAT_OPUS;
}

std::string first_non_finite(const std::vector<float>& interleaved, int channels) {
  for (std::size_t i = 0; i < interleaved.size(); ++i) {
    const float v = interleaved[i];
    if (!std::isfinite(v))
      return fmt::format("sample {} at frame {}, channel {}", std::isnan(v) ? "NaN" : (v > 0 ? "+Inf" : "-Inf"),
                         i / static_cast<std::size_t>(channels), i % static_cast<std::size_t>(channels) + 1);
  }
  return {};
}

// libsndfile's messages end with a full stop; ours continue after a semicolon.
std::string library_error(SNDFILE* file) {
  std::string text = sf_strerror(file);
  while (!text.empty() && (text.back() == '.' || text.back() == ' ')) text.pop_back();
  return text;
}

// Why sf_open failed. libsndfile reports a header it parsed but cannot accept (a 0 Hz or
// 4 GHz sample rate, no channels) as an internal error; say what it means instead.
std::string open_error_of_library() {
  const std::string text = library_error(nullptr);
  if (text.find("SF_INFO struct incomplete") != std::string::npos)
    return "invalid header: its sample rate, channel count or sample format is impossible";
  return text;
}

std::string open_error_text(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return "file does not exist (or is a dangling link)";
  if (std::filesystem::is_directory(path, ec)) return "is a folder, not a file";
  return {};
}

}  // namespace

DecodeResult decode_file(const std::filesystem::path& path, const std::string& name) {
  if (const std::string why = open_error_text(path); !why.empty())
    return failure(name, why, "check the path");

  std::error_code ec;
  const std::uintmax_t file_size = std::filesystem::file_size(path, ec);
  if (!ec && file_size == 0) return failure(name, "file is empty (0 bytes)", "copy or export it again");

  SF_INFO info{};
  SndfilePtr file(sf_open(path.c_str(), SFM_READ, &info));
  if (!file)
    return failure(name, fmt::format("cannot decode: {}", open_error_of_library()),
                   "check that it is readable and is audio libsndfile supports "
                   "(WAV, AIFF, FLAC, Ogg Vorbis, Opus, MP3, CAF, W64, RF64)");

  // Rate and channel count are checked from the header, before any audio is read, with
  // the engine's own rule (an empty track of this shape).
  AudioTrack shape;
  shape.sample_rate = info.samplerate;
  shape.channels = info.channels;
  shape.layout = default_layout(info.channels);
  if (const std::string why = check_measurable(shape); !why.empty())
    return failure(name, why, "convert it to 8000..384000 Hz and at most 8 channels (mono to 7.1) first");
  if (const auto cut = truncated_data_chunk(file.get()))
    return failure(name, truncation_message(cut->first, cut->second, info.format, info.channels),
                   "the file is incomplete; copy or download it again");
  if (const auto declared = length_is_estimate(info.format) ? std::nullopt : declared_frames(file.get());
      declared && *declared > static_cast<std::uint64_t>(std::max<sf_count_t>(info.frames, 0)))
    return failure(name,
                   fmt::format("truncated: header claims {} frames but only {} could be read", *declared,
                               std::max<sf_count_t>(info.frames, 0)),
                   "the file is incomplete; copy or download it again");
  if (info.frames <= 0)
    return failure(name, "file has no audio frames", "re-export or re-rip the track");

  // 2^40 frames is 33 days at 384 kHz; the cap also keeps the product below from overflowing.
  constexpr sf_count_t kMaxFrames = sf_count_t{1} << 40;
  const auto claimed = static_cast<std::uintmax_t>(std::min(info.frames, kMaxFrames)) *
                       static_cast<std::uintmax_t>(info.channels) * 4u;
  if (info.frames > kMaxFrames || (!ec && claimed > max_plausible_bytes(file_size, info.format)))
    return failure(name,
                   fmt::format("header claims {} frames ({} MiB decoded) but the file is only {} bytes", info.frames,
                               claimed >> 20, ec ? 0 : file_size),
                   "the header is corrupt; re-export or re-rip the track");

  // Decoding holds two copies for a moment: interleaved as read, then planar.
  if (const std::uint64_t usable = usable_memory_bytes(); 2 * claimed > usable)
    return failure(name,
                   fmt::format("decoding needs {:.1f} GiB of memory (2 copies of {} frames x {} channels as 32-bit "
                               "float) but this process can use at most {:.1f} GiB (RAM, container or ulimit)",
                               gib(2 * claimed), info.frames, info.channels, gib(usable)),
                   "gloss holds whole tracks in memory: split the file, or run on a machine with more memory");

  std::vector<float> interleaved;
  std::int64_t frames = 0;
  try {
    // One spare chunk: read_all grows by whole chunks and must not reallocate at the end.
    interleaved.reserve(static_cast<std::size_t>(info.frames + (1 << 16)) * static_cast<std::size_t>(info.channels));
    frames = read_all(file.get(), interleaved, info.channels);
  } catch (const std::bad_alloc&) {
    return failure(name, fmt::format("not enough memory to decode it ({:.1f} GiB)", gib(2 * claimed)),
                   "close other programs, or measure it alone");
  }
  if (frames == 0) return failure(name, "file has no audio frames", "re-export or re-rip the track");
  if (frames < info.frames && !length_is_estimate(info.format))
    return failure(name, fmt::format("truncated: header claims {} frames but only {} could be read", info.frames, frames),
                   "the file is incomplete; copy or download it again");
  if (const std::string where = first_non_finite(interleaved, info.channels); !where.empty())
    return failure(name, fmt::format("invalid audio: {}", where),
                   "the file is corrupt or was written by a faulty program; re-export it");

  std::optional<AudioTrack> track;
  try {
    track = make_track_from_interleaved(interleaved, info.channels, info.samplerate, name);
  } catch (const std::bad_alloc&) {
    return failure(name, fmt::format("not enough memory to decode it ({:.1f} GiB)", gib(2 * claimed)),
                   "close other programs, or measure it alone");
  }
  track->layout = channel_layout(file.get(), info.channels);
  return {std::move(track), {}, describe_sndfile_format(info.format)};
}

}  // namespace gloss::cli
