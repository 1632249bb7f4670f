#include "tag_report.hpp"

namespace gloss::cli {

Json tag_settings_json(double reference_lufs, bool sample_peak, const std::string& true_peak, TagCase names,
                       bool dry_run, const std::string& settings_tag) {
  Json out;
  out["reference_lufs"] = json_number(reference_lufs);
  out["peak"] = sample_peak ? "sample" : "true";
  out["true_peak"] = true_peak;
  out["names"] = names == TagCase::Lower ? "lower" : "upper";
  out["dry_run"] = dry_run;
  out["settings_tag"] = settings_tag;
  return out;
}

Json tag_outcome_json(TagStatus status, const GainTags& tags,
                      const std::vector<std::pair<std::string, std::string>>& written) {
  Json out;
  out["status"] = status == TagStatus::Written ? "written" : "planned";
  out["track_gain_db"] = json_number(tags.track_gain_db);
  out["track_peak"] = json_number(tags.track_peak, kCorrelationDecimals);
  out["album_gain_db"] = json_number(tags.album_gain_db);
  out["album_peak"] = json_number(tags.album_peak, kCorrelationDecimals);
  Json values = Json::object();
  for (const auto& [name, value] : written) values[name] = value;
  out["tags"] = values;
  return out;
}

Json tag_failure_json(const std::string& error) { return Json{{"status", "failed"}, {"error", error}}; }

}  // namespace gloss::cli
