// The meter's plan for one track: tile geometry and every coefficient the kernels use,
// computed once on the host (core/meter_work.cpp) and passed to either backend as plain data.
#pragma once

#include <cstdint>

#include "kernels/biquad.hpp"
#include "kernels/gloss_hd.hpp"

namespace gloss::kernels {

inline constexpr int kMaxChannels = 8;
inline constexpr int kOctaveBands = 10;

// Loudness is accumulated per 10 ms sub-block; a 400 ms gating block is 40 of them and a
// 3 s short-term window 300. Sub-block k starts at frame k * rate / 100 (integer division),
// so 40 sub-blocks always span 400 ms to the nearest sample.
inline constexpr std::int64_t kSubblocksPerSecond = 100;
inline constexpr std::int64_t kSubblocksPerBlock = 40;       // 400 ms
inline constexpr std::int64_t kSubblocksPerHop = 10;         // 100 ms
inline constexpr std::int64_t kSubblocksPerShortTerm = 300;  // 3 s

// A block tile is 10 s of all channels. Part of the algorithm, not a tuning knob:
// recursive filters restart at every tile after a warm-up halo, identically on every backend.
inline constexpr std::int64_t kSubblocksPerTile = 1000;
// Warm-up before each tile: 0.5 s lets the slowest filter states (31 Hz band, 38 Hz RLB
// high-pass) decay below double precision, so a tile's result equals a sequential run's
// to within rounding, while the tiled result is the canonical one on every backend.
inline constexpr std::int64_t kHaloSubblocks = 50;

// True peak is computed over independent segments of this many input positions per channel.
inline constexpr std::int64_t kTruePeakSegment = 16384;

struct MeterPlan {
  int sample_rate = 0;
  int channels = 0;
  std::int64_t frames = 0;
  std::int64_t subblocks = 0;  // complete 10 ms sub-blocks in the track
  std::int64_t tiles = 0;      // block tiles (at least 1)

  double weight[kMaxChannels] = {};  // BS.1770 channel weights (0 for LFE)
  double mono_scale = 1;             // 1 / number of weighted channels, for the band mix
  bool stereo = false;               // correlation and mono-sum loss apply
  double mono_weight = 0.5;          // (w0 + w1) / 4: (kL + kR)^2 * this = (L+R)/2 on both channels

  Biquad k_shelf;  // K-weighting stage 1 (high shelf)
  Biquad k_rlb;    // K-weighting stage 2 (RLB high-pass)
  Biquad band[kOctaveBands];
  int bands = 0;  // octave bands centred at or below 0.4 fs; the rest are not measured

  double silence_threshold = 0;  // linear
  double clip_level = 1;
  int min_clip_run = 3;

  std::int64_t true_peak_segments = 0;  // per channel
};

// Everything one block tile produces besides the per-sub-block energies. Tiles are reduced
// on the host in index order (sums) or by max/min (order-free).
struct TileStats {
  double peak[kMaxChannels];
  double sum[kMaxChannels];
  double sum_sq[kMaxChannels];
  // Clipping: complete runs inside the tile, plus the runs touching its edges, which the host
  // joins across tiles in index order (so no tile ever scans past its own frames).
  std::int64_t clip_runs[kMaxChannels];
  std::int64_t clip_samples[kMaxChannels];
  std::int64_t clip_head[kMaxChannels];  // clipped frames at the tile's start (= tile length if all)
  std::int64_t clip_tail[kMaxChannels];  // clipped frames at the tile's end
  std::int64_t first_loud;  // -1 when the tile has no sample above the silence threshold
  std::int64_t last_loud;
  double sum_lr;  // stereo only
  double band[kOctaveBands];
};

inline namespace GLOSS_KERNEL_ISA {

GLOSS_HD std::int64_t subblock_start(std::int64_t k, int sample_rate) {
  return k * sample_rate / kSubblocksPerSecond;
}

// Frame range [first, last) of block tile t. The last tile also takes the frames after the
// last complete sub-block, so that peaks and statistics see every sample.
GLOSS_HD std::int64_t tile_first_frame(const MeterPlan& p, std::int64_t t) {
  return subblock_start(t * kSubblocksPerTile, p.sample_rate);
}
GLOSS_HD std::int64_t tile_end_frame(const MeterPlan& p, std::int64_t t) {
  if (t + 1 >= p.tiles) return p.frames;
  return subblock_start((t + 1) * kSubblocksPerTile, p.sample_rate);
}

}  // namespace GLOSS_KERNEL_ISA
}  // namespace gloss::kernels
