// `gloss master` end to end: the built binary on albums this test writes itself. Delivered
// files are read back and measured by gloss's precise meter, libebur128 and FFmpeg; the
// target, the album's relative levels, formats, tags, determinism and every refusal are
// checked the way a user would see them.
#include <gtest/gtest.h>
#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "detmath.hpp"
#include "ffmpeg_meter.hpp"
#include "gloss/backend.hpp"
#include "gloss/meter.hpp"
#include "libebur128_meter.hpp"
#include "sndfile_track.hpp"
#include "support/run_program.hpp"
#include "support/signals.hpp"
#include "support/temp_folder.hpp"

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

// Writes a planar track as 16/24-bit PCM or float, with a title and an artist tag.
void write_track(const fs::path& path, gloss::AudioTrack track, int subtype, double gain_db,
                 int container = SF_FORMAT_WAV) {
  fs::create_directories(path.parent_path());
  SF_INFO info{};
  info.samplerate = track.sample_rate;
  info.channels = track.channels;
  info.format = container | subtype;
  SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
  ASSERT_NE(f, nullptr) << path << ": " << sf_strerror(nullptr);
  sf_set_string(f, SF_STR_TITLE, path.stem().c_str());
  sf_set_string(f, SF_STR_ARTIST, "The Test Signals");
  const double g = std::pow(10.0, gain_db / 20);
  std::vector<float> interleaved(track.samples.size());
  for (int c = 0; c < track.channels; ++c)
    for (std::int64_t n = 0; n < track.frames; ++n)
      interleaved[n * track.channels + c] = static_cast<float>(std::clamp(track.channel(c)[n] * g, -1.0, 32767.0 / 32768));
  sf_writef_float(f, interleaved.data(), track.frames);
  sf_close(f);
}

std::string file_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

struct Measured {
  double lufs;
  double gloss_tp;
  double ebur128_tp;
};

Measured measure(const fs::path& file) {
  const gloss::AudioTrack t = gloss::test::read_sound_file(file);
  auto backend = gloss::make_backend("reference");
  gloss::MeterOptions options;
  options.true_peak = gloss::TruePeakMode::Precise;
  const auto a = gloss::analyze_tracks(*backend, {&t}, options)[0];
  const auto e = gloss::test::measure_with_libebur128(t);
  return {a.integrated_lufs, a.true_peak_dbtp,
          gloss::detmath::amplitude_to_db(*std::max_element(e.true_peak.begin(), e.true_peak.end()))};
}

class MasterCli : public ::testing::Test {
 protected:
  void SetUp() override { fs::create_directories(scratch_); }
  gloss::test::Outcome gloss(std::vector<std::string> args) {
    args.insert(args.begin(), "master");
    return gloss::test::run_program(GLOSS_EXE, args, root_, scratch_);
  }
  // An album of three tracks: quiet, medium and a hot, partly clipped one.
  void write_album(const fs::path& folder, int subtype = SF_FORMAT_PCM_24, int rate = 48000, double seconds = 8) {
    write_track(root_ / folder / "01 quiet.wav", gloss::test::programme(rate, 2, seconds, 1), subtype, -12);
    write_track(root_ / folder / "02 medium.wav", gloss::test::programme(rate, 2, seconds, 2), subtype, -4);
    write_track(root_ / folder / "03 hot.wav", gloss::test::programme(rate, 2, seconds, 3), subtype, 6);
  }
  gloss::test::TempFolder folder_{"gloss-master"};
  fs::path root_ = folder_.path();
  fs::path scratch_ = root_ / ".scratch";
};

TEST_F(MasterCli, TrackModeHitsTheTargetAndNoMeterFindsAnOver) {
  write_album("in/Album");
  const auto r = gloss({"in", "-o", "out", "--mode", "track", "--target", "-11", "--ceiling", "-1", "--json", "m.json"});
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  const bool ffmpeg = gloss::test::have_ffmpeg();
  for (const char* name : {"01 quiet.wav", "02 medium.wav", "03 hot.wav"}) {
    const fs::path out = root_ / "out/in/Album" / name;
    ASSERT_TRUE(fs::exists(out)) << out << "\n" << r.out;
    const Measured m = measure(out);
    EXPECT_LE(m.gloss_tp, -1.0) << name;
    EXPECT_LE(m.ebur128_tp, -1.0) << name;
    if (ffmpeg) {
      EXPECT_LE(gloss::test::ffmpeg_true_peak(gloss::test::read_sound_file(out), scratch_), 0.891) << name;
    }
  }
  const Json report = Json::parse(file_bytes(root_ / "m.json"));
  EXPECT_EQ(report["schema"], "gloss.master");
  double most_limiting = 0;
  for (const Json& t : report["albums"][0]["tracks"]) {
    most_limiting = std::max(most_limiting, t["limiter"]["max_reduction_db"].get<double>());
    EXPECT_FALSE(t["gain"]["reason"].get<std::string>().empty());
    // Within 0.1 LU of the target wherever the limiting budget allowed reaching it.
    if (!t["gain"]["target_lowered"].get<bool>()) {
      EXPECT_NEAR(t["after"]["integrated_lufs"].get<double>(), -11.0, 0.1) << t.dump(2);
    }
  }
  EXPECT_GT(most_limiting, 0.5) << "the album should need the limiter somewhere";
  if (!ffmpeg) GTEST_SKIP() << "ffmpeg is not installed: the FFmpeg reading was not checked";
}

TEST_F(MasterCli, AlbumModeKeepsTheRelativeLevelsWhenNothingIsLimited) {
  write_track(root_ / "in/A/1.wav", gloss::test::programme(44100, 2, 6, 4), SF_FORMAT_PCM_24, -20);
  write_track(root_ / "in/A/2.wav", gloss::test::programme(44100, 2, 6, 5), SF_FORMAT_PCM_24, -14);
  const auto r = gloss({"in/A", "-o", "out", "--preset", "apple"});
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  const double before = measure(root_ / "in/A/2.wav").lufs - measure(root_ / "in/A/1.wav").lufs;
  const double after = measure(root_ / "out/A/2.wav").lufs - measure(root_ / "out/A/1.wav").lufs;
  EXPECT_NEAR(after, before, 0.05);
}

TEST_F(MasterCli, KeepsRateBitsAndTagsUnlessTold) {
  write_album("in/Album", SF_FORMAT_PCM_16, 44100);
  ASSERT_EQ(gloss({"in", "-o", "same"}).status, 0);
  SF_INFO info{};
  SNDFILE* f = sf_open((root_ / "same/in/Album/02 medium.wav").c_str(), SFM_READ, &info);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(info.samplerate, 44100);
  EXPECT_EQ(info.format & SF_FORMAT_SUBMASK, SF_FORMAT_PCM_16);
  EXPECT_STREQ(sf_get_string(f, SF_STR_TITLE), "02 medium");
  EXPECT_STREQ(sf_get_string(f, SF_STR_ARTIST), "The Test Signals");
  sf_close(f);
  const auto r = gloss({"in", "-o", "cd", "--preset", "cd", "--format", "flac"});
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  f = sf_open((root_ / "cd/in/Album/03 hot.flac").c_str(), SFM_READ, &info);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(info.samplerate, 44100);
  EXPECT_EQ(info.format & SF_FORMAT_TYPEMASK, SF_FORMAT_FLAC);
  EXPECT_EQ(info.format & SF_FORMAT_SUBMASK, SF_FORMAT_PCM_16);
  sf_close(f);
  EXPECT_LE(measure(root_ / "cd/in/Album/03 hot.flac").ebur128_tp, -0.3);
}

TEST_F(MasterCli, ResamplesAndStillHoldsTheCeiling) {
  write_album("in/HiRes", SF_FORMAT_FLOAT, 96000, 3);
  const auto r = gloss({"in", "-o", "out", "--rate", "44100", "--bits", "16", "--mode", "track", "--target", "-10"});
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  for (const char* name : {"01 quiet.wav", "03 hot.wav"}) {
    const Measured m = measure(root_ / "out/in/HiRes" / name);
    EXPECT_LE(m.gloss_tp, -1.0) << name;
    EXPECT_LE(m.ebur128_tp, -1.0) << name;
  }
}

TEST_F(MasterCli, OutputIsTheSameForAnyThreadCount) {
  write_album("in/Album");
  ASSERT_EQ(gloss({"in", "-o", "one", "--threads", "1", "--json", "one.json"}).status, 0);
  ASSERT_EQ(gloss({"in", "-o", "two", "--threads", "2", "--json", "two.json"}).status, 0);
  for (const char* name : {"01 quiet.wav", "02 medium.wav", "03 hot.wav"})
    EXPECT_EQ(file_bytes(root_ / "one/in/Album" / name), file_bytes(root_ / "two/in/Album" / name)) << name;
  Json a = Json::parse(file_bytes(root_ / "one.json")), b = Json::parse(file_bytes(root_ / "two.json"));
  for (Json* j : {&a, &b})
    for (Json& album : (*j)["albums"]) {
      album["output_folder"] = "";
      for (Json& t : album["tracks"]) t["output"] = "";
    }
  EXPECT_EQ(a, b);
}

// A preset's EQ is applied before the gain: warm-low-end's low shelf (+1.5 dB below 90 Hz)
// lifts the 62.5 Hz octave against the 1 kHz one, its bell (-1 dB at 250 Hz) lowers the
// 250 Hz octave, and the ceiling still holds.
TEST_F(MasterCli, ThePresetsEqIsApplied) {
  write_track(root_ / "in/A/1.wav", gloss::test::noise(48000, 2, 6, 0.25, 9), SF_FORMAT_PCM_24, 0);
  ASSERT_EQ(gloss({"in", "-o", "flat", "--preset", "streaming"}).status, 0);
  const auto r = gloss({"in", "-o", "warm", "--preset", "warm-low-end", "--target", "-14"});
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  auto against_1khz = [&](const fs::path& file, std::size_t band) {
    const gloss::AudioTrack t = gloss::test::read_sound_file(file);
    auto backend = gloss::make_backend("reference");
    const auto a = gloss::analyze_tracks(*backend, {&t})[0];
    return *a.octave_band_db[band] - *a.octave_band_db[5];
  };
  auto change = [&](std::size_t band) {
    return against_1khz(root_ / "warm/in/A/1.wav", band) - against_1khz(root_ / "flat/in/A/1.wav", band);
  };
  EXPECT_GT(change(1), 0.4);   // 62.5 Hz: measured +0.62 dB (the shelf's corner and the 20 Hz high-pass share it)
  EXPECT_LT(change(1), 1.5);
  EXPECT_LT(change(3), -0.3);  // 250 Hz: measured -0.46 dB (the octave averages the -1 dB bell)
  EXPECT_GT(change(3), -1.0);
  EXPECT_LE(measure(root_ / "warm/in/A/1.wav").ebur128_tp, -1.0);
}

// In track mode a track's gain depends on the track alone, and the dither is keyed by the
// audio, not by the path: mastered alone or inside its album, it is the same bytes.
TEST_F(MasterCli, TrackModeOutputDoesNotDependOnTheBatch) {
  write_album("in/Album", SF_FORMAT_PCM_16);
  ASSERT_EQ(gloss({"in", "-o", "whole", "--mode", "track"}).status, 0);
  ASSERT_EQ(gloss({"in/Album/02 medium.wav", "-o", "alone", "--mode", "track", "--threads", "1"}).status, 0);
  EXPECT_EQ(file_bytes(root_ / "whole/in/Album/02 medium.wav"), file_bytes(root_ / "alone/Album/02 medium.wav"));
}

TEST_F(MasterCli, InputsAreNeverTouchedAndBadRequestsAreRefused) {
  write_album("in/Album");
  const std::string before = file_bytes(root_ / "in/Album/03 hot.wav");
  auto r = gloss({"in", "-o", "in/masters"});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("inside the input folder"), std::string::npos) << r.err;
  r = gloss({"in", "-o", "out", "--preset", "no-such-preset"});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("no preset named"), std::string::npos) << r.err;
  r = gloss({"in", "-o", "out", "--format", "flac", "--bits", "32"});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("FLAC cannot hold"), std::string::npos) << r.err;
  r = gloss({"in", "-o", "out", "--target", "+3"});
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(file_bytes(root_ / "in/Album/03 hot.wav"), before);
}

TEST_F(MasterCli, ABrokenFileFailsAloneAndLeavesNothingBehind) {
  write_album("in/Album");
  std::ofstream(root_ / "in/Album/04 broken.wav") << "RIFF....WAVEfmt nonsense";
  const auto r = gloss({"in", "-o", "out"});
  EXPECT_EQ(r.status, 1) << r.out << r.err;
  EXPECT_NE(r.err.find("04 broken.wav"), std::string::npos) << r.err;
  std::vector<std::string> written;
  for (const auto& e : fs::recursive_directory_iterator(root_ / "out"))
    if (e.is_regular_file()) written.push_back(e.path().lexically_relative(root_ / "out").string());
  std::sort(written.begin(), written.end());
  // The masters, and the job's journal (which records them for a rerun).
  EXPECT_EQ(written, (std::vector<std::string>{".gloss/journal-1-of-1.jsonl", "in/Album/01 quiet.wav",
                                               "in/Album/02 medium.wav", "in/Album/03 hot.wav"}));
}

}  // namespace
