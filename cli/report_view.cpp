#include "report_view.hpp"

#include <cmath>
#include <fmt/format.h>
#include <limits>

namespace gloss::cli {

namespace {

using Json = nlohmann::ordered_json;

const Json* field(const Json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  const auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

// A number, or the strings "-inf"/"inf" the reports use for infinities.
std::optional<double> number_value(const Json& v) {
  if (v.is_number()) return v.get<double>();
  if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    if (s == "-inf") return -std::numeric_limits<double>::infinity();
    if (s == "inf") return std::numeric_limits<double>::infinity();
  }
  return std::nullopt;
}

std::optional<double> number(const Json& object, const char* key) {
  const Json* v = field(object, key);
  return v ? number_value(*v) : std::nullopt;
}

std::string text(const Json& object, const char* key) {
  const Json* v = field(object, key);
  return v && v->is_string() ? v->get<std::string>() : std::string();
}

// A flag's value or threshold, whatever JSON type it has, as short text.
std::string any_text(const Json* v) {
  if (!v || v->is_null()) return {};
  if (v->is_string()) return v->get<std::string>();
  return v->dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::vector<FlagView> flags(const Json& object, const char* key, const std::string& stage) {
  std::vector<FlagView> out;
  const Json* list = field(object, key);
  if (!list || !list->is_array()) return out;
  for (const Json& f : *list) {
    if (!f.is_object()) continue;
    out.push_back({text(f, "flag"), text(f, "message"), any_text(field(f, "value")), any_text(field(f, "threshold")),
                   stage});
    if (out.back().flag.empty()) out.back().flag = "flag";
  }
  return out;
}

// The flags of a track or album: "flags" in an analysis, "flags_before"/"flags_after" in a master.
std::vector<FlagView> all_flags(const Json& object) {
  std::vector<FlagView> out = flags(object, "flags", "");
  for (FlagView& f : flags(object, "flags_before", "before")) out.push_back(std::move(f));
  for (FlagView& f : flags(object, "flags_after", "after")) out.push_back(std::move(f));
  return out;
}

std::optional<LevelsView> levels(const Json& t) {
  if (!t.is_object()) return std::nullopt;
  LevelsView l;
  l.integrated_lufs = number(t, "integrated_lufs");
  l.loudness_range_lu = number(t, "loudness_range_lu");
  l.true_peak_dbtp = number(t, "true_peak_dbtp");
  l.sample_peak_dbfs = number(t, "sample_peak_dbfs");
  l.plr_db = number(t, "plr_db");
  l.duration_s = number(t, "duration_s");
  l.head_silence_s = number(t, "head_silence_s");
  l.tail_silence_s = number(t, "tail_silence_s");
  l.stereo_correlation = number(t, "stereo_correlation");
  l.mono_loss_lu = number(t, "mono_loss_lu");
  if (const Json* bands = field(t, "octave_bands_db"))
    for (std::size_t b = 0; b < kBandKeys.size(); ++b) l.octave_bands_db[b] = number(*bands, kBandKeys[b]);
  if (const Json* series = field(t, "short_term_lufs"); series && series->is_array())
    for (const Json& v : *series) l.short_term_lufs.push_back(number_value(v).value_or(-std::numeric_limits<double>::infinity()));
  return l;
}

// "written: track -1.36 dB peak 1.000492, album -2.04 dB peak 1.491815" and the like.
std::string tag_line(const Json& t) {
  const std::string status = text(t, "status");
  if (status == "skipped") return "skipped: already tagged with the same settings";
  const Json* tag = field(t, "tag");
  if (!tag || !tag->is_object()) return {};
  const std::string tag_status = text(*tag, "status");
  if (tag_status == "failed") return "not tagged: " + text(*tag, "error");
  auto value = [&](const char* key, int decimals) {
    const std::optional<double> v = number(*tag, key);
    return v ? fmt::format("{:.{}f}", *v, decimals) : std::string("none");
  };
  return fmt::format("{}: track {} dB peak {}, album {} dB peak {}", tag_status == "planned" ? "would write" : "written",
                     value("track_gain_db", 2), value("track_peak", 6), value("album_gain_db", 2), value("album_peak", 6));
}

TrackView analysis_track(const Json& t, const Json* deviation) {
  TrackView v;
  v.name = text(t, "file");
  v.error = text(t, "error");
  const std::string status = text(t, "status");
  v.failed = status.empty() ? !v.error.empty() : status != "ok" && status != "skipped";
  v.tag = tag_line(t);
  if (const Json* tag = field(t, "tag"); tag && tag->is_object()) v.tag_failed = text(*tag, "status") == "failed";
  if (!v.failed) v.before = levels(t);
  if (deviation) v.deviation_lu = number_value(*deviation);
  v.flags = all_flags(t);
  return v;
}

TrackView master_track(const Json& t) {
  TrackView v;
  v.name = text(t, "input");
  v.output = text(t, "output");
  v.error = text(t, "error");
  v.failed = !v.error.empty();
  if (const Json* b = field(t, "before")) v.before = levels(*b);
  if (const Json* a = field(t, "after")) v.after = levels(*a);
  if (const Json* g = field(t, "gain")) v.gain_db = number(*g, "applied_gain_db");
  if (const Json* l = field(t, "limiter")) v.limiter_max_db = number(*l, "max_reduction_db");
  v.flags = all_flags(t);
  return v;
}

AlbumView album(const Json& a, bool master) {
  AlbumView v;
  v.path = text(a, "path");
  v.album_id = text(a, "album_id");
  v.output_folder = text(a, "output_folder");
  v.flags = all_flags(a);
  const Json* stats = field(a, "album");
  if (master) {
    v.lufs_before = number(a, "integrated_lufs_before");
    v.lufs_after = number(a, "integrated_lufs_after");
  } else if (stats) {
    v.lufs_before = number(*stats, "integrated_lufs");
    v.loudness_range_lu = number(*stats, "loudness_range_lu");
    v.true_peak_dbtp = number(*stats, "true_peak_dbtp");
  }
  const Json* deviations = stats ? field(*stats, "track_deviation_lu") : nullptr;
  if (const Json* tracks = field(a, "tracks"); tracks && tracks->is_array()) {
    for (std::size_t i = 0; i < tracks->size(); ++i) {
      const Json& t = (*tracks)[i];
      if (master) {
        v.tracks.push_back(master_track(t));
      } else {
        const Json* d = deviations && deviations->is_array() && i < deviations->size() ? &(*deviations)[i] : nullptr;
        v.tracks.push_back(analysis_track(t, d));
      }
    }
  }
  return v;
}

}  // namespace

ReportView read_report_view(const Json& report) {
  ReportView v;
  v.schema = text(report, "schema");
  v.master = v.schema == "gloss.master";
  v.gloss_version = text(report, "gloss_version");
  if (const Json* s = field(report, "settings"); s && s->is_object()) {
    for (const auto& [key, value] : s->items()) {
      if (key == "thresholds") {
        if (value.is_object())
          for (const auto& [name, limit] : value.items()) v.thresholds.emplace_back(name, any_text(&limit));
        continue;
      }
      if (key == "tag" && value.is_object()) {  // gloss tag's own settings, one line each
        v.tag_run = true;
        for (const auto& [name, setting] : value.items()) v.settings.emplace_back("tag " + name, any_text(&setting));
        continue;
      }
      v.settings.emplace_back(key, any_text(&value));
    }
    v.target_lufs = number(*s, "target_lufs");
    v.ceiling_dbtp = number(*s, "ceiling_dbtp");
  }
  if (const Json* albums = field(report, "albums"); albums && albums->is_array())
    for (const Json& a : *albums) v.albums.push_back(album(a, v.master));
  if (const Json* problems = field(report, "problems"); problems && problems->is_array())
    for (const Json& p : *problems) v.problems.emplace_back(text(p, "path"), text(p, "error"));
  if (const Json* summary = field(report, "summary")) v.skipped_files = number(*summary, "skipped_files");
  return v;
}

}  // namespace gloss::cli
