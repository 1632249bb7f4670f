// `gloss eq PRESET`: designs the preset's linear-phase EQ FIR at one sample rate and prints
// its response (target vs achieved) so a preset can be checked before it is used.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace gloss::cli {

struct EqOptions {
  std::string preset;
  int rate = 48000;
  std::string csv;  // empty: stdout
  int points = 100;
};

CLI::App* add_eq_command(CLI::App& app, EqOptions& options);

// CSV of the response on stdout (or --csv), the design summary on stderr. Exit 0; a bad or
// missing preset (or one that cannot be designed at --rate) is exit 2; an unwritable --csv
// is exit 2 before the design, 4 if writing fails afterwards.
int run_eq(const EqOptions& options);

}  // namespace gloss::cli
