// Measuring one album for a report: decode its tracks, measure the decodable ones in one
// batch, album statistics and consistency flags. One piece for `gloss analyze` and
// `gloss tag` (a tag run reports the same measurements, plus what it wrote).
#pragma once

#include <tbb/task_arena.h>

#include "catalog.hpp"
#include "gloss/backend.hpp"
#include "progress.hpp"
#include "report.hpp"

namespace gloss::cli {

struct AlbumMeasureContext {
  const RunSettings& settings;
  Backend& backend;
  tbb::task_arena& decoders;  // decoding threads
  Progress& progress;         // one step per decoded track
  bool keep_series = false;   // keep the short-term loudness series (HTML/JSON reports draw them)
};

// The album's report: tracks in album order, each measured or with its error; album
// statistics over the measured tracks (settings.album_rule), each track's deviation from
// them, and the flags. Per-block data is dropped once the album statistics are made.
AlbumReport measure_album(const CatalogAlbum& album, AlbumMeasureContext& run);

}  // namespace gloss::cli
