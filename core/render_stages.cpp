#include "render_stages.hpp"

#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "gloss/error.hpp"

namespace gloss {

AudioTrack CpuRenderStages::limit(const AudioTrack& input, const kernels::LimiterShape& shape,
                                  const std::vector<std::int64_t>& caps, std::vector<std::int64_t>& gains,
                                  LimiterStats& stats) {
  return run_limiter(input, shape, caps, gains, stats);
}

AudioTrack CpuRenderStages::resample(const Resampler& src, const AudioTrack& track) { return src.resample(track); }

std::vector<std::int32_t> CpuRenderStages::quantize(const AudioTrack& track, const QuantizeSpec& spec,
                                                    std::uint64_t track_key, QuantizeStats& stats) {
  std::vector<std::int32_t> pcm;
  pcm.reserve(track.samples.size());
  for (int c = 0; c < track.channels; ++c) {
    const auto codes = quantize_channel(track.channel(c), spec, track.sample_rate, track_key, c, &stats);
    pcm.insert(pcm.end(), codes.begin(), codes.end());
  }
  return pcm;
}

void check_quantize_input(const AudioTrack& track, const QuantizeSpec& spec) {
  validate_quantize_spec(spec, track.sample_rate);
  for (int c = 0; c < track.channels; ++c) {
    static_cast<void>(quantize_params(spec, 0, c));  // throws for a channel outside the noise streams
    if (track.frames >= kernels::kMaxNoiseSamples)
      throw Error(fmt::format("quantize: channel {} has {} samples; at most 2^49 are supported", c, track.frames));
    const auto x = track.channel(c);
    for (std::size_t i = 0; i < x.size(); ++i)
      if (!(std::abs(x[i]) <= std::numeric_limits<float>::max()))
        throw Error(fmt::format("quantize: channel {} sample {} is {}; the signal before quantization must be finite",
                                c, i, x[i]));
  }
}

}  // namespace gloss
