// Progress lines on stderr ("[3/40] album/track.flac"), only for a person watching: stderr
// is a terminal and --quiet was not given. Safe to call from decoding threads.
#pragma once

#include <cstddef>
#include <mutex>
#include <string>

namespace gloss::cli {

class Progress {
 public:
  Progress(std::size_t total, bool quiet);
  // Reports that one more item (named `what`) is done.
  void step(const std::string& what);
  // Erases the progress line so that other output starts on a clean line.
  void clear();

 private:
  std::mutex mutex_;
  std::size_t total_;
  std::size_t done_ = 0;
  bool enabled_;
  bool line_shown_ = false;
};

}  // namespace gloss::cli
