// The CPU backend: the shared kernels scheduled over a oneTBB thread pool, one task per
// block tile or true-peak segment. Bit-identical to the reference executor for any thread
// count because every task writes its own outputs and the host reduces them in index order.
#pragma once

#include <memory>

#include "gloss/backend.hpp"
#include "kernel_isa.hpp"

namespace gloss {

class CpuBackend final : public Backend {
 public:
  // threads 0: all hardware threads. The kernel copy defaults to the fastest this processor
  // runs (AVX2 where available); all copies give the same bits.
  explicit CpuBackend(int threads = 0, KernelIsa isa = best_kernel_isa());
  ~CpuBackend() override;
  std::string name() const override { return "cpu"; }
  std::string description() const override;
  void run_meter(const std::vector<MeterWork*>& batch) override;
  int threads() const { return threads_; }

 private:
  struct Arena;
  int threads_;
  KernelIsa isa_;
  std::unique_ptr<Arena> arena_;
};

}  // namespace gloss
