#include "album_measure.hpp"

#include <fmt/format.h>

#include <vector>

#include "album_decode.hpp"
#include "gloss/meter.hpp"
#include "report_json.hpp"

namespace gloss::cli {

namespace {

// Decodes the album's tracks on the decoder threads; results land by input index.
std::vector<DecodeResult> decode_album_tracks(const CatalogAlbum& album, AlbumMeasureContext& run) {
  std::vector<DecodeResult> decoded;
  run.decoders.execute([&] {
    decoded = decode_album(album, [&](std::size_t i, const DecodeResult& d) {
      const double seconds = d.ok() ? static_cast<double>(d.track->frames) / d.track->sample_rate : 0;
      run.progress.track_done(album.tracks[i].display, seconds, !d.ok());
    });
  });
  return decoded;
}

// Measures the decodable tracks in one batch and fills the report rows in input order.
void measure(std::vector<DecodeResult>& decoded, AlbumReport& report, AlbumMeasureContext& run) {
  std::vector<const AudioTrack*> batch;
  std::vector<std::size_t> rows;  // report row of each batch entry
  for (std::size_t i = 0; i < decoded.size(); ++i) {
    if (decoded[i].ok()) {
      batch.push_back(&*decoded[i].track);
      rows.push_back(i);
      report.tracks[i].layout = decoded[i].track->layout;
      report.tracks[i].source = decoded[i].format;
    } else {
      report.tracks[i].error = decoded[i].error;
    }
  }
  if (batch.empty()) return;
  try {
    std::vector<TrackAnalysis> results = analyze_tracks(run.backend, batch, run.settings.meter);
    for (std::size_t k = 0; k < results.size(); ++k) report.tracks[rows[k]].analysis = std::move(results[k]);
  } catch (const std::exception& e) {
    for (std::size_t row : rows)
      report.tracks[row].error = fmt::format("{}: measurement failed: {}", report.tracks[row].file, e.what());
  }
}

// Album statistics over the measured tracks, then each track's deviation from them.
void summarize_album(AlbumReport& report, const AlbumLoudnessRule rule, bool keep_series) {
  std::vector<const TrackAnalysis*> measured;
  for (const TrackReport& t : report.tracks)
    if (t.measured()) measured.push_back(&*t.analysis);
  if (!measured.empty()) report.album = analyze_album(measured, rule);
  std::size_t k = 0;  // index among the measured tracks
  for (TrackReport& t : report.tracks) {
    if (!t.measured()) continue;
    if (report.album) t.album_deviation_lu = report.album->track_deviation_lu[k++];
    // The per-block data served the album statistics; a catalog run must not hoard it.
    t.analysis->block_energies = {};
    t.analysis->lra_energies = {};
    if (!keep_series) t.analysis->short_term_lufs = {};
  }
}

}  // namespace

AlbumReport measure_album(const CatalogAlbum& album, AlbumMeasureContext& run) {
  AlbumReport report;
  report.path = album.display;
  for (const CatalogTrack& t : album.tracks) report.tracks.push_back({t.display, {}, {}, {}, {}});
  std::vector<DecodeResult> decoded = decode_album_tracks(album, run);
  measure(decoded, report, run);
  summarize_album(report, run.settings.album_rule, run.keep_series);
  flag_album_report(report, run.settings.flags);
  return report;
}

}  // namespace gloss::cli
