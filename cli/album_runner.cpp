#include "album_runner.hpp"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>

#include "interrupt.hpp"

namespace gloss::cli {

void run_albums(std::vector<AlbumJob> jobs, const RunnerLimits& limits,
                const std::function<void(std::size_t, int)>& work) {
  std::stable_sort(jobs.begin(), jobs.end(),
                   [](const AlbumJob& a, const AlbumJob& b) { return a.input_bytes > b.input_bytes; });
  std::mutex mutex;
  std::condition_variable changed;
  std::size_t next = 0;
  std::uint64_t in_use = 0;
  int running = 0;

  auto fits = [&](const AlbumJob& job) {
    return limits.max_memory_bytes == 0 || running == 0 || in_use + job.memory_bytes <= limits.max_memory_bytes;
  };
  auto worker = [&](int index) {
    for (;;) {
      AlbumJob job;
      {
        std::unique_lock lock(mutex);
        // The queue keeps its order: the next album waits for memory rather than being
        // overtaken by smaller ones (which would starve it).
        changed.wait(lock, [&] { return next >= jobs.size() || interrupt_requested() || fits(jobs[next]); });
        if (next >= jobs.size() || interrupt_requested()) return;
        job = jobs[next++];
        in_use += job.memory_bytes;
        ++running;
      }
      work(job.album, index);
      {
        std::lock_guard lock(mutex);
        in_use -= job.memory_bytes;
        --running;
      }
      changed.notify_all();
    }
  };
  const int count = std::max(1, limits.workers);
  if (count == 1) {
    worker(0);
    return;
  }
  std::vector<std::thread> threads;
  for (int i = 0; i < count; ++i) threads.emplace_back(worker, i);
  for (std::thread& t : threads) t.join();
}

std::uint64_t parse_memory_size(const std::string& text) {
  if (text == "0" || text == "none") return 0;
  std::size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  const std::string unit = text.substr(used);
  double scale = 0;
  if (unit.empty() || unit == "B") scale = 1;
  else if (unit == "K" || unit == "KB" || unit == "KiB") scale = 1024.0;
  else if (unit == "M" || unit == "MB" || unit == "MiB") scale = 1024.0 * 1024;
  else if (unit == "G" || unit == "GB" || unit == "GiB") scale = 1024.0 * 1024 * 1024;
  else if (unit == "T" || unit == "TB" || unit == "TiB") scale = 1024.0 * 1024 * 1024 * 1024;
  if (used == 0 || scale == 0 || !(value >= 0) || value * scale > 1e18)
    throw std::invalid_argument("'" + text + "' is not a memory size: use a number with K, M, G or T (e.g. 8G, 512M), or 0 for no limit");
  return static_cast<std::uint64_t>(value * scale);
}

}  // namespace gloss::cli
