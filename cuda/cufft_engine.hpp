// The CUDA side of exact convolution: cuFFT double transforms behind the FftEngine interface,
// and a convolver that runs the shared kernels (core/kernels/exact_conv.hpp) as __global__
// wrappers around them. No CUDA headers here, so g++-compiled code can use it.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "exact_convolution.hpp"

namespace gloss {

// Batched D2Z/Z2D plans (cufftPlanMany), made once per (size, batch) and reused, all sharing
// one work area, run on the engine's own stream. Pointers are device pointers. Every cuFFT
// failure becomes a gloss::Error naming the call.
class CufftEngine final : public FftEngine {
 public:
  explicit CufftEngine(int device);  // creates its stream on `device`
  ~CufftEngine() override;
  CufftEngine(const CufftEngine&) = delete;
  CufftEngine& operator=(const CufftEngine&) = delete;

  std::string name() const override;
  void forward(int n, int count, const double* real, double* spectra) override;
  void inverse(int n, int count, double* spectra, double* real) override;  // destroys spectra

  void* stream() const;  // the cudaStream_t all work of this engine runs on
  void synchronize() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Exact convolution on one CUDA device. One instance is one worker (one stream); use one per
// host thread. Results equal convolve_exact_cpu() bit for bit.
class CudaExactConvolver {
 public:
  CudaExactConvolver(int device, std::shared_ptr<const ExactFir> fir);  // throws when the device is unusable
  ~CudaExactConvolver();
  CudaExactConvolver(const CudaExactConvolver&) = delete;
  CudaExactConvolver& operator=(const CudaExactConvolver&) = delete;

  std::vector<ExactConvolutionResult> run(std::span<const AudioTrack* const> tracks);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gloss
