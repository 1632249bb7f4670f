#include "consistency_flags.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <fmt/format.h>
#include <optional>

#include "number_format.hpp"
#include "report_json.hpp"

namespace gloss::cli {

namespace {

// ---------------------------------------------------------------------------------------
// Thresholds by name
// ---------------------------------------------------------------------------------------

struct ThresholdField {
  const char* name;
  double FlagThresholds::*real;  // one of the two is set
  long FlagThresholds::*count;
  double min, max;
  int decimals;
};

constexpr std::array<ThresholdField, 9> kFields = {{
    {"loudness_outlier_lu", &FlagThresholds::loudness_outlier_lu, nullptr, 0, 100, kLevelDecimals},
    {"tonal_outlier_db", &FlagThresholds::tonal_outlier_db, nullptr, 0, 100, kLevelDecimals},
    {"true_peak_ceiling_dbtp", &FlagThresholds::true_peak_ceiling_dbtp, nullptr, -100, 30, kLevelDecimals},
    {"clipped_runs", nullptr, &FlagThresholds::clipped_runs, 1, 1e12, 0},
    {"dc_offset", &FlagThresholds::dc_offset, nullptr, 0, 1, kCorrelationDecimals},
    {"mono_loss_lu", &FlagThresholds::mono_loss_lu, nullptr, 0, 100, kLevelDecimals},
    {"stereo_correlation", &FlagThresholds::stereo_correlation, nullptr, -1, 1, kCorrelationDecimals},
    {"head_silence_s", &FlagThresholds::head_silence_s, nullptr, 0, 1e6, kLevelDecimals},
    {"tail_silence_s", &FlagThresholds::tail_silence_s, nullptr, 0, 1e6, kLevelDecimals},
}};

std::string accepted_names() {
  std::string out;
  for (const ThresholdField& f : kFields) {
    if (!out.empty()) out += ", ";
    out += f.name;
  }
  return out;
}

template <typename T>
std::optional<T> parse_number(const std::string& text) {
  T v{};
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, v);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return v;
}

// ---------------------------------------------------------------------------------------
// Reading the track objects
// ---------------------------------------------------------------------------------------

// A finite number stored under `key` ("-inf" strings, null and absent give nothing).
std::optional<double> finite(const Json& t, const char* key) {
  const auto it = t.find(key);
  if (it == t.end() || !it->is_number()) return std::nullopt;
  const double v = it->get<double>();
  return std::isfinite(v) ? std::optional<double>(v) : std::nullopt;
}

std::string track_name(const Json& t, std::size_t index) {
  const auto it = t.find("file");
  return it != t.end() && it->is_string() ? it->get<std::string>() : fmt::format("track {}", index + 1);
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

Json flag(const char* name, const Json& value, const Json& threshold, const std::string& message) {
  return Json{{"flag", name}, {"value", value}, {"threshold", threshold}, {"message", message}};
}

std::string signed_text(double v, int decimals = 1) { return fmt::format("{:+.{}f}", v, decimals); }

// ---------------------------------------------------------------------------------------
// Album-relative flags: loudness and tonal balance against the album's median track
// ---------------------------------------------------------------------------------------

// The median, not the pooled album loudness: the reference must not move toward the outlier
// it is meant to expose (one track 5 LU hot in six raises the pooled value by 1.3 LU but
// leaves the median alone), and an album's quiet interlude must not drag it down either.
void flag_loudness(const std::vector<const Json*>& tracks, const FlagThresholds& th, std::vector<Json>& out) {
  std::vector<double> levels;
  for (const Json* t : tracks)
    if (t != nullptr)
      if (auto v = finite(*t, "integrated_lufs")) levels.push_back(*v);
  if (levels.size() < 2) return;
  const double reference = median(levels);
  for (std::size_t i = 0; i < tracks.size(); ++i) {
    if (tracks[i] == nullptr) continue;
    const auto level = finite(*tracks[i], "integrated_lufs");
    if (!level) continue;
    const double deviation = *level - reference;
    if (std::abs(deviation) <= th.loudness_outlier_lu) continue;
    out[i].push_back(flag("loudness_outlier", json_number(deviation), json_number(th.loudness_outlier_lu),
                          fmt::format("{:.1f} LU {} than the album (median of its tracks {:.1f} LUFS); more than "
                                      "{:.1f} LU off",
                                      std::abs(deviation), deviation > 0 ? "louder" : "quieter", reference,
                                      th.loudness_outlier_lu)));
  }
}

// The octaves compared: 63 Hz to 16 kHz (31.5 Hz is mostly rumble and sub-bass choices).
constexpr std::array<const char*, 9> kTonalBands = {"62.5", "125", "250", "500", "1000", "2000", "4000", "8000", "16000"};
using BandLevels = std::array<std::optional<double>, kTonalBands.size()>;

std::optional<BandLevels> band_levels(const Json& t) {
  if (!finite(t, "integrated_lufs")) return std::nullopt;  // silence has no balance
  const auto bands = t.find("octave_bands_db");
  if (bands == t.end() || !bands->is_object()) return std::nullopt;
  BandLevels out;
  for (std::size_t b = 0; b < kTonalBands.size(); ++b) out[b] = finite(*bands, kTonalBands[b]);
  return out;
}

// Each track's band levels relative to its own mean band level (in dB, over the bands every
// compared track has), so loudness differences drop out and only the balance remains; the
// album's balance is the median of those per band, for the same reason as the loudness.
void flag_tonal(const std::vector<const Json*>& tracks, const FlagThresholds& th, std::vector<Json>& out) {
  std::vector<std::size_t> rows;
  std::vector<BandLevels> levels;
  for (std::size_t i = 0; i < tracks.size(); ++i)
    if (tracks[i] != nullptr)
      if (auto l = band_levels(*tracks[i])) {
        rows.push_back(i);
        levels.push_back(*l);
      }
  if (rows.size() < 2) return;
  std::vector<std::size_t> used;  // bands measured with energy in every compared track
  for (std::size_t b = 0; b < kTonalBands.size(); ++b)
    if (std::all_of(levels.begin(), levels.end(), [b](const BandLevels& l) { return l[b].has_value(); })) used.push_back(b);
  if (used.size() < 2) return;

  std::vector<std::vector<double>> relative(rows.size());
  for (std::size_t k = 0; k < rows.size(); ++k) {
    double mean = 0;
    for (std::size_t b : used) mean += *levels[k][b];
    mean /= static_cast<double>(used.size());
    for (std::size_t b : used) relative[k].push_back(*levels[k][b] - mean);
  }
  std::vector<double> album(used.size());
  for (std::size_t j = 0; j < used.size(); ++j) {
    std::vector<double> column;
    for (const auto& r : relative) column.push_back(r[j]);
    album[j] = median(column);
  }
  for (std::size_t k = 0; k < rows.size(); ++k) {
    std::size_t worst = 0;
    for (std::size_t j = 1; j < used.size(); ++j)
      if (std::abs(relative[k][j] - album[j]) > std::abs(relative[k][worst] - album[worst])) worst = j;
    const double deviation = relative[k][worst] - album[worst];
    if (std::abs(deviation) <= th.tonal_outlier_db) continue;
    const char* band = kTonalBands[used[worst]];
    Json f = flag("tonal_outlier", json_number(deviation), json_number(th.tonal_outlier_db),
                  fmt::format("the {} Hz octave is {:.1f} dB {} the album's tonal balance (each track relative to "
                              "its own mean octave level, against the median track); more than {:.1f} dB off",
                              band, std::abs(deviation), deviation > 0 ? "above" : "below", th.tonal_outlier_db));
    f["band_hz"] = band;
    out[rows[k]].push_back(f);
  }
}

// ---------------------------------------------------------------------------------------
// Per-track flags
// ---------------------------------------------------------------------------------------

void flag_true_peak(const Json& t, const FlagThresholds& th, Json& out) {
  const auto peak = finite(t, "true_peak_dbtp");
  if (!peak || *peak <= th.true_peak_ceiling_dbtp) return;
  out.push_back(flag("true_peak_over_ceiling", json_number(*peak), json_number(th.true_peak_ceiling_dbtp),
                     fmt::format("true peak {:+.1f} dBTP is above the {:.1f} dBTP ceiling (lossy encoding and "
                                 "playback converters will clip)",
                                 *peak, th.true_peak_ceiling_dbtp)));
}

void flag_clipping(const Json& t, const FlagThresholds& th, Json& out) {
  const auto runs_value = finite(t, "clipped_runs");
  if (!runs_value) return;
  const auto runs = static_cast<std::int64_t>(*runs_value);
  if (runs < th.clipped_runs) return;
  const auto samples = static_cast<std::int64_t>(finite(t, "clipped_samples").value_or(0));
  out.push_back(flag("clipping", runs, th.clipped_runs,
                     fmt::format("{} clipping run{} ({} samples at full scale); {} or more flag a track", runs,
                                 runs == 1 ? "" : "s", samples, th.clipped_runs)));
}

void flag_dc(const Json& t, const FlagThresholds& th, Json& out) {
  const auto dc = t.find("dc_offset");
  if (dc == t.end() || !dc->is_array()) return;
  std::size_t worst = 0;
  double largest = 0;
  for (std::size_t c = 0; c < dc->size(); ++c)
    if ((*dc)[c].is_number() && std::abs((*dc)[c].get<double>()) > largest) {
      largest = std::abs((*dc)[c].get<double>());
      worst = c;
    }
  if (largest <= th.dc_offset) return;
  out.push_back(flag("dc_offset", json_number(largest, kCorrelationDecimals),
                     json_number(th.dc_offset, kCorrelationDecimals),
                     fmt::format("channel {} has a DC offset of {:.4f} ({:.1f} dBFS), above {}", worst + 1, largest,
                                 20 * std::log10(largest), th.dc_offset)));
}

void flag_mono(const Json& t, const FlagThresholds& th, Json& out) {
  const auto loss = finite(t, "mono_loss_lu");
  const auto correlation = finite(t, "stereo_correlation");
  const std::string with_correlation = correlation ? fmt::format(" (stereo correlation {:.2f})", *correlation) : "";
  if (loss && *loss > th.mono_loss_lu) {
    out.push_back(flag("poor_mono_compatibility", json_number(*loss), json_number(th.mono_loss_lu),
                       fmt::format("the mono fold-down is {:.1f} LU quieter than the stereo mix{}; more than {:.1f} "
                                   "LU means the channels partly cancel",
                                   *loss, with_correlation, th.mono_loss_lu)));
  } else if (correlation && *correlation < th.stereo_correlation) {
    out.push_back(flag("poor_mono_compatibility", json_number(*correlation, kCorrelationDecimals),
                       json_number(th.stereo_correlation, kCorrelationDecimals),
                       fmt::format("stereo correlation {:.2f} is below {:.2f}: the channels are largely out of "
                                   "phase and cancel in mono",
                                   *correlation, th.stereo_correlation)));
  }
}

void flag_silence(const Json& t, const char* key, const char* name, const char* where, double threshold, Json& out) {
  const auto seconds = finite(t, key);
  if (!seconds || *seconds <= threshold) return;
  const auto duration = finite(t, "duration_s");
  const std::string message =
      duration && *seconds >= *duration
          ? fmt::format("the whole track ({:.1f} s) is silence", *seconds)
          : fmt::format("{:.1f} s of silence {}; more than {:.1f} s", *seconds, where, threshold);
  out.push_back(flag(name, json_number(*seconds), json_number(threshold), message));
}

// ---------------------------------------------------------------------------------------
// Mismatches inside the album: sample rate and sample format
// ---------------------------------------------------------------------------------------

// The album's value is the most common one (a tie goes to the one met first in album
// order); every track with another value is odd.
void flag_mismatch(const std::vector<const Json*>& tracks, const char* key, const char* name, const char* what,
                   const char* unit, std::vector<Json>& out, Json& album) {
  std::vector<std::pair<Json, std::size_t>> counts;  // value, tracks, in first-seen order
  std::vector<std::optional<Json>> values(tracks.size());
  for (std::size_t i = 0; i < tracks.size(); ++i) {
    if (tracks[i] == nullptr) continue;
    const auto it = tracks[i]->find(key);
    if (it == tracks[i]->end() || it->is_null()) continue;
    values[i] = *it;
    auto c = std::find_if(counts.begin(), counts.end(), [&](const auto& p) { return p.first == *it; });
    if (c == counts.end()) counts.emplace_back(*it, 1);
    else ++c->second;
  }
  if (counts.size() < 2) return;
  const auto majority = std::max_element(counts.begin(), counts.end(),
                                         [](const auto& a, const auto& b) { return a.second < b.second; });
  auto text = [unit](const Json& v) { return (v.is_string() ? v.get<std::string>() : v.dump()) + unit; };
  std::size_t measured = 0;
  for (const auto& c : counts) measured += c.second;

  Json odd = Json::array();
  std::vector<std::string> odd_names;
  for (std::size_t i = 0; i < tracks.size(); ++i) {
    if (!values[i] || *values[i] == majority->first) continue;
    odd.push_back(i);
    odd_names.push_back(track_name(*tracks[i], i));
    out[i].push_back(Json{{"flag", name}, {"value", *values[i]}, {"expected", majority->first},
                          {"message", fmt::format("{}, while {} of the album's {} tracks are {}", text(*values[i]),
                                                  majority->second, measured, text(majority->first))}});
  }
  std::string breakdown;
  for (const auto& [value, n] : counts)
    breakdown += fmt::format("{}{} ({} track{})", breakdown.empty() ? "" : ", ", text(value), n, n == 1 ? "" : "s");
  std::string names;
  for (const std::string& n : odd_names) {
    if (!names.empty()) names += ", ";
    names += n;
  }
  album.push_back(Json{{"flag", name}, {"expected", majority->first}, {"tracks", odd},
                       {"message", fmt::format("{} {} in one album: {}; the odd one{} out: {}", counts.size(), what,
                                               breakdown, odd_names.size() == 1 ? "" : "s", names)}});
}

// Counts and names as they are; DC offsets with 4 decimals, other levels with 1.
std::string compact(const Json& v, const std::string& flag_name) {
  if (v.is_string()) return v.get<std::string>();
  if (!v.is_number() || v.is_number_integer()) return v.dump();
  const double x = v.get<double>();
  if (flag_name == "dc_offset") return fmt::format("{:.4f}", x);
  const bool signed_level =
      flag_name == "loudness_outlier" || flag_name == "tonal_outlier" || flag_name == "true_peak_over_ceiling";
  return signed_level ? signed_text(x) : fmt::format("{:.1f}", x);
}

}  // namespace

std::string set_flag_threshold(FlagThresholds& thresholds, const std::string& assignment) {
  const std::size_t eq = assignment.find('=');
  if (eq == std::string::npos)
    return fmt::format("'{}' is not NAME=VALUE; accepted names: {}", assignment, accepted_names());
  const std::string name = assignment.substr(0, eq), text = assignment.substr(eq + 1);
  for (const ThresholdField& f : kFields) {
    if (name != f.name) continue;
    if (f.count != nullptr) {
      const auto v = parse_number<long>(text);
      if (!v || static_cast<double>(*v) < f.min || static_cast<double>(*v) > f.max)
        return fmt::format("{}={}: the value must be a whole number from {} to {}", name, text, f.min, f.max);
      thresholds.*f.count = *v;
    } else {
      const auto v = parse_number<double>(text);
      if (!v || !std::isfinite(*v) || *v < f.min || *v > f.max)
        return fmt::format("{}={}: the value must be a number from {} to {}", name, text, f.min, f.max);
      thresholds.*f.real = *v;
    }
    return {};
  }
  return fmt::format("unknown flag threshold '{}'; accepted names: {}", name, accepted_names());
}

Json thresholds_json(const FlagThresholds& thresholds) {
  Json out;
  for (const ThresholdField& f : kFields)
    out[f.name] = f.count != nullptr ? Json(thresholds.*f.count) : json_number(thresholds.*f.real, f.decimals);
  return out;
}

std::string thresholds_text(const FlagThresholds& thresholds) {
  std::string out;
  const Json all = thresholds_json(thresholds);
  for (const auto& [name, value] : all.items()) {
    if (!out.empty()) out += ", ";
    out += name;
    out += '=';
    out += value.dump();
  }
  return out;
}

AlbumFlags flag_album(const std::vector<const Json*>& tracks, const FlagThresholds& thresholds) {
  AlbumFlags result{std::vector<Json>(tracks.size(), Json::array()), Json::array()};
  flag_loudness(tracks, thresholds, result.tracks);
  flag_tonal(tracks, thresholds, result.tracks);
  for (std::size_t i = 0; i < tracks.size(); ++i) {
    if (tracks[i] == nullptr) continue;
    flag_true_peak(*tracks[i], thresholds, result.tracks[i]);
    flag_clipping(*tracks[i], thresholds, result.tracks[i]);
    flag_dc(*tracks[i], thresholds, result.tracks[i]);
  }
  flag_mismatch(tracks, "sample_rate", "sample_rate_mismatch", "sample rates", " Hz", result.tracks, result.album);
  flag_mismatch(tracks, "sample_format", "bit_depth_mismatch", "sample formats", "", result.tracks, result.album);
  for (std::size_t i = 0; i < tracks.size(); ++i) {
    if (tracks[i] == nullptr) continue;
    flag_mono(*tracks[i], thresholds, result.tracks[i]);
    flag_silence(*tracks[i], "head_silence_s", "long_head_silence", "before the first sound",
                 thresholds.head_silence_s, result.tracks[i]);
    flag_silence(*tracks[i], "tail_silence_s", "long_tail_silence", "after the last sound",
                 thresholds.tail_silence_s, result.tracks[i]);
  }
  return result;
}

std::string flag_summary(const Json& f) {
  const std::string name = f.value("flag", "");
  std::string out = name + " " + compact(f.value("value", Json()), name);
  if (const auto band = f.find("band_hz"); band != f.end() && band->is_string())
    out += " (" + band->get<std::string>() + " Hz)";
  return out;
}

}  // namespace gloss::cli
