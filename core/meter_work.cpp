#include "meter_work.hpp"

#include <fmt/format.h>

#include "detmath.hpp"
#include "filter_design.hpp"
#include "gloss/error.hpp"
#include "gloss/meter.hpp"
#include "kernels/block_tile.hpp"

namespace gloss {

namespace {

constexpr int kMinRate = 8000;
constexpr int kMaxRate = 384000;

std::int64_t count_tiles(const kernels::MeterPlan& p) {
  std::int64_t tiles = 1;
  while (kernels::tile_first_frame(p, tiles) < p.frames) ++tiles;
  return tiles;
}

kernels::MeterPlan make_plan(const AudioTrack& track, const MeterOptions& options) {
  kernels::MeterPlan p;
  p.sample_rate = track.sample_rate;
  p.channels = track.channels;
  p.frames = track.frames;
  p.subblocks = track.frames * kernels::kSubblocksPerSecond / track.sample_rate;  // floor: complete ones only
  p.tiles = count_tiles(p);

  int weighted = 0;
  for (int c = 0; c < track.channels; ++c) {
    p.weight[c] = bs1770_weight(track.layout[static_cast<std::size_t>(c)]);
    if (p.weight[c] > 0) ++weighted;
  }
  p.mono_scale = weighted > 0 ? 1.0 / weighted : 0.0;
  p.stereo = track.channels == 2 && p.weight[0] > 0 && p.weight[1] > 0;
  // (L+R)/2 played on both channels with the same weights: ((w0 + w1) / 4) * (kL + kR)^2.
  p.mono_weight = p.stereo ? (p.weight[0] + p.weight[1]) * 0.25 : 0.0;

  const KWeighting k = design_k_weighting(track.sample_rate);
  p.k_shelf = k.shelf;
  p.k_rlb = k.rlb;
  p.bands = 0;
  for (double centre : kOctaveCentresHz) {
    if (centre > 0.4 * track.sample_rate) break;
    p.band[p.bands++] = design_octave_band(track.sample_rate, centre);
  }

  p.silence_threshold = detmath::db_to_amplitude(options.silence_threshold_dbfs);
  p.clip_level = options.clip_level;
  p.min_clip_run = options.min_clip_run;
  return p;
}

}  // namespace

std::string check_measurable(const AudioTrack& track) {
  if (track.sample_rate < kMinRate || track.sample_rate > kMaxRate)
    return fmt::format("sample rate {} Hz is outside the supported {}..{} Hz", track.sample_rate,
                       kMinRate, kMaxRate);
  if (track.channels < 1 || track.channels > kernels::kMaxChannels)
    return fmt::format("{} channels; gloss measures 1 to {} (mono to 7.1)", track.channels,
                       kernels::kMaxChannels);
  if (static_cast<int>(track.layout.size()) != track.channels)
    return fmt::format("channel layout names {} channels but the audio has {}", track.layout.size(),
                       track.channels);
  if (track.frames < 0 ||
      track.samples.size() != static_cast<std::size_t>(track.frames) * static_cast<std::size_t>(track.channels))
    return "sample buffer size does not match frames x channels";
  return {};
}

MeterWork make_meter_work(const AudioTrack& track, const MeterOptions& options) {
  if (const std::string why = check_measurable(track); !why.empty())
    throw Error(fmt::format("{}: {}", track.name.empty() ? "track" : track.name, why));
  MeterWork w;
  w.track = &track;
  w.plan = make_plan(track, options);
  w.true_peak_filter = options.true_peak == TruePeakMode::Precise
                           ? design_precise_true_peak()
                           : design_itu_true_peak(track.sample_rate);
  if (!kernels::true_peak_shape_supported(w.true_peak_filter))
    throw Error(fmt::format("internal error: the true-peak kernel has no {} phase x {} tap form",
                            w.true_peak_filter.phases, w.true_peak_filter.taps));
  w.plan.true_peak_segments = kernels::true_peak_segments(w.true_peak_filter, track.frames);
  const auto subblocks = static_cast<std::size_t>(w.plan.subblocks);
  w.weighted_energy.assign(subblocks, 0.0);
  if (w.plan.stereo) w.mono_energy.assign(subblocks, 0.0);
  w.tiles.resize(static_cast<std::size_t>(w.plan.tiles));
  w.true_peak.assign(static_cast<std::size_t>(track.channels * w.plan.true_peak_segments), 0.0);
  return w;
}

std::vector<MeterWorkItem> list_work_items(const std::vector<MeterWork*>& batch) {
  std::vector<MeterWorkItem> items;
  for (std::size_t t = 0; t < batch.size(); ++t) {
    const kernels::MeterPlan& p = batch[t]->plan;
    for (std::int64_t i = 0; i < p.channels * p.true_peak_segments; ++i) items.push_back({t, i, true});
    for (std::int64_t i = 0; i < p.tiles; ++i) items.push_back({t, i, false});
  }
  return items;
}

void run_work_item(MeterWork& work, const MeterWorkItem& item, const kernels::KernelTable& kernels) {
  const kernels::MeterPlan& p = work.plan;
  const float* samples = work.track->samples.data();
  if (item.true_peak) {
    const std::int64_t channel = item.index / p.true_peak_segments;
    const std::int64_t segment = item.index % p.true_peak_segments;
    work.true_peak[static_cast<std::size_t>(item.index)] =
        kernels.true_peak(work.true_peak_filter, samples + channel * p.frames, p.frames, segment);
    return;
  }
  kernels.block_tile(p, samples, item.index, work.weighted_energy.data(), p.stereo ? work.mono_energy.data() : nullptr,
                     work.tiles[static_cast<std::size_t>(item.index)]);
}

}  // namespace gloss
