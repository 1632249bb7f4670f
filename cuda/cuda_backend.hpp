// The CUDA backend: the same kernels as the CPU (core/kernels), launched one thread per block
// tile and per true-peak segment over a whole batch of tracks. This header does not include
// CUDA headers so that host code compiled by g++ can use it.
#pragma once

#include <string>
#include <vector>

#include "gloss/backend.hpp"

namespace gloss {

// Number of CUDA devices the driver lists (cuda:0 .. cuda:N-1); 0 when there is no driver or
// device. Never throws.
int cuda_device_count();

// Empty when gloss can run on the device; otherwise why not (e.g. a GPU older than the
// architectures this build has kernels for).
std::string cuda_device_problem(int device);

// The devices gloss can run on, in order (what tests and `auto` iterate over).
std::vector<int> usable_cuda_devices();

// One BackendInfo per device ("cuda:N"), or one unavailable entry saying why there is none.
std::vector<BackendInfo> cuda_backend_infos();

class CudaBackend final : public Backend {
 public:
  explicit CudaBackend(int device);  // throws gloss::Error when the device cannot be used
  std::string name() const override;
  std::string description() const override;
  void run_meter(const std::vector<MeterWork*>& batch) override;

 private:
  void run_chunk(const std::vector<MeterWork*>& chunk);  // one batch that fits in device memory

  int device_;
  std::string description_;
  std::string broken_;  // set after an error that leaves the device's context unusable
};

}  // namespace gloss
