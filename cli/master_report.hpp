// What `gloss master` tells the user: a table per album on stdout and a JSON report
// (schema gloss.master v1, cli/REPORT_SCHEMA.md) with every decision explained.
#pragma once

#include <string>
#include <vector>

#include "master_album.hpp"

namespace gloss::cli {

struct MasterReport {
  const MasterSettings& settings;
  std::string meter_backend;  // where the measurements ran
  std::vector<MasteredAlbum> albums;
};

std::string render_master_table(const MasteredAlbum& album, const MasterSettings& settings);
std::string render_master_json(const MasterReport& report);

}  // namespace gloss::cli
