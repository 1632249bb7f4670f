// `gloss report merge SHARD.json... --json OUT.json`: joins the reports of the shards of one
// job (--shard K/N: Slurm job arrays, Kubernetes Indexed Jobs) into the report a single
// process would have written for the whole catalog, byte for byte.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace gloss::cli {

struct ReportMergeOptions {
  std::vector<std::string> inputs;
  std::string json_path, csv_path, html_path;
  bool allow_missing = false;  // merge what is there even when shards are missing
};

CLI::App* add_report_command(CLI::App& app, ReportMergeOptions& options);
int run_report_merge(const ReportMergeOptions& options);

}  // namespace gloss::cli
