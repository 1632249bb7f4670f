// make_catalog FOLDER: writes the small catalog the cluster test shards: five albums of one
// to three short music-like tracks, in the formats and rates a label sends (16-bit WAV at
// 44.1 kHz, 24-bit FLAC and float WAV at 48 kHz), each album at its own loudness so the
// mastering gains differ. The same bytes every time (fixed seeds).
#include <sndfile.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "support/signals.hpp"

namespace fs = std::filesystem;

namespace {

struct Track {
  std::string name;
  int format;
  int sample_rate;
  double seconds;
};

struct Album {
  std::string folder;
  double gain_db;  // applied to every track, so albums sit at different loudness
  std::vector<Track> tracks;
};

const std::vector<Album>& albums() {
  constexpr int wav16 = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
  constexpr int flac24 = SF_FORMAT_FLAC | SF_FORMAT_PCM_24;
  constexpr int wavf = SF_FORMAT_WAV | SF_FORMAT_FLOAT;
  static const std::vector<Album> list = {
      {"Album One", -6, {{"01 Opening.wav", wav16, 44100, 4}, {"02 Middle.wav", wav16, 44100, 3}, {"03 End.wav", wav16, 44100, 5}}},
      {"album-two", -14, {{"1-intro.flac", flac24, 48000, 3}, {"2-theme.flac", flac24, 48000, 4}}},
      {"Album Three", -2, {{"only track.wav", wavf, 48000, 5}}},
      {"Four", -10, {{"a.flac", flac24, 48000, 4}, {"b.flac", flac24, 48000, 3}, {"c.flac", flac24, 48000, 3}}},
      {"Five (Live)", -18, {{"01.wav", wav16, 44100, 3}, {"02.wav", wav16, 44100, 4}}},
  };
  return list;
}

bool write(const fs::path& path, const gloss::AudioTrack& t, int format) {
  SF_INFO info{};
  info.samplerate = t.sample_rate;
  info.channels = t.channels;
  info.format = format;
  SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
  if (f == nullptr) {
    std::fprintf(stderr, "make_catalog: %s: cannot create: %s\n", path.c_str(), sf_strerror(nullptr));
    return false;
  }
  sf_command(f, SFC_SET_ADD_PEAK_CHUNK, nullptr, SF_FALSE);  // it holds the time of writing
  std::vector<float> interleaved(t.samples.size());
  for (int c = 0; c < t.channels; ++c) {
    const auto samples = t.channel(c);
    for (std::size_t i = 0; i < samples.size(); ++i)
      interleaved[i * static_cast<std::size_t>(t.channels) + static_cast<std::size_t>(c)] = samples[i];
  }
  const bool complete = sf_writef_float(f, interleaved.data(), t.frames) == t.frames;
  sf_close(f);
  if (!complete) std::fprintf(stderr, "make_catalog: %s: short write (disk full?)\n", path.c_str());
  return complete;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_catalog FOLDER\n");
    return 2;
  }
  const fs::path root = argv[1];
  std::uint64_t seed = 1;
  for (const Album& album : albums()) {
    std::error_code ec;
    fs::create_directories(root / album.folder, ec);
    if (ec) {
      std::fprintf(stderr, "make_catalog: %s: cannot create: %s\n", (root / album.folder).c_str(), ec.message().c_str());
      return 1;
    }
    const auto gain = static_cast<float>(std::pow(10.0, album.gain_db / 20.0));
    for (const Track& track : album.tracks) {
      gloss::AudioTrack t = gloss::test::programme(track.sample_rate, 2, track.seconds, seed++);
      for (float& s : t.samples) s *= gain;
      if (!write(root / album.folder / track.name, t, track.format)) return 1;
    }
  }
  return 0;
}
