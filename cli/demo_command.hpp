// `gloss demo DIR`: writes a small demo catalog (about a minute of generated music in two
// albums, with a silent track and a broken file) so a new user can try `gloss analyze`.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace gloss::cli {

struct DemoOptions {
  std::string directory;
  bool force = false;
};

CLI::App* add_demo_command(CLI::App& app, DemoOptions& options);

// Exit 0 when every file was written; 4 when one exists (without --force) or cannot be written.
int run_demo(const DemoOptions& options);

}  // namespace gloss::cli
