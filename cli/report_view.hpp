// What the HTML report reads from a report document (gloss.analysis, gloss.master, or a
// merge of shard reports), in one shape. Every field is optional: a document from an older
// gloss, a hand-edited one or a partial merge still renders, showing "–" where data is absent.
#pragma once

#include <array>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace gloss::cli {

// Octave-band centres as the reports key them, and short labels for chart axes.
inline constexpr std::array<const char*, 10> kBandKeys = {"31.25", "62.5", "125",  "250",  "500",
                                                          "1000",  "2000", "4000", "8000", "16000"};
inline constexpr std::array<const char*, 10> kBandLabels = {"31", "63", "125", "250", "500",
                                                            "1k", "2k", "4k",  "8k",  "16k"};

// One consistency flag ({"flag","value","threshold","message"}); `stage` is "" for an
// analysis, "before" or "after" for a master.
struct FlagView {
  std::string flag;
  std::string message;
  std::string value;      // as text; empty when absent
  std::string threshold;  // as text; empty when absent
  std::string stage;
};

// One measured track (an analysis track, or a master's before/after). Minus infinity is
// kept as -infinity; a missing or null field has no value.
struct LevelsView {
  std::optional<double> integrated_lufs, loudness_range_lu, true_peak_dbtp, sample_peak_dbfs, plr_db;
  std::optional<double> duration_s, head_silence_s, tail_silence_s, stereo_correlation, mono_loss_lu;
  std::array<std::optional<double>, 10> octave_bands_db;
  std::vector<double> short_term_lufs;  // every 100 ms from the first full 3 s window
};

struct TrackView {
  std::string name;
  std::string output;  // master: the written file
  bool failed = false;
  std::string error;
  std::optional<LevelsView> before;  // analysis: the measurement; master: the input
  std::optional<LevelsView> after;   // master: the delivered file
  std::optional<double> deviation_lu;            // analysis: integrated minus the album's
  std::optional<double> gain_db, limiter_max_db;  // master
  std::vector<FlagView> flags;
  std::string tag;           // gloss tag: what was written (or why not), as one line
  bool tag_failed = false;   // gloss tag: measured but not tagged
};

struct AlbumView {
  std::string path, album_id, output_folder;
  std::optional<double> lufs_before, lufs_after;  // analysis: the album loudness is "before"
  std::optional<double> loudness_range_lu, true_peak_dbtp;
  std::vector<TrackView> tracks;
  std::vector<FlagView> flags;
};

struct ReportView {
  bool master = false;
  bool tag_run = false;  // a gloss tag report: tracks say what was written
  std::string schema, gloss_version;
  std::vector<std::pair<std::string, std::string>> settings;    // key, value as text
  std::vector<std::pair<std::string, std::string>> thresholds;  // settings.thresholds
  std::optional<double> target_lufs, ceiling_dbtp;              // master settings
  std::vector<AlbumView> albums;
  std::vector<std::pair<std::string, std::string>> problems;  // path, error
  std::optional<double> skipped_files;
};

// Reads either schema; never throws on a missing or mistyped field (it is left empty).
ReportView read_report_view(const nlohmann::ordered_json& report);

}  // namespace gloss::cli
