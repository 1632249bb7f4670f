// What the CSV and JSON manifest readers share: checking override values and the album list.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "manifest.hpp"

namespace gloss::cli {

// Checks one override value (the ranges of --target and --ceiling, mode album|track, a
// non-empty preset) and stores it; throws ManifestError naming `where`.
void set_override_number(AlbumOverrides& o, std::string_view field, double value, const std::string& where);
void set_override_text(AlbumOverrides& o, std::string_view field, const std::string& value, const std::string& where);

// The checks of parse_manifest that span albums (see manifest.hpp); throws ManifestError.
void check_manifest_albums(const std::vector<ManifestAlbum>& albums, const std::string& name);

// A path cell or string: not empty, no NUL byte.
void check_track_path(const std::string& path, const std::string& where);

}  // namespace gloss::cli
