// `gloss devices`: which backends this build and machine have.
#pragma once

#include <CLI/CLI.hpp>

namespace gloss::cli {

CLI::App* add_devices_command(CLI::App& app);

// Prints gloss::list_backends() as a table; always exit 0.
int run_devices();

}  // namespace gloss::cli
