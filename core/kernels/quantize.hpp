// Dither and quantization, the last stage of the render chain: float samples (full scale 1.0)
// to signed integers of 16 or 24 bits,
//     q[n] = clamp(round_half_even(x[n] * 2^(bits-1) + d[n]), -2^(bits-1), 2^(bits-1) - 1),
// with TPDF dither d[n] from the counter-based generator (kernels/counter_rng.hpp), sample n
// using the two words 2 (n mod 2), 2 (n mod 2) + 1 of block n / 2. Without dither d = 0, so
// every float that is a 16/24-bit code passes through unchanged.
//
// Without noise shaping every sample is a pure function of (x[n], n, stream): any range on any
// thread gives the same bits. With noise shaping the error feedback makes a channel sequential
// (quantize_shaped), the same loop on both backends (DESIGN.md rule 3).
//
// Everything is exact or a single IEEE operation in a fixed order: x * 2^(bits-1) is exact, the
// dither is an integer scaled by 2^-32 (exact), rounding uses the 1.5 * 2^52 trick
// (round_half_even), and integer <-> double conversions only meet values they hold exactly.
#pragma once

#include <cstdint>

#include "kernels/counter_rng.hpp"
#include "kernels/exact_conv.hpp"  // round_half_even
#include "kernels/gloss_hd.hpp"

namespace gloss::kernels {

inline constexpr int kMaxShapingTaps = 9;

// Dither is drawn in chunks of this many samples into a stack buffer, so that the rounding
// runs as a separate, vectorised loop. It changes speed, never bits: every sample's dither
// depends on its index only.
inline constexpr int kDitherChunk = 256;

// The integer format and the dither of one channel.
struct QuantizeParams {
  std::int32_t bits;  // 16 or 24
  bool dither;        // TPDF from `noise`; false: plain rounding
  NoiseStream noise;
};

// Error-feedback noise shaping. With e[n] = q[n] - w[n], the error of the value actually
// quantized, and w[n] = x[n] 2^(bits-1) - sum_k coeff[k] e[n-1-k], the total error is
//     q[n] - x[n] 2^(bits-1) = e[n] - sum_k coeff[k] e[n-1-k],
// i.e. the white error e is coloured by NTF(z) = 1 - sum_k coeff[k] z^-(k+1). e is clamped to
// +-error_limit before it is fed back, which bounds the feedback when the output clips.
struct ShapingFilter {
  std::int32_t taps;              // <= kMaxShapingTaps; coefficients from `taps` on are zero
  double coeff[kMaxShapingTaps];  // the feedback is always summed over all kMaxShapingTaps
  double error_limit;             // in LSB
};

inline namespace GLOSS_KERNEL_ISA {

// 2^(bits-1), the code of full scale 1.0, as an exact double.
GLOSS_HD double full_scale_code(int bits) { return static_cast<double>(std::int64_t{1} << (bits - 1)); }

// The largest code of the format: 2^(bits-1) - 1 (the smallest is -2^(bits-1)).
GLOSS_HD std::int64_t max_code(int bits) { return (std::int64_t{1} << (bits - 1)) - 1; }

// u - 2^31 as a double (exact): flipping the top bit makes it a signed 32-bit integer.
GLOSS_HD double centred_word(std::uint32_t u) { return static_cast<double>(static_cast<std::int32_t>(u ^ 0x80000000u)); }

// TPDF dither in LSB from two 32-bit words: the sum of two uniforms on (-1/2, 1/2), each
// (u + 1/2) / 2^32 - 1/2. Together that is (a + b - (2^32 - 1)) / 2^32 = ((a - 2^31) +
// (b - 2^31) + 1) / 2^32: integers below 2^33 (every step exact), scaled by a power of two.
// Range (-1, 1), mean exactly 0.
GLOSS_HD double tpdf_from_words(std::uint32_t a, std::uint32_t b) {
  return (centred_word(a) + centred_word(b) + 1.0) * (1.0 / 4294967296.0);
}

// The dither of sample `index` alone (for one-thread-per-sample callers).
GLOSS_HD double tpdf_dither_at(const NoiseStream& s, std::int64_t index) {
  const PhiloxBlock b = noise_block(s, static_cast<std::uint64_t>(index) >> 1);
  return (index & 1) ? tpdf_from_words(b.w[2], b.w[3]) : tpdf_from_words(b.w[0], b.w[1]);
}

// The dither of samples [begin, begin + count) into d[0, count): whole blocks in a loop, a lone
// sample at either end from tpdf_dither_at (the same values). (A lane form of Philox that the
// compiler vectorises across blocks measured no faster on x86-64: SSE2/AVX2 have no
// 32x32->64 multiply of all lanes, and scalar 64-bit multiplies are cheap.)
GLOSS_HD void tpdf_dither(const NoiseStream& s, std::int64_t begin, int count, double* d) {
  int j = 0;
  if ((begin & 1) && count > 0) d[j++] = tpdf_dither_at(s, begin);
  const int pairs = (count - j) / 2;
  std::uint64_t block = static_cast<std::uint64_t>(begin + j) >> 1;
  double* o = d + j;
  for (int k = 0; k < pairs; ++k, ++block, o += 2) {
    const PhiloxBlock b = noise_block(s, block);
    o[0] = tpdf_from_words(b.w[0], b.w[1]);
    o[1] = tpdf_from_words(b.w[2], b.w[3]);
  }
  j += 2 * pairs;
  if (j < count) d[j] = tpdf_dither_at(s, begin + j);
}

// v (in LSB) to the nearest code, ties to even, clamped to [-top - 1, top], as a double (exact);
// *clipped = 1 when the clamp changed it. v is bounded first so that the rounding trick stays
// valid for any input (NaN, which the host refuses, would become the lowest code).
GLOSS_HD double nearest_code(double v, double top, std::int32_t* clipped) {
  const double bottom = -top - 1;
  const double bounded = !(v >= bottom - 1) ? bottom - 1 : (v > top + 1 ? top + 1 : v);
  const double r = round_half_even(bounded);
  const bool over = r > top, under = r < bottom;
  *clipped = (over || under) ? 1 : 0;
  return over ? top : (under ? bottom : r);
}

// Samples [begin, end) of one channel without noise shaping: out[i] from x[i] (both indexed
// by the sample index). Returns how many samples were clamped.
GLOSS_HD std::int64_t quantize_range(const QuantizeParams& p, const float* x, std::int64_t begin,
                                     std::int64_t end, std::int32_t* out) {
  const double scale = full_scale_code(p.bits);
  const double top = static_cast<double>(max_code(p.bits));
  std::int64_t clipped = 0;
  double d[kDitherChunk];
  std::int32_t clip[kDitherChunk];
  for (std::int64_t c0 = begin; c0 < end; c0 += kDitherChunk) {
    const int n = end - c0 < kDitherChunk ? static_cast<int>(end - c0) : kDitherChunk;
    if (p.dither) {
      tpdf_dither(p.noise, c0, n, d);
    } else {
      for (int j = 0; j < n; ++j) d[j] = 0;
    }
    const float* xc = x + c0;
    std::int32_t* oc = out + c0;
    GLOSS_SIMD
    for (int j = 0; j < n; ++j)
      oc[j] = static_cast<std::int32_t>(nearest_code(static_cast<double>(xc[j]) * scale + d[j], top, &clip[j]));
    for (int j = 0; j < n; ++j) clipped += clip[j];
  }
  return clipped;
}

// A whole channel x[0, frames) with noise shaping (sequential: each sample feeds back its
// error). The feedback is summed oldest error first, over all kMaxShapingTaps. Returns how
// many samples were clamped.
GLOSS_HD std::int64_t quantize_shaped(const QuantizeParams& p, const ShapingFilter& f, const float* x,
                                      std::int64_t frames, std::int32_t* out) {
  const double scale = full_scale_code(p.bits);
  const double top = static_cast<double>(max_code(p.bits));
  std::int64_t clipped = 0;
  double e[kMaxShapingTaps] = {};  // e[k]: the error of sample n - 1 - k
  double d[kDitherChunk];
  for (std::int64_t c0 = 0; c0 < frames; c0 += kDitherChunk) {
    const int n = frames - c0 < kDitherChunk ? static_cast<int>(frames - c0) : kDitherChunk;
    if (p.dither) {
      tpdf_dither(p.noise, c0, n, d);
    } else {
      for (int j = 0; j < n; ++j) d[j] = 0;
    }
    for (int j = 0; j < n; ++j) {
      double feedback = 0;
      for (int k = kMaxShapingTaps - 1; k >= 0; --k) feedback += f.coeff[k] * e[k];
      const double w = static_cast<double>(x[c0 + j]) * scale - feedback;
      std::int32_t clip = 0;
      const double q = nearest_code(w + d[j], top, &clip);
      clipped += clip;
      out[c0 + j] = static_cast<std::int32_t>(q);
      const double err = q - w;
      for (int k = kMaxShapingTaps - 1; k > 0; --k) e[k] = e[k - 1];
      e[0] = err < -f.error_limit ? -f.error_limit : (err > f.error_limit ? f.error_limit : err);
    }
  }
  return clipped;
}

}  // namespace GLOSS_KERNEL_ISA
}  // namespace gloss::kernels
