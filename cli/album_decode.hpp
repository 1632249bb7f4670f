// Decoding all the tracks of an album at once, on the calling task arena's threads.
//
// One piece for analyze, master and tag. Tracks are decoded largest file first, each thread
// taking the next file when it is free, so two long tracks never end up queued behind each
// other on one thread while the other threads idle (the album's decode takes as long as its
// longest track, not as long as an unlucky half of the album).
#pragma once

#include <cstddef>
#include <functional>
#include <vector>

#include "catalog.hpp"
#include "decode.hpp"

namespace gloss::cli {

// decode_file with the exceptions it can still raise (memory, filesystem) turned into a
// failed DecodeResult naming the file.
DecodeResult decode_track(const CatalogTrack& track);

// Decodes every track of `album`; result i belongs to album.tracks[i]. `each(i, result)`
// runs on the decoding thread as soon as track i is decoded (progress, hashing the input);
// it may modify the result and must be safe to call concurrently for different i.
std::vector<DecodeResult> decode_album(const CatalogAlbum& album,
                                       const std::function<void(std::size_t, DecodeResult&)>& each = {});

// The order decode_album takes the tracks in: by file size, largest first (ties and
// unreadable sizes keep album order). Exposed for its test.
std::vector<std::size_t> largest_first(const CatalogAlbum& album);

}  // namespace gloss::cli
