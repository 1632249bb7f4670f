// What an analyze run found, in input order: the one model the table, JSON and CSV writers
// read. Results are gathered by input index, so every report is independent of thread
// counts, backends and completion order.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "catalog.hpp"
#include "consistency_flags.hpp"
#include "gloss/analysis.hpp"
#include "gloss/channel_layout.hpp"
#include "source_format.hpp"

namespace gloss::cli {

struct TrackReport {
  std::string file;                        // as given on the command line
  std::string error;                       // empty when measured
  std::optional<TrackAnalysis> analysis;   // set when measured (block energies dropped)
  std::vector<ChannelRole> layout;         // channel roles used for the measurement
  std::optional<double> album_deviation_lu;  // integrated - album integrated, when both are finite
  SourceFormat source = {};                // container and sample format of the file, when decoded
  Json flags = Json::array();              // consistency flags (consistency_flags.hpp), when measured
  Json tag = nullptr;                      // gloss tag: what was written to the file (tag_report.hpp)
  bool already_tagged = false;             // gloss tag --skip-tagged: left alone, not measured

  bool measured() const { return analysis.has_value(); }
  bool failed() const { return !measured() && !already_tagged; }
};

struct AlbumReport {
  std::string album_id;           // the catalog's stable album identity
  std::size_t catalog_index = 0;  // position in the whole catalog (shard reports merge by it)
  std::string path;
  std::vector<TrackReport> tracks;
  std::optional<AlbumAnalysis> album;  // none when no track of the album could be measured
  Json flags = Json::array();          // album-level consistency flags (sample rate, bit depth)
};

struct RunSettings {
  MeterOptions meter;
  AlbumLoudnessRule album_rule = AlbumLoudnessRule::Pooled;
  FlagThresholds flags;
  Json tag = nullptr;  // gloss tag: the tagging settings (reference, peak, names, dry run)
};

struct RunReport {
  RunSettings settings;
  std::vector<AlbumReport> albums;
  std::vector<CatalogProblem> problems;
  std::size_t skipped_files = 0;
  nlohmann::ordered_json shard;  // null for a whole job, {"index": K, "count": N} for a shard

  std::size_t track_count() const;
  std::size_t measured_count() const;
};

inline constexpr const char* kSilentNote = "silent: integrated loudness is -inf";

// Thresholds of the JSON `notes` (the table shows the consistency flags instead).
inline constexpr double kDcNoteThreshold = 0.001;   // ~ -60 dBFS
inline constexpr double kTruePeakNoteDbtp = -1.0;   // EBU R128 delivery ceiling

// Human notes on a measured track: silence, clipping runs, DC offset, true peak over -1 dBTP.
std::vector<std::string> track_notes(const TrackAnalysis& a);

}  // namespace gloss::cli
