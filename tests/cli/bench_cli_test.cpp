// End-to-end tests of `gloss bench`: the built binary on a short generated signal. They check
// what a user reads (every stage in the table and the JSON, positive figures, the thread
// counts, "n/a" where a device has no path) and the exit codes; never how fast anything is.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "gloss/backend.hpp"
#include "support/run_program.hpp"

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;
using gloss::test::Outcome;

const std::vector<std::string> kStages = {"meter", "eq", "limiter", "src", "dither", "verify", "chain"};

bool cuda_usable() {
  for (const gloss::BackendInfo& b : gloss::list_backends())
    if (b.name.starts_with("cuda") && b.available) return true;
  return false;
}

class GlossBench : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "gloss-bench-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    root_ = pattern;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  Outcome gloss(std::vector<std::string> args) {
    args.insert(args.begin(), "bench");
    return gloss::test::run_program(GLOSS_EXE, args, root_, root_);
  }
  // A short run: 2 s of audio, one timed run per stage.
  Json bench_json(const std::vector<std::string>& extra) {
    std::vector<std::string> args = {"--seconds", "2", "--repeat", "1", "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    const Outcome r = gloss(args);
    EXPECT_EQ(r.status, 0) << r.out << r.err;
    return Json::parse(r.out);
  }

  fs::path root_;
};

const Json& stage_of(const Json& device, const std::string& key) {
  for (const Json& s : device.at("stages"))
    if (s.at("stage") == key) return s;
  ADD_FAILURE() << "stage " << key << " missing in " << device.dump();
  static const Json none;
  return none;
}

void expect_measured(const Json& stage, const std::string& threads) {
  ASSERT_TRUE(stage.at("available").get<bool>()) << stage.dump();
  const double x = stage.at("x_realtime").get<double>();
  EXPECT_TRUE(std::isfinite(x) && x > 0) << stage.dump();
  EXPECT_GT(stage.at("wall_seconds").get<double>(), 0) << stage.dump();
  EXPECT_EQ(stage.at("threads").get<std::string>(), threads) << stage.dump();
}

TEST_F(GlossBench, TableHasEveryStageWithPositiveFigures) {
  const Outcome r = gloss({"--seconds", "2", "--repeat", "1", "--threads", "2"});
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("cpu (2 thr)"), std::string::npos) << r.out;
  for (const std::string& stage : kStages) {
    const std::size_t at = r.out.find("\n" + stage + " (");
    ASSERT_NE(at, std::string::npos) << "no row for " << stage << ":\n" << r.out;
    const std::string row = r.out.substr(at + 1, r.out.find('\n', at + 1) - at - 1);
    const std::size_t x = row.find("x  ");
    ASSERT_NE(x, std::string::npos) << row;
    const std::size_t start = row.find_last_of(' ', x) + 1;
    EXPECT_GT(std::stod(row.substr(start, x - start)), 0) << row;
    EXPECT_NE(row.find("thr"), std::string::npos) << "the row states its thread count: " << row;
  }
  EXPECT_NE(r.out.find("x realtime = seconds of audio per second"), std::string::npos) << r.out;
}

TEST_F(GlossBench, JsonHasEveryStageOnEveryCpuColumn) {
  const Json doc = bench_json({"--device", "cpu,reference", "--threads", "2"});
  EXPECT_EQ(doc.at("schema"), "gloss.bench v1");
  EXPECT_EQ(doc.at("audio").at("sample_rate"), 48000);
  EXPECT_EQ(doc.at("audio").at("channels"), 2);
  EXPECT_EQ(doc.at("audio").at("seconds"), 2.0);
  EXPECT_EQ(doc.at("eq_taps"), 8191);
  EXPECT_EQ(doc.at("bits"), 16);
  ASSERT_EQ(doc.at("devices").size(), 2u);
  const Json& cpu = doc.at("devices")[0];
  const Json& reference = doc.at("devices")[1];
  EXPECT_EQ(cpu.at("backend"), "cpu");
  EXPECT_EQ(cpu.at("threads"), 2);
  EXPECT_EQ(reference.at("backend"), "reference");
  EXPECT_EQ(reference.at("threads"), 1);
  ASSERT_EQ(cpu.at("stages").size(), kStages.size());
  for (const std::string& s : kStages) expect_measured(stage_of(reference, s), s == "chain" ? "1+1" : "1");
  expect_measured(stage_of(cpu, "meter"), "2");
  expect_measured(stage_of(cpu, "eq"), "2");
  expect_measured(stage_of(cpu, "limiter"), "1");
  expect_measured(stage_of(cpu, "src"), "2");  // one thread per channel
  expect_measured(stage_of(cpu, "dither"), "2");
  expect_measured(stage_of(cpu, "verify"), "1");
  expect_measured(stage_of(cpu, "chain"), "2+1");
}

TEST_F(GlossBench, UnavailableCudaIsAnErrorNeverAFallback) {
  if (cuda_usable()) {  // with a GPU: meter, limiter, SRC, dither run there; the rest say they cannot
    const Json doc = bench_json({"--device", "cuda"});
    const Json& cuda = doc.at("devices")[0];
    for (const char* s : {"meter", "limiter", "src", "dither"}) expect_measured(stage_of(cuda, s), "gpu");
    for (const char* s : {"eq", "verify", "chain"}) {
      EXPECT_FALSE(stage_of(cuda, s).at("available").get<bool>()) << s;
      EXPECT_EQ(stage_of(cuda, s).at("reason"), "CPU only") << s;
    }
    return;
  }
  for (const char* device : {"cuda", "cpu,cuda:3"}) {
    const Outcome r = gloss({"--device", device, "--seconds", "1", "--repeat", "1"});
    EXPECT_EQ(r.status, 3) << r.out << r.err;
    EXPECT_NE(r.err.find("device 'cuda"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("unavailable"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("gloss devices"), std::string::npos) << "tells the user where to look: " << r.err;
    EXPECT_TRUE(r.out.empty()) << "never falls back to the CPU:\n" << r.out;
  }
}

TEST_F(GlossBench, BadFlagsAreUsageErrors) {
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"--device", "gpu"},
           {"--device", "cpu,gpu"},
           {"--seconds", "0"},
           {"--seconds", "many"},
           {"--threads", "-1"},
           {"--repeat", "0"},
           {"--frobnicate"},
           {"extra-argument"}}) {
    const Outcome r = gloss(args);
    EXPECT_EQ(r.status, 2) << args[0] << ": " << r.out << r.err;
    EXPECT_FALSE(r.err.empty()) << args[0];
  }
}

TEST_F(GlossBench, HelpTeaches) {
  const Outcome r = gloss({"--help"});
  ASSERT_EQ(r.status, 0) << r.err;
  for (const char* word : {"x realtime", "--device", "--seconds", "--threads", "--json", "Examples:",
                           "gloss bench --device cpu,cuda", "n/a (CPU only)", "Exit status", "reference"})
    EXPECT_NE(r.out.find(word), std::string::npos) << word << " missing from:\n" << r.out;
  for (const std::string& stage : kStages) EXPECT_NE(r.out.find("  " + stage + " "), std::string::npos) << stage;
}

}  // namespace
