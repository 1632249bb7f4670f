// Runs the built gloss as a child under resource limits and reports how it ended and its
// peak memory (wait4's rusage), for the hostile-input and fault tests.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace gloss::test {

struct ChildLimits {
  std::uint64_t data_bytes = 0;       // RLIMIT_DATA (heap and private mappings); 0: unchanged
  std::uint64_t file_size_bytes = 0;  // RLIMIT_FSIZE, with SIGXFSZ ignored so writes fail (EFBIG); 0: unchanged
};

struct ChildResult {
  int status = -1;  // exit status, or 128 + signal
  std::uint64_t max_rss_bytes = 0;
  std::string out, err;
};

class Child {
 public:
  // Starts `exe args...` in `cwd`; stdout and stderr go to files in `scratch` (created).
  Child(const std::string& exe, const std::vector<std::string>& args, const std::filesystem::path& cwd,
        const std::filesystem::path& scratch, const ChildLimits& limits = {});
  ~Child();
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  // Waits until stderr contains `text`; false when the child ended or `timeout` passed first.
  bool wait_for_stderr(const std::string& text, std::chrono::milliseconds timeout);
  // Waits for the child to end.
  ChildResult finish();

 private:
  pid_t pid_ = -1;
  std::filesystem::path out_, err_;
};

// Starts and finishes in one call.
ChildResult run_child(const std::string& exe, const std::vector<std::string>& args, const std::filesystem::path& cwd,
                      const std::filesystem::path& scratch, const ChildLimits& limits = {});

}  // namespace gloss::test
