// A `gloss master` catalog job: albums of the shard, resumed from the journal or run on the
// workers, each album's entry journaled as it finishes, and one report in catalog order.
#pragma once

#include <vector>

#include "catalog.hpp"
#include "master_album.hpp"
#include "master_command.hpp"
#include "report_json.hpp"  // Json

namespace gloss::cli {

// Runs the job and returns the exit status (exit_codes.hpp; 130 when interrupted).
int run_master_job(const MasterOptions& options, const MasterSettings& settings, const Catalog& catalog,
                   const std::vector<std::size_t>& albums_of_shard, const Json& shard);

}  // namespace gloss::cli
