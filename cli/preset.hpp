// Presets: TOML files (toml++) that describe a chain. So far the [eq] section (issue 3); the
// format, with every key, unit and default, is documented in presets/README.md.
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

#include "eq_design.hpp"

namespace gloss::cli {

class PresetError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Preset {
  std::string source;  // the file name used in messages
  EqSpec eq;
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
