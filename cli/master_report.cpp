#include "master_report.hpp"

#include <cmath>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "number_format.hpp"
#include "report_json.hpp"

namespace gloss::cli {

namespace {

Json number(double v, int decimals = kLevelDecimals) { return json_number(v, decimals); }

// A measured-track object as gloss.analysis has it, led by the file's container and sample
// format (what the bit-depth consistency flag compares).
Json measured(const std::optional<TrackAnalysis>& a, const std::vector<ChannelRole>& layout, const SourceFormat& format) {
  if (!a) return nullptr;
  Json j{{"container", format.container}, {"sample_format", format.sample_format}};
  Json fields = measured_track_json(*a, layout);
  for (auto& [key, value] : fields.items()) j[key] = std::move(value);
  return j;
}

SourceFormat delivered_format(const MasteredTrack& t) {
  return {t.format, t.bits == 32 ? "float" : "pcm_" + std::to_string(t.bits)};
}

// The correction at each octave centre, keyed like octave_bands_db ("62.5", "125", ...).
Json tone_match_json(const std::vector<std::pair<double, double>>& db_at_hz) {
  Json j = Json::object();
  for (const auto& [hz, db] : db_at_hz) j[fmt::format("{}", hz)] = number(db, 2);
  return j;
}

Json track_json(const MasteredTrack& t, const MasterSettings& s, const AlbumProvenance& p) {
  Json j;
  j["input"] = t.input;
  j["output"] = t.output.empty() ? Json(nullptr) : Json(t.output);
  j["error"] = t.error.empty() ? Json(nullptr) : Json(t.error);
  j["interrupted"] = t.interrupted;
  j["before"] = measured(t.before_analysis, t.layout, t.source);
  if (t.before && (t.ok() || t.render.passes > 0)) {
    Json g;
    g["planned_gain_db"] = number(t.plan.gain_db);
    g["applied_gain_db"] = number(t.applied_gain_db);
    g["target_lowered"] = t.plan.target_lowered;
    g["reason"] = t.plan.reason;
    g["loudness_makeup_passes"] = t.loudness_passes;
    j["gain"] = g;
    Json l;
    l["max_reduction_db"] = number(t.render.limiter.max_reduction_db);
    l["average_reduction_db"] = number(t.render.limiter.average_reduction_db);
    l["seconds_reducing"] = number(t.render.limiter.seconds_reducing);
    l["seconds_above_1db"] = number(t.render.limiter.seconds_above_1db);
    l["verify_passes"] = t.render.passes;
    j["limiter"] = l;
    Json r;
    r["format"] = t.format;
    r["bits"] = t.bits;
    r["dithered"] = t.render.dithered;
    r["resampler"] = t.render.resampler.empty() ? Json(nullptr) : Json(t.render.resampler);
    r["highest_true_peak_reading_dbtp"] = number(t.render.highest_reading_dbtp);
    j["render"] = r;
  }
  j["after"] = measured(t.after_analysis, t.layout, delivered_format(t));
  j["tone_match_db"] = s.tone_match.enabled ? tone_match_json(t.tone_match_db) : Json(nullptr);
  Json prov;
  prov["gloss_version"] = GLOSS_VERSION;
  prov["preset_sha256"] = s.preset_sha256;
  prov["input_sha256"] = t.input_sha256.empty() ? Json(nullptr) : Json(t.input_sha256);
  prov["output_sha256"] = t.output_sha256.empty() ? Json(nullptr) : Json(t.output_sha256);
  prov["meter_backend"] = p.meter_backend;
  prov["render_backend"] = p.render_backend;
  j["provenance"] = prov;
  return j;
}

std::string level(const std::optional<TrackLevelsReport>& l, double TrackLevelsReport::*field) {
  return l ? fixed((*l).*field, 1, "-") : "-";
}

}  // namespace

std::string render_master_table(const MasteredAlbum& album, const MasterSettings& s) {
  std::string out = fmt::format("{} -> {}\n", album.path, album.output_folder);
  out += fmt::format("  {:<32} {:>8} {:>7} {:>7} {:>8} {:>7} {:>6} {:>6}\n", "track", "in LUFS", "in dBTP", "gain",
                     "out LUFS", "out dBTP", "GR max", "passes");
  for (const MasteredTrack& t : album.tracks) {
    std::string name = t.input.size() > 32 ? "..." + t.input.substr(t.input.size() - 29) : t.input;
    if (!t.ok()) {
      out += fmt::format("  {:<32} failed: {}\n", name, t.error);
      continue;
    }
    out += fmt::format("  {:<32} {:>8} {:>7} {:>+7.2f} {:>8} {:>7} {:>6.2f} {:>6}\n", name,
                       level(t.before, &TrackLevelsReport::integrated_lufs),
                       level(t.before, &TrackLevelsReport::true_peak_dbtp), t.applied_gain_db,
                       level(t.after, &TrackLevelsReport::integrated_lufs),
                       level(t.after, &TrackLevelsReport::true_peak_dbtp), t.render.limiter.max_reduction_db,
                       t.render.passes);
  }
  out += fmt::format("  album: {} LUFS -> {} LUFS (target {:.1f} LUFS, ceiling {:.1f} dBTP, {} mode)\n",
                     fixed(album.album_lufs_before, 2), fixed(album.album_lufs_after, 2), s.gain.target_lufs,
                     s.gain.ceiling_dbtp, to_string(s.gain.mode));
  if (s.tone_match.enabled)
    out += fmt::format("  tone match: spread {} dB -> {} dB (strength {:.2f}, at most {:.1f} dB)\n",
                       fixed(album.tone_spread_before_db, 2, "-"), fixed(album.tone_spread_after_db, 2, "-"),
                       s.tone_match.strength, s.tone_match.max_db);
  return out;
}

Json master_settings_json(const MasterSettings& s) {
  Json settings;
  settings["preset"] = s.preset_name;
  settings["preset_sha256"] = s.preset_sha256;
  settings["target_lufs"] = number(s.gain.target_lufs);
  settings["ceiling_dbtp"] = number(s.gain.ceiling_dbtp);
  settings["mode"] = to_string(s.gain.mode);
  settings["max_track_correction_lu"] = number(s.gain.max_track_correction_lu);
  settings["max_limiting_db"] = number(s.gain.max_limiting_db);
  settings["lookahead_ms"] = number(s.limiter.lookahead_ms);
  settings["release_ms"] = number(s.limiter.release_ms);
  settings["eq_bands"] = s.eq.bands.size();
  settings["tone_match"] = s.tone_match.enabled ? Json{{"strength", number(s.tone_match.strength)},
                                                        {"max_db", number(s.tone_match.max_db)}}
                                                  : Json(nullptr);
  settings["rate"] = s.rate ? Json(*s.rate) : Json("input");
  settings["bits"] = s.bits ? Json(*s.bits) : Json("input");
  settings["format"] = s.format ? Json(*s.format) : Json("input");
  settings["dither"] = s.dither;
  settings["noise_shaping"] = std::string(noise_shaping_name(s.noise_shaping));
  return settings;
}

Json master_album_entry(const MasteredAlbum& a, const MasterSettings& s, const AlbumProvenance& p) {
  Json j;
  j["album_id"] = p.album_id;
  j["path"] = a.path;
  j["output_folder"] = a.output_folder;
  j["integrated_lufs_before"] = number(a.album_lufs_before);
  j["integrated_lufs_after"] = number(a.album_lufs_after);
  Json tone = nullptr;
  if (s.tone_match.enabled)
    tone = Json{{"strength", number(s.tone_match.strength)}, {"max_db", number(s.tone_match.max_db)},
                {"spread_before_db", json_number(a.tone_spread_before_db, kLevelDecimals)},
                {"spread_after_db", json_number(a.tone_spread_after_db, kLevelDecimals)}};
  j["tone_match"] = tone;
  Json tracks = Json::array();
  for (const MasteredTrack& t : a.tracks) tracks.push_back(track_json(t, s, p));
  j["tracks"] = tracks;
  return j;
}

Json master_summary(const std::vector<Json>& albums) {
  std::size_t tracks = 0, written = 0, failed = 0, interrupted = 0;
  for (const Json& a : albums)
    for (const Json& t : a.at("tracks")) {
      ++tracks;
      if (t.value("interrupted", false)) ++interrupted;
      else if (t.at("error").is_null()) ++written;
      else ++failed;
    }
  return Json{{"albums", albums.size()}, {"tracks", tracks}, {"written", written}, {"failed", failed},
              {"interrupted", interrupted}};
}

void add_master_flags(Json& album, const FlagThresholds& thresholds) {
  for (const char* stage : {"before", "after"}) {
    std::vector<const Json*> objects;
    for (const Json& t : album.at("tracks")) {
      const Json* object = t.contains(stage) && t.at(stage).is_object() ? &t.at(stage) : nullptr;
      objects.push_back(object);
    }
    AlbumFlags flags = flag_album(objects, thresholds);
    const std::string key = std::string("flags_") + stage;
    for (std::size_t i = 0; i < flags.tracks.size(); ++i) album.at("tracks")[i][key] = std::move(flags.tracks[i]);
    album[key] = std::move(flags.album);
  }
}

std::string render_master_document(const Json& settings, const std::vector<Json>& albums, const Json& problems,
                                   const Json& shard) {
  // File names are bytes, not always UTF-8: replace invalid sequences rather than throw.
  return master_document(settings, albums, problems, shard).dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

Json master_document(const Json& settings, const std::vector<Json>& albums, const Json& problems, const Json& shard) {
  Json root;
  root["schema"] = "gloss.master";
  root["schema_version"] = kMasterSchemaVersion;
  root["gloss_version"] = GLOSS_VERSION;
  root["settings"] = settings;
  root["shard"] = shard;
  root["albums"] = albums;
  root["problems"] = problems;
  root["summary"] = master_summary(albums);
  return root;
}

}  // namespace gloss::cli
