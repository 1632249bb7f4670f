// Progress of a job on stderr, safe to report from any worker or decoding thread.
//
//   bar    (stderr is a terminal): one live line, redrawn at most 5 times a second:
//          "albums 3/40  tracks 31/412  2 failed  38.1x realtime  ETA 12m04s  Artist/Album"
//   lines  (stderr is not a terminal: logs, Slurm output files): one plain line per album
//   json   (--progress json): one JSON object per line per album and at the end, for tools
//   quiet  (--quiet): nothing
// The ETA is the remaining input bytes at the rate bytes have been done so far.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>

namespace gloss::cli {

enum class ProgressMode { automatic, bar, lines, json, quiet };

// "auto", "bar", "lines", "json", "quiet" (what --progress accepts).
ProgressMode parse_progress_mode(const std::string& word);

struct ProgressTotals {
  std::size_t albums = 0;
  std::size_t tracks = 0;
  std::uint64_t input_bytes = 0;
};

class Progress {
 public:
  Progress(ProgressMode mode, const ProgressTotals& totals);
  // The old form: a live [done/total] line on a terminal unless quiet.
  Progress(std::size_t tracks, bool quiet);

  // One track is done (`audio_seconds` of input audio; 0 when unknown).
  void track_done(const std::string& what, double audio_seconds = 0, bool failed = false);
  void step(const std::string& what) { track_done(what); }
  // One album is done; `resumed`: found finished in the journal, nothing was redone.
  void album_done(const std::string& album, std::size_t tracks, std::size_t failed, std::uint64_t input_bytes,
                  bool resumed = false);
  // Erases the live line so that other output starts on a clean line.
  void clear();
  // The final line (json mode: a "done" event).
  void finish();

 private:
  double elapsed_s() const;
  double realtime_factor() const;
  std::string eta_text() const;
  void draw_bar(const std::string& what, bool force);

  std::mutex mutex_;
  ProgressMode mode_;
  ProgressTotals totals_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_draw_{};
  std::size_t albums_done_ = 0, tracks_done_ = 0, failed_ = 0, resumed_ = 0;
  std::uint64_t bytes_done_ = 0, bytes_resumed_ = 0;
  double audio_seconds_ = 0;
  bool line_shown_ = false;
};

}  // namespace gloss::cli
