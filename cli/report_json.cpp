#include "report_json.hpp"

#include <cmath>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "number_format.hpp"

namespace gloss::cli {

namespace {

Json number(double v, int decimals = kLevelDecimals) { return json_number(v, decimals); }
Json number(const std::optional<double>& v, int decimals = kLevelDecimals) { return json_number(v, decimals); }

Json numbers(const std::vector<double>& values, int decimals = kLevelDecimals) {
  Json out = Json::array();
  for (double v : values) out.push_back(number(v, decimals));
  return out;
}

// "31.25", "62.5", "125", ... : the shortest exact text of each centre frequency.
std::string band_key(double hz) { return fmt::format("{}", hz); }

}  // namespace

Json json_number(double v, int decimals) {
  if (std::isnan(v)) return nullptr;
  if (std::isinf(v)) return v < 0 ? "-inf" : "inf";
  return round_to(v, decimals);
}

Json json_number(const std::optional<double>& v, int decimals) {
  return v ? json_number(*v, decimals) : Json(nullptr);
}

Json measured_track_json(const TrackAnalysis& a, const std::vector<ChannelRole>& layout) {
  Json t;
  t["sample_rate"] = a.sample_rate;
  t["channels"] = a.channels;
  Json roles = Json::array();
  for (ChannelRole r : layout) roles.push_back(std::string(role_name(r)));
  t["channel_layout"] = roles;
  t["frames"] = a.frames;
  t["duration_s"] = number(a.duration_s);
  t["integrated_lufs"] = number(a.integrated_lufs);
  t["loudness_range_lu"] = number(a.loudness_range_lu);
  t["momentary_max_lufs"] = number(a.momentary_max_lufs);
  t["short_term_max_lufs"] = number(a.short_term_max_lufs);
  t["sample_peak_dbfs"] = number(a.sample_peak_dbfs);
  t["true_peak_dbtp"] = number(a.true_peak_dbtp);
  t["plr_db"] = number(a.plr_db);
  t["crest_factor_db"] = number(a.crest_factor_db);
  Json dc = Json::array();
  for (const ChannelMeasurement& c : a.per_channel) dc.push_back(number(c.dc_offset, kCorrelationDecimals));
  t["dc_offset"] = dc;
  t["clipped_runs"] = a.clipped_runs;
  t["clipped_samples"] = a.clipped_samples;
  t["stereo_correlation"] = number(a.stereo_correlation, kCorrelationDecimals);
  t["mono_loss_lu"] = number(a.mono_loss_lu);
  Json bands = Json::object();
  for (std::size_t b = 0; b < kOctaveCentresHz.size(); ++b)
    bands[band_key(kOctaveCentresHz[b])] = number(a.octave_band_db[b]);
  t["octave_bands_db"] = bands;
  t["head_silence_s"] = number(a.head_silence_s);
  t["tail_silence_s"] = number(a.tail_silence_s);
  t["notes"] = track_notes(a);
  t["short_term_lufs"] = numbers(a.short_term_lufs);
  return t;
}

Json track_json(const TrackReport& r) {
  Json t;
  t["file"] = r.file;
  if (r.already_tagged) {
    t["status"] = "skipped";
    return t;
  }
  t["status"] = r.measured() ? "ok" : "failed";
  if (!r.measured()) {
    t["error"] = r.error;
    return t;
  }
  t["container"] = r.source.container;
  t["sample_format"] = r.source.sample_format;
  const Json measured = measured_track_json(*r.analysis, r.layout);
  for (const auto& [key, value] : measured.items()) t[key] = value;
  return t;
}

void flag_album_report(AlbumReport& album, const FlagThresholds& thresholds) {
  std::vector<Json> objects;
  objects.reserve(album.tracks.size());
  for (const TrackReport& t : album.tracks) objects.push_back(t.measured() ? track_json(t) : Json());
  std::vector<const Json*> tracks;
  for (std::size_t i = 0; i < objects.size(); ++i) tracks.push_back(album.tracks[i].measured() ? &objects[i] : nullptr);
  AlbumFlags flags = flag_album(tracks, thresholds);
  for (std::size_t i = 0; i < album.tracks.size(); ++i) album.tracks[i].flags = std::move(flags.tracks[i]);
  album.flags = std::move(flags.album);
}

namespace {

// The track object with its flags, which go before the long short-term series.
Json track(const TrackReport& r) {
  const Json base = track_json(r);
  if (!r.measured()) return base;
  Json t;
  for (const auto& [key, value] : base.items()) {
    if (key == "short_term_lufs") t["flags"] = r.flags;
    t[key] = value;
  }
  if (!r.tag.is_null()) t["tag"] = r.tag;
  return t;
}

Json album(const AlbumReport& r) {
  if (!r.album) return nullptr;
  const AlbumAnalysis& a = *r.album;
  Json out;
  out["rule"] = to_string(a.rule);
  out["tracks_measured"] = static_cast<std::int64_t>(a.track_deviation_lu.size());
  out["integrated_lufs"] = number(a.integrated_lufs);
  out["loudness_range_lu"] = number(a.loudness_range_lu);
  out["true_peak_dbtp"] = number(a.true_peak_dbtp);
  out["sample_peak_dbfs"] = number(a.sample_peak_dbfs);
  Json deviations = Json::array();  // aligned with "tracks": null for failed or silent ones
  for (const TrackReport& t : r.tracks) deviations.push_back(number(t.album_deviation_lu));
  out["track_deviation_lu"] = deviations;
  return out;
}

Json settings(const RunSettings& s) {
  Json out;
  out["true_peak"] = to_string(s.meter.true_peak);
  out["album_rule"] = to_string(s.album_rule);
  out["silence_threshold_dbfs"] = number(s.meter.silence_threshold_dbfs);
  out["clip_level"] = number(s.meter.clip_level, kCorrelationDecimals);
  out["min_clip_run"] = s.meter.min_clip_run;
  out["thresholds"] = thresholds_json(s.flags);
  if (!s.tag.is_null()) out["tag"] = s.tag;
  return out;
}

}  // namespace

Json analysis_summary(const std::vector<Json>& albums, std::size_t skipped_files) {
  std::size_t tracks = 0, measured = 0, failed = 0;  // the rest: skipped by gloss tag --skip-tagged
  for (const Json& a : albums)
    for (const Json& t : a.at("tracks")) {
      ++tracks;
      const std::string status = t.value("status", "");
      if (status == "ok") ++measured;
      if (status == "failed") ++failed;
    }
  return Json{{"tracks", tracks}, {"measured", measured}, {"failed", failed}, {"skipped_files", skipped_files}};
}

std::string render_analysis_document(const Json& settings, const std::vector<Json>& albums, const Json& problems,
                                     std::size_t skipped_files, const Json& shard) {
  // File names are bytes, not always UTF-8: replace invalid sequences rather than throw.
  return analysis_document(settings, albums, problems, skipped_files, shard)
             .dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

Json analysis_document(const Json& settings, const std::vector<Json>& albums, const Json& problems,
                       std::size_t skipped_files, const Json& shard) {
  Json root;
  root["schema"] = "gloss.analysis";
  root["schema_version"] = kJsonSchemaVersion;
  root["gloss_version"] = GLOSS_VERSION;
  root["settings"] = settings;
  root["shard"] = shard;
  root["albums"] = albums;
  root["problems"] = problems;
  root["summary"] = analysis_summary(albums, skipped_files);
  return root;
}

std::string render_json(const RunReport& report) {
  std::vector<Json> albums;
  for (const AlbumReport& a : report.albums) {
    Json j;
    j["album_id"] = a.album_id;
    j["catalog_index"] = a.catalog_index;
    j["path"] = a.path;
    j["flags"] = a.flags;
    Json tracks = Json::array();
    for (const TrackReport& t : a.tracks) tracks.push_back(track(t));
    j["tracks"] = tracks;
    j["album"] = album(a);
    albums.push_back(j);
  }
  Json problems = Json::array();
  for (const CatalogProblem& p : report.problems)
    problems.push_back(Json{{"path", p.path}, {"error", p.message}, {"missed_input", p.missed_input}});
  return render_analysis_document(settings(report.settings), albums, problems, report.skipped_files, report.shard);
}

}  // namespace gloss::cli
