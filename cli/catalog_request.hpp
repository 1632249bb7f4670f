// The one way every command turns its inputs into a catalog: PATH... (grouped by folder or
// by tags) or --manifest FILE.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "catalog.hpp"

namespace gloss::cli {

enum class GroupBy { folder, tags };

struct CatalogRequest {
  std::vector<std::string> paths;
  std::string manifest;  // empty: none
  GroupBy group_by = GroupBy::folder;
};

// Registers PATH... (required unless --manifest is given), --manifest and --group-by on a
// subcommand; `paths_help` describes PATH... for that command.
void add_catalog_options(CLI::App& command, CatalogRequest& request, const std::string& paths_help);

// Empty when the request can be used; otherwise the usage error to print (exit 2): neither
// PATH... nor --manifest, both, or --group-by with --manifest.
std::string check_catalog_request(const CatalogRequest& request);

// Scans the paths (regrouped by tags when asked) or reads the manifest. Throws ManifestError
// (manifest.hpp) for a manifest that cannot be used; anything on disk is a CatalogProblem.
Catalog load_catalog(const CatalogRequest& request);

// load_catalog for `gloss COMMAND`: a manifest that cannot be used is printed and gives
// exit 2; the catalog's problems are printed ("error:" when audio may have been missed,
// "warning:" otherwise); no audio file at all prints "nothing to do" and gives exit 3.
// `adjust` runs on the catalog before its problems are printed (master refuses albums that
// would write outside -o there). Nothing when the command must stop, with `exit_status` set.
std::optional<Catalog> open_catalog(const CatalogRequest& request, const std::string& command, int& exit_status,
                                    const std::function<void(Catalog&)>& adjust = {});

}  // namespace gloss::cli
