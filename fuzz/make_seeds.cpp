// Writes the seed corpus of fuzz_decode: tiny files in the formats and shapes gloss reads
// (WAV 16/24-bit and float, a 5.1 WAV with a channel map, AIFF, FLAC, CAF, W64), each a
// few dozen frames of a sine, so libFuzzer starts from valid headers of every kind.
//   make_seeds DIR
#include <sndfile.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

namespace {

bool write(const std::string& path, int format, int channels, int rate, const std::vector<int>& map = {}) {
  SF_INFO info{};
  info.samplerate = rate;
  info.channels = channels;
  info.format = format;
  SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
  if (!f) {
    std::fprintf(stderr, "make_seeds: %s: %s\n", path.c_str(), sf_strerror(nullptr));
    return false;
  }
  if (!map.empty())
    sf_command(f, SFC_SET_CHANNEL_MAP_INFO, const_cast<int*>(map.data()), static_cast<int>(map.size() * sizeof(int)));
  constexpr int kFrames = 48;
  std::vector<float> samples(static_cast<std::size_t>(kFrames * channels));
  for (int i = 0; i < kFrames; ++i)
    for (int c = 0; c < channels; ++c)
      samples[static_cast<std::size_t>(i * channels + c)] = 0.5f * std::sin(0.3f * static_cast<float>(i * (c + 1)));
  sf_writef_float(f, samples.data(), kFrames);
  sf_close(f);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_seeds DIR\n");
    return 2;
  }
  const std::string dir = argv[1];
  const std::vector<int> map51 = {SF_CHANNEL_MAP_LEFT, SF_CHANNEL_MAP_RIGHT, SF_CHANNEL_MAP_CENTER,
                                  SF_CHANNEL_MAP_LFE,  SF_CHANNEL_MAP_REAR_LEFT, SF_CHANNEL_MAP_REAR_RIGHT};
  bool ok = true;
  ok &= write(dir + "/pcm16-stereo.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 2, 44100);
  ok &= write(dir + "/pcm24-mono.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_24, 1, 48000);
  ok &= write(dir + "/float-5.1.wav", SF_FORMAT_WAVEX | SF_FORMAT_FLOAT, 6, 96000, map51);
  ok &= write(dir + "/pcm16-stereo.aiff", SF_FORMAT_AIFF | SF_FORMAT_PCM_16, 2, 44100);
  ok &= write(dir + "/pcm16-stereo.flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 2, 44100);
  ok &= write(dir + "/pcm24-mono.flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_24, 1, 192000);
  ok &= write(dir + "/double-stereo.caf", SF_FORMAT_CAF | SF_FORMAT_DOUBLE, 2, 8000);
  ok &= write(dir + "/pcm32-stereo.w64", SF_FORMAT_W64 | SF_FORMAT_PCM_32, 2, 22050);
  return ok ? 0 : 1;
}
