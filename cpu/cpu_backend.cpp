#include "cpu_backend.hpp"

#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/info.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>

#include "meter_work.hpp"

namespace gloss {

struct CpuBackend::Arena {
  tbb::task_arena arena;
  explicit Arena(int threads) : arena(threads) {}
};

CpuBackend::CpuBackend(int threads, KernelIsa isa)
    : threads_(threads > 0 ? threads : static_cast<int>(tbb::info::default_concurrency())),
      isa_(isa),
      arena_(std::make_unique<Arena>(threads_)) {
  kernel_table(isa_);  // throws now, not mid-batch, if this processor lacks the instruction set
}

CpuBackend::~CpuBackend() = default;

std::string CpuBackend::description() const {
  return fmt::format("oneTBB over tiles, {} thread{}, {} kernels", threads_, threads_ == 1 ? "" : "s", to_string(isa_));
}

void CpuBackend::run_meter(const std::vector<MeterWork*>& batch) {
  std::vector<MeterWorkItem> items = list_work_items(batch);
  const kernels::KernelTable& table = kernel_table(isa_);
  // Longest items first would need sizes; tiles are similar in size, so a plain range with
  // grain 1 balances well.
  arena_->arena.execute([&] {
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, items.size(), 1),
                      [&](const tbb::blocked_range<std::size_t>& r) {
                        for (std::size_t i = r.begin(); i != r.end(); ++i)
                          run_work_item(*batch[items[i].track], items[i], table);
                      });
  });
}

}  // namespace gloss
