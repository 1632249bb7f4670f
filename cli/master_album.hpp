// One album through the mastering chain (DESIGN.md "The chain"):
//   decode -> analyze (input) -> EQ -> analyze (EQ'd) -> plan gains -> render -> write ->
//   read back and verify -> analyze (output)
// Tracks that fail (undecodable, a true peak that cannot be held, an unwritable output) are
// reported with a message and the album goes on; no partial file is ever left.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "catalog.hpp"
#include "source_format.hpp"
#include "eq_design.hpp"
#include "exact_convolution.hpp"
#include "gain_plan.hpp"
#include "gloss/analysis.hpp"
#include "gloss/backend.hpp"
#include "limiter.hpp"
#include "render_chain.hpp"
#include "render_stages.hpp"
#include "tone_match.hpp"

namespace gloss::cli {

class Progress;

// Everything the chain needs, resolved from the preset and the flags.
struct MasterSettings {
  std::string preset_name;       // as given
  std::string preset_sha256;      // of the preset file's bytes (provenance)
  EqSpec eq;
  ToneMatchSettings tone_match;  // off: every track gets `eq`; album: plus its own correction
  GainPlanSettings gain;
  LimiterSettings limiter;
  std::optional<std::string> format;  // unset: the input's
  std::optional<int> bits;            // unset: the input's
  std::optional<int> rate;            // unset: the input's
  bool dither = true;
  NoiseShaping noise_shaping = NoiseShaping::none;
  int max_loudness_passes = 3;        // re-renders to make up loudness the limiter took
};

struct TrackLevelsReport {
  double integrated_lufs = 0;
  double loudness_range_lu = 0;
  double true_peak_dbtp = 0;  // precise
  double sample_peak_dbfs = 0;
  std::optional<double> plr_db;
  int sample_rate = 0;
};

struct MasteredTrack {
  std::string input;       // as given
  std::string output;      // the written file (empty on failure)
  std::string error;       // empty on success
  bool interrupted = false;  // not written because the job was asked to stop (error says so)
  // Failed for a reason a rerun may not meet again (writing the file, memory), as opposed to
  // one its unchanged input would give again (undecodable, a ceiling that cannot be held).
  bool transient_failure = false;
  std::optional<TrackLevelsReport> before, after;
  // The full measurements (block energies dropped) for the consistency report.
  std::optional<TrackAnalysis> before_analysis, after_analysis;
  std::vector<ChannelRole> layout;
  SourceFormat source;  // the input's container and sample format
  double input_seconds = 0;
  std::string input_sha256, output_sha256;  // provenance (empty when not read/written)
  TrackGain plan;
  double applied_gain_db = 0;  // after loudness make-up passes
  int loudness_passes = 0;
  // Tone match on: the correction at each octave centre of the tone range, (Hz, dB).
  std::vector<std::pair<double, double>> tone_match_db;
  RenderedTrack render;    // delivered samples dropped after writing
  int bits = 0;
  std::string format;
  bool ok() const { return error.empty(); }
};

// Wall-clock seconds of each stage of one album (where a job's time goes; never in a report,
// which must not depend on the machine).
struct StageSeconds {
  double decode = 0;   // read, decode and hash the inputs
  double measure = 0;  // input and EQ'd measurements, gain plan
  double eq = 0;       // linear-phase EQ (exact convolution)
  double render = 0;   // limiter, SRC, dither, verify scans, loudness make-up passes
  double write = 0;    // encode, write, read back, hash and measure the outputs
  StageSeconds& operator+=(const StageSeconds& o) {
    decode += o.decode, measure += o.measure, eq += o.eq, render += o.render, write += o.write;
    return *this;
  }
};

struct MasteredAlbum {
  std::string path;
  std::string output_folder;
  double album_lufs_before = 0;  // pooled, input
  double album_lufs_after = 0;   // pooled, output
  // Tone match on: the tonal spread (tone_match.hpp) of the inputs and of the delivered files.
  std::optional<double> tone_spread_before_db, tone_spread_after_db;
  std::vector<MasteredTrack> tracks;
  StageSeconds seconds;
};

struct MasterRun {
  const MasterSettings& settings;
  FftEngine& fft;  // the EQ's FFTs: one engine for the run, so plans are made once
  Backend& meter;          // where the measurements run
  RenderStages& render;    // where the limiter, SRC and quantizer run (same bits on every one)
  Progress& progress;
  std::filesystem::path output_root;
  // Called after each track's file is in place and verified (the job's journal).
  std::function<void(const CatalogTrack& input, const MasteredTrack& written)> after_write;
};

// `relative` is where the album goes under the output root.
MasteredAlbum master_album(const CatalogAlbum& album, const std::filesystem::path& relative, MasterRun& run);

}  // namespace gloss::cli
