// The kernels compiled a second time, for AVX2 (this file alone gets -mavx2; see
// core/CMakeLists.txt). It includes nothing but the kernel headers, so no library inline
// function is ever compiled here for AVX2 and shared with baseline code; tests/rules checks
// the object file for any symbol outside the avx2 namespace.
#include <type_traits>

#include "kernels/block_tile.hpp"
#include "kernels/kernel_table.hpp"
#include "kernels/limiter.hpp"
#include "kernels/true_peak.hpp"

// Data types shared by every copy must have no inline constructors of their own: those would
// be emitted here with AVX2 instructions under names shared with the baseline copy.
static_assert(std::is_trivially_default_constructible_v<gloss::kernels::BiquadState>);
static_assert(std::is_trivially_default_constructible_v<gloss::kernels::TileStats>);

namespace gloss::kernels {

const KernelTable& avx2_kernels() {
  static const KernelTable table{&meter_block_tile, &true_peak_segment, &true_peak_range, &limiter_detect};
  return table;
}

}  // namespace gloss::kernels
