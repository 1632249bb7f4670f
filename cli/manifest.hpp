// `--manifest FILE`: the albums of a catalog listed in a file instead of found in folders.
//
// CSV (RFC 4180, header row required):
//   album,track,path[,preset,target_lufs,ceiling_dbtp,mode]
//   one row per track; rows with the same album id form one album, ordered by track number;
//   override cells may be left empty, and rows of one album must not disagree.
// JSON:
//   {"albums": [{"id": "Artist/Album", "tracks": ["01.flac", {"path": "02.flac", "track": 2}],
//                "preset": "cd", "target_lufs": -16, "ceiling_dbtp": -1, "mode": "album"}]}
//   tracks in array order, or by "track" when every track of the album has one.
// Paths are relative to the manifest's folder. Albums keep the manifest's order. The format
// follows the extension (.csv, .json), otherwise the first character ('{' is JSON).
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "catalog.hpp"

namespace gloss::cli {

// A manifest that cannot be used (a usage error, exit 2). The message starts with where:
// FILE:LINE for CSV, FILE: /json/pointer for JSON; then what is wrong and what to do.
class ManifestError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class ManifestFormat { csv, json };

struct ManifestTrack {
  std::string path;   // as written in the manifest
  std::string where;  // FILE:LINE or FILE: /albums/0/tracks/1, for messages
};

struct ManifestAlbum {
  std::string id;
  std::vector<ManifestTrack> tracks;  // in play order
  AlbumOverrides overrides;
  std::string where;
};

// By extension (.csv, .json, any case), otherwise '{' as the first character after
// whitespace and a byte order mark means JSON.
ManifestFormat manifest_format(const std::filesystem::path& file, std::string_view text);

// The albums of a manifest's text; `name` is the file as the user gave it, for messages.
// Checks everything that does not need the disk: required fields, override values, one
// album id per album, no file listed twice, no two album ids that would share an output
// folder, no two tracks of an album that would share an output file name.
std::vector<ManifestAlbum> parse_manifest(std::string_view text, ManifestFormat format, const std::string& name);

std::vector<ManifestAlbum> parse_csv_manifest(std::string_view text, const std::string& name);
std::vector<ManifestAlbum> parse_json_manifest(std::string_view text, const std::string& name);

// Reads and parses the file, then looks for the audio files (relative paths are taken from
// the manifest's folder). A listed file that is missing is a CatalogProblem (missed input),
// not an error: the rest of the catalog still runs.
Catalog load_manifest(const std::filesystem::path& file);

}  // namespace gloss::cli
