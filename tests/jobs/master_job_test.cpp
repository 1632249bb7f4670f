// `gloss master` as a catalog job (issue 5): the journal makes a rerun a no-op and resumes an
// interrupted job; a SIGKILL at any moment leaves no partial file visible and the rerun
// delivers the same bytes; Ctrl-C stops cleanly (twice: at once); the number of workers
// changes nothing in the outputs or the report.
#include <gtest/gtest.h>
#include <signal.h>
#include <sndfile.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "support/run_program.hpp"
#include "support/signals.hpp"
#include "support/temp_folder.hpp"
#include "support/wav_file.hpp"

namespace {

namespace fs = std::filesystem;
using gloss::test::run_program;

std::string bytes_of(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

// Every file under `root` except the journal folder, by relative path -> bytes.
std::map<std::string, std::string> files_under(const fs::path& root) {
  std::map<std::string, std::string> out;
  if (!fs::exists(root)) return out;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    const std::string rel = e.path().lexically_relative(root).string();
    if (rel.starts_with(".gloss") || !e.is_regular_file()) continue;
    out[rel] = bytes_of(e.path());
  }
  return out;
}

// Starts gloss without waiting (stdout/stderr to /dev/null).
pid_t start(const std::vector<std::string>& args, const fs::path& cwd) {
  const pid_t pid = fork();
  if (pid == 0) {
    if (chdir(cwd.c_str()) != 0) _exit(127);
    freopen("/dev/null", "w", stdout);
    freopen("/dev/null", "w", stderr);
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(GLOSS_EXE));
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(GLOSS_EXE, argv.data());
    _exit(127);
  }
  return pid;
}

int wait_status(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string fmt_album(int album) { return std::string("Album ") + static_cast<char>('0' + album); }
std::string fmt_track(int track) { return std::string("0") + static_cast<char>('1' + track) + " song.wav"; }

class MasterJob : public ::testing::Test {
 protected:
  void SetUp() override {
    // Three albums of two tracks: a few seconds of work, enough to be killed in the middle.
    for (int album = 0; album < 3; ++album)
      for (int track = 0; track < 2; ++track)
        gloss::test::write_wav(catalog() / fmt_album(album) / fmt_track(track),
                  gloss::test::programme(48000, 2, 6.0 + album, static_cast<std::uint64_t>(10 * album + track)), 0.9f);
  }
  fs::path catalog() const { return folder_.path() / "catalog"; }
  fs::path scratch() {
    fs::path p = folder_.path();
    p /= "scratch";
    p += std::to_string(++runs_);
    fs::create_directories(p);
    return p;
  }
  // A folder to run in: the report names "out/..." the same way in every one.
  fs::path trial(const std::string& name) {
    const fs::path p = folder_.path() / name;
    fs::create_directories(p);
    return p;
  }
  std::vector<std::string> args(const std::vector<std::string>& extra = {}) const {
    std::vector<std::string> a{"master", catalog().string(), "-o", "out", "--json", "report.json", "--threads", "2",
                               "--progress", "lines"};
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
  }
  gloss::test::Outcome run(const fs::path& cwd, const std::vector<std::string>& extra = {}) {
    return run_program(GLOSS_EXE, args(extra), cwd, scratch());
  }
  // The outputs and report of an uninterrupted run (made once).
  const std::map<std::string, std::string>& reference() {
    if (reference_.empty()) {
      const fs::path cwd = trial("reference");
      const auto r = run(cwd);
      EXPECT_EQ(r.status, 0) << r.err;
      reference_ = files_under(cwd / "out");
      reference_["report.json"] = bytes_of(cwd / "report.json");
    }
    return reference_;
  }
  static void expect_no_temporaries(const fs::path& root) {
    for (const auto& e : fs::recursive_directory_iterator(root))
      EXPECT_EQ(e.path().filename().string().find(".tmp-"), std::string::npos) << "left behind: " << e.path();
  }

  gloss::test::TempFolder folder_{"gloss-master-job"};
  int runs_ = 0;
  std::map<std::string, std::string> reference_;
};

TEST_F(MasterJob, RerunningAFinishedJobIsANoOpAndForceRedoesIt) {
  const fs::path cwd = trial("rerun");
  ASSERT_EQ(run(cwd).status, 0);
  const auto first = files_under(cwd / "out");
  const auto mtime = fs::last_write_time(cwd / "out" / "catalog" / "Album 0" / "01 song.wav");
  const std::string report = bytes_of(cwd / "report.json");
  const auto again = run(cwd);
  ASSERT_EQ(again.status, 0) << again.err;
  EXPECT_NE(again.err.find("3 albums already done"), std::string::npos) << again.err;
  EXPECT_EQ(fs::last_write_time(cwd / "out" / "catalog" / "Album 0" / "01 song.wav"), mtime) << "a finished file was made again";
  EXPECT_EQ(bytes_of(cwd / "report.json"), report) << "the resumed report differs";
  const auto forced = run(cwd, {"--force"});
  ASSERT_EQ(forced.status, 0) << forced.err;
  EXPECT_NE(forced.err.find("0 albums already done"), std::string::npos) << forced.err;
  EXPECT_EQ(files_under(cwd / "out"), first) << "--force made different bytes";
  EXPECT_EQ(bytes_of(cwd / "report.json"), report);
}

TEST_F(MasterJob, AnInputThatChangedIsMadeAgain) {
  const fs::path cwd = trial("changed");
  ASSERT_EQ(run(cwd).status, 0);
  gloss::test::write_wav(catalog() / "Album 1" / "02 song.wav", gloss::test::programme(48000, 2, 5.0, 99), 0.9f);
  const auto again = run(cwd);
  ASSERT_EQ(again.status, 0) << again.err;
  EXPECT_NE(again.err.find("2 albums already done"), std::string::npos) << again.err;
}

TEST_F(MasterJob, TheNumberOfWorkersChangesNothing) {
  const auto& one = reference();
  const fs::path cwd = trial("three-workers");
  const auto r = run(cwd, {"--workers", "3"});
  ASSERT_EQ(r.status, 0) << r.err;
  auto three = files_under(cwd / "out");
  three["report.json"] = bytes_of(cwd / "report.json");
  ASSERT_EQ(three.size(), one.size());
  for (const auto& [name, data] : one) EXPECT_TRUE(three[name] == data) << name << " differs with 3 workers";
}

TEST_F(MasterJob, FloatOutputsAreTheSameBytesWhenMadeAtAnotherTime) {
  // libsndfile's PEAK chunk records the time of writing: gloss writes none, so a float master
  // made a second later (another shard, a rerun) is the same file.
  std::vector<std::string> bytes;
  for (const char* name : {"float-a", "float-b"}) {
    const fs::path cwd = trial(name);
    const auto r = run_program(GLOSS_EXE, {"master", (catalog() / "Album 0").string(), "-o", "out", "--bits", "32", "-q"},
                               cwd, scratch());
    ASSERT_EQ(r.status, 0) << r.err;
    bytes.push_back(bytes_of(cwd / "out" / "Album 0" / "01 song.wav"));
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  }
  EXPECT_FALSE(bytes[0].empty());
  EXPECT_TRUE(bytes[0] == bytes[1]) << "a float master differs when written a second later";
}

TEST_F(MasterJob, ThreeShardsMergedEqualOneProcess) {
  const auto& expected = reference();
  const fs::path cwd = trial("shards");
  std::vector<std::string> merge{"report", "merge"};
  for (int k = 1; k <= 3; ++k) {
    const std::string report = "shard-" + std::to_string(k) + ".json";
    std::vector<std::string> a{"master", catalog().string(), "-o", "out", "--json", report, "--threads", "2",
                               "--shard", std::to_string(k) + "/3", "-q"};
    const auto r = run_program(GLOSS_EXE, a, cwd, scratch());
    ASSERT_EQ(r.status, 0) << r.err;
    merge.push_back(report);
  }
  merge.insert(merge.end(), {"--json", "report.json"});
  const auto m = run_program(GLOSS_EXE, merge, cwd, scratch());
  ASSERT_EQ(m.status, 0) << m.err;
  auto merged = files_under(cwd / "out");
  merged["report.json"] = bytes_of(cwd / "report.json");
  ASSERT_EQ(merged.size(), expected.size());
  for (const auto& [name, data] : expected) EXPECT_TRUE(merged[name] == data) << name << " differs when sharded";
  // A shard missing is refused, not silently merged.
  const auto partial = run_program(GLOSS_EXE, {"report", "merge", "shard-1.json", "shard-2.json", "--json", "x.json"}, cwd, scratch());
  EXPECT_EQ(partial.status, 2);
  EXPECT_NE(partial.err.find("3/3 missing"), std::string::npos) << partial.err;
}

TEST_F(MasterJob, AnalyzeShardsMergedAndWorkersEqualOneProcess) {
  const fs::path cwd = trial("analyze-shards");
  const auto whole = run_program(GLOSS_EXE, {"analyze", catalog().string(), "--json", "whole.json", "-q"}, cwd, scratch());
  ASSERT_EQ(whole.status, 0) << whole.err;
  const auto workers = run_program(GLOSS_EXE, {"analyze", catalog().string(), "--json", "workers.json", "-q", "--workers", "3"},
                                   cwd, scratch());
  ASSERT_EQ(workers.status, 0) << workers.err;
  EXPECT_EQ(bytes_of(cwd / "workers.json"), bytes_of(cwd / "whole.json")) << "3 workers changed the report";
  std::vector<std::string> merge{"report", "merge"};
  for (int k = 1; k <= 3; ++k) {
    const std::string report = "shard-" + std::to_string(k) + ".json";
    const auto r = run_program(GLOSS_EXE, {"analyze", catalog().string(), "--json", report, "--shard", std::to_string(k) + "/3", "-q"},
                               cwd, scratch());
    ASSERT_EQ(r.status, 0) << r.err;
    merge.push_back(report);
  }
  merge.insert(merge.end(), {"--json", "merged.json"});
  ASSERT_EQ(run_program(GLOSS_EXE, merge, cwd, scratch()).status, 0);
  EXPECT_EQ(bytes_of(cwd / "merged.json"), bytes_of(cwd / "whole.json"));
}

TEST_F(MasterJob, ASigkillAtAnyMomentLosesNothingAndTheRerunGivesTheSameBytes) {
  const auto& expected = reference();
  for (int delay_ms : {150, 600, 1200, 2000, 3000}) {
    SCOPED_TRACE("killed after " + std::to_string(delay_ms) + " ms");
    const fs::path cwd = trial(std::string("kill-").append(std::to_string(delay_ms)));
    const pid_t pid = start(args(), cwd);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    kill(pid, SIGKILL);
    wait_status(pid);
    // Whatever is visible is complete: every file there has the finished bytes.
    for (const auto& [name, data] : files_under(cwd / "out")) {
      if (fs::path(name).filename().string().front() == '.') continue;  // hidden: a temporary
      EXPECT_TRUE(expected.count(name) && expected.at(name) == data) << name << " is visible but not the finished file";
    }
    const auto rerun = run(cwd);
    ASSERT_EQ(rerun.status, 0) << rerun.err;
    auto after = files_under(cwd / "out");
    after["report.json"] = bytes_of(cwd / "report.json");
    EXPECT_EQ(after.size(), expected.size());
    for (const auto& [name, data] : expected) EXPECT_TRUE(after[name] == data) << name << " differs after resuming";
    expect_no_temporaries(cwd);
  }
}

TEST_F(MasterJob, CtrlCStopsCleanlyAndTheRerunFinishes) {
  const auto& expected = reference();
  const fs::path cwd = trial("ctrl-c");
  const pid_t pid = start(args(), cwd);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  kill(pid, SIGINT);
  EXPECT_EQ(wait_status(pid), 130);
  expect_no_temporaries(cwd);
  const auto rerun = run(cwd);
  ASSERT_EQ(rerun.status, 0) << rerun.err;
  auto after = files_under(cwd / "out");
  after["report.json"] = bytes_of(cwd / "report.json");
  for (const auto& [name, data] : expected) EXPECT_TRUE(after[name] == data) << name << " differs after Ctrl-C";
}

TEST_F(MasterJob, ASecondCtrlCStopsAtOnceLeavingNothingPartial) {
  const fs::path cwd = trial("ctrl-c-twice");
  const pid_t pid = start(args(), cwd);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  kill(pid, SIGINT);
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  kill(pid, SIGINT);
  EXPECT_EQ(wait_status(pid), 130);
  expect_no_temporaries(cwd);
}

}  // namespace
