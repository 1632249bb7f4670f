// The JSON report: schema "gloss.analysis", version 2 (documented in REPORT_SCHEMA.md).
// Deterministic text: fixed rounding, -inf as the string "-inf", null for not applicable,
// no timestamps, hosts, backend names or thread counts.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "number_format.hpp"
#include "report.hpp"

namespace gloss::cli {

inline constexpr int kJsonSchemaVersion = 2;

using Json = nlohmann::ordered_json;  // keeps the documented field order

std::string render_json(const RunReport& report);

// The whole gloss.analysis document from album entries (what render_json makes of a run, and
// what `gloss report merge` makes of shard reports): one function, so both are the same bytes.
std::string render_analysis_document(const Json& settings, const std::vector<Json>& albums, const Json& problems,
                                     std::size_t skipped_files, const Json& shard);
Json analysis_document(const Json& settings, const std::vector<Json>& albums, const Json& problems,
                       std::size_t skipped_files, const Json& shard);
Json analysis_summary(const std::vector<Json>& albums, std::size_t skipped_files);

// A rounded number (number_format.hpp); infinities as the strings "-inf"/"inf" (JSON has
// none), NaN (never expected) and no value as null. Shared by every JSON report.
Json json_number(double v, int decimals = kLevelDecimals);
Json json_number(const std::optional<double>& v, int decimals = kLevelDecimals);

// Every field of one measured track, as `albums[].tracks[]` of gloss.analysis carries them
// (sample_rate ... short_term_lufs). gloss.master reuses it for `before` and `after`.
Json measured_track_json(const TrackAnalysis& a, const std::vector<ChannelRole>& layout);

// One `albums[].tracks[]` object without its `flags`: file, status, then error (failed) or
// container, sample_format and measured_track_json (measured). What the flags are computed on.
Json track_json(const TrackReport& r);

// Computes the album's consistency flags from its tracks' JSON objects (so a report's flags
// always follow from its own numbers) and stores them in the tracks and the album.
void flag_album_report(AlbumReport& album, const FlagThresholds& thresholds);

}  // namespace gloss::cli
