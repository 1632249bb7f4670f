// The render stages on one CUDA device: the limiter, SRC and quantizer kernels of
// core/kernels launched one thread per range of frames (one thread per channel or track where
// the kernel is a recursion), so every output is the same bits as CpuRenderStages. No CUDA
// headers here, so g++-compiled code can use it.
#pragma once

#include <memory>
#include <string>

#include "render_stages.hpp"

namespace gloss {

class CudaRenderStages final : public RenderStages {
 public:
  explicit CudaRenderStages(int device);  // throws gloss::Error when the device cannot be used
  ~CudaRenderStages() override;
  CudaRenderStages(const CudaRenderStages&) = delete;
  CudaRenderStages& operator=(const CudaRenderStages&) = delete;

  std::string name() const override;
  AudioTrack limit(const AudioTrack& input, const kernels::LimiterShape& shape, const std::vector<std::int64_t>& caps,
                   std::vector<std::int64_t>& gains, LimiterStats& stats) override;
  AudioTrack resample(const Resampler& src, const AudioTrack& track) override;
  std::vector<std::int32_t> quantize(const AudioTrack& track, const QuantizeSpec& spec, std::uint64_t track_key,
                                     QuantizeStats& stats) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gloss
