// Inputs that vanish or change while `gloss master` runs a catalog: a later album loses one
// file, has one truncated and one replaced by text while the first album is being mastered.
// The run goes on; each affected track fails with a message naming it; nothing partial is
// written; exit 1. Once the files are back, a rerun masters that album (the journal sees the
// inputs changed) and leaves the finished one alone.
#include <gtest/gtest.h>
#include <sndfile.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "child_process.hpp"
#include "support/signals.hpp"
#include "support/temp_folder.hpp"
#include "support/wav_file.hpp"

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

std::vector<std::string> files_in(const fs::path& folder) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(folder)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

class VanishingInput : public ::testing::Test {
 protected:
  void SetUp() override {
    // "A long" is the bigger album, so it is mastered first (largest first), and takes long
    // enough (20 s of audio, about a second) for the test to change "B short" before it is
    // reached: the test acts within milliseconds of the job starting.
    for (int k = 0; k < 2; ++k)
      gloss::test::write_wav(catalog() / "A long" / (std::to_string(k + 1) + ".wav"), gloss::test::programme(48000, 2, 10.0, 100 + k), 0.5f);
    for (const char* name : {"keep", "vanish", "truncate", "replace"}) write_short(name);
  }
  void write_short(const std::string& name) {
    gloss::test::write_wav(catalog() / "B short" / (name + ".wav"), gloss::test::programme(48000, 2, 2.0, std::hash<std::string>{}(name)), 0.5f);
  }
  fs::path catalog() const { return folder_.path() / "catalog"; }
  fs::path mastered() const { return folder_.path() / "out" / "catalog"; }  // -o keeps the argument's folder
  std::vector<std::string> args() const {
    return {"master", "catalog", "-o", "out", "--json", "report.json", "--threads", "2", "--workers", "1",
            "--progress", "lines"};
  }
  gloss::test::TempFolder folder_{"gloss-vanishing"};
};

TEST_F(VanishingInput, ATrackThatChangesMidJobFailsAloneAndIsMadeOnTheRerun) {
  const fs::path b = catalog() / "B short";
  {
    gloss::test::Child child(GLOSS_EXE, args(), folder_.path(), folder_.path() / "run1");
    // The job has listed the catalog and started album A ("2 albums (0 already done), ...").
    ASSERT_TRUE(child.wait_for_stderr("already done)", std::chrono::seconds(60)));
    fs::remove(b / "vanish.wav");
    fs::resize_file(b / "truncate.wav", fs::file_size(b / "truncate.wav") / 2);
    std::ofstream(b / "replace.wav", std::ios::trunc) << "replaced by a text file while the job ran\n";
    const gloss::test::ChildResult r = child.finish();
    EXPECT_EQ(r.status, 1) << r.err;
    // Album A was not touched by any of this, and B's intact track was written.
    EXPECT_TRUE(fs::exists(mastered() / "A long" / "1.wav"));
    EXPECT_TRUE(fs::exists(mastered() / "A long" / "2.wav"));
    EXPECT_EQ(files_in(mastered() / "B short"), std::vector<std::string>{"keep.wav"})
        << "a failed track left something behind";
    for (const std::string& expected : {std::string("catalog/B short/vanish.wav: file does not exist"),
                                        std::string("catalog/B short/truncate.wav: truncated"),
                                        std::string("catalog/B short/replace.wav: cannot decode")})
      EXPECT_NE(r.err.find(expected), std::string::npos) << expected << "\n" << r.err;
    const Json report = Json::parse(std::ifstream(folder_.path() / "report.json"));
    EXPECT_EQ(report.at("summary").at("failed"), 3) << report.at("summary").dump();
  }
  // The files come back (as their owner would restore them): the rerun makes album B again,
  // whole, and takes album A from the journal.
  for (const char* name : {"vanish", "truncate", "replace"}) write_short(name);
  const gloss::test::ChildResult again =
      gloss::test::run_child(GLOSS_EXE, args(), folder_.path(), folder_.path() / "run2");
  EXPECT_EQ(again.status, 0) << again.err;
  EXPECT_NE(again.err.find("1 album already done"), std::string::npos) << again.err;
  EXPECT_EQ(files_in(mastered() / "B short"),
            (std::vector<std::string>{"keep.wav", "replace.wav", "truncate.wav", "vanish.wav"}));
}

}  // namespace
