// The --json/--csv/--html reports of an analysis run (`gloss analyze`, `gloss tag`): the
// options, the check of their destinations before the run, and writing them after it.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "report.hpp"

namespace gloss::cli {

struct ReportPaths {
  std::string json;  // empty: no JSON report
  std::string csv;   // empty: no CSV report
  std::string html;  // empty: no HTML report

  bool wants_series() const { return !json.empty() || !html.empty(); }  // short-term loudness over time
};

void add_report_options(CLI::App& command, ReportPaths& paths);

// Empty when every given destination can be written, else why not (checked before the run,
// not after hours of work).
std::string check_report_destinations(const ReportPaths& paths);

// Writes each requested report atomically; false (after printing "gloss COMMAND: why")
// when one could not be written.
bool write_reports(const RunReport& report, const ReportPaths& paths, const std::string& command);

}  // namespace gloss::cli
