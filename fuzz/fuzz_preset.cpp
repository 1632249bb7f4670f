// libFuzzer target: the preset parser. Whatever the bytes, gloss::cli::parse_preset either
// returns a Preset or throws PresetError; any other exception, a crash or a sanitizer report
// is a bug. Presets that parse are also checked at two sample rates, as `gloss master`
// does before designing the EQ, and every problem found is turned into its message.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "eq_design.hpp"
#include "preset.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  gloss::cli::Preset preset;
  try {
    preset = gloss::cli::parse_preset(text, "fuzz.toml");
  } catch (const gloss::cli::PresetError&) {
    return 0;  // a clear error is the expected outcome for most inputs
  }
  for (const int rate : {44100, 8000}) {
    for (const gloss::EqProblem& problem : gloss::check_eq(preset.eq, rate)) {
      const std::string message = gloss::cli::describe_problem(preset, problem);
      if (message.empty()) __builtin_trap();
    }
  }
  return 0;
}
