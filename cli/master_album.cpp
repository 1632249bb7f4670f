#include "master_album.hpp"

#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fmt/format.h>
#include <memory>
#include <limits>
#include <new>

#include "album_decode.hpp"
#include "detmath.hpp"
#include "../cpu/fftw_engine.hpp"  // convolve_exact_cpu
#include "encode.hpp"
#include "exact_convolution.hpp"
#include "gloss/fingerprint.hpp"
#include "gloss/meter.hpp"
#include "atomic_file.hpp"
#include "content_hash.hpp"
#include "interrupt.hpp"
#include "progress.hpp"

namespace gloss::cli {

namespace fs = std::filesystem;

namespace {

// A track on its way through the chain.
struct Work {
  const CatalogTrack* source = nullptr;
  SourceInfo info;
  std::optional<AudioTrack> input;      // decoded
  std::optional<AudioTrack> equalized;  // after the EQ (shares nothing with input)
  std::optional<TrackAnalysis> equalized_analysis;
  fs::path destination;
  std::uint64_t key = 0;  // dither key: the input audio's identity (not its path)
};

MeterOptions precise_meter() {
  MeterOptions options;
  options.true_peak = TruePeakMode::Precise;
  return options;
}

TrackLevelsReport levels_of(const TrackAnalysis& a) {
  return {a.integrated_lufs, a.loudness_range_lu, a.true_peak_dbtp, a.sample_peak_dbfs, a.plr_db, a.sample_rate};
}

// Measures one track; the message names the file when it cannot be measured.
std::optional<TrackAnalysis> measure(Backend& meter, const AudioTrack& track, std::string& error) {
  if (std::string why = check_measurable(track); !why.empty()) {
    error = fmt::format("{}: cannot be measured: {}", track.name, why);
    return std::nullopt;
  }
  try {
    return analyze_tracks(meter, {&track}, precise_meter())[0];
  } catch (const std::exception& e) {
    error = fmt::format("{}: measurement failed: {}", track.name, e.what());
    return std::nullopt;
  }
}

double pooled_lufs(const std::vector<const TrackAnalysis*>& tracks) {
  if (tracks.empty()) return -std::numeric_limits<double>::infinity();
  return analyze_album(tracks, AlbumLoudnessRule::Pooled).integrated_lufs;
}

// Each track's EQ: the preset's, plus its tone-match correction when that is on (tone_match.hpp).
std::vector<EqSpec> track_eqs(const std::vector<Work>& work, std::vector<MasteredTrack>& rows,
                              const std::vector<std::optional<TrackAnalysis>>& before, const MasterSettings& s) {
  std::vector<EqSpec> specs(work.size(), s.eq);
  if (!s.tone_match.enabled) return specs;
  std::vector<std::size_t> members;
  std::vector<const TrackAnalysis*> analyses;
  for (std::size_t i = 0; i < work.size(); ++i)
    if (work[i].input && before[i]) {
      members.push_back(i);
      analyses.push_back(&*before[i]);
    }
  const std::vector<ToneCorrection> corrections = tone_match_corrections(analyses, s.tone_match);
  for (std::size_t k = 0; k < members.size(); ++k) {
    const std::size_t i = members[k];
    specs[i].bands.insert(specs[i].bands.end(), corrections[k].bands.begin(), corrections[k].bands.end());
    rows[i].tone_match_db = tone_response_at_centres(corrections[k].bands, before[i]->sample_rate);
  }
  return specs;
}

// The linear-phase EQ, one batch on the CPU threads per sample rate and distinct EQ.
void equalize(std::vector<Work>& work, std::vector<MasteredTrack>& rows, const std::vector<EqSpec>& eqs,
              FftEngine& engine) {
  std::vector<bool> done(work.size(), false);
  for (std::size_t first = 0; first < work.size(); ++first) {
    if (!work[first].input || done[first]) continue;
    const int rate = work[first].input->sample_rate;
    const EqSpec& eq = eqs[first];
    std::vector<std::size_t> members;
    for (std::size_t i = first; i < work.size(); ++i)
      if (work[i].input && !done[i] && work[i].input->sample_rate == rate && eqs[i] == eq) {
        members.push_back(i);
        done[i] = true;
      }
    FirDesign fir;
    try {
      fir = design_eq_fir(eq, rate);
    } catch (const std::exception& e) {
      for (std::size_t i : members) rows[i].error = fmt::format("{}: the EQ cannot be designed at {} Hz: {}", rows[i].input, rate, e.what());
      continue;
    }
    if (fir.taps.size() == 1 && fir.taps[0] == 1.0) {  // flat: the audio passes through untouched
      for (std::size_t i : members) work[i].equalized = *work[i].input;
      continue;
    }
    const ExactConvolver convolver(std::make_shared<const ExactFir>(fir.taps), engine);
    std::vector<const AudioTrack*> batch;
    for (std::size_t i : members) batch.push_back(&*work[i].input);
    // As many threads as the run allows (--threads: the arena this runs in).
    std::vector<ExactConvolutionResult> results =
        convolve_exact_cpu(convolver, batch, tbb::this_task_arena::max_concurrency());
    for (std::size_t k = 0; k < members.size(); ++k) {
      if (results[k].error.empty()) work[members[k]].equalized = std::move(results[k].output);
      else rows[members[k]].error = results[k].error;
    }
  }
}

int output_bits(const MasterSettings& s, const Work& w) { return s.bits.value_or(w.info.bits); }

RenderSettings render_settings(const MasterSettings& s, const Work& w) {
  RenderSettings r;
  r.limiter = s.limiter;
  r.limiter.ceiling_dbtp = s.gain.ceiling_dbtp;
  r.output_rate = s.rate.value_or(0);
  r.output_bits = output_bits(s, w);
  r.dither = s.dither;
  r.noise_shaping = s.noise_shaping;
  return r;
}

// Renders every track that has a gain, one track per CPU thread; the stages run where
// `stages` says (a device serialises its own work). Failures become row errors.
void render_all(std::vector<Work>& work, std::vector<MasteredTrack>& rows, const MasterSettings& s,
                RenderStages& stages, const std::vector<std::size_t>& which) {
  tbb::parallel_for(std::size_t{0}, which.size(), [&](std::size_t k) {
    const std::size_t i = which[k];
    try {
      rows[i].render =
          render_track(*work[i].equalized, rows[i].applied_gain_db, render_settings(s, work[i]), work[i].key, stages);
    } catch (const std::bad_alloc&) {
      rows[i].error = rows[i].input + ": not enough memory to render this track";
      rows[i].transient_failure = true;
    } catch (const std::exception& e) {
      rows[i].error = e.what();
    }
  });
}

// Loudness the limiter took away is made up by raising the gain and rendering again, as far
// as the limiting budget allows: per track in track mode, for the whole album in album mode
// (so the album's relative levels stay as planned). Returns the tracks to render again.
std::vector<std::size_t> loudness_makeup(std::vector<Work>& work, std::vector<MasteredTrack>& rows,
                                         const MasterSettings& s, Backend& meter) {
  constexpr double kTolerance = 0.05;  // LU
  std::vector<std::size_t> again;
  std::vector<std::optional<TrackAnalysis>> measured(rows.size());
  std::vector<const TrackAnalysis*> album;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (!rows[i].ok() || rows[i].render.limiter.seconds_reducing == 0) continue;
    std::string error;
    measured[i] = measure(meter, rows[i].render.delivered, error);
  }
  auto raise = [&](std::size_t i, double delta) {
    const double limit = budget_gain_limit_db(s.gain, work[i].equalized_analysis->true_peak_dbtp);
    const double wanted = std::min(rows[i].applied_gain_db + delta, limit);
    if (wanted > rows[i].applied_gain_db + 0.001) {
      rows[i].applied_gain_db = wanted;
      again.push_back(i);
    }
  };
  if (s.gain.mode == GainMode::track) {
    for (std::size_t i = 0; i < rows.size(); ++i)
      if (measured[i] && std::isfinite(measured[i]->integrated_lufs) && !rows[i].plan.target_lowered) {
        const double short_by = s.gain.target_lufs - measured[i]->integrated_lufs;
        if (short_by > kTolerance) raise(i, short_by);
      }
    return again;
  }
  // Album mode: the album's pooled loudness after rendering, from every rendered track.
  std::vector<std::optional<TrackAnalysis>> all(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (!rows[i].ok()) continue;
    if (measured[i]) all[i] = std::move(measured[i]);
    else {
      std::string error;
      all[i] = measure(meter, rows[i].render.delivered, error);
    }
    if (all[i]) album.push_back(&*all[i]);
  }
  const double lufs = pooled_lufs(album);
  const bool lowered = std::any_of(rows.begin(), rows.end(), [](const MasteredTrack& r) { return r.plan.target_lowered; });
  if (!std::isfinite(lufs) || lowered || s.gain.target_lufs - lufs <= kTolerance) return again;
  const double delta = s.gain.target_lufs - lufs;
  double allowed = delta;  // the album moves together: the tightest budget decides
  for (std::size_t i = 0; i < rows.size(); ++i)
    if (rows[i].ok() && work[i].equalized_analysis)
      allowed = std::min(allowed, budget_gain_limit_db(s.gain, work[i].equalized_analysis->true_peak_dbtp) - rows[i].applied_gain_db);
  if (allowed <= 0.001) return again;
  for (std::size_t i = 0; i < rows.size(); ++i)
    if (rows[i].ok()) raise(i, allowed);
  return again;
}

// Writes the file, reads it back and checks every sample is what was rendered, then measures
// the file as delivered (returned for the album's statistics).
std::optional<TrackAnalysis> write_and_verify(Work& w, MasteredTrack& row, Backend& meter) {
  const RenderedTrack& r = row.render;
  if (std::string why = write_audio_file(w.destination, row.format, row.bits, r.delivered, r.pcm, w.info.tags);
      !why.empty()) {
    row.error = why;
    row.transient_failure = true;
    return std::nullopt;
  }
  DecodeResult back = decode_file(w.destination, w.destination.string());
  if (!back.ok() || back.track->samples != r.delivered.samples) {
    std::error_code ec;
    fs::remove(w.destination, ec);
    row.transient_failure = true;
    row.error = fmt::format("{}: the written file does not read back as rendered{}; it was removed",
                            w.destination.string(), back.ok() ? "" : ": " + back.error);
    return std::nullopt;
  }
  row.output = w.destination.string();
  std::string error;
  if (std::optional<std::string> sha = sha256_of_file(w.destination, error)) row.output_sha256 = *sha;
  std::optional<TrackAnalysis> a = measure(meter, *back.track, error);
  if (a) {
    row.after = levels_of(*a);
    row.after_analysis = *a;
  }
  return a;
}

void mark_interrupted(MasteredTrack& row) {
  row.interrupted = true;
  row.error = row.input + ": not written: the job was interrupted (run the same command again to resume)";
}

// A delivered loudness more than 0.1 LU under the target is never silent: the limiting budget
// stopped the make-up passes (the limiter took more loudness than the gain could give back
// within max_limiting), and the report says so.
void report_shortfall(MasteredAlbum& album, const MasterSettings& s) {
  constexpr double kTolerance = 0.1;  // LU
  auto explain = [&](MasteredTrack& t, double achieved) {
    const double short_by = s.gain.target_lufs - achieved;
    if (!std::isfinite(achieved) || short_by <= kTolerance) return;
    t.plan.target_lowered = true;
    t.plan.reason += fmt::format("; delivered {:.2f} LUFS, {:.2f} LU under the target: reaching it would need more "
                                 "than the {:.1f} dB limiting budget (max_limiting)",
                                 achieved, short_by, s.gain.max_limiting_db);
  };
  if (s.gain.mode == GainMode::track) {
    for (MasteredTrack& t : album.tracks)
      if (t.ok() && t.after) explain(t, t.after->integrated_lufs);
    return;
  }
  if (std::isfinite(album.album_lufs_after) && s.gain.target_lufs - album.album_lufs_after > kTolerance)
    for (MasteredTrack& t : album.tracks)
      if (t.ok()) explain(t, album.album_lufs_after);
}

}  // namespace

MasteredAlbum master_album(const CatalogAlbum& album, const fs::path& relative, MasterRun& run) {
  const MasterSettings& s = run.settings;
  MasteredAlbum out;
  out.path = album.display;
  out.output_folder = (run.output_root / relative).string();
  std::vector<Work> work(album.tracks.size());
  out.tracks.resize(album.tracks.size());
  std::vector<MasteredTrack>& rows = out.tracks;

  auto mark = std::chrono::steady_clock::now();
  auto lap = [&mark](double& slot) {
    const auto now = std::chrono::steady_clock::now();
    slot += std::chrono::duration<double>(now - mark).count();
    mark = now;
  };

  // Decode and measure the input.
  decode_album(album, [&](std::size_t i, DecodeResult& d) {
    const CatalogTrack& t = album.tracks[i];
    rows[i].input = t.display;
    work[i].source = &t;
    if (!d.ok()) {
      rows[i].error = d.error;
      return;
    }
    work[i].info = read_source_info(t.path);
    rows[i].layout = d.track->layout;
    rows[i].source = d.format;
    rows[i].input_seconds = static_cast<double>(d.track->frames) / d.track->sample_rate;
    std::string error;
    if (std::optional<std::string> sha = sha256_of_file(t.path, error)) rows[i].input_sha256 = *sha;
    work[i].input = std::move(d.track);
  });
  lap(out.seconds.decode);
  std::vector<std::optional<TrackAnalysis>> before(work.size());
  std::vector<const TrackAnalysis*> album_before;
  for (std::size_t i = 0; i < work.size(); ++i) {
    if (!work[i].input) continue;
    before[i] = measure(run.meter, *work[i].input, rows[i].error);
    if (before[i]) {
      rows[i].before = levels_of(*before[i]);
      rows[i].before_analysis = before[i];
      album_before.push_back(&*before[i]);
    } else {
      work[i].input.reset();
    }
  }
  out.album_lufs_before = pooled_lufs(album_before);
  lap(out.seconds.measure);

  // Output names and formats; an output that would overwrite an input is refused.
  std::error_code ec;
  fs::create_directories(run.output_root / relative, ec);
  for (std::size_t i = 0; i < work.size(); ++i) {
    if (!work[i].input) continue;
    rows[i].format = s.format.value_or(work[i].info.format);
    rows[i].bits = output_bits(s, work[i]);
    const fs::path name = fs::path(album.tracks[i].path.filename()).replace_extension(extension_for(rows[i].format));
    work[i].destination = run.output_root / relative / name;
    remove_stale_temps(work[i].destination);  // a killed earlier run's unfinished file
    work[i].key = audio_identity(*work[i].input);
    const fs::path in = fs::weakly_canonical(album.tracks[i].path, ec), dest = fs::weakly_canonical(work[i].destination, ec);
    if (in == dest) rows[i].error = fmt::format("{}: the output would overwrite this input; choose another -o folder", rows[i].input);
    else if (std::string why = check_format(rows[i].format, rows[i].bits); !why.empty()) rows[i].error = rows[i].input + ": " + why;
    if (!rows[i].ok()) work[i].input.reset();
  }

  // EQ, then the levels the gain plan works from.
  equalize(work, rows, track_eqs(work, rows, before, s), run.fft);
  lap(out.seconds.eq);
  if (interrupt_requested()) {
    for (MasteredTrack& row : rows)
      if (row.ok()) mark_interrupted(row);
    for (const MasteredTrack& row : rows) run.progress.track_done(row.input, 0, false);
    return out;
  }
  std::vector<TrackLevels> levels;
  std::vector<std::size_t> planned;  // row of each plan entry
  std::vector<const TrackAnalysis*> album_equalized;
  for (std::size_t i = 0; i < work.size(); ++i) {
    if (!rows[i].ok() || !work[i].equalized) continue;
    work[i].input.reset();  // the EQ'd copy is all the chain needs now
    work[i].equalized_analysis = measure(run.meter, *work[i].equalized, rows[i].error);
    if (!work[i].equalized_analysis) continue;
    levels.push_back({work[i].equalized_analysis->integrated_lufs, work[i].equalized_analysis->true_peak_dbtp});
    planned.push_back(i);
    album_equalized.push_back(&*work[i].equalized_analysis);
  }
  const GainPlan plan = plan_gains(s.gain, levels, pooled_lufs(album_equalized));
  lap(out.seconds.measure);
  for (std::size_t k = 0; k < planned.size(); ++k) {
    rows[planned[k]].plan = plan.tracks[k];
    rows[planned[k]].applied_gain_db = plan.tracks[k].gain_db;
  }

  // Render, make up loudness the limiter took (bounded), write and verify.
  render_all(work, rows, s, run.render, planned);
  for (int pass = 1; pass <= s.max_loudness_passes; ++pass) {
    const std::vector<std::size_t> again = loudness_makeup(work, rows, s, run.meter);
    if (again.empty()) break;
    for (std::size_t i : again) rows[i].loudness_passes = pass;
    render_all(work, rows, s, run.render, again);
  }
  lap(out.seconds.render);
  std::vector<const TrackAnalysis*> album_after;
  std::vector<std::optional<TrackAnalysis>> after(work.size());
  for (std::size_t i : planned) {
    // Ctrl-C: what is written stays written (and journaled); the rest is not started.
    if (rows[i].ok() && interrupt_requested()) mark_interrupted(rows[i]);
    if (rows[i].ok()) after[i] = write_and_verify(work[i], rows[i], run.meter);
    if (after[i] && run.after_write) run.after_write(album.tracks[i], rows[i]);
    if (after[i]) album_after.push_back(&*after[i]);
    rows[i].render.delivered = {};
    rows[i].render.pcm = {};
    work[i].equalized.reset();
  }
  out.album_lufs_after = pooled_lufs(album_after);
  if (s.tone_match.enabled) {  // over the delivered tracks, before and after, so the two compare
    std::vector<const TrackAnalysis*> delivered_before;
    for (std::size_t i = 0; i < work.size(); ++i)
      if (after[i]) delivered_before.push_back(&*before[i]);
    out.tone_spread_before_db = tonal_spread_db(delivered_before);
    out.tone_spread_after_db = tonal_spread_db(album_after);
  }
  lap(out.seconds.write);
  report_shortfall(out, s);
  for (MasteredTrack& row : rows) {
    // Album statistics are done: the per-block data must not be hoarded over a catalog.
    for (std::optional<TrackAnalysis>* a : {&row.before_analysis, &row.after_analysis})
      if (*a) (*a)->block_energies = (*a)->lra_energies = {};
    run.progress.track_done(row.input, row.input_seconds, !row.ok() && !row.interrupted);
  }
  return out;
}

}  // namespace gloss::cli
