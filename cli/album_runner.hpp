// Runs the albums of a catalog job on a set of workers (one per GPU and/or CPU workers).
//
// Albums are queued largest first (by input bytes: the longest albums start early so the
// job does not end waiting on one of them). An album starts only when its estimated peak
// memory fits, with the albums already running, in the budget (--max-memory); an album larger
// than the whole budget runs alone. Which worker runs an album never changes its output:
// the chain is deterministic, and reports are ordered by catalog position, not completion.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace gloss::cli {

struct AlbumJob {
  std::size_t album = 0;         // catalog position (what the work function is given)
  std::uint64_t input_bytes = 0;  // queue order
  std::uint64_t memory_bytes = 0;  // estimated peak while it runs
};

struct RunnerLimits {
  int workers = 1;
  std::uint64_t max_memory_bytes = 0;  // 0: no budget
};

// Calls work(album, worker) for every job, on `limits.workers` threads (worker = 0..workers-1),
// and returns when all are done. Once interrupt_requested() (interrupt.hpp), no new album
// starts. `work` must not throw (a failing album is reported by the work itself).
void run_albums(std::vector<AlbumJob> jobs, const RunnerLimits& limits,
                const std::function<void(std::size_t album, int worker)>& work);

// Parses "8G", "512M", "1.5G", "2000000000" (bytes); 0 for "0" or "none". Throws
// std::invalid_argument with a message for anything else.
std::uint64_t parse_memory_size(const std::string& text);

}  // namespace gloss::cli
