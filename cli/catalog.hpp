// Turning PATH... arguments into albums of tracks.
//
// An album is the audio files of one folder, in natural name order; albums are ordered by
// path. Folders are scanned recursively. Problems (missing paths, unreadable folders,
// symlink loops) are collected, never fatal: the rest of the catalog is still measured.
// Manifests (manifest.hpp) and tag grouping (tag_grouping.hpp) build the same structures;
// catalog_request.hpp is the one entry the commands use.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace gloss::cli {

struct CatalogTrack {
  std::filesystem::path path;  // to open
  std::string display;         // as the user gave it (relative stays relative)
};

// Per-album settings a manifest may give; `gloss master` puts them over the preset and flags.
// Values are checked when the manifest is read (mode album|track, numbers in the ranges of
// --target and --ceiling).
struct AlbumOverrides {
  std::optional<std::string> preset;
  std::optional<double> target_lufs;
  std::optional<double> ceiling_dbtp;
  std::optional<std::string> mode;  // album | track

  bool empty() const { return !preset && !target_lufs && !ceiling_dbtp && !mode; }
  bool operator==(const AlbumOverrides&) const = default;
};

struct CatalogAlbum {
  std::string display;  // the folder, as given or as reached from a given folder
  std::vector<CatalogTrack> tracks;
  // Stable across runs and machines ('/' separators): shard selection, the journal and the
  // report's album_id. A folder album's is its output_relative; a manifest's is its id; a
  // tag-grouped album's is "AlbumArtist/Album".
  std::string identity;
  // Where `gloss master` writes the album under -o; always relative, never leaving -o
  // (output_paths.hpp).
  std::filesystem::path output_relative;
  AlbumOverrides overrides;  // empty unless a manifest gave some
};

struct CatalogProblem {
  std::string path;
  std::string message;  // what is wrong and what to do
  bool missed_input;    // true when audio may have been left out (counts as a failure)
};

struct Catalog {
  std::vector<CatalogAlbum> albums;
  std::vector<CatalogProblem> problems;
  std::size_t skipped_files = 0;  // non-audio and hidden files found while scanning folders

  std::size_t track_count() const;
};

// True for the extensions gloss tries to decode when scanning folders (case-insensitive):
// wav wave aif aiff aifc flac ogg oga opus mp3 caf w64 rf64.
bool has_audio_extension(const std::filesystem::path& path);
// Those extensions as one line (".wav .wave ..."), for messages.
std::string audio_extensions_text();

// Files given directly are measured whatever their extension (the user asked for them) and
// form an album with their folder-mates given directly. Each album's identity and
// output_relative is its folder as reached from the argument it was found under, with that
// argument's own folder name first (catalog/Artist/Album -> catalog/Artist/Album).
Catalog scan_catalog(const std::vector<std::string>& arguments);

}  // namespace gloss::cli
