#include "progress.hpp"

#include <unistd.h>

#include <cstdio>
#include <fmt/format.h>

namespace gloss::cli {

Progress::Progress(std::size_t total, bool quiet) : total_(total), enabled_(!quiet && ::isatty(STDERR_FILENO) == 1) {}

void Progress::step(const std::string& what) {
  std::lock_guard lock(mutex_);
  ++done_;
  if (!enabled_) return;
  // "\r" + erase-line (a cursor control, not a colour, so NO_COLOR does not apply).
  fmt::print(stderr, "\r\x1b[2K[{}/{}] {}", done_, total_, what);
  std::fflush(stderr);
  line_shown_ = true;
}

void Progress::clear() {
  std::lock_guard lock(mutex_);
  if (!line_shown_) return;
  fmt::print(stderr, "\r\x1b[2K");
  std::fflush(stderr);
  line_shown_ = false;
}

}  // namespace gloss::cli
