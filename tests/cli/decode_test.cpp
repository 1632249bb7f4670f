// Decoding is exact: 16- and 24-bit PCM become float32 without rounding (integer / 2^15 or
// 2^23, every code exactly representable), float files keep values above full scale, and
// planar channels keep their order.
#include <gtest/gtest.h>
#include <sndfile.h>

#include <cstdint>
#include <filesystem>
#include <vector>

#include "decode.hpp"

namespace {

namespace fs = std::filesystem;

fs::path scratch(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / "gloss-decode-test";
  fs::create_directories(dir);
  return dir / name;
}

// Writes interleaved int32 (left-justified, as libsndfile's int API expects) as WAV.
void write_ints(const fs::path& path, int format, int channels, const std::vector<std::int32_t>& interleaved) {
  SF_INFO info{};
  info.samplerate = 48000;
  info.channels = channels;
  info.format = format;
  SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
  ASSERT_NE(f, nullptr) << sf_strerror(nullptr);
  // No clipping or dither on write: the codes go to the file as they are.
  sf_command(f, SFC_SET_CLIPPING, nullptr, SF_FALSE);
  ASSERT_EQ(sf_writef_int(f, interleaved.data(), static_cast<sf_count_t>(interleaved.size()) / channels),
            static_cast<sf_count_t>(interleaved.size()) / channels);
  sf_close(f);
}

TEST(Decode, SixteenBitCodesAreExact) {
  std::vector<std::int32_t> codes;  // every 16-bit code, twice (two channels, reversed in the second)
  for (int v = -32768; v <= 32767; ++v) {
    codes.push_back(v * 65536);
    codes.push_back((-1 - v) * 65536);
  }
  const fs::path path = scratch("pcm16.wav");
  write_ints(path, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 2, codes);
  const gloss::cli::DecodeResult r = gloss::cli::decode_file(path, "pcm16.wav");
  ASSERT_TRUE(r.ok()) << r.error;
  ASSERT_EQ(r.track->frames, 65536);
  for (std::int64_t i = 0; i < r.track->frames; ++i) {
    const auto k = static_cast<std::size_t>(i);
    ASSERT_EQ(r.track->channel(0)[k], static_cast<float>(codes[2 * k] / 65536) / 32768.0f) << "frame " << i;
    ASSERT_EQ(r.track->channel(1)[k], static_cast<float>(codes[2 * k + 1] / 65536) / 32768.0f) << "frame " << i;
  }
}

TEST(Decode, TwentyFourBitCodesAreExactInWavAndFlac) {
  std::vector<std::int32_t> values = {-8388608, -8388607, -4194304, -1, 0, 1, 2, 3, 4194303, 8388606, 8388607};
  for (std::int32_t v = -8388608; v < 8388607; v += 4099) values.push_back(v);  // a spread of codes
  std::vector<std::int32_t> codes;
  for (std::int32_t v : values) codes.push_back(v * 256);
  for (int format : {SF_FORMAT_WAV | SF_FORMAT_PCM_24, SF_FORMAT_FLAC | SF_FORMAT_PCM_24}) {
    const fs::path path = scratch((format & SF_FORMAT_FLAC) == SF_FORMAT_FLAC ? "pcm24.flac" : "pcm24.wav");
    write_ints(path, format, 1, codes);
    const gloss::cli::DecodeResult r = gloss::cli::decode_file(path, path.filename().string());
    ASSERT_TRUE(r.ok()) << r.error;
    ASSERT_EQ(r.track->frames, static_cast<std::int64_t>(values.size()));
    for (std::size_t i = 0; i < values.size(); ++i)
      ASSERT_EQ(r.track->channel(0)[i], static_cast<float>(values[i]) / 8388608.0f) << path << " code " << values[i];
  }
}

TEST(Decode, FloatAboveFullScaleIsKept) {
  const std::vector<float> samples = {1.5f, -2.0f, 0.25f, 3.999f, -1.0f, 1e-30f};
  SF_INFO info{};
  info.samplerate = 44100;
  info.channels = 1;
  info.format = SF_FORMAT_WAV | SF_FORMAT_FLOAT;
  const fs::path path = scratch("float.wav");
  SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
  ASSERT_NE(f, nullptr);
  sf_writef_float(f, samples.data(), static_cast<sf_count_t>(samples.size()));
  sf_close(f);
  const gloss::cli::DecodeResult r = gloss::cli::decode_file(path, "float.wav");
  ASSERT_TRUE(r.ok()) << r.error;
  for (std::size_t i = 0; i < samples.size(); ++i) EXPECT_EQ(r.track->channel(0)[i], samples[i]) << i;
}

}  // namespace
