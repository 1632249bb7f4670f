// Sample-rate conversion kernel: polyphase FIR, one channel, any range of output frames
// (DESIGN.md "The chain": SRC after the true-peak limiter, before dither).
//
// Rates in:out reduce to up:down = L:M (divided by their gcd). Output frame n stands for the
// instant t_n = n M / L input frames, i.e. n / out_rate seconds: the filter is centred on that
// instant, so its delay is compensated and the track start stays the start. With
// q = floor(n M / L) and phase r = n M mod L, output n is
//     y[n] = sum_{k=0}^{T-1} coeff[r T + k] * x[q - lead + k],   lead = T / 2 - 1,
// where x is zero outside the track and coeff[r T + k] = h(T / 2 - 1 - k + r / L) is the
// lowpass kernel h sampled at the distance (in input frames) between input frame
// q - lead + k and t_n (the host design lives in core/resampler.cpp).
//
// Output length: resample_output_frames() = ceil(in_frames L / M) = ceil(in_frames out_rate /
// in_rate), the frames whose instant lies before the end of the input (t_n < in_frames).
//
// Order of the sum (fixed, the same on every backend): tap k adds into partial sum
// k mod kResampleLanes, in increasing k; the partial sums are then combined by one fixed
// pairwise tree. T is a multiple of kResampleLanes. The partial sums are what the CPU
// vectorises, so the order never depends on the instruction set. Each output depends only on
// n and the input, so any range [first, last) computed alone gives the same bits as the
// whole channel, and ranges may run on any thread or GPU thread.
#pragma once

#include <cstdint>

#include "kernels/gloss_hd.hpp"

namespace gloss::kernels {

inline constexpr int kResampleLanes = 16;

// The shape of one conversion. taps == 0 means equal rates: the kernel copies the input.
// No member initialisers: the AVX2 copy must not emit a constructor (core/resampler_avx2.cpp).
struct ResampleShape {
  std::int32_t up;    // L = out_rate / gcd(in_rate, out_rate): phases of the coefficient table
  std::int32_t down;  // M = in_rate / gcd: output n sits at input instant n M / L
  std::int32_t taps;  // T per phase, a multiple of kResampleLanes (0: identity)
  std::int32_t lead;  // T / 2 - 1: input frames of the window at or before floor(n M / L)
};

inline namespace GLOSS_KERNEL_ISA {

GLOSS_HD std::int64_t resample_output_frames(const ResampleShape& s, std::int64_t in_frames) {
  if (s.taps == 0) return in_frames;
  return (in_frames * s.up + s.down - 1) / s.down;
}

// First input frame of output n's window.
GLOSS_HD std::int64_t resample_window_start(const ResampleShape& s, std::int64_t n) {
  return n * s.down / s.up - s.lead;
}

// The pairwise tree that ends every output's sum: lane l with lane l + 8, then l + 4, l + 2,
// l + 1. Written out level by level so that the compiler keeps it in registers.
static_assert(kResampleLanes == 16, "resample_combine_lanes() is written for 16 lanes");
GLOSS_HD double resample_combine_lanes(double* partial) {
  for (int l = 0; l < 8; ++l) partial[l] += partial[l + 8];
  for (int l = 0; l < 4; ++l) partial[l] += partial[l + 4];
  for (int l = 0; l < 2; ++l) partial[l] += partial[l + 2];
  return partial[0] + partial[1];
}

// One output whose window x[0, taps) lies inside the track.
GLOSS_HD float resample_inside(const double* row, const float* x, int taps) {
  constexpr int W = kResampleLanes;
  double partial[W];
  for (int l = 0; l < W; ++l) partial[l] = 0;
  for (int k = 0; k < taps; k += W) {
    GLOSS_SIMD
    for (int l = 0; l < W; ++l) partial[l] += row[k + l] * static_cast<double>(x[k + l]);
  }
  return static_cast<float>(resample_combine_lanes(partial));
}

// One output whose window [start, start + taps) reaches outside the track: zeros there.
// The same order of the sum as resample_inside().
GLOSS_HD float resample_at_edge(const double* row, const float* in, std::int64_t in_frames,
                                std::int64_t start, int taps) {
  constexpr int W = kResampleLanes;
  double partial[W];
  for (int l = 0; l < W; ++l) partial[l] = 0;
  for (int k = 0; k < taps; k += W) {
    for (int l = 0; l < W; ++l) {
      const std::int64_t j = start + k + l;
      const double v = (j >= 0 && j < in_frames) ? static_cast<double>(in[j]) : 0.0;
      partial[l] += row[k + l] * v;
    }
  }
  return static_cast<float>(resample_combine_lanes(partial));
}

// Output frames [first, last) of one channel: in[0, in_frames) is the whole input channel,
// out the whole output channel (resample_output_frames() frames; only [first, last) is
// written). coeff: up * taps values, phase r's taps at coeff[r * taps].
GLOSS_HD void resample_range(const ResampleShape& s, const double* coeff, const float* in,
                             std::int64_t in_frames, float* out, std::int64_t first,
                             std::int64_t last) {
  if (s.taps == 0) {
    for (std::int64_t n = first; n < last; ++n) out[n] = in[n];
    return;
  }
  // q and r step exactly (integers) from output to output: no division in the loop.
  const std::int64_t position = first * s.down;
  std::int64_t q = position / s.up;
  std::int64_t r = position - q * s.up;
  const std::int64_t q_step = s.down / s.up, r_step = s.down % s.up;
  for (std::int64_t n = first; n < last; ++n) {
    const std::int64_t start = q - s.lead;
    const double* row = coeff + r * s.taps;
    if (start >= 0 && start + s.taps <= in_frames)
      out[n] = resample_inside(row, in + start, s.taps);
    else
      out[n] = resample_at_edge(row, in, in_frames, start, s.taps);
    q += q_step;
    r += r_step;
    if (r >= s.up) {
      r -= s.up;
      ++q;
    }
  }
}

}  // namespace GLOSS_KERNEL_ISA
}  // namespace gloss::kernels
