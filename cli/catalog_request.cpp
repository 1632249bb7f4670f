#include "catalog_request.hpp"

#include <fmt/format.h>

#include <map>

#include "exit_codes.hpp"
#include "manifest.hpp"
#include "tag_grouping.hpp"

namespace gloss::cli {

void add_catalog_options(CLI::App& command, CatalogRequest& request, const std::string& paths_help) {
  CLI::Option* paths = command.add_option("paths", request.paths, paths_help + "; not with --manifest");
  CLI::Option* manifest =
      command
          .add_option("--manifest", request.manifest,
                      "The albums listed in a CSV (album,track,path[,preset,target_lufs,ceiling_dbtp,mode]) or JSON "
                      "({\"albums\":[{\"id\":...,\"tracks\":[...]}]}) file, instead of PATH...; its paths start at its "
                      "folder")
          ->type_name("FILE");
  manifest->excludes(paths);
  command
      .add_option("--group-by", request.group_by,
                  "How PATH... becomes albums: folder (each folder is an album) or tags (album artist and album tags; "
                  "the discs of an album in several folders are joined)")
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

namespace {

// Folder albums take their identity from their folder's path below its argument, so
// `a/Live b/Live` gives two albums called Live; that is allowed, and said.
void warn_shared_identities(Catalog& catalog) {
  std::map<std::string, const CatalogAlbum*> seen;
  for (const CatalogAlbum& album : catalog.albums) {
    const auto [first, fresh] = seen.emplace(album.identity, &album);
    if (!fresh)
      catalog.problems.push_back(
          {album.display,
           fmt::format("has the same album identity '{}' as {} (folders of the same name under different "
                       "arguments): masters of both go to one output folder and a resumed job cannot tell them "
                       "apart; give the folders different names, pass their parent folder, or use --manifest",
                       album.identity, first->second->display),
           false});
  }
}

}  // namespace

Catalog load_catalog(const CatalogRequest& r) {
  if (!r.manifest.empty()) return load_manifest(r.manifest);  // ids are unique by then
  Catalog catalog = scan_catalog(r.paths);
  if (r.group_by == GroupBy::tags) catalog = group_by_tags(std::move(catalog));
  warn_shared_identities(catalog);
  return catalog;
}

std::optional<Catalog> open_catalog(const CatalogRequest& request, const std::string& command, int& exit_status,
                                    const std::function<void(Catalog&)>& adjust) {
  Catalog catalog;
  try {
    catalog = load_catalog(request);
  } catch (const ManifestError& e) {
    fmt::print(stderr, "gloss {}: {}\n", command, e.what());
    exit_status = kExitUsage;
    return std::nullopt;
  }
  if (adjust) adjust(catalog);
  for (const CatalogProblem& p : catalog.problems)
    fmt::print(stderr, "gloss {}: {} {}: {}\n", command, p.missed_input ? "error:" : "warning:", p.path, p.message);
  if (catalog.track_count() == 0) {
    fmt::print(stderr, "gloss {}: nothing to do: no audio files found ({} other file{} skipped). gloss reads {}\n",
               command, catalog.skipped_files, catalog.skipped_files == 1 ? "" : "s", audio_extensions_text());
    exit_status = kExitCannotStart;
    return std::nullopt;
  }
  return catalog;
}

}  // namespace gloss::cli
