// `gloss master` on real music: the 6-track "wesnoth-short" album from Debian's
// wesnoth-1.16-music (Ogg Vorbis, several tracks decoding above full scale), laid out by
// ${GLOSS_SHARED_DIR}/corpus/get-corpus. Every master must be under the ceiling by gloss
// (precise), libebur128 and FFmpeg, and on target wherever the limiting budget allows.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "detmath.hpp"
#include "ffmpeg_meter.hpp"
#include "libebur128_meter.hpp"
#include "sndfile_track.hpp"
#include "support/corpus.hpp"
#include "support/run_program.hpp"

namespace {

namespace fs = std::filesystem;

TEST(MasterCorpus, RealMusicStaysUnderTheCeilingByEveryMeter) {
  std::string why;
  const fs::path root = gloss::test::prepare_corpus(why);
  if (root.empty()) GTEST_SKIP() << "real-music corpus unavailable: " << why;
  const fs::path scratch = fs::path(GLOSS_BINARY_DIR) / "master-corpus";
  fs::remove_all(scratch);
  fs::create_directories(scratch);
  const auto r = gloss::test::run_program(GLOSS_EXE,
                                          {"master", (root / "wesnoth-short").string(), "-o", (scratch / "out").string(),
                                           "--mode", "track", "--target", "-14", "--ceiling", "-1", "--bits", "24",
                                           "--format", "wav", "--json", (scratch / "report.json").string(), "--quiet"},
                                          scratch, scratch);
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  std::ifstream in(scratch / "report.json");
  const nlohmann::json report = nlohmann::json::parse(in);
  const bool ffmpeg = gloss::test::have_ffmpeg();
  int tracks = 0;
  for (const auto& t : report["albums"][0]["tracks"]) {
    ++tracks;
    const std::string output = t["output"].get<std::string>();
    const gloss::AudioTrack delivered = gloss::test::read_sound_file(output);
    EXPECT_LE(t["after"]["true_peak_dbtp"].get<double>(), -1.0) << output;
    const auto e = gloss::test::measure_with_libebur128(delivered);
    EXPECT_LE(gloss::detmath::amplitude_to_db(*std::max_element(e.true_peak.begin(), e.true_peak.end())), -1.0) << output;
    if (ffmpeg) {
      EXPECT_LE(gloss::test::ffmpeg_true_peak(delivered, scratch), 0.891) << output;
    }
    if (!t["gain"]["target_lowered"].get<bool>()) {
      EXPECT_NEAR(e.integrated_lufs, -14.0, 0.1) << output;
    }
  }
  EXPECT_EQ(tracks, 6);
  if (!ffmpeg) GTEST_SKIP() << "ffmpeg is not installed: the FFmpeg reading was not checked";
}

}  // namespace
