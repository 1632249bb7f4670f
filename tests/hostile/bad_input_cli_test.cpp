// The bad-input corpus (bad_inputs.hpp) through `gloss analyze` and `gloss master`, as a
// machine with 2 GiB for gloss would run them (RLIMIT_DATA): every file is refused with a
// message naming it and the cause, or measured correctly; the run goes on (exit 1); peak
// memory stays bounded, and headers that lie about their size allocate nothing.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>

#include "bad_inputs.hpp"
#include "child_process.hpp"
#include "support/temp_folder.hpp"

namespace {

namespace fs = std::filesystem;
using gloss::test::BadInput;
using gloss::test::ChildLimits;
using gloss::test::ChildResult;
using Json = nlohmann::json;

constexpr std::uint64_t kMiB = 1ull << 20;
#ifdef GLOSS_TEST_SANITIZED
// Under ASan the memory limit cannot be set (its shadow mappings count against RLIMIT_DATA)
// and peak RSS is ASan's: the corpus still runs, for what ASan and UBSan see, without the
// 10-hour file (whether it fits would depend on this machine's memory) and the bounds.
constexpr bool kMemoryChecked = false;
const ChildLimits kTwoGiB{};
#else
constexpr bool kMemoryChecked = true;
const ChildLimits kTwoGiB{2048 * kMiB, 0};
#endif

// "-inf" (the JSON spelling of silence) or a number.
double level(const Json& j) {
  if (j.is_string() && j.get<std::string>() == "-inf") return -std::numeric_limits<double>::infinity();
  return j.get<double>();
}

const Json* track_named(const Json& report, const std::string& file) {
  for (const Json& album : report.at("albums"))
    for (const Json& t : album.at("tracks"))
      if (t.at("file") == file) return &t;
  return nullptr;
}

class BadInputs : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    folder_ = new gloss::test::TempFolder("gloss-bad-inputs");
    corpus_ = gloss::test::write_bad_inputs(folder_->path() / "bad");
    if (!kMemoryChecked) {
      fs::remove(folder_->path() / "bad" / "ten-hours-silence.wav");
      std::erase_if(corpus_, [](const BadInput& b) { return b.name == "ten-hours-silence.wav"; });
    }
  }
  static void TearDownTestSuite() {
    delete folder_;
    folder_ = nullptr;
  }
  static fs::path root() { return folder_->path(); }
  ChildResult gloss(const std::vector<std::string>& args, const std::string& scratch) {
    return gloss::test::run_child(GLOSS_EXE, args, root(), root() / scratch, kTwoGiB);
  }

  static gloss::test::TempFolder* folder_;
  static std::vector<BadInput> corpus_;
};
gloss::test::TempFolder* BadInputs::folder_ = nullptr;
std::vector<BadInput> BadInputs::corpus_;

TEST_F(BadInputs, TheCorpusIsSmallAndQuickToMake) {
  gloss::test::TempFolder again("gloss-bad-inputs-again");
  const auto start = std::chrono::steady_clock::now();
  const std::vector<BadInput> list = gloss::test::write_bad_inputs(again.path());
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 5.0);
  EXPECT_GE(list.size(), 20u);
  // The 10-hour file is 12.7 GB long but a hole: almost nothing on disk.
  struct stat st {};
  ASSERT_EQ(::stat((again.path() / "ten-hours-silence.wav").c_str(), &st), 0);
  EXPECT_GT(st.st_size, 12'000'000'000LL);
  EXPECT_LT(st.st_blocks * 512, 1'000'000LL);
}

TEST_F(BadInputs, AnalyzeRefusesEachBadFileByNameAndMeasuresTheRest) {
  const ChildResult r = gloss({"analyze", "bad", "--json", "analyze.json", "--threads", "2"}, "analyze");
  EXPECT_EQ(r.status, 1) << r.err;
  if (kMemoryChecked) {
    EXPECT_LT(r.max_rss_bytes, 1536 * kMiB) << "peak memory";
  }
  const Json report = Json::parse(std::ifstream(root() / "analyze.json"));
  for (const BadInput& b : corpus_) {
    SCOPED_TRACE(b.name + " (" + b.fault + ")");
    const Json* t = track_named(report, "bad/" + b.name);
    ASSERT_NE(t, nullptr) << "not in the report";
    if (b.refused) {
      EXPECT_EQ(t->at("status"), "failed");
      const std::string error = t->at("error").get<std::string>();
      EXPECT_TRUE(error.starts_with("bad/" + b.name + ": ")) << error;
      EXPECT_NE(error.find(b.reason), std::string::npos) << error;
      EXPECT_NE(error.find("; "), std::string::npos) << "no remedy: " << error;
      EXPECT_NE(r.err.find("bad/" + b.name), std::string::npos) << "not named on stderr";
    } else {
      EXPECT_EQ(t->at("status"), "ok") << t->dump();
    }
  }
  // What "measured correctly" means for each degenerate file.
  const Json& flac = *track_named(report, "bad/flac-bytes.wav");
  EXPECT_NEAR(level(flac.at("integrated_lufs")), -20.0, 0.1);  // a -20 dBFS stereo sine
  const Json& mp3 = *track_named(report, "bad/wav-bytes.mp3");
  EXPECT_NEAR(level(mp3.at("integrated_lufs")), -20.0, 0.1);
  const Json& dc = *track_named(report, "bad/dc-only.wav");
  EXPECT_NEAR(level(dc.at("sample_peak_dbfs")), -6.02, 0.01);
  // K-weighting removes DC: only the onset (a step from silence) has loudness, well under
  // the -6 LUFS a half-scale tone would read.
  EXPECT_LT(level(dc.at("integrated_lufs")), -25.0);
  EXPECT_EQ(dc.at("dc_offset"), Json::parse("[0.5, 0.5]"));
  EXPECT_NE(dc.at("flags").dump().find("\"dc_offset\""), std::string::npos) << "not flagged";
  const Json& one = *track_named(report, "bad/one-sample.wav");
  EXPECT_NEAR(level(one.at("sample_peak_dbfs")), -6.02, 0.01);
  EXPECT_EQ(level(one.at("integrated_lufs")), -INFINITY) << "shorter than one 400 ms block";
  EXPECT_EQ(one.at("frames"), 1);
  for (const char* quiet : {"bad/silence.wav", "bad/denormal.wav"}) {
    const Json& t = *track_named(report, quiet);
    EXPECT_EQ(level(t.at("integrated_lufs")), -INFINITY) << quiet;
    EXPECT_LT(level(t.at("sample_peak_dbfs")), -700.0) << quiet;
  }
  std::size_t refused = 0;
  for (const BadInput& b : corpus_) refused += b.refused ? 1 : 0;
  EXPECT_EQ(report.at("summary").at("failed"), refused);
  EXPECT_EQ(report.at("summary").at("measured"), corpus_.size() - refused);
}

// Each header that lies about its size, alone: refused from the header, so the process
// never grows beyond what gloss needs to start.
TEST_F(BadInputs, LyingHeadersAllocateNothing) {
  for (const char* name : {"claims-2g-frames.wav", "claims-2g-frames-rf64.wav", "claims-2g-frames.aif",
                           "65535-channels.wav", "huge-fmt-chunk.wav", "ten-hours-silence.wav"}) {
    if (!fs::exists(root() / "bad" / name)) continue;  // the 10-hour file, in a sanitized build
    SCOPED_TRACE(name);
    const auto start = std::chrono::steady_clock::now();
    const ChildResult r = gloss({"analyze", std::string("bad/") + name}, std::string("alone-") + name);
    EXPECT_EQ(r.status, 1) << r.err;
    EXPECT_NE(r.err.find(std::string("bad/") + name + ": "), std::string::npos) << r.err;
    if (kMemoryChecked) {
      EXPECT_LT(r.max_rss_bytes, 64 * kMiB) << "gloss itself starts in about 12 MiB";
    }
    EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 10.0);
  }
}

TEST_F(BadInputs, MasterRefusesEachBadFileByNameAndWritesOnlyGoodOnes) {
  const ChildResult r =
      gloss({"master", "bad", "-o", "mastered", "--json", "master.json", "--threads", "2"}, "master");
  EXPECT_EQ(r.status, 1) << r.err;
  if (kMemoryChecked) {
    EXPECT_LT(r.max_rss_bytes, 1536 * kMiB) << "peak memory";
  }
  const std::string failed = r.err.substr(std::min(r.err.find("failed:\n"), r.err.size()));
  const Json report = Json::parse(std::ifstream(root() / "master.json"));
  std::vector<std::string> expected_outputs;
  for (const BadInput& b : corpus_) {
    SCOPED_TRACE(b.name + " (" + b.fault + ")");
    const Json* t = nullptr;
    for (const Json& row : report.at("albums").at(0).at("tracks"))
      if (row.at("input") == "bad/" + b.name) t = &row;
    ASSERT_NE(t, nullptr) << "not in the report";
    if (b.refused) {
      ASSERT_TRUE(t->at("error").is_string()) << t->dump();
      const std::string error = t->at("error").get<std::string>();
      EXPECT_TRUE(error.starts_with("bad/" + b.name + ": ")) << error;
      EXPECT_NE(error.find(b.reason), std::string::npos) << error;
      EXPECT_NE(failed.find(error), std::string::npos) << "not in the end-of-run list";
      continue;
    }
    ASSERT_TRUE(t->at("error").is_null()) << t->dump();
    const fs::path output = t->at("output").get<std::string>();
    expected_outputs.push_back(output.filename().string());
    EXPECT_EQ(t->at("after").at("frames"), t->at("before").at("frames"));
    EXPECT_LE(level(t->at("after").at("true_peak_dbtp")), -1.0 + 0.05) << "over the ceiling";
    if (level(t->at("before").at("integrated_lufs")) == -INFINITY) {
      EXPECT_EQ(t->at("gain").at("applied_gain_db"), 0.0) << "silence is passed through, not amplified";
    }
  }
  // The two tones reach the streaming target (album mode; the album is pooled with them).
  for (const Json& row : report.at("albums").at(0).at("tracks"))
    if (row.at("input") == "bad/flac-bytes.wav" || row.at("input") == "bad/wav-bytes.mp3") {
      EXPECT_NEAR(level(row.at("after").at("integrated_lufs")), -14.0, 0.3) << row.at("input");
    }
  // Only whole masters of the measurable files are in the output folder: nothing partial,
  // no temporary file, nothing for a refused input.
  std::vector<std::string> present;
  for (const auto& e : fs::directory_iterator(root() / "mastered" / "bad")) present.push_back(e.path().filename().string());
  std::sort(present.begin(), present.end());
  std::sort(expected_outputs.begin(), expected_outputs.end());
  EXPECT_EQ(present, expected_outputs);
  EXPECT_EQ(report.at("summary").at("written"), expected_outputs.size());
}

}  // namespace
