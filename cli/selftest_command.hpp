// `gloss selftest`: checks on this machine that every backend gives bit-identical results
// to the reference executor, on signals generated here (no files needed).
#pragma once

#include <CLI/CLI.hpp>

namespace gloss::cli {

struct SelftestOptions {
  int seconds = 5;  // length of each generated signal
};

CLI::App* add_selftest_command(CLI::App& app, SelftestOptions& options);

// Exit 0 when every available backend matches the reference bit for bit, 1 otherwise.
int run_selftest(const SelftestOptions& options);

}  // namespace gloss::cli
