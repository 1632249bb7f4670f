// True-peak limiter kernels (issue 4; the shape is DESIGN.md's "The chain").
//
// Gains are integers in Q30 (kUnityGain = 1.0), so the look-ahead minimum, the moving
// average and the release are exact integer operations: any split into ranges, any thread
// and any device give the same gains.
//
//   detect     M[i]  = largest |interpolated value| over channels and phases at interpolator
//                      position i (the ITU Annex 2 filter: cheap, and slightly over-reading)
//   require    r[n]  = floor(ceiling / (gain * peak(n)) in Q30), at most unity, at most cap[n];
//                      peak(n) = max(|x[n]|, M over the positions whose instants lie within
//                      one sample of n)
//   look-ahead m[n]  = min r[n .. n + L - 1]
//   attack     s[n]  = floor(sum m[n - L + 1 .. n] / L)   (m before the track = m[0])
//   release    g[n]  = min(s[n], U - ((U - g[n - 1]) * A >> 30))
//   apply      y[n]  = float(x[n] * (gain * g[n] / U))
//
// Why g[n] <= r[n]: every m[j] with n - L < j <= n covers n, so m[j] <= r[n] (and m[0], which
// stands in before the track, covers every n < L); an average of
// values <= r[n] (rounded down) and a min with it stay <= r[n]. The output therefore never
// asks for more gain than the detector allows, and where r is unity everywhere (material
// already under the ceiling) g is unity and y = x * gain exactly.
#pragma once

#include <cstdint>

#include "kernels/gloss_hd.hpp"
#include "kernels/true_peak.hpp"

namespace gloss::kernels {

inline constexpr std::int64_t kUnityGain = std::int64_t{1} << 30;

// Everything the limiter kernels need, computed on the host (core/limiter.cpp).
struct LimiterShape {
  TruePeakFilter detector;     // phases 0: sample peak only (rates >= 176.4 kHz)
  int span_before = 0;         // positions i in [n + span_before, n + span_after] feed sample n
  int span_after = 0;
  int lookahead = 1;           // L in samples (also the attack)
  std::int64_t release = 0;    // A in Q30: per-sample decay of the distance to unity
  double gain = 1;             // the planned linear gain applied before limiting
  double ceiling_q30 = 0;      // the detection ceiling (linear) times 2^30
};

inline namespace GLOSS_KERNEL_ISA {

// Interpolator positions of a track: the filter rings taps - 1 positions past the end.
GLOSS_HD std::int64_t limiter_positions(const LimiterShape& s, std::int64_t frames) {
  return s.detector.phases == 0 ? 0 : true_peak_positions(s.detector, frames);
}

// A detected peak stored as float, rounded up so the detector never reads lower than it computed.
GLOSS_HD float round_up_to_float(double peak) {
  const float f = static_cast<float>(peak);
  return f < peak ? f * (1 + 0x1p-23f) : f;
}

// M[at] for one position, from the scalar interpolator (near the track's start and end).
template <int Phases, int Taps>
GLOSS_HD void detect_position(const double* coeff, const float* x, std::int64_t frames, std::int64_t at, float* m) {
  double y[Phases];
  interpolate_position<Phases, Taps>(coeff, x, frames, at, y);
  double peak = 0;
  for (int p = 0; p < Phases; ++p) {
    const double a = y[p] < 0 ? -y[p] : y[p];
    if (a > peak) peak = a;
  }
  const float v = round_up_to_float(peak);
  if (v > m[at]) m[at] = v;
}

// M[i] for positions [first, last) of one channel, combined by max into `m` (zero it first).
// Positions whose whole history lies inside the track run in lanes of kTruePeakLanes (the
// same sum per position, in the same order, as the scalar form: only faster).
template <int Phases, int Taps>
GLOSS_HD void detect_positions(const double* coeff, const float* x, std::int64_t frames,
                               std::int64_t first, std::int64_t last, float* m) {
  constexpr int W = kTruePeakLanes;
  std::int64_t i = first;
  for (; i < last && i < Taps - 1; ++i) detect_position<Phases, Taps>(coeff, x, frames, i, m);
  const std::int64_t lane_end = last < frames ? last : frames;
  for (; i + W <= lane_end; i += W) {
    const float* h = x + i;
    double peak[W];
    for (int w = 0; w < W; ++w) peak[w] = 0;
    for (int p = 0; p < Phases; ++p) {
      GLOSS_SIMD
      for (int w = 0; w < W; ++w) {
        double sum = 0;
        for (int k = 0; k < Taps; ++k) sum += coeff[k * Phases + p] * static_cast<double>(h[w - k]);
        const double a = sum < 0 ? -sum : sum;
        peak[w] = a > peak[w] ? a : peak[w];
      }
    }
    for (int w = 0; w < W; ++w) {
      const float v = round_up_to_float(peak[w]);
      if (v > m[i + w]) m[i + w] = v;
    }
  }
  for (; i < last; ++i) detect_position<Phases, Taps>(coeff, x, frames, i, m);
}

GLOSS_HD void limiter_detect(const LimiterShape& s, const float* x, std::int64_t frames,
                             std::int64_t first, std::int64_t last, float* m) {
  const TruePeakFilter& f = s.detector;
  if (f.phases == 4 && f.taps == 12) detect_positions<4, 12>(f.coeff, x, frames, first, last, m);
  if (f.phases == 2 && f.taps == 12) detect_positions<2, 12>(f.coeff, x, frames, first, last, m);
}

// r[n] for samples [first, last). `channels` holds the planar track (channel c at
// channels + c * frames), `m` the detector output (unused when the detector is off),
// `cap` optional per-sample upper bounds in Q30 (nullptr: none).
GLOSS_HD void limiter_require(const LimiterShape& s, const float* channels, int channel_count,
                              std::int64_t frames, const float* m, std::int64_t positions,
                              const std::int64_t* cap, std::int64_t first, std::int64_t last,
                              std::int64_t* r) {
  for (std::int64_t n = first; n < last; ++n) {
    double peak = 0;
    for (int c = 0; c < channel_count; ++c) {
      const float v = channels[c * frames + n];
      const double a = v < 0 ? -static_cast<double>(v) : static_cast<double>(v);
      if (a > peak) peak = a;
    }
    for (std::int64_t i = n + s.span_before; i <= n + s.span_after; ++i)
      if (i >= 0 && i < positions && m[i] > peak) peak = m[i];
    std::int64_t required = kUnityGain;
    const double level = s.gain * peak;
    if (level * kUnityGain > s.ceiling_q30) {
      const double q = s.ceiling_q30 / level;  // < 2^30
      required = static_cast<std::int64_t>(q);
    }
    if (cap != nullptr && cap[n] < required) required = cap[n];
    r[n] = required;
  }
}

// The gain curve of a whole track, sequential (the release is a recursion). `work` holds
// `frames` values of scratch. Returns nothing; g[n] is written for every n.
GLOSS_HD void limiter_gain_curve(const LimiterShape& s, const std::int64_t* r, std::int64_t frames,
                                 std::int64_t* work, std::int64_t* g) {
  const std::int64_t L = s.lookahead;
  // Look-ahead minimum m[n] = min r[n .. n + L - 1] by van Herk / Gil-Werman: within blocks of
  // L, a suffix minimum (into work) and a running prefix minimum give any window's minimum.
  for (std::int64_t block = 0; block < frames; block += L) {
    std::int64_t end = block + L < frames ? block + L : frames;
    std::int64_t run = kUnityGain;
    for (std::int64_t n = end - 1; n >= block; --n) {
      if (r[n] < run) run = r[n];
      work[n] = run;
    }
  }
  // g first holds m: m[n] = min(suffix of n's block from n, prefix of the next block to n + L - 1).
  std::int64_t prefix = kUnityGain;
  std::int64_t prefix_block = -1;
  for (std::int64_t n = 0; n < frames; ++n) {
    const std::int64_t window_end = n + L - 1;  // inclusive
    std::int64_t value = work[n];
    const std::int64_t next_block = (n / L + 1) * L;
    if (window_end >= next_block && next_block < frames) {
      if (prefix_block != next_block) {  // start the prefix minimum of the next block
        prefix_block = next_block;
        prefix = kUnityGain;
        for (std::int64_t j = next_block; j < window_end && j < frames; ++j)
          if (r[j] < prefix) prefix = r[j];
      }
      if (window_end < frames && r[window_end] < prefix) prefix = r[window_end];
      if (prefix < value) value = prefix;
    }
    g[n] = value;
  }
  // Attack: moving average of L values (before the track: m[0]), rounded down; then release.
  const std::int64_t before = frames > 0 ? g[0] : kUnityGain;
  std::int64_t sum = before * L;
  std::int64_t previous = kUnityGain;
  for (std::int64_t n = 0; n < frames; ++n) {
    const std::int64_t m_n = g[n];
    sum += m_n - (n - L >= 0 ? work[n - L] : before);
    work[n] = m_n;  // the suffix minima are no longer needed: keep m for the window's tail
    const std::int64_t smoothed = sum / L;
    const std::int64_t released = kUnityGain - (((kUnityGain - previous) * s.release) >> 30);
    const std::int64_t gain = smoothed < released ? smoothed : released;
    g[n] = gain;
    previous = gain;
  }
}

// y[n] = x[n] * gain * g[n] / U for samples [first, last) of one channel.
GLOSS_HD void limiter_apply(const LimiterShape& s, const float* x, const std::int64_t* g,
                            std::int64_t first, std::int64_t last, float* y) {
  for (std::int64_t n = first; n < last; ++n) {
    const double factor = s.gain * (static_cast<double>(g[n]) * 0x1p-30);
    y[n] = static_cast<float>(static_cast<double>(x[n]) * factor);
  }
}

}  // namespace GLOSS_KERNEL_ISA
}  // namespace gloss::kernels
