// Album consistency flags: what a mastering engineer checks before delivering an album
// (a track much louder or darker than the rest, overs, clipping, DC, mixed sample rates or
// bit depths, mono problems, long silences), with documented, overridable thresholds.
//
// The flags are computed from the measured-track JSON objects (report_json.hpp
// measured_track_json plus `sample_format`/`container`), not from C++ structs, so
// `gloss analyze`, `gloss master` (before/after) and merged shard reports all flag the same
// numbers the same way. Every flag is an object:
//   {"flag": "loudness_outlier", "value": 5.02, "threshold": 4.0, "message": "..."}
// (the mismatch flags carry "expected" instead of "threshold"; REPORT_SCHEMA.md lists them).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace gloss::cli {

using Json = nlohmann::ordered_json;  // the same alias as report_json.hpp

// Defaults chosen on real music (REPORT_SCHEMA.md says why each is where it is): a
// consistently produced album raises none of the statistical flags.
struct FlagThresholds {
  double loudness_outlier_lu = 4.0;      // |track - album median integrated loudness| above this
  double tonal_outlier_db = 6.0;         // any octave 63 Hz..16 kHz off the album's balance by more
  double true_peak_ceiling_dbtp = -1.0;  // true peak above this (EBU R128 / streaming delivery)
  long clipped_runs = 1;                 // at least this many clipping runs
  double dc_offset = 0.003;              // any channel's |mean| above this (about -50 dBFS)
  double mono_loss_lu = 4.0;             // mono fold-down quieter than stereo by more than this
  double stereo_correlation = -0.2;      // ... or stereo correlation below this
  double head_silence_s = 3.0;           // silence before the first sound longer than this
  double tail_silence_s = 5.0;           // silence after the last sound longer than this
};

// Applies one "name=value" override. Returns an error message naming the accepted names
// (or the accepted range), empty on success; `thresholds` is unchanged on error.
std::string set_flag_threshold(FlagThresholds& thresholds, const std::string& assignment);

// Every threshold by its `--flag` name, in documented order (the report's settings).
Json thresholds_json(const FlagThresholds& thresholds);

// The same as "name=value, name=value, ..." (for --help).
std::string thresholds_text(const FlagThresholds& thresholds);

struct AlbumFlags {
  std::vector<Json> tracks;  // one JSON array of flags per input track, aligned with the input
  Json album;                // album-level flags (a JSON array)
};

// `tracks`: the measured-track JSON objects of one album in album order, nullptr for a
// track that failed (it gets an empty array). Objects may carry "file" (messages then name
// it); a flag whose fields an object lacks (a master's shorter before/after objects) is
// simply not raised. Deterministic: the same objects always give the same flags.
AlbumFlags flag_album(const std::vector<const Json*>& tracks, const FlagThresholds& thresholds);

// A flag in a few words for the table: "loudness_outlier +5.0", "tonal_outlier +8.1 (62.5 Hz)".
std::string flag_summary(const Json& flag);

}  // namespace gloss::cli
