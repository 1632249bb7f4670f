// Which compiled copy of the kernels the CPU runs: the baseline (x86-64 SSE2, or whatever
// the target's default is) or AVX2 where the processor has it. Every copy gives the same
// bits; the choice changes speed only.
#pragma once

#include <string>

#include "kernels/kernel_table.hpp"

namespace gloss {

enum class KernelIsa { Baseline, Avx2 };

std::string to_string(KernelIsa isa);
bool kernel_isa_available(KernelIsa isa);  // compiled in and supported by this processor
KernelIsa best_kernel_isa();
const kernels::KernelTable& kernel_table(KernelIsa isa);  // throws gloss::Error if unavailable

}  // namespace gloss
