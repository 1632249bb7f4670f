// Runs a program (the built gloss) in a folder and captures its exit status and output, for
// end-to-end tests. No shell is involved, so arguments need no quoting.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace gloss::test {

struct Outcome {
  int status = -1;  // exit status, or 128 + signal
  std::string out;
  std::string err;
};

// stdout and stderr go through files in `scratch` (which must exist).
Outcome run_program(const std::string& exe, const std::vector<std::string>& args, const std::filesystem::path& cwd,
                    const std::filesystem::path& scratch);

std::string read_text(const std::filesystem::path& path);

}  // namespace gloss::test
