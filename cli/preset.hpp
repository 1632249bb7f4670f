// Presets: TOML files (toml++) that describe a chain: [eq] (issue 3; album tone match,
// issue 5), [loudness], [limiter] and [output] (issue 4). The format, with every key, unit and default, is documented in
// presets/README.md.
//
// Parsing is strict: a syntax error, an unknown key, a wrong type or an out-of-range value
// is a PresetError whose message names the file, the line and column, the key path
// (eq.band[2].q; bands count from 1 in file order) and what is allowed.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <optional>

#include "eq_design.hpp"
#include "gain_plan.hpp"
#include "quantizer.hpp"
#include "tone_match.hpp"

namespace gloss::cli {

class PresetError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The delivery part of a preset. Unset fields take the command line's value, else the
// default (-14 LUFS, -1 dBTP, album mode, ...) or, for rate/bits/format, the input's.
struct MasterPreset {
  std::optional<double> target_lufs;
  std::optional<double> ceiling_dbtp;
  std::optional<GainMode> mode;
  std::optional<double> max_track_correction_lu;
  std::optional<double> max_limiting_db;
  std::optional<double> lookahead_ms;
  std::optional<double> release_ms;
  std::optional<std::string> format;  // wav, flac or aiff
  std::optional<int> bits;            // 16, 24 or 32 (float)
  std::optional<int> rate;            // Hz
  std::optional<bool> dither;
  std::optional<NoiseShaping> noise_shaping;
};

struct Preset {
  std::string source;  // the file name used in messages
  EqSpec eq;
  ToneMatchSettings tone_match;  // [eq] tone_match, tone_match_strength, tone_match_max
  MasterPreset master;
  // Where each key of each band was written ("file:line:col"), for design-time errors that
  // depend on the sample rate (freq >= fs/2); index = band.
  struct BandSource {
    std::string where;       // the [[eq.band]] table
    std::string freq_where;  // its freq key (empty when defaulted)
  };
  std::vector<BandSource> band_sources;
  std::string taps_where;
};

// Parses preset text; `source` names it in messages. Throws PresetError.
Preset parse_preset(std::string_view text, const std::string& source);

// Reads and parses a file. Throws PresetError (also when the file cannot be read).
Preset load_preset(const std::filesystem::path& file);

// The folders a bare preset name is looked up in, in order: <exe dir>/presets,
// <exe dir>/../share/gloss/presets, then the source tree's presets/ (GLOSS_PRESET_DIR).
std::vector<std::filesystem::path> preset_dirs();

// Anything ending in ".toml" is a path (relative to the working directory). A bare name
// NAME (may contain '/') is DIR/NAME.toml or DIR/<subfolder>/NAME.toml in the first preset
// dir that has it. Throws PresetError naming the folders searched.
std::filesystem::path resolve_preset(const std::string& name_or_path);

// The message for an EqSpec problem found at design time (check_eq at a sample rate), naming
// the preset file, the key's position and path.
std::string describe_problem(const Preset& preset, const EqProblem& problem);

}  // namespace gloss::cli
