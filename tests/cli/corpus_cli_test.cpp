// `gloss analyze` on real music: the whole wesnoth album from Debian's wesnoth-1.16-music
// (41 Ogg Vorbis tracks, 2.5 h, some decoding above full scale), laid out by
// ${GLOSS_SHARED_DIR}/corpus/get-corpus. Every track must be measured (Ogg's estimated
// lengths are not truncation), and the report must not depend on the thread count.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "support/corpus.hpp"

namespace {

namespace fs = std::filesystem;

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

int run(const std::string& command) {
  const int rc = std::system(command.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : 128;
}

std::string analyze(const std::string& album, int threads, const fs::path& json) {
  std::ostringstream command;
  command << '\'' << GLOSS_EXE << "' analyze '" << album << "' --quiet --threads " << threads << " --json '"
          << json.string() << "' > /dev/null";
  EXPECT_EQ(run(command.str()), 0) << command.str();
  return read_text(json);
}

TEST(CorpusCli, WholeAlbumIsMeasuredAndTheReportIgnoresThreads) {
  std::string why;
  const std::string root = gloss::test::prepare_corpus(why).string();
  if (root.empty()) GTEST_SKIP() << "real-music corpus unavailable: " << why;
  const fs::path scratch = fs::path(GLOSS_BINARY_DIR) / "corpus-cli";
  fs::create_directories(scratch);

  const nlohmann::json full = nlohmann::json::parse(analyze(root + "/wesnoth", 2, scratch / "full.json"));
  EXPECT_EQ(full["summary"]["tracks"], 41);
  EXPECT_EQ(full["summary"]["measured"], 41);
  EXPECT_EQ(full["summary"]["failed"], 0);
  for (const auto& track : full["albums"][0]["tracks"]) {
    ASSERT_EQ(track["status"], "ok") << track["file"];
    if (track["file"].get<std::string>().ends_with("27-silence.ogg")) {  // the album's 10 s of near-silence
      EXPECT_EQ(track["integrated_lufs"], "-inf");
      continue;
    }
    const double lufs = track["integrated_lufs"].get<double>();
    EXPECT_GT(lufs, -40.0) << track["file"];
    EXPECT_LT(lufs, -5.0) << track["file"];
  }
  // Real lossy overs: some tracks decode above full scale, and gloss keeps them.
  double max_peak = -100;
  for (const auto& track : full["albums"][0]["tracks"]) max_peak = std::max(max_peak, track["sample_peak_dbfs"].get<double>());
  EXPECT_GT(max_peak, 0.0);

  const std::string one = analyze(root + "/wesnoth-short", 1, scratch / "short-1.json");
  const std::string two = analyze(root + "/wesnoth-short", 2, scratch / "short-2.json");
  EXPECT_FALSE(one.empty());
  EXPECT_EQ(one, two) << "the JSON report differs between 1 and 2 threads";
}

}  // namespace
