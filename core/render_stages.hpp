// Where the render chain's stages run (limiter, SRC, dither + quantize): the CPU, or a CUDA
// device (cuda/render_stages_cuda.hpp). Every implementation runs the same kernels
// (core/kernels/limiter.hpp, resample.hpp, quantize.hpp) with the same per-element order, so
// the outputs are the same bits by construction; an implementation decides only which
// thread or device runs which range. render_track() (core/render_chain.hpp) drives them and
// keeps the rest (planning, verify scan, re-limiting passes) on the host.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "gloss/audio.hpp"
#include "limiter.hpp"
#include "quantizer.hpp"
#include "resampler.hpp"

namespace gloss {

class RenderStages {
 public:
  virtual ~RenderStages() = default;

  // "cpu", "cuda:0", ...: where the stages run, for logs.
  virtual std::string name() const = 0;

  // run_limiter() (core/limiter.hpp): the limited track, its Q30 gains (one per frame) and
  // their statistics. `caps` is empty or one Q30 bound per frame.
  virtual AudioTrack limit(const AudioTrack& input, const kernels::LimiterShape& shape,
                           const std::vector<std::int64_t>& caps, std::vector<std::int64_t>& gains,
                           LimiterStats& stats) = 0;

  // Resampler::resample(): the whole track at src.out_rate().
  virtual AudioTrack resample(const Resampler& src, const AudioTrack& track) = 0;

  // quantize_channel() for every channel: the planar codes of the whole track, channel 0
  // first; adds the clamped samples to stats. Throws as quantize_channel does.
  virtual std::vector<std::int32_t> quantize(const AudioTrack& track, const QuantizeSpec& spec,
                                             std::uint64_t track_key, QuantizeStats& stats) = 0;
};

// Today's CPU code on the calling thread (render_track() is called from many threads at once;
// this object holds no state, so one instance may serve them all).
class CpuRenderStages final : public RenderStages {
 public:
  std::string name() const override { return "cpu"; }
  AudioTrack limit(const AudioTrack& input, const kernels::LimiterShape& shape, const std::vector<std::int64_t>& caps,
                   std::vector<std::int64_t>& gains, LimiterStats& stats) override;
  AudioTrack resample(const Resampler& src, const AudioTrack& track) override;
  std::vector<std::int32_t> quantize(const AudioTrack& track, const QuantizeSpec& spec, std::uint64_t track_key,
                                     QuantizeStats& stats) override;
};

// The checks quantize_channel() makes before it computes, for a whole track, with its
// messages: a spec it refuses, too many channels or samples, a NaN or Inf sample. Device
// stages run them on the host before any transfer.
void check_quantize_input(const AudioTrack& track, const QuantizeSpec& spec);

// "cpu"; "cuda" (= cuda:0) or "cuda:N"; "auto": the first usable CUDA device, else cpu.
// Throws gloss::Error naming the problem when the spec is unknown or the device cannot be
// used (never falls back to the CPU for a named device). Defined in
// core/render_stages_registry.cpp (gloss_engine, which knows whether CUDA was built).
std::unique_ptr<RenderStages> make_render_stages(std::string_view spec);

}  // namespace gloss
