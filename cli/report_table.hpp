// The human-readable table printed to stdout for each album as soon as it is measured.
#pragma once

#include <string>

#include "report.hpp"

namespace gloss::cli {

// Rows: one per track (failed ones read "FAILED: message"), then the album row.
std::string render_album_table(const AlbumReport& album);

}  // namespace gloss::cli
