// What `gloss master` tells the user: a table per album on stdout and the JSON report
// (schema gloss.master v2, cli/REPORT_SCHEMA.md) with every decision explained.
//
// The report is built from album entries (JSON objects), not from the C++ results: an entry
// is made once when its album finishes, kept in the job's journal, and reused as it is when a
// resumed job skips the album or when shard reports are merged. So a report is the same
// whichever process, worker or shard made each album.
#pragma once

#include <string>
#include <vector>

#include "master_album.hpp"
#include "consistency_flags.hpp"
#include "report_json.hpp"  // Json

namespace gloss::cli {

inline constexpr int kMasterSchemaVersion = 2;

// Where an album's files came from and where the work ran (every track's provenance).
struct AlbumProvenance {
  std::string album_id;
  std::string meter_backend;   // e.g. "cpu", "cuda:0"
  std::string render_backend;  // limiter/SRC/dither
};

std::string render_master_table(const MasteredAlbum& album, const MasterSettings& settings);

// The `settings` object (also what the journal's settings hash is made from).
Json master_settings_json(const MasterSettings& settings);

// One `albums[]` entry.
Json master_album_entry(const MasteredAlbum& album, const MasterSettings& settings, const AlbumProvenance& provenance);

// The whole document: entries in catalog order; `shard` is null for a whole job.
Json master_document(const Json& settings, const std::vector<Json>& albums, const Json& problems, const Json& shard);
std::string render_master_document(const Json& settings, const std::vector<Json>& albums, const Json& problems,
                                   const Json& shard);

// Adds the consistency flags to an album entry, from its tracks' `before` and `after`
// objects: `flags_before`/`flags_after` on each track and on the album. Done when the report
// is assembled (not stored in the journal), so changing a --flag threshold re-flags a
// resumed job without mastering anything again.
void add_master_flags(Json& album_entry, const FlagThresholds& thresholds);

// Counts over album entries (`summary`): recomputed the same way by `gloss report merge`.
Json master_summary(const std::vector<Json>& albums);

}  // namespace gloss::cli
