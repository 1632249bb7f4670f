#include "devices_command.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "exit_codes.hpp"
#include "gloss/backend.hpp"

namespace gloss::cli {

CLI::App* add_devices_command(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand(
      "devices",
      "List the backends --device accepts: reference (the scalar executor that defines every\n"
      "result), cpu (all threads) and each CUDA device, with whether it is usable here and why not.");
  cmd->footer("Example:\n  gloss devices");
  return cmd;
}

int run_devices() {
  const std::vector<BackendInfo> backends = list_backends();
  std::size_t width = std::string("name").size();
  for (const BackendInfo& b : backends) width = std::max(width, b.name.size());
  fmt::print("{:<{}}  {:<9}  {}\n", "name", width, "available", "description");
  for (const BackendInfo& b : backends)
    fmt::print("{:<{}}  {:<9}  {}\n", b.name, width, b.available ? "yes" : "no", b.description);
  return kExitOk;
}

}  // namespace gloss::cli
