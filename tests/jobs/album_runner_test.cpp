// The album runner's promises: every album runs exactly once, largest first, never more
// memory in flight than the budget (an album larger than the budget runs alone), and no new
// album starts once an interrupt was asked for.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "album_runner.hpp"
#include "interrupt.hpp"

namespace {

using gloss::cli::AlbumJob;
using gloss::cli::run_albums;

TEST(AlbumRunner, EveryAlbumRunsOnceLargestFirstOnOneWorker) {
  std::vector<AlbumJob> jobs{{0, 10, 0}, {1, 30, 0}, {2, 20, 0}, {3, 30, 0}};
  std::vector<std::size_t> order;
  run_albums(jobs, {1, 0}, [&](std::size_t album, int worker) {
    EXPECT_EQ(worker, 0);
    order.push_back(album);
  });
  EXPECT_EQ(order, (std::vector<std::size_t>{1, 3, 2, 0}));  // ties keep catalog order
}

TEST(AlbumRunner, TheMemoryBudgetBoundsWhatIsInFlight) {
  std::vector<AlbumJob> jobs;
  for (std::size_t i = 0; i < 12; ++i) jobs.push_back({i, 100 - i, 300 + 100 * (i % 3)});
  jobs.push_back({12, 1, 5000});  // larger than the whole budget: runs alone
  std::mutex mutex;
  std::uint64_t in_flight = 0, most = 0;
  int running = 0;
  bool big_ran_alone = false;
  std::vector<int> runs(jobs.size(), 0);
  run_albums(jobs, {4, 1000}, [&](std::size_t album, int) {
    {
      std::lock_guard lock(mutex);
      ++runs[album];
      ++running;
      in_flight += jobs[album].memory_bytes;
      most = std::max(most, album == 12 ? 0 : in_flight);
      if (album == 12) big_ran_alone = running == 1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    std::lock_guard lock(mutex);
    --running;
    in_flight -= jobs[album].memory_bytes;
  });
  EXPECT_LE(most, 1000u);
  EXPECT_TRUE(big_ran_alone);
  for (int r : runs) EXPECT_EQ(r, 1);
}

TEST(AlbumRunner, WorkersRunAlbumsAtOnce) {
  std::atomic<int> running{0}, most{0};
  std::vector<AlbumJob> jobs;
  for (std::size_t i = 0; i < 8; ++i) jobs.push_back({i, 1, 0});
  run_albums(jobs, {3, 0}, [&](std::size_t, int worker) {
    EXPECT_GE(worker, 0);
    EXPECT_LT(worker, 3);
    const int now = ++running;
    int seen = most.load();
    while (now > seen && !most.compare_exchange_weak(seen, now)) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    --running;
  });
  EXPECT_EQ(most.load(), 3);
}

TEST(AlbumRunner, MemorySizesParseAndBadOnesAreRefused) {
  using gloss::cli::parse_memory_size;
  EXPECT_EQ(parse_memory_size("0"), 0u);
  EXPECT_EQ(parse_memory_size("none"), 0u);
  EXPECT_EQ(parse_memory_size("512M"), 512ull << 20);
  EXPECT_EQ(parse_memory_size("8G"), 8ull << 30);
  EXPECT_EQ(parse_memory_size("1.5G"), 3ull << 29);
  EXPECT_EQ(parse_memory_size("2000000000"), 2000000000u);
  for (const char* bad : {"", "G", "8X", "-1G", "lots"}) EXPECT_THROW(parse_memory_size(bad), std::invalid_argument) << bad;
}

// Last: the interrupt flag cannot be lowered again in this process.
TEST(AlbumRunner, NoAlbumStartsAfterAnInterrupt) {
  std::vector<AlbumJob> jobs;
  for (std::size_t i = 0; i < 6; ++i) jobs.push_back({i, 6 - i, 0});
  std::vector<std::size_t> ran;
  run_albums(jobs, {1, 0}, [&](std::size_t album, int) {
    ran.push_back(album);
    if (ran.size() == 2) gloss::cli::request_interrupt();
  });
  EXPECT_EQ(ran, (std::vector<std::size_t>{0, 1}));
}

}  // namespace
