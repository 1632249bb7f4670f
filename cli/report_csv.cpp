#include "report_csv.hpp"

#include <cmath>
#include <fmt/format.h>
#include <stdexcept>

#include "number_format.hpp"

namespace gloss::cli {

namespace {

constexpr const char* kAnalysisHeader =
    "kind,album,file,status,error,sample_rate,channels,frames,duration_s,integrated_lufs,loudness_range_lu,"
    "momentary_max_lufs,short_term_max_lufs,sample_peak_dbfs,true_peak_dbtp,plr_db,crest_factor_db,"
    "max_abs_dc_offset,clipped_runs,clipped_samples,stereo_correlation,mono_loss_lu,head_silence_s,"
    "tail_silence_s,album_deviation_lu,notes,flags";
constexpr std::size_t kAnalysisColumns = 27;

constexpr const char* kMasterHeader =
    "kind,album,input,output,status,error,lufs_before,lufs_after,lra_before,lra_after,true_peak_before_dbtp,"
    "true_peak_after_dbtp,plr_before_db,plr_after_db,gain_db,target_lowered,limiter_max_db,verify_passes,format,"
    "bits,sample_rate_after,input_sha256,output_sha256,flags_before,flags_after";
constexpr std::size_t kMasterColumns = 25;

std::string quote(const std::string& field) {
  if (field.find_first_of(",\"\r\n") == std::string::npos) return field;
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string join(const std::vector<std::string>& fields) {
  std::string line;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) line += ',';
    line += quote(fields[i]);
  }
  return line + "\n";
}

const Json& field(const Json& object, const char* key) {
  static const Json none;
  return object.is_object() && object.contains(key) ? object.at(key) : none;
}

// A JSON value as CSV text: numbers at the report's precision, "-inf" as is, null as empty.
std::string text(const Json& v, int decimals = kLevelDecimals) {
  if (v.is_null()) return "";
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number_integer() || v.is_number_unsigned()) return v.dump();
  if (v.is_number()) return fixed(v.get<double>(), decimals);
  return v.dump();
}

std::string joined(const Json& array, const char* key, const char* separator) {
  std::string out;
  if (!array.is_array()) return out;
  for (const Json& item : array) {
    if (!out.empty()) out += separator;
    out += key ? item.value(key, "") : (item.is_string() ? item.get<std::string>() : item.dump());
  }
  return out;
}

std::string max_abs(const Json& values) {
  if (!values.is_array() || values.empty()) return "";
  double m = 0;
  for (const Json& v : values)
    if (v.is_number()) m = std::max(m, std::abs(v.get<double>()));
  return fixed(m, kCorrelationDecimals);
}

std::vector<std::string> analysis_track_row(const std::string& album, const Json& t, const Json& deviation) {
  if (t.value("status", "") != "ok") {
    std::vector<std::string> row = {"track", album, t.value("file", ""), t.value("status", "failed"), t.value("error", "")};
    row.resize(kAnalysisColumns);
    return row;
  }
  auto f = [&](const char* key, int decimals = kLevelDecimals) { return text(field(t, key), decimals); };
  return {"track", album, t.value("file", ""), "ok", "", f("sample_rate"), f("channels"), f("frames"),
          f("duration_s"), f("integrated_lufs"), f("loudness_range_lu"), f("momentary_max_lufs"),
          f("short_term_max_lufs"), f("sample_peak_dbfs"), f("true_peak_dbtp"), f("plr_db"), f("crest_factor_db"),
          max_abs(field(t, "dc_offset")), f("clipped_runs"), f("clipped_samples"),
          f("stereo_correlation", kCorrelationDecimals), f("mono_loss_lu"), f("head_silence_s"), f("tail_silence_s"),
          text(deviation), joined(field(t, "notes"), nullptr, "; "), joined(field(t, "flags"), "flag", ";")};
}

std::vector<std::string> analysis_album_row(const Json& a) {
  std::vector<std::string> row(kAnalysisColumns);
  row[0] = "album";
  row[1] = a.value("path", "");
  const Json& stats = field(a, "album");
  if (!stats.is_object()) {
    row[3] = "failed";
    row[4] = "no track of this album could be measured";
    return row;
  }
  row[3] = "ok";
  row[9] = text(field(stats, "integrated_lufs"));
  row[10] = text(field(stats, "loudness_range_lu"));
  row[13] = text(field(stats, "sample_peak_dbfs"));
  row[14] = text(field(stats, "true_peak_dbtp"));
  row[25] = "rule: " + stats.value("rule", "");
  row[26] = joined(field(a, "flags"), "flag", ";");
  return row;
}

// A tag run's report (settings.tag) adds what was written to each file.
constexpr const char* kTagHeader = ",tag_status,track_gain_db,track_peak,album_gain_db,album_peak,tag_error";
constexpr std::size_t kTagColumns = 6;

std::vector<std::string> tag_columns(const Json& tag) {
  if (!tag.is_object()) return std::vector<std::string>(kTagColumns);
  return {tag.value("status", ""), text(field(tag, "track_gain_db")),
          text(field(tag, "track_peak"), kCorrelationDecimals), text(field(tag, "album_gain_db")),
          text(field(tag, "album_peak"), kCorrelationDecimals), text(field(tag, "error"))};
}

std::string analysis_csv(const Json& doc) {
  const bool tag_run = field(field(doc, "settings"), "tag").is_object();
  std::string out = std::string(kAnalysisHeader) + (tag_run ? kTagHeader : "") + "\n";
  for (const Json& a : field(doc, "albums")) {
    const std::string album = a.value("path", "");
    const Json& deviations = field(field(a, "album"), "track_deviation_lu");
    std::size_t k = 0;
    for (const Json& t : field(a, "tracks")) {
      const Json& d = deviations.is_array() && k < deviations.size() ? deviations[k] : Json();
      std::vector<std::string> row = analysis_track_row(album, t, d);
      if (tag_run) {
        const std::vector<std::string> tag = tag_columns(field(t, "tag"));
        row.insert(row.end(), tag.begin(), tag.end());
      }
      out += join(row);
      ++k;
    }
    std::vector<std::string> row = analysis_album_row(a);
    if (tag_run) row.resize(kAnalysisColumns + kTagColumns);
    out += join(row);
  }
  return out;
}

std::vector<std::string> master_track_row(const std::string& album, const Json& t) {
  const Json &before = field(t, "before"), &after = field(t, "after"), &gain = field(t, "gain");
  const Json &limiter = field(t, "limiter"), &render = field(t, "render"), &prov = field(t, "provenance");
  const bool ok = field(t, "error").is_null();
  return {"track", album, t.value("input", ""), text(field(t, "output")),
          ok ? "ok" : (t.value("interrupted", false) ? "interrupted" : "failed"), text(field(t, "error")),
          text(field(before, "integrated_lufs")), text(field(after, "integrated_lufs")),
          text(field(before, "loudness_range_lu")), text(field(after, "loudness_range_lu")),
          text(field(before, "true_peak_dbtp")), text(field(after, "true_peak_dbtp")), text(field(before, "plr_db")),
          text(field(after, "plr_db")), text(field(gain, "applied_gain_db")), text(field(gain, "target_lowered")),
          text(field(limiter, "max_reduction_db")), text(field(limiter, "verify_passes")), text(field(render, "format")),
          text(field(render, "bits")), text(field(after, "sample_rate")), text(field(prov, "input_sha256")),
          text(field(prov, "output_sha256")), joined(field(t, "flags_before"), "flag", ";"),
          joined(field(t, "flags_after"), "flag", ";")};
}

std::string master_csv(const Json& doc) {
  std::string out = std::string(kMasterHeader) + "\n";
  for (const Json& a : field(doc, "albums")) {
    const std::string album = a.value("path", "");
    for (const Json& t : field(a, "tracks")) out += join(master_track_row(album, t));
    std::vector<std::string> row(kMasterColumns);
    row[0] = "album";
    row[1] = album;
    row[3] = text(field(a, "output_folder"));
    row[4] = "ok";
    row[6] = text(field(a, "integrated_lufs_before"));
    row[7] = text(field(a, "integrated_lufs_after"));
    row[23] = joined(field(a, "flags_before"), "flag", ";");
    row[24] = joined(field(a, "flags_after"), "flag", ";");
    out += join(row);
  }
  return out;
}

}  // namespace

std::string render_csv_document(const Json& document) {
  const std::string schema = document.value("schema", "");
  if (schema == "gloss.analysis") return analysis_csv(document);
  if (schema == "gloss.master") return master_csv(document);
  throw std::invalid_argument("no CSV form for schema '" + schema + "'");
}

std::string render_csv(const RunReport& report) { return render_csv_document(Json::parse(render_json(report))); }

}  // namespace gloss::cli
