// `--group-by tags`: albums from the files' tags instead of their folders, for catalogs whose
// folders do not match albums (a disc per folder, a flat folder of singles and albums).
#pragma once

#include <filesystem>
#include <functional>
#include <string>

#include "catalog.hpp"

namespace gloss::cli {

struct TrackTags {
  std::string album_artist;  // ALBUMARTIST
  std::string artist;        // ARTIST
  std::string album;         // ALBUM
  int disc = 0;              // DISCNUMBER ("2/3" reads 2); 0: none
  int track = 0;             // TRACKNUMBER; 0: none
};

// The tags TagLib finds (empty fields when the file has none or cannot be read).
TrackTags read_track_tags(const std::filesystem::path& file);

// Regroups the tracks of a folder-scanned catalog by (album artist, falling back to artist;
// album). A tagged album spread over several folders (CD1/, CD2/) becomes one album, its
// tracks ordered by disc (none counts as 1), track number (none first), then natural name.
// Its identity is "AlbumArtist/Album" ('/' inside a tag becomes '_'; an artist-less album is
// "Unknown Artist/Album"), with " (2)", " (3)"... appended to the album part when another
// group already has that identity or output folder; output_relative is sanitized from it.
// Files without an album tag stay in their folder albums (identities unchanged) and are
// counted in one warning CatalogProblem. Albums end up in natural order of identity.
Catalog group_by_tags(Catalog by_folder,
                      const std::function<TrackTags(const std::filesystem::path&)>& tags_of = read_track_tags);

}  // namespace gloss::cli
