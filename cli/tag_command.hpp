// `gloss tag PATH...`: measure every track and album (album = folder) and write ReplayGain 2.0
// tags (R128 gains for Opus) without touching the audio (issue 6).
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "gloss/analysis.hpp"
#include "catalog_request.hpp"
#include "job_options.hpp"
#include "report_files.hpp"
#include "tag_writer.hpp"

namespace gloss::cli {

struct TagOptions {
  CatalogRequest catalog;  // PATH... or --manifest, --group-by (an album = one album gain)
  double reference_lufs = -18.0;  // ReplayGain 2.0
  bool sample_peak = false;       // --peak sample: peaks are sample peaks, else true peaks
  TruePeakMode true_peak = TruePeakMode::Itu;
  TagCase name_case = TagCase::Upper;
  bool dry_run = false;
  bool skip_tagged = false;
  std::string device = "auto";
  int threads = 0;
  bool quiet = false;
  JobOptions job;  // --progress, --shard
  ReportPaths reports;  // --json, --csv, --html
};

CLI::App* add_tag_command(CLI::App& app, TagOptions& options);

// Tags every file and returns the exit status (exit_codes.hpp).
int run_tag(const TagOptions& options);

// The value of the GLOSS_TAG_SETTINGS tag for these options: "gloss VERSION; " followed by
// every setting that changes a written value. --skip-tagged compares the part after the version.
std::string tag_settings(const TagOptions& options);

}  // namespace gloss::cli
