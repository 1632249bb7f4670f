// Entry points of one compiled copy of the kernels (see GLOSS_KERNEL_ISA in gloss_hd.hpp).
// Plain function pointers over plain data: this header must stay free of templates and
// library types, because the AVX2 copy includes it.
#pragma once

#include <cstdint>

#include "kernels/limiter.hpp"
#include "kernels/meter_plan.hpp"
#include "kernels/true_peak.hpp"

namespace gloss::kernels {

struct KernelTable {
  void (*block_tile)(const MeterPlan& plan, const float* samples, std::int64_t tile, double* weighted_energy,
                     double* mono_energy, TileStats& stats);
  double (*true_peak)(const TruePeakFilter& filter, const float* channel, std::int64_t frames, std::int64_t segment);
  double (*true_peak_range)(const TruePeakFilter& filter, const float* channel, std::int64_t frames, std::int64_t first,
                            std::int64_t last);
  void (*limiter_detect)(const LimiterShape& shape, const float* channel, std::int64_t frames, std::int64_t first,
                         std::int64_t last, float* m);
};

const KernelTable& baseline_kernels();
#if GLOSS_HAVE_AVX2_KERNELS
const KernelTable& avx2_kernels();  // only call when the CPU supports AVX2
#endif

}  // namespace gloss::kernels
