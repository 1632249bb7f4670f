// A `gloss master` catalog job: albums of the shard, resumed from the journal or run on the
// workers, each album's entry journaled as it finishes, and one report in catalog order.
#pragma once

#include <vector>

#include "catalog.hpp"
#include "master_album.hpp"
#include "master_command.hpp"
#include "report_json.hpp"  // Json

namespace gloss::cli {

// The settings of every album: the job's, or (for an album a manifest overrides) its own.
struct JobSettings {
  MasterSettings job;
  std::vector<MasterSettings> variants;           // distinct per-album settings
  std::vector<int> album_variant;                 // per catalog album: -1 = the job's, else an index
  const MasterSettings& of(std::size_t album) const {
    return album_variant[album] < 0 ? job : variants[static_cast<std::size_t>(album_variant[album])];
  }
};

// Runs the job and returns the exit status (exit_codes.hpp; 130 when interrupted).
int run_master_job(const MasterOptions& options, const JobSettings& settings, const Catalog& catalog,
                   const std::vector<std::size_t>& albums_of_shard, const Json& shard);

}  // namespace gloss::cli
