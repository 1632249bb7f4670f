// The kernels compiled a second time, for AVX2 (this file alone gets -mavx2; see
// core/CMakeLists.txt). It includes nothing but the kernel headers, so no library inline
// function is ever compiled here for AVX2 and shared with baseline code.
#include "kernels/block_tile.hpp"
#include "kernels/kernel_table.hpp"
#include "kernels/true_peak.hpp"

namespace gloss::kernels {

const KernelTable& avx2_kernels() {
  static const KernelTable table{&meter_block_tile, &true_peak_segment};
  return table;
}

}  // namespace gloss::kernels
