#include "kernel_isa.hpp"

#include "gloss/error.hpp"
#include "kernels/block_tile.hpp"
#include "kernels/true_peak.hpp"

namespace gloss {

namespace kernels {
const KernelTable& baseline_kernels() {
  static const KernelTable table{&meter_block_tile, &true_peak_segment, &true_peak_range, &limiter_detect};
  return table;
}
}  // namespace kernels

std::string to_string(KernelIsa isa) { return isa == KernelIsa::Avx2 ? "avx2" : "baseline"; }

bool kernel_isa_available(KernelIsa isa) {
  if (isa == KernelIsa::Baseline) return true;
#if GLOSS_HAVE_AVX2_KERNELS
  return __builtin_cpu_supports("avx2") != 0;
#else
  return false;
#endif
}

KernelIsa best_kernel_isa() { return kernel_isa_available(KernelIsa::Avx2) ? KernelIsa::Avx2 : KernelIsa::Baseline; }

const kernels::KernelTable& kernel_table(KernelIsa isa) {
  if (!kernel_isa_available(isa)) throw Error("the " + to_string(isa) + " kernels are not available on this processor or build");
#if GLOSS_HAVE_AVX2_KERNELS
  if (isa == KernelIsa::Avx2) return kernels::avx2_kernels();
#endif
  return kernels::baseline_kernels();
}

}  // namespace gloss
