#include "gain_plan.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

namespace gloss {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

std::string db(double value) { return fmt::format("{:+.2f} dB", value); }

// Fills the fields that follow from the gain alone.
TrackGain with_gain(const GainPlanSettings& s, const TrackLevels& t, double gain_db) {
  TrackGain g;
  g.gain_db = gain_db;
  g.expected_lufs = t.integrated_lufs + gain_db;
  g.peak_over_ceiling_db = std::isfinite(t.true_peak_dbtp) ? t.true_peak_dbtp + gain_db - s.ceiling_dbtp : -kInf;
  return g;
}

TrackGain silent_track() {
  TrackGain g;
  g.expected_lufs = -kInf;
  g.peak_over_ceiling_db = -kInf;
  g.reason = "silent (no block passes the gates): no gain";
  return g;
}

std::string limiting_text(const GainPlanSettings& s, const TrackGain& g) {
  if (g.peak_over_ceiling_db <= 0) return "no limiting needed";
  return fmt::format("the limiter takes {:.2f} dB off the true peak to hold {:.1f} dBTP", g.peak_over_ceiling_db,
                     s.ceiling_dbtp);
}

GainPlan plan_track_mode(const GainPlanSettings& s, const std::vector<TrackLevels>& tracks) {
  GainPlan plan;
  plan.mode = GainMode::track;
  for (const TrackLevels& t : tracks) {
    if (!std::isfinite(t.integrated_lufs)) {
      plan.tracks.push_back(silent_track());
      continue;
    }
    const double wanted = s.target_lufs - t.integrated_lufs;
    const double allowed = budget_gain_limit_db(s, t.true_peak_dbtp);
    TrackGain g = with_gain(s, t, std::min(wanted, allowed));
    g.target_lowered = allowed < wanted;
    if (g.target_lowered)
      g.reason = fmt::format("track at {:.2f} LUFS: {} would reach {:.1f} LUFS but needs {:.2f} dB of limiting "
                             "(budget {:.1f} dB); lowered to {}, expect {:.2f} LUFS",
                             t.integrated_lufs, db(wanted), s.target_lufs, t.true_peak_dbtp + wanted - s.ceiling_dbtp,
                             s.max_limiting_db, db(g.gain_db), g.expected_lufs);
    else
      g.reason = fmt::format("track at {:.2f} LUFS: {} to reach {:.1f} LUFS; {}", t.integrated_lufs, db(g.gain_db),
                             s.target_lufs, limiting_text(s, g));
    plan.tracks.push_back(g);
  }
  return plan;
}

GainPlan plan_album_mode(const GainPlanSettings& s, const std::vector<TrackLevels>& tracks, double album_lufs) {
  GainPlan plan;
  plan.mode = GainMode::album;
  plan.album_lufs = album_lufs;
  if (!std::isfinite(album_lufs)) {
    for (std::size_t i = 0; i < tracks.size(); ++i) plan.tracks.push_back(silent_track());
    return plan;
  }
  const double wanted = s.target_lufs - album_lufs;
  double allowed = kInf;
  for (const TrackLevels& t : tracks)
    if (std::isfinite(t.integrated_lufs)) allowed = std::min(allowed, budget_gain_limit_db(s, t.true_peak_dbtp));
  const double album_gain = std::min(wanted, allowed);
  plan.album_gain_db = album_gain;
  const bool album_lowered = allowed < wanted;
  const std::string album_text =
      album_lowered ? fmt::format("album at {:.2f} LUFS: {} would reach {:.1f} LUFS but its hottest track would need "
                                  "more than {:.1f} dB of limiting; album gain lowered to {}",
                                  album_lufs, db(wanted), s.target_lufs, s.max_limiting_db, db(album_gain))
                    : fmt::format("album at {:.2f} LUFS: album gain {} to reach {:.1f} LUFS", album_lufs,
                                  db(album_gain), s.target_lufs);
  for (const TrackLevels& t : tracks) {
    if (!std::isfinite(t.integrated_lufs)) {
      plan.tracks.push_back(silent_track());
      continue;
    }
    double gain = album_gain;
    std::string correction;
    if (s.max_track_correction_lu > 0) {
      const double toward = s.target_lufs - (t.integrated_lufs + album_gain);
      const double c = std::clamp(toward, -s.max_track_correction_lu, s.max_track_correction_lu);
      const double limit = budget_gain_limit_db(s, t.true_peak_dbtp);
      const double corrected = std::min(album_gain + c, std::max(limit, album_gain));
      if (corrected != album_gain)
        correction = fmt::format("; track correction {} (at most {:.1f} LU toward the target)",
                                 db(corrected - album_gain), s.max_track_correction_lu);
      gain = corrected;
    }
    TrackGain g = with_gain(s, t, gain);
    g.target_lowered = album_lowered;
    g.reason = fmt::format("{}{}; track at {:.2f} LUFS, expect {:.2f} LUFS; {}", album_text, correction,
                           t.integrated_lufs, g.expected_lufs, limiting_text(s, g));
    plan.tracks.push_back(g);
  }
  return plan;
}

}  // namespace

std::string check_gain_plan(const GainPlanSettings& s) {
  if (!(s.target_lufs >= -70 && s.target_lufs <= 0))
    return fmt::format("target {} LUFS is outside -70..0 LUFS", s.target_lufs);
  if (!(s.ceiling_dbtp >= -20 && s.ceiling_dbtp <= 0))
    return fmt::format("ceiling {} dBTP is outside -20..0 dBTP", s.ceiling_dbtp);
  if (!(s.max_track_correction_lu >= 0 && s.max_track_correction_lu <= 20))
    return fmt::format("max_track_correction_lu {} is outside 0..20 LU", s.max_track_correction_lu);
  if (!(s.max_limiting_db >= 0 && s.max_limiting_db <= 24))
    return fmt::format("max_limiting_db {} is outside 0..24 dB", s.max_limiting_db);
  if (s.mode == GainMode::track && s.max_track_correction_lu > 0)
    return "max_track_correction_lu applies to album mode only (track mode already corrects every track fully)";
  return {};
}

double budget_gain_limit_db(const GainPlanSettings& s, double true_peak_dbtp) {
  if (!std::isfinite(true_peak_dbtp)) return kInf;
  return s.ceiling_dbtp + s.max_limiting_db - true_peak_dbtp;
}

GainPlan plan_gains(const GainPlanSettings& settings, const std::vector<TrackLevels>& tracks, double album_lufs) {
  return settings.mode == GainMode::track ? plan_track_mode(settings, tracks)
                                          : plan_album_mode(settings, tracks, album_lufs);
}

const char* to_string(GainMode mode) { return mode == GainMode::track ? "track" : "album"; }

}  // namespace gloss
