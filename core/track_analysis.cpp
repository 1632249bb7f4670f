// Turns what the kernels produced (sub-block energies, tile statistics, true-peak segment
// maxima) into a TrackAnalysis. Runs on the host, reducing tiles in index order.
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include "detmath.hpp"
#include "gloss/meter.hpp"
#include "loudness_stats.hpp"
#include "meter_work.hpp"

namespace gloss {

namespace {

const double kInf = std::numeric_limits<double>::infinity();

using kernels::kSubblocksPerBlock;
using kernels::kSubblocksPerHop;
using kernels::kSubblocksPerShortTerm;

// Tech 3342: a file-based meter appends 1.5 s of silence before the final LRA.
constexpr long long kLraTailSubblocks = 150;

void fill_loudness(const MeterWork& w, TrackAnalysis& a) {
  const int rate = w.plan.sample_rate;
  a.block_energies = window_energies(w.weighted_energy, rate, kSubblocksPerBlock, kSubblocksPerHop);
  a.integrated_lufs = gated_loudness(a.block_energies);
  a.momentary_max_lufs = max_loudness(window_energies(w.weighted_energy, rate, kSubblocksPerBlock, 1));
  a.short_term_max_lufs =
      max_loudness(window_energies(w.weighted_energy, rate, kSubblocksPerShortTerm, 1));
  const std::vector<double> short_term =
      window_energies(w.weighted_energy, rate, kSubblocksPerShortTerm, kSubblocksPerHop);
  a.short_term_lufs.clear();
  for (double e : short_term) a.short_term_lufs.push_back(energy_to_lufs(e));
  a.lra_energies = window_energies(w.weighted_energy, rate, kSubblocksPerShortTerm, kSubblocksPerHop,
                                   kLraTailSubblocks);
  a.loudness_range_lu = loudness_range(a.lra_energies);

  if (w.plan.stereo && a.integrated_lufs > -kInf) {
    const double mono = gated_loudness(window_energies(w.mono_energy, rate, kSubblocksPerBlock, kSubblocksPerHop));
    if (mono > -kInf) a.mono_loss_lu = a.integrated_lufs - mono;
  }
}

// Clipped runs: each tile counted the runs inside it and reported the clipped frames at its
// start and end; runs that cross tile boundaries are joined here, in tile order.
void join_clipped_runs(const MeterWork& w, TrackAnalysis& a) {
  const kernels::MeterPlan& p = w.plan;
  for (int c = 0; c < p.channels; ++c) {
    ChannelMeasurement& m = a.per_channel[static_cast<std::size_t>(c)];
    std::int64_t open_run = 0;  // clipped frames carried over from previous tiles
    const auto close_run = [&](std::int64_t n) {
      if (n > 0 && n >= p.min_clip_run) {
        m.clipped_runs += 1;
        m.clipped_samples += n;
      }
    };
    for (std::int64_t t = 0; t < p.tiles; ++t) {
      const kernels::TileStats& s = w.tiles[static_cast<std::size_t>(t)];
      const std::int64_t length = kernels::tile_end_frame(p, t) - kernels::tile_first_frame(p, t);
      if (s.clip_head[c] == length) {  // clipped throughout: the run goes on
        open_run += length;
        continue;
      }
      close_run(open_run + s.clip_head[c]);
      m.clipped_runs += s.clip_runs[c];
      m.clipped_samples += s.clip_samples[c];
      open_run = s.clip_tail[c];
    }
    close_run(open_run);
  }
}

void fill_sample_statistics(const MeterWork& w, TrackAnalysis& a) {
  const kernels::MeterPlan& p = w.plan;
  a.per_channel.assign(static_cast<std::size_t>(p.channels), {});
  double sum_sq_all = 0, sum_lr = 0;
  std::array<double, kernels::kOctaveBands> bands{};
  std::int64_t first_loud = -1, last_loud = -1;
  for (const kernels::TileStats& s : w.tiles) {  // index order: fixed summation order
    for (int c = 0; c < p.channels; ++c) {
      ChannelMeasurement& m = a.per_channel[static_cast<std::size_t>(c)];
      m.sample_peak = std::max(m.sample_peak, s.peak[c]);
      m.dc_offset += s.sum[c];
      sum_sq_all += s.sum_sq[c];
    }
    sum_lr += s.sum_lr;
    for (int b = 0; b < p.bands; ++b) bands[static_cast<std::size_t>(b)] += s.band[b];
    if (s.first_loud >= 0 && first_loud < 0) first_loud = s.first_loud;
    if (s.last_loud >= 0) last_loud = s.last_loud;
  }
  join_clipped_runs(w, a);
  const double frames = static_cast<double>(p.frames);
  double sample_peak = 0, true_peak = 0;
  for (int c = 0; c < p.channels; ++c) {
    ChannelMeasurement& m = a.per_channel[static_cast<std::size_t>(c)];
    if (p.frames > 0) m.dc_offset /= frames;
    m.true_peak = m.sample_peak;  // the true peak is never below the sample peak
    for (std::int64_t s = 0; s < p.true_peak_segments; ++s)
      m.true_peak = std::max(m.true_peak, w.true_peak[static_cast<std::size_t>(c * p.true_peak_segments + s)]);
    sample_peak = std::max(sample_peak, m.sample_peak);
    true_peak = std::max(true_peak, m.true_peak);
    a.clipped_runs += m.clipped_runs;
    a.clipped_samples += m.clipped_samples;
    a.max_abs_dc_offset = std::max(a.max_abs_dc_offset, std::fabs(m.dc_offset));
  }
  a.sample_peak_dbfs = detmath::amplitude_to_db(sample_peak);
  a.true_peak_dbtp = detmath::amplitude_to_db(true_peak);
  if (a.integrated_lufs > -kInf) a.plr_db = a.true_peak_dbtp - a.integrated_lufs;
  if (sum_sq_all > 0) {
    const double mean_square = sum_sq_all / (frames * p.channels);
    a.crest_factor_db = a.sample_peak_dbfs - detmath::power_to_db(mean_square);
  }
  if (p.stereo) {
    double sum_l = 0, sum_r = 0;
    for (const kernels::TileStats& s : w.tiles) {
      sum_l += s.sum_sq[0];
      sum_r += s.sum_sq[1];
    }
    if (sum_l > 0 && sum_r > 0) a.stereo_correlation = sum_lr / std::sqrt(sum_l * sum_r);
  }
  for (int b = 0; b < p.bands; ++b)
    if (p.frames > 0) a.octave_band_db[static_cast<std::size_t>(b)] = detmath::power_to_db(bands[static_cast<std::size_t>(b)] / frames);
  const double rate = p.sample_rate;
  if (first_loud < 0) {
    a.head_silence_s = a.tail_silence_s = a.duration_s;
  } else {
    a.head_silence_s = static_cast<double>(first_loud) / rate;
    a.tail_silence_s = static_cast<double>(p.frames - 1 - last_loud) / rate;
  }
}

TrackAnalysis summarize(const MeterWork& w) {
  TrackAnalysis a;
  a.sample_rate = w.plan.sample_rate;
  a.channels = w.plan.channels;
  a.frames = w.plan.frames;
  a.duration_s = static_cast<double>(w.plan.frames) / w.plan.sample_rate;
  fill_loudness(w, a);
  fill_sample_statistics(w, a);
  return a;
}

}  // namespace

std::vector<TrackAnalysis> analyze_tracks(Backend& backend, const std::vector<const AudioTrack*>& tracks,
                                          const MeterOptions& options) {
  std::vector<MeterWork> work;
  work.reserve(tracks.size());
  for (const AudioTrack* t : tracks) work.push_back(make_meter_work(*t, options));
  std::vector<MeterWork*> batch;
  for (MeterWork& w : work) batch.push_back(&w);
  backend.run_meter(batch);
  std::vector<TrackAnalysis> out;
  out.reserve(work.size());
  for (const MeterWork& w : work) out.push_back(summarize(w));
  return out;
}

}  // namespace gloss
