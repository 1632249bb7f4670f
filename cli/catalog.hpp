// Turning PATH... arguments into albums of tracks.
//
// An album is the audio files of one folder, in natural name order; albums are ordered by
// path. Folders are scanned recursively. Problems (missing paths, unreadable folders,
// symlink loops) are collected, never fatal: the rest of the catalog is still measured.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace gloss::cli {

struct CatalogTrack {
  std::filesystem::path path;  // to open
  std::string display;         // as the user gave it (relative stays relative)
};

struct CatalogAlbum {
  std::string display;  // the folder, as given or as reached from a given folder
  std::vector<CatalogTrack> tracks;
  std::string identity;                     // stable album id: shards, journal, report album_id
  std::filesystem::path output_relative;    // where `gloss master` writes it under -o
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

// Files given directly are measured whatever their extension (the user asked for them) and
// form an album with their folder-mates given directly.
Catalog scan_catalog(const std::vector<std::string>& arguments);

}  // namespace gloss::cli
