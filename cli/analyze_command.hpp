// `gloss analyze PATH...`: measure every track and album, print a table, write reports.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "catalog_request.hpp"
#include "job_options.hpp"
#include "report_files.hpp"
#include "consistency_flags.hpp"
#include "gloss/analysis.hpp"

namespace gloss::cli {

struct AnalyzeOptions {
  CatalogRequest catalog;  // PATH... or --manifest, --group-by
  ReportPaths reports;  // --json, --csv, --html
  std::string device = "auto";
  int threads = 0;  // 0: all hardware threads
  int workers = 0;  // CPU workers (0: one, or none beside GPUs)
  TruePeakMode true_peak = TruePeakMode::Itu;
  AlbumLoudnessRule album_rule = AlbumLoudnessRule::Pooled;
  bool quiet = false;
  JobOptions job;  // --progress, --shard
  std::vector<std::string> flag_overrides;  // --flag NAME=VALUE, as given
  FlagThresholds thresholds;                // the defaults with those applied
};

// Registers the subcommand and its flags on `app`; the values land in `options`.
CLI::App* add_analyze_command(CLI::App& app, AnalyzeOptions& options);

// Runs the analysis and returns the exit status (exit_codes.hpp).
int run_analyze(const AnalyzeOptions& options);

}  // namespace gloss::cli
