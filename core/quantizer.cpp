#include "quantizer.hpp"

#include <fmt/format.h>

#include <cmath>
#include <iterator>
#include <limits>

#include "gloss/error.hpp"

namespace gloss {
namespace {

// Wannamaker (1992): the 9-coefficient psychoacoustically optimal ("F-weighted") error-feedback
// filter for 44.1 kHz, h_1..h_9 of NTF(z) = 1 - sum h_k z^-k. The same values
// (3 significant digits, as published) are SoX's "f-weighted" filter (fwe44 in effects/dither.c).
constexpr double kFWeighted[] = {2.412, -3.370, 3.937, -4.174, 3.353, -2.205, 1.281, -0.569, 0.0847};
static_assert(std::size(kFWeighted) <= kernels::kMaxShapingTaps);

// Without clipping the error fed back is d + r with |d| < 1 (TPDF) and |r| <= 1/2 (rounding), so
// this clamp never touches an unclipped sample. When the output clips, q - w can be anything;
// the clamp keeps the feedback below 1.5 * sum |h_k| (32.1 LSB for F-weighted) instead of
// letting a clipped run drive the loop unstable.
constexpr double kShapingErrorLimit = 1.5;

// One pass without early exit, so that it vectorises; the caller looks for the culprit only
// when there is one.
bool all_finite(std::span<const float> x) {
  bool finite = true;
  for (float v : x) finite &= std::abs(v) <= std::numeric_limits<float>::max();
  return finite;
}

}  // namespace

NoiseShaping parse_noise_shaping(std::string_view name) {
  if (name == "none") return NoiseShaping::none;
  if (name == "f-weighted") return NoiseShaping::f_weighted;
  throw Error(fmt::format("unknown noise shaping \"{}\": use \"none\" (flat TPDF) or \"f-weighted\" "
                          "(Wannamaker's 9-tap filter, 44.1 and 48 kHz)",
                          name));
}

std::string_view noise_shaping_name(NoiseShaping shaping) {
  switch (shaping) {
    case NoiseShaping::none: return "none";
    case NoiseShaping::f_weighted: return "f-weighted";
  }
  return "unknown";
}

bool noise_shaping_supported(NoiseShaping shaping, int sample_rate) {
  switch (shaping) {
    case NoiseShaping::none: return true;
    case NoiseShaping::f_weighted: return sample_rate == 44100 || sample_rate == 48000;
  }
  return false;
}

void validate_quantize_spec(const QuantizeSpec& spec, int sample_rate) {
  if (spec.bits != 16 && spec.bits != 24)
    throw Error(fmt::format("quantize: {}-bit output is not supported; use 16 or 24", spec.bits));
  if (!noise_shaping_supported(spec.shaping, sample_rate))
    throw Error(fmt::format("quantize: noise shaping \"{}\" is designed for 44.1 kHz and offered at 44100 and "
                            "48000 Hz only, not at {} Hz; use shaping \"none\" (flat TPDF dither) at this rate",
                            noise_shaping_name(spec.shaping), sample_rate));
}

kernels::ShapingFilter shaping_filter(NoiseShaping shaping, int sample_rate) {
  validate_quantize_spec(QuantizeSpec{.shaping = shaping}, sample_rate);
  kernels::ShapingFilter f{};
  f.error_limit = kShapingErrorLimit;
  if (shaping == NoiseShaping::f_weighted) {
    f.taps = static_cast<std::int32_t>(std::size(kFWeighted));
    for (int k = 0; k < f.taps; ++k) f.coeff[k] = kFWeighted[k];
  }
  return f;
}

kernels::QuantizeParams quantize_params(const QuantizeSpec& spec, std::uint64_t track_key, int channel) {
  if (channel < 0 || channel >= kernels::kMaxNoiseChannels)
    throw Error(fmt::format("quantize: channel {} is outside 0..{}", channel, kernels::kMaxNoiseChannels - 1));
  return kernels::QuantizeParams{spec.bits, spec.dither,
                                 kernels::noise_stream(spec.seed, track_key, static_cast<std::uint32_t>(channel))};
}

std::vector<std::int32_t> quantize_channel(std::span<const float> x, const QuantizeSpec& spec, int sample_rate,
                                           std::uint64_t track_key, int channel, QuantizeStats* stats) {
  validate_quantize_spec(spec, sample_rate);
  const kernels::QuantizeParams params = quantize_params(spec, track_key, channel);
  const auto frames = static_cast<std::int64_t>(x.size());
  if (frames >= kernels::kMaxNoiseSamples)
    throw Error(fmt::format("quantize: channel {} has {} samples; at most 2^49 are supported", channel, frames));
  if (!all_finite(x))
    for (std::int64_t i = 0; i < frames; ++i)
      if (!std::isfinite(x[i]))
        throw Error(fmt::format("quantize: channel {} sample {} is {}; the signal before quantization must be finite",
                                channel, i, x[i]));
  std::vector<std::int32_t> out(x.size());
  std::int64_t clipped = 0;
  if (spec.shaping == NoiseShaping::none) {
    clipped = kernels::quantize_range(params, x.data(), 0, frames, out.data());
  } else {
    const kernels::ShapingFilter filter = shaping_filter(spec.shaping, sample_rate);
    clipped = kernels::quantize_shaped(params, filter, x.data(), frames, out.data());
  }
  if (stats) stats->clipped += clipped;
  return out;
}

}  // namespace gloss
