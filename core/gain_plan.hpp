// Gain planning for `gloss master` (issue 4): which gain each track gets, and why.
//
// Inputs are the levels of the tracks as they enter the gain stage (after the EQ): gated
// integrated loudness and precise true peak. Modes:
//   album  one gain for the whole album (its pooled loudness to the target): the relative
//          levels between tracks are kept, a ballad stays quieter than the rock track
//   track  every track's own loudness to the target
//   album with max_track_correction_lu > 0: the album gain, plus for each track a correction
//          toward the target of at most that many LU (pulls outliers in, keeps the shape)
// The limiting budget: a gain that would push a track's true peak more than
// max_limiting_db over the ceiling is lowered until it does not (the target is lowered for
// that track or album, and the plan says so). The limiter handles the rest.
#pragma once

#include <string>
#include <vector>

namespace gloss {

enum class GainMode { album, track };

struct GainPlanSettings {
  double target_lufs = -14.0;
  double ceiling_dbtp = -1.0;
  GainMode mode = GainMode::album;
  double max_track_correction_lu = 0.0;  // album mode only; 0 = one gain for every track
  double max_limiting_db = 4.0;          // largest peak reduction the limiter is asked for
};

// Why the settings are unusable ("" when fine).
std::string check_gain_plan(const GainPlanSettings& settings);

struct TrackLevels {
  double integrated_lufs = 0;  // -inf for silence
  double true_peak_dbtp = 0;   // -inf for digital silence
};

struct TrackGain {
  double gain_db = 0;
  double expected_lufs = 0;        // integrated loudness after the gain, before limiting
  double peak_over_ceiling_db = 0; // how far the gain pushes the true peak over the ceiling (<= 0: none)
  bool target_lowered = false;     // the budget lowered this track's gain
  std::string reason;              // one sentence for the report
};

struct GainPlan {
  GainMode mode = GainMode::album;
  double album_lufs = 0;       // the pooled album loudness the plan used (album mode)
  double album_gain_db = 0;    // the album's gain before per-track corrections (album mode)
  std::vector<TrackGain> tracks;
};

// `album_lufs` is the album's pooled integrated loudness (BS.1770 gating over all tracks).
GainPlan plan_gains(const GainPlanSettings& settings, const std::vector<TrackLevels>& tracks, double album_lufs);

// The largest gain (dB) the budget allows a track with this true peak.
double budget_gain_limit_db(const GainPlanSettings& settings, double true_peak_dbtp);

const char* to_string(GainMode mode);

}  // namespace gloss
