// Dither and quantization of the mastering chain (issue 4): float channels (full scale 1.0)
// to 16- or 24-bit integers with TPDF dither and optional noise shaping. The arithmetic is
// in kernels/quantize.hpp; this is the host side: names, validation, the shaping filters.
//
// Dither: TPDF (two uniforms of +-1/2 LSB), counter-based (Philox4x32-10) and keyed by
// (seed, track_key, channel, sample index), so the noise is the same on every backend, thread
// count and batch, and different for every track and channel.
//
// Noise shaping "f-weighted": the 9-tap F-weighted error-feedback filter of R. A. Wannamaker,
// "Psychoacoustically Optimal Noise Shaping", J. Audio Eng. Soc. 40(7/8), 611-620 (1992),
// designed for 44.1 kHz against the ear's threshold of hearing. Its noise transfer function
// 1 - sum h_k z^-k is minimum phase: -12 dB at DC, about -25 dB around 3-4 kHz, +27 dB at
// Nyquist; the total noise power is 69x (18.4 dB) that of flat TPDF, moved where the ear is
// least sensitive. Offered at 44.1 and 48 kHz only (at 48 kHz the curve is stretched by 8.8%,
// its notch at ~4 kHz; SoX offers the same filter at both). At other rates the curve would
// sit at the wrong frequencies, so they are refused with an error: use "none" there.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "kernels/quantize.hpp"

namespace gloss {

enum class NoiseShaping { none, f_weighted };

struct QuantizeSpec {
  int bits = 16;  // 16 or 24
  bool dither = true;
  NoiseShaping shaping = NoiseShaping::none;
  std::uint64_t seed = 0;
};

struct QuantizeStats {
  std::int64_t clipped = 0;  // samples clamped to the format's range
};

// Preset names: "none", "f-weighted". parse throws gloss::Error naming the accepted values.
NoiseShaping parse_noise_shaping(std::string_view name);
std::string_view noise_shaping_name(NoiseShaping shaping);

// Whether the shaping filter is offered at this rate (always true for none).
bool noise_shaping_supported(NoiseShaping shaping, int sample_rate);

// Throws gloss::Error when bits is not 16 or 24 or the shaping is not offered at the rate.
void validate_quantize_spec(const QuantizeSpec& spec, int sample_rate);

// The kernel form of the shaping filter at this rate (taps = 0 for none). Throws like
// validate_quantize_spec.
kernels::ShapingFilter shaping_filter(NoiseShaping shaping, int sample_rate);

// The kernel parameters of one channel of one track.
kernels::QuantizeParams quantize_params(const QuantizeSpec& spec, std::uint64_t track_key, int channel);

// One channel to integers of spec.bits: q = round_half_even(x * 2^(bits-1) + TPDF dither),
// clamped, with the shaping filter's error feedback if asked. Without dither and shaping,
// every float that is a 16/24-bit code comes back as that code. Adds the clamped samples to
// *stats. Throws gloss::Error for NaN/Inf samples (naming channel and sample), a channel
// outside [0, 65535], or a spec validate_quantize_spec refuses.
std::vector<std::int32_t> quantize_channel(std::span<const float> x, const QuantizeSpec& spec, int sample_rate,
                                           std::uint64_t track_key, int channel, QuantizeStats* stats = nullptr);

}  // namespace gloss
