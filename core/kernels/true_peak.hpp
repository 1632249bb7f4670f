// True-peak kernel: polyphase interpolation of one segment of one channel and the largest
// absolute interpolated value. A max is exact in any order, so segments can run anywhere.
#pragma once

#include <cstdint>

#include "kernels/gloss_hd.hpp"
#include "kernels/meter_plan.hpp"

namespace gloss::kernels {

inline constexpr int kMaxTruePeakPhases = 16;
inline constexpr int kMaxTruePeakTaps = 64;

// Interpolator y[i * phases + p] = sum_k coeff[k * phases + p] * x[i - k]. With `refine`,
// every local maximum of |y| near the running maximum is refined by a parabola through it
// and its two neighbours (the precise mode).
struct TruePeakFilter {
  int phases = 0;  // 0: no interpolation (rates >= 176.4 kHz in ITU mode): sample peak only
  int taps = 0;
  bool refine = false;
  double coeff[kMaxTruePeakPhases * kMaxTruePeakTaps] = {};
};

inline namespace GLOSS_KERNEL_ISA {

// The filter shapes true_peak_segment() has a form for (the host refuses any other).
GLOSS_HD bool true_peak_shape_supported(const TruePeakFilter& f) {
  if (f.phases == 0) return true;
  if (f.taps == 12 && (f.phases == 4 || f.phases == 2)) return !f.refine;
  return f.phases == 16 && f.taps == 64 && f.refine;
}

// Interpolated positions of a channel: the filter rings for taps - 1 positions past the end.
GLOSS_HD std::int64_t true_peak_positions(const TruePeakFilter& f, std::int64_t frames) {
  return frames > 0 ? frames + f.taps - 1 : 0;
}

GLOSS_HD std::int64_t true_peak_segments(const TruePeakFilter& f, std::int64_t frames) {
  if (f.phases == 0) return 0;
  return (true_peak_positions(f, frames) + kTruePeakSegment - 1) / kTruePeakSegment;
}

template <int Phases, int Taps>
GLOSS_HD void interpolate_position(const double* coeff, const float* x, std::int64_t frames,
                                   std::int64_t i, double* y) {
  for (int p = 0; p < Phases; ++p) y[p] = 0;
  if (i >= Taps - 1 && i < frames) {  // fast path: the whole history is inside the track
    const float* h = x + i;
    for (int k = 0; k < Taps; ++k) {
      const double v = h[-k];
      for (int p = 0; p < Phases; ++p) y[p] += coeff[k * Phases + p] * v;
    }
    return;
  }
  for (int k = 0; k < Taps; ++k) {
    const std::int64_t j = i - k;
    const double v = (j >= 0 && j < frames) ? static_cast<double>(x[j]) : 0.0;
    for (int p = 0; p < Phases; ++p) y[p] += coeff[k * Phases + p] * v;
  }
}

// Positions per step of the lane form below: the same arithmetic per position (sum over
// k = 0, 1, ... from 0), positions innermost so that the compiler vectorises across them.
inline constexpr int kTruePeakLanes = 8;

// Largest |y| over positions [s0, s1) of the segment.
template <int Phases, int Taps>
GLOSS_HD double true_peak_plain(const double* coeff, const float* x, std::int64_t frames,
                                std::int64_t s0, std::int64_t s1) {
  constexpr int W = kTruePeakLanes;
  double peak = 0;
  double y[Phases];
  double m[W];
  for (int w = 0; w < W; ++w) m[w] = 0;
  std::int64_t i = s0;
  const std::int64_t fast_end = s1 < frames ? s1 : frames;
  for (; i < s1 && i < Taps - 1; ++i) {  // history reaches before the track: zeros
    interpolate_position<Phases, Taps>(coeff, x, frames, i, y);
    for (int p = 0; p < Phases; ++p) {
      const double a = y[p] < 0 ? -y[p] : y[p];
      if (a > peak) peak = a;
    }
  }
  for (; i + W <= fast_end; i += W) {  // whole history inside the track for every lane
    const float* h = x + i;
    for (int p = 0; p < Phases; ++p) {
      GLOSS_SIMD
      for (int w = 0; w < W; ++w) {
        double s = 0;
        for (int k = 0; k < Taps; ++k) s += coeff[k * Phases + p] * static_cast<double>(h[w - k]);
        const double a = s < 0 ? -s : s;
        m[w] = a > m[w] ? a : m[w];
      }
    }
  }
  for (; i < s1; ++i) {
    interpolate_position<Phases, Taps>(coeff, x, frames, i, y);
    for (int p = 0; p < Phases; ++p) {
      const double a = y[p] < 0 ? -y[p] : y[p];
      if (a > peak) peak = a;
    }
  }
  for (int w = 0; w < W; ++w)
    if (m[w] > peak) peak = m[w];
  return peak;
}

// Vertex of the parabola through (-1, a), (0, b), (1, c), for a local maximum b.
GLOSS_HD double parabola_peak(double a, double b, double c) {
  const double curvature = a - 2 * b + c;
  if (!(curvature < 0)) return b;
  const double offset = (a - c) / (2 * curvature);
  return b - (a - c) * offset * 0.25;
}

// Like true_peak_plain, refining local maxima. Neighbours of the segment's first and last
// values come from the adjacent positions, so the result does not depend on segmentation.
template <int Phases, int Taps>
GLOSS_HD double true_peak_refined(const double* coeff, const float* x, std::int64_t frames,
                                  std::int64_t s0, std::int64_t s1, std::int64_t positions) {
  double peak = 0;
  double y[Phases];
  double before = 0, centre = 0;  // |y| at the two previous oversampled instants
  std::int64_t centre_position = -1;
  const std::int64_t lo = s0 > 0 ? s0 - 1 : 0;
  const std::int64_t hi = s1 < positions ? s1 + 1 : positions;
  bool have_two = false, have_one = false;
  for (std::int64_t i = lo; i < hi; ++i) {
    interpolate_position<Phases, Taps>(coeff, x, frames, i, y);
    for (int p = 0; p < Phases; ++p) {
      const double a = y[p] < 0 ? -y[p] : y[p];
      if (i >= s0 && i < s1 && a > peak) peak = a;
      if (have_two && centre_position >= s0 && centre_position < s1 && centre >= before &&
          centre >= a) {
        const double refined = parabola_peak(before, centre, a);
        if (refined > peak) peak = refined;
      }
      before = centre;
      centre = a;
      centre_position = i;
      have_two = have_one;
      have_one = true;
    }
  }
  return peak;
}

// Peak of segment `segment` of one channel x[0, frames).
GLOSS_HD double true_peak_segment(const TruePeakFilter& f, const float* x, std::int64_t frames,
                                  std::int64_t segment) {
  const std::int64_t positions = true_peak_positions(f, frames);
  const std::int64_t s0 = segment * kTruePeakSegment;
  std::int64_t s1 = s0 + kTruePeakSegment;
  if (s1 > positions) s1 = positions;
  if (f.phases == 4 && f.taps == 12) return true_peak_plain<4, 12>(f.coeff, x, frames, s0, s1);
  if (f.phases == 2 && f.taps == 12) return true_peak_plain<2, 12>(f.coeff, x, frames, s0, s1);
  if (f.phases == 16 && f.taps == 64 && f.refine)
    return true_peak_refined<16, 64>(f.coeff, x, frames, s0, s1, positions);
  return -1;  // unreachable: make_meter_work() refuses shapes without a form above
}

// Largest |y| over interpolator positions [s0, s1) for the shapes the render chain's verify
// scan uses (core/true_peak_scan.cpp): the libebur128-shaped 4x13 and 2x25, the
// swresample-shaped 16x32 (plain), and the precise 16x64 (refined). -1 for any other shape.
GLOSS_HD double true_peak_range(const TruePeakFilter& f, const float* x, std::int64_t frames, std::int64_t s0,
                                std::int64_t s1) {
  if (f.refine) {
    if (f.phases == 16 && f.taps == 64)
      return true_peak_refined<16, 64>(f.coeff, x, frames, s0, s1, true_peak_positions(f, frames));
    return -1;
  }
  if (f.phases == 4 && f.taps == 13) return true_peak_plain<4, 13>(f.coeff, x, frames, s0, s1);
  if (f.phases == 2 && f.taps == 25) return true_peak_plain<2, 25>(f.coeff, x, frames, s0, s1);
  if (f.phases == 16 && f.taps == 32) return true_peak_plain<16, 32>(f.coeff, x, frames, s0, s1);
  return -1;
}

}  // namespace GLOSS_KERNEL_ISA
}  // namespace gloss::kernels
