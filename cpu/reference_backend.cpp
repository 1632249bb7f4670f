#include "reference_backend.hpp"

#include <algorithm>
#include <random>

#include "kernel_isa.hpp"
#include "meter_work.hpp"

namespace gloss {

std::string ReferenceBackend::description() const {
  return shuffle_seed_ ? "scalar reference executor, one thread, shuffled work order"
                       : "scalar reference executor, one thread, tiles in order";
}

void ReferenceBackend::run_meter(const std::vector<MeterWork*>& batch) {
  std::vector<MeterWorkItem> items = list_work_items(batch);
  if (shuffle_seed_) {
    std::mt19937_64 rng(*shuffle_seed_);
    std::shuffle(items.begin(), items.end(), rng);
  }
  // The reference always runs the baseline copy of the kernels: no vector instruction set.
  const kernels::KernelTable& table = kernel_table(KernelIsa::Baseline);
  for (const MeterWorkItem& item : items) run_work_item(*batch[item.track], item, table);
}

}  // namespace gloss
