#include "report_csv.hpp"

#include <fmt/format.h>

#include "number_format.hpp"

namespace gloss::cli {

namespace {

constexpr const char* kHeader =
    "kind,album,file,status,error,sample_rate,channels,frames,duration_s,integrated_lufs,loudness_range_lu,"
    "momentary_max_lufs,short_term_max_lufs,sample_peak_dbfs,true_peak_dbtp,plr_db,crest_factor_db,"
    "max_abs_dc_offset,clipped_runs,clipped_samples,stereo_correlation,mono_loss_lu,head_silence_s,"
    "tail_silence_s,album_deviation_lu,notes,flags";
constexpr std::size_t kColumns = 27;

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

std::string level(double v) { return fixed(v, kLevelDecimals); }
std::string level(const std::optional<double>& v) { return fixed(v, kLevelDecimals, ""); }

std::string notes_text(const TrackAnalysis& a) {
  std::string out;
  for (const std::string& n : track_notes(a)) {
    if (!out.empty()) out += "; ";
    out += n;
  }
  return out;
}

// Flag names joined by ';' (the JSON report has values, thresholds and messages).
std::string flag_names(const Json& flags) {
  std::string out;
  for (const Json& f : flags) {
    if (!out.empty()) out += ';';
    out += f.value("flag", "");
  }
  return out;
}

std::vector<std::string> track_row(const std::string& album, const TrackReport& t) {
  if (!t.measured()) {
    std::vector<std::string> row = {"track", album, t.file, "failed", t.error};
    row.resize(kColumns);
    return row;
  }
  const TrackAnalysis& a = *t.analysis;
  return {"track", album, t.file, "ok", "", std::to_string(a.sample_rate), std::to_string(a.channels),
          std::to_string(a.frames), level(a.duration_s), level(a.integrated_lufs), level(a.loudness_range_lu),
          level(a.momentary_max_lufs), level(a.short_term_max_lufs), level(a.sample_peak_dbfs),
          level(a.true_peak_dbtp), level(a.plr_db), level(a.crest_factor_db),
          fixed(a.max_abs_dc_offset, kCorrelationDecimals), std::to_string(a.clipped_runs),
          std::to_string(a.clipped_samples), fixed(a.stereo_correlation, kCorrelationDecimals, ""),
          level(a.mono_loss_lu), level(a.head_silence_s), level(a.tail_silence_s), level(t.album_deviation_lu),
          notes_text(a), flag_names(t.flags)};
}

std::vector<std::string> album_row(const AlbumReport& r) {
  std::vector<std::string> row(kColumns);
  row[0] = "album";
  row[1] = r.path;
  if (!r.album) {
    row[3] = "failed";
    row[4] = "no track of this album could be measured";
    return row;
  }
  const AlbumAnalysis& a = *r.album;
  row[3] = "ok";
  row[9] = level(a.integrated_lufs);
  row[10] = level(a.loudness_range_lu);
  row[13] = level(a.sample_peak_dbfs);
  row[14] = level(a.true_peak_dbtp);
  row[25] = "rule: " + to_string(a.rule);
  row[26] = flag_names(r.flags);
  return row;
}

}  // namespace

std::string render_csv(const RunReport& report) {
  std::string out = std::string(kHeader) + "\n";
  for (const AlbumReport& album : report.albums) {
    for (const TrackReport& t : album.tracks) out += join(track_row(album.path, t));
    out += join(album_row(album));
  }
  return out;
}

}  // namespace gloss::cli
