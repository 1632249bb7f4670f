// The block-tile kernel: one 10 s tile of one track, all channels. It K-weights the audio
// and sums energies per 10 ms sub-block, and gathers the sample statistics (peaks, DC,
// clipping, silence, stereo correlation, octave bands). Every sum runs in frame order
// inside the tile, so the result does not depend on which thread or device ran it.
#pragma once

#include <cstdint>

#include "kernels/biquad.hpp"
#include "kernels/gloss_hd.hpp"
#include "kernels/meter_plan.hpp"

namespace gloss::kernels {
inline namespace GLOSS_KERNEL_ISA {

GLOSS_HD double abs_value(double x) { return x < 0 ? -x : x; }

inline constexpr int kBandLanes = 12;  // kOctaveBands rounded up to a SIMD multiple

struct BlockTileFilters {
  BiquadState shelf[kMaxChannels];
  BiquadState rlb[kMaxChannels];
  // Octave bands as structure of arrays over kBandLanes lanes, so the per-frame loop over
  // bands vectorises; unused lanes have zero coefficients and stay zero.
  double b0[kBandLanes], b1[kBandLanes], b2[kBandLanes], a1[kBandLanes], a2[kBandLanes];
  double s1[kBandLanes], s2[kBandLanes], acc[kBandLanes];
};

GLOSS_HD void init_band_lanes(const MeterPlan& p, BlockTileFilters& f) {
  for (int b = 0; b < kBandLanes; ++b) {
    const bool on = b < p.bands;
    f.b0[b] = on ? p.band[b].b0 : 0.0;
    f.b1[b] = on ? p.band[b].b1 : 0.0;
    f.b2[b] = on ? p.band[b].b2 : 0.0;
    f.a1[b] = on ? p.band[b].a1 : 0.0;
    f.a2[b] = on ? p.band[b].a2 : 0.0;
    f.s1[b] = 0;
    f.s2[b] = 0;
    f.acc[b] = 0;
  }
}

// C > 0: the channel count as a compile-time constant (loops unroll and filter states stay in
// registers); C = 0: any count, read from the plan. Same arithmetic either way.
template <int C>
GLOSS_HD int channel_count(const MeterPlan& p) {
  return C > 0 ? C : p.channels;
}

template <int C>
GLOSS_HD void flush_filters(const MeterPlan& p, BlockTileFilters& f) {
  for (int c = 0; c < channel_count<C>(p); ++c) {
    biquad_flush(f.shelf[c]);
    biquad_flush(f.rlb[c]);
  }
  const double tiny = 1e-200;
  GLOSS_SIMD
  for (int b = 0; b < kBandLanes; ++b) {
    f.s1[b] = (f.s1[b] < tiny && f.s1[b] > -tiny) ? 0.0 : f.s1[b];
    f.s2[b] = (f.s2[b] < tiny && f.s2[b] > -tiny) ? 0.0 : f.s2[b];
  }
}

// Runs the filters over frame i; writes K-weighted samples to kw[] and band outputs to bw[].
template <int C>
GLOSS_HD void filter_frame(const MeterPlan& p, const float* samples, std::int64_t i,
                           BlockTileFilters& f, double* kw, double* bw) {
  double mono = 0;
  for (int c = 0; c < channel_count<C>(p); ++c) {
    const double x = samples[c * p.frames + i];
    kw[c] = biquad_step(p.k_rlb, f.rlb[c], biquad_step(p.k_shelf, f.shelf[c], x));
    if (p.weight[c] > 0) mono += x;
  }
  mono = mono * p.mono_scale;
  GLOSS_SIMD
  for (int b = 0; b < kBandLanes; ++b) {  // biquad_step, lane-wise
    const double y = f.b0[b] * mono + f.s1[b];
    f.s1[b] = f.b1[b] * mono - f.a1[b] * y + f.s2[b];
    f.s2[b] = f.b2[b] * mono - f.a2[b] * y;
    bw[b] = y;
  }
}

GLOSS_HD void clear_tile_stats(TileStats& s) {
  for (int c = 0; c < kMaxChannels; ++c) {
    s.peak[c] = 0;
    s.sum[c] = 0;
    s.sum_sq[c] = 0;
    s.clip_runs[c] = 0;
    s.clip_samples[c] = 0;
    s.clip_head[c] = -1;  // open until the first unclipped frame
    s.clip_tail[c] = 0;   // the current run's length while the tile is processed
  }
  s.first_loud = -1;
  s.last_loud = -1;
  s.sum_lr = 0;
  for (int b = 0; b < kOctaveBands; ++b) s.band[b] = 0;
}

// Sample statistics of frame i (raw samples, before any filter).
template <int C>
GLOSS_HD void frame_statistics(const MeterPlan& p, const float* samples, std::int64_t i,
                               TileStats& s) {
  bool loud = false;
  for (int c = 0; c < channel_count<C>(p); ++c) {
    const float* x = samples + c * p.frames;
    const double v = x[i];
    const double a = abs_value(v);
    if (a > s.peak[c]) s.peak[c] = a;
    s.sum[c] += v;
    s.sum_sq[c] += v * v;
    if (a > p.silence_threshold) loud = true;
    if (a >= p.clip_level) {
      s.clip_tail[c] += 1;
    } else {
      if (s.clip_head[c] < 0) {
        s.clip_head[c] = s.clip_tail[c];
      } else if (s.clip_tail[c] >= p.min_clip_run) {
        s.clip_runs[c] += 1;
        s.clip_samples[c] += s.clip_tail[c];
      }
      s.clip_tail[c] = 0;
    }
  }
  if (loud) {
    if (s.first_loud < 0) s.first_loud = i;
    s.last_loud = i;
  }
  if (p.stereo) s.sum_lr += static_cast<double>(samples[i]) * static_cast<double>(samples[p.frames + i]);
}

// Processes block tile t. weighted_energy[k] receives, for each complete sub-block k of the
// tile, sum over channels (in channel order) of weight * sum of squared K-weighted samples.
// mono_energy[k] (stereo only, else unused) receives sum of (kL + kR)^2 * mono_weight: the
// energy of the mono downmix (L+R)/2 played on both channels.
template <int C>
GLOSS_HD void meter_block_tile_for(const MeterPlan& p, const float* samples, std::int64_t t,
                                   double* weighted_energy, double* mono_energy, TileStats& out) {
  BlockTileFilters f{};
  double kw[kMaxChannels] = {};
  double bw[kBandLanes];
  TileStats stats;  // accumulated locally (registers, not the caller's memory), stored once
  clear_tile_stats(stats);
  init_band_lanes(p, f);

  const std::int64_t k0 = t * kSubblocksPerTile;
  std::int64_t k1 = k0 + kSubblocksPerTile;
  if (k1 > p.subblocks) k1 = p.subblocks;

  // Warm-up over the halo: filters only, nothing accumulated.
  const std::int64_t warm0 = k0 > kHaloSubblocks ? k0 - kHaloSubblocks : 0;
  for (std::int64_t k = warm0; k < k0; ++k) {
    const std::int64_t end = subblock_start(k + 1, p.sample_rate);
    for (std::int64_t i = subblock_start(k, p.sample_rate); i < end; ++i) filter_frame<C>(p, samples, i, f, kw, bw);
    flush_filters<C>(p, f);
  }

  const std::int64_t first = tile_first_frame(p, t);
  const std::int64_t last = tile_end_frame(p, t);
  std::int64_t k = k0;
  std::int64_t next_boundary = k < k1 ? subblock_start(k + 1, p.sample_rate) : last;
  double acc[kMaxChannels] = {};
  double acc_mono = 0;
  for (std::int64_t i = first; i < last; ++i) {
    filter_frame<C>(p, samples, i, f, kw, bw);
    frame_statistics<C>(p, samples, i, stats);
    GLOSS_SIMD
    for (int b = 0; b < kBandLanes; ++b) f.acc[b] += bw[b] * bw[b];
    if (k >= k1) continue;  // frames after the last complete sub-block: statistics only
    for (int c = 0; c < channel_count<C>(p); ++c) acc[c] += kw[c] * kw[c];
    if (p.stereo) {
      const double m = kw[0] + kw[1];
      acc_mono += m * m;
    }
    if (i + 1 == next_boundary) {
      double w = 0;
      for (int c = 0; c < channel_count<C>(p); ++c) {
        w += p.weight[c] * acc[c];
        acc[c] = 0;
      }
      weighted_energy[k] = w;
      if (p.stereo) mono_energy[k] = acc_mono * p.mono_weight;
      acc_mono = 0;
      flush_filters<C>(p, f);
      ++k;
      next_boundary = k < k1 ? subblock_start(k + 1, p.sample_rate) : last;
    }
  }
  for (int b = 0; b < p.bands; ++b) stats.band[b] = f.acc[b];
  for (int c = 0; c < channel_count<C>(p); ++c)
    if (stats.clip_head[c] < 0) stats.clip_head[c] = last - first;  // clipped from start to end
  out = stats;
}

GLOSS_HD void meter_block_tile(const MeterPlan& p, const float* samples, std::int64_t t,
                               double* weighted_energy, double* mono_energy, TileStats& stats) {
  switch (p.channels) {
    case 1: return meter_block_tile_for<1>(p, samples, t, weighted_energy, mono_energy, stats);
    case 2: return meter_block_tile_for<2>(p, samples, t, weighted_energy, mono_energy, stats);
    case 6: return meter_block_tile_for<6>(p, samples, t, weighted_energy, mono_energy, stats);
    default: return meter_block_tile_for<0>(p, samples, t, weighted_energy, mono_energy, stats);
  }
}

}  // namespace GLOSS_KERNEL_ISA
}  // namespace gloss::kernels
