// The CUDA backend: the same kernels as the CPU (core/kernels), launched one thread per block
// tile and per true-peak segment over a whole batch of tracks. This header does not include
// CUDA headers so that host code compiled by g++ can use it.
#pragma once

#include <vector>

#include "gloss/backend.hpp"

namespace gloss {

// Number of usable CUDA devices; 0 when there is no driver or device (never throws).
int cuda_device_count();

// One BackendInfo per device ("cuda:N"), or one unavailable entry saying why there is none.
std::vector<BackendInfo> cuda_backend_infos();

class CudaBackend final : public Backend {
 public:
  explicit CudaBackend(int device);  // throws gloss::Error when the device cannot be used
  std::string name() const override;
  std::string description() const override;
  void run_meter(const std::vector<MeterWork*>& batch) override;

 private:
  int device_;
  std::string description_;
};

}  // namespace gloss
