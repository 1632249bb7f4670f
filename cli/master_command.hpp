// `gloss master PATH... -o OUTDIR --preset NAME|FILE.toml`: render masters that hit a delivery
// target, verify them, and report before/after (issue 4).
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

#include "consistency_flags.hpp"

#include "catalog_request.hpp"

namespace gloss::cli {

struct MasterOptions {
  CatalogRequest catalog;  // PATH... or --manifest, --group-by
  std::string output_dir;
  std::string preset = "streaming";
  // Flags override the preset's fields.
  std::optional<double> target_lufs;
  std::optional<double> ceiling_dbtp;
  std::optional<std::string> mode;    // album | track
  std::optional<std::string> format;  // wav | flac | aiff
  std::optional<int> bits;            // 16 | 24 | 32
  std::optional<int> rate;            // Hz
  std::string device = "auto";        // where the meter runs
  int threads = 0;
  std::string json_path;
  bool quiet = false;
  // Catalog jobs (issue 5).
  int workers = 0;                // CPU workers (0: one, or none when GPUs are listed)
  std::string max_memory = "0";   // budget for albums in flight, e.g. 8G (0: none)
  std::string progress = "auto";  // auto | bar | lines | json | quiet
  std::string shard = "1/1";      // K/N, auto or auto/N
  bool force = false;             // ignore the journal: make everything again
  std::string csv_path, html_path;   // more report forms (the JSON's content)
  std::vector<std::string> flag_overrides;  // --flag NAME=VALUE, as given
  FlagThresholds thresholds;                // the flags' thresholds (ceiling: the preset's unless given)
  bool ceiling_flag_given = false;
};

CLI::App* add_master_command(CLI::App& app, MasterOptions& options);
int run_master(const MasterOptions& options);

}  // namespace gloss::cli
