#include "catalog_request.hpp"

#include <map>

#include "manifest.hpp"
#include "tag_grouping.hpp"

namespace gloss::cli {

void add_catalog_options(CLI::App& command, CatalogRequest& request, const std::string& paths_help) {
  CLI::Option* paths = command.add_option("paths", request.paths, paths_help + " (or --manifest)");
  CLI::Option* manifest =
      command
          .add_option("--manifest", request.manifest,
                      "Albums listed in a CSV (album,track,path[,preset,target_lufs,ceiling_dbtp,mode]) or JSON "
                      "({\"albums\":[{\"id\":...,\"tracks\":[...]}]}) file instead of PATH...; paths are relative to "
                      "the file's folder")
          ->type_name("FILE");
  manifest->excludes(paths);
  command
      .add_option("--group-by", request.group_by,
                  "How PATH... becomes albums: folder (one folder, one album) or tags (album artist + album tags, "
                  "multi-disc folders joined)")
      ->transform(CLI::CheckedTransformer(std::map<std::string, GroupBy>{{"folder", GroupBy::folder}, {"tags", GroupBy::tags}})
                      .description(""))
      ->type_name("folder|tags")
      ->default_str("folder");
}

std::string check_catalog_request(const CatalogRequest& r) {
  if (r.paths.empty() && r.manifest.empty())
    return "give the audio files or folders to work on (PATH...), or --manifest FILE";
  if (!r.paths.empty() && !r.manifest.empty())
    return "give either PATH... or --manifest FILE, not both (list every file in the manifest)";
  if (!r.manifest.empty() && r.group_by != GroupBy::folder)
    return "--group-by applies to PATH...; a manifest already names its albums";
  return {};
}

Catalog load_catalog(const CatalogRequest& r) {
  if (!r.manifest.empty()) return load_manifest(r.manifest);
  Catalog catalog = scan_catalog(r.paths);
  return r.group_by == GroupBy::tags ? group_by_tags(std::move(catalog)) : catalog;
}

}  // namespace gloss::cli
