// What the output-fault tests share: a catalog of one album of two 5 s tracks, `gloss
// master` on it, the checks every failed run must pass, and mounts that undo themselves.
#pragma once

#include <gtest/gtest.h>
#include <sndfile.h>
#include <sys/mount.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "child_process.hpp"
#include "support/signals.hpp"
#include "support/temp_folder.hpp"
#include "support/wav_file.hpp"

namespace gloss::test {

namespace fs = std::filesystem;
using Json = nlohmann::json;

// Every regular file under `root`, relative, the journal folder apart.
inline std::vector<std::string> outputs_under(const fs::path& root) {
  std::vector<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    const std::string rel = e.path().lexically_relative(root).string();
    if (!rel.starts_with(".gloss") && e.is_regular_file()) out.push_back(rel);
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The journal's records of one kind ("track" or "album").
inline std::vector<Json> journal_records(const fs::path& out, const std::string& kind) {
  std::vector<Json> records;
  if (!fs::exists(out / ".gloss")) return records;
  for (const auto& e : fs::directory_iterator(out / ".gloss")) {
    std::ifstream in(e.path());
    for (std::string line; std::getline(in, line);) {
      const Json j = Json::parse(line, nullptr, false);
      if (!j.is_discarded() && j.value("record", "") == kind) records.push_back(j);
    }
  }
  return records;
}

// A mount made for one test and undone when it ends; `ok` is false (with `why`) when this
// process may not mount.
struct Mount {
  fs::path where;
  bool ok = false;
  std::string why;
  Mount(const std::string& source, const fs::path& target, const char* type, unsigned long flags, const char* data)
      : where(target) {
    ok = ::mount(source.c_str(), target.c_str(), type, flags, data) == 0;
    if (!ok) why = std::strerror(errno);
  }
  ~Mount() {
    if (ok) ::umount2(where.c_str(), MNT_DETACH);
  }
  Mount(const Mount&) = delete;
  Mount& operator=(const Mount&) = delete;
};

class OutputFaults : public ::testing::Test {
 protected:
  void SetUp() override {
    // One album of two 5 s tracks: 1.4 MB each as 24-bit stereo.
    for (int k = 0; k < 2; ++k)
      gloss::test::write_wav(catalog() / "Album" / (std::to_string(k + 1) + " song.wav"), gloss::test::programme(48000, 2, 5.0, 7 + k), 0.5f);
  }
  fs::path root() const { return folder_.path(); }
  fs::path catalog() const { return root() / "catalog"; }
  gloss::test::ChildResult master(const fs::path& out, const std::string& scratch, gloss::test::ChildLimits limits = {}) {
    return gloss::test::run_child(GLOSS_EXE,
                                  {"master", "catalog", "-o", out.string(), "--json", "report.json", "--threads", "2"},
                                  root(), root() / scratch, limits);
  }
  // What every failed run must satisfy: exit 1, each failed track named with `cause` on
  // stderr and in the report, only whole masters in `out`, no album counted as done.
  void expect_failed_cleanly(const gloss::test::ChildResult& r, const fs::path& out, const std::string& cause,
                             std::size_t expected_failures) {
    EXPECT_EQ(r.status, 1) << r.err;
    const Json report = Json::parse(std::ifstream(root() / "report.json"));
    std::size_t failures = 0;
    for (const Json& t : report.at("albums").at(0).at("tracks")) {
      if (t.at("error").is_null()) continue;
      ++failures;
      const std::string error = t.at("error").get<std::string>();
      EXPECT_NE(error.find(cause), std::string::npos) << error;
      EXPECT_NE(error.find(" song."), std::string::npos) << "the file is not named: " << error;
      EXPECT_NE(r.err.find(error), std::string::npos) << "not on stderr: " << error;
    }
    EXPECT_EQ(failures, expected_failures) << r.err;
    for (const std::string& name : outputs_under(out)) {
      EXPECT_EQ(name.find(".tmp-"), std::string::npos) << "temporary file left: " << name;
      EXPECT_TRUE(name.ends_with(" song.wav")) << name;
    }
    EXPECT_EQ(outputs_under(out).size(), 2 - expected_failures);
    EXPECT_EQ(journal_records(out, "track").size(), 2 - expected_failures) << "a failed track was journaled";
    EXPECT_TRUE(journal_records(out, "album").empty()) << "an album with a failed track was journaled as done";
  }
  gloss::test::TempFolder folder_{"gloss-output-faults"};
};

}  // namespace gloss::test
