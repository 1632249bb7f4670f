#include "report_files.hpp"

#include <fmt/format.h>

#include "atomic_file.hpp"
#include "report_csv.hpp"
#include "report_html.hpp"
#include "report_json.hpp"

namespace gloss::cli {

void add_report_options(CLI::App& cmd, ReportPaths& paths) {
  cmd.add_option("--json", paths.json, "Write the JSON report (schema gloss.analysis v2) to FILE")->type_name("FILE");
  cmd.add_option("--csv", paths.csv, "Write a CSV report (one row per track and per album) to FILE")->type_name("FILE");
  cmd.add_option("--html", paths.html,
                 "Write a self-contained HTML report (charts of loudness over time, tonal balance, levels; "
                 "no network needed) to FILE")
      ->type_name("FILE");
}

std::string check_report_destinations(const ReportPaths& paths) {
  for (const std::string& path : {paths.json, paths.csv, paths.html})
    if (!path.empty())
      if (std::string why = check_output_destination(path); !why.empty()) return why;
  return {};
}

bool write_reports(const RunReport& report, const ReportPaths& paths, const std::string& command) {
  bool ok = true;
  auto write = [&](const std::string& path, auto render) {
    if (path.empty()) return;
    if (const std::string why = write_file_atomically(path, render()); !why.empty()) {
      fmt::print(stderr, "gloss {}: {}; nothing was written there\n", command, why);
      ok = false;
    }
  };
  write(paths.json, [&] { return render_json(report); });
  write(paths.csv, [&] { return render_csv(report); });
  // The page is drawn from the JSON document, as for merged shard reports.
  write(paths.html, [&] { return render_html_report(Json::parse(render_json(report))); });
  return ok;
}

}  // namespace gloss::cli
