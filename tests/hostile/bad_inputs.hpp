// The bad-input corpus of issue 7: files nobody has checked for decades, written from code
// (nothing is downloaded or committed as audio). Each entry says what gloss must do with it:
// refuse it with a message naming the file and the cause, or measure it correctly.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace gloss::test {

struct BadInput {
  std::string name;    // file name inside the corpus folder
  std::string fault;   // what is wrong with it, for messages and the README
  bool refused = true;  // false: gloss must measure it (and the test checks the values)
  std::string reason;  // refused: a phrase the error message must contain
};

// Writes every entry into `folder` (created) and returns the list. Fast and small on disk:
// the 10-hour file is sparse (a header and a hole).
std::vector<BadInput> write_bad_inputs(const std::filesystem::path& folder);

}  // namespace gloss::test
