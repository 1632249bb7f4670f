#include "report_merge_command.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

#include "atomic_file.hpp"
#include "exit_codes.hpp"
#include "master_report.hpp"
#include "report_csv.hpp"
#include "report_html.hpp"
#include "report_json.hpp"

namespace gloss::cli {

namespace {

struct MergeError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

Json read_report(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw MergeError(fmt::format("{}: cannot open; check the path", path));
  std::ostringstream text;
  text << in.rdbuf();
  Json j = Json::parse(text.str(), nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("schema") || !j.contains("albums"))
    throw MergeError(fmt::format("{}: not a gloss report (JSON with schema and albums)", path));
  return j;
}

// Every field that must agree between the shards of one job.
void check_same_job(const Json& first, const Json& other, const std::string& first_path, const std::string& path) {
  for (const char* key : {"schema", "schema_version", "gloss_version", "settings"})
    if (first.value(key, Json()) != other.value(key, Json()))
      throw MergeError(fmt::format("{} and {}: different {} ({} vs {}); only shards of one job (same command, same "
                                   "gloss) can be merged",
                                   first_path, path, key, first.value(key, Json()).dump(), other.value(key, Json()).dump()));
}

// Which shards are present; refuses duplicates and (unless allowed) gaps.
void check_shards(const std::vector<Json>& reports, const std::vector<std::string>& paths, bool allow_missing) {
  std::set<int> seen;
  int count = 0;
  for (std::size_t i = 0; i < reports.size(); ++i) {
    const Json& shard = reports[i].value("shard", Json());
    if (!shard.is_object())
      throw MergeError(fmt::format("{}: is the report of a whole job (no --shard), nothing to merge it with", paths[i]));
    const int index = shard.at("index").get<int>(), n = shard.at("count").get<int>();
    if (count != 0 && n != count)
      throw MergeError(fmt::format("{}: shard {}/{} does not belong with shards of {}", paths[i], index, n, count));
    count = n;
    if (!seen.insert(index).second) throw MergeError(fmt::format("{}: shard {}/{} is given twice", paths[i], index, n));
  }
  std::string missing;
  for (int k = 1; k <= count; ++k)
    if (!seen.count(k)) missing += fmt::format("{}{}/{}", missing.empty() ? "" : ", ", k, count);
  if (!missing.empty() && !allow_missing)
    throw MergeError(fmt::format("shard{} {} missing: merge all {} shard reports (or --allow-missing to merge what "
                                 "is there)",
                                 missing.find(',') == std::string::npos ? " is" : "s are", missing, count));
}

Json merge(const std::vector<Json>& reports, const std::vector<std::string>& paths, bool allow_missing) {
  for (std::size_t i = 1; i < reports.size(); ++i) check_same_job(reports[0], reports[i], paths[0], paths[i]);
  check_shards(reports, paths, allow_missing);
  std::vector<Json> albums;
  for (const Json& r : reports)
    for (const Json& a : r.at("albums")) albums.push_back(a);
  std::stable_sort(albums.begin(), albums.end(), [](const Json& a, const Json& b) {
    return a.value("catalog_index", std::size_t{0}) < b.value("catalog_index", std::size_t{0});
  });
  for (std::size_t i = 1; i < albums.size(); ++i)
    if (albums[i].value("album_id", "") == albums[i - 1].value("album_id", "") &&
        albums[i].value("catalog_index", 0) == albums[i - 1].value("catalog_index", 0))
      throw MergeError(fmt::format("album {} is in two reports: were the shards made from different catalogs?",
                                   albums[i].value("album_id", "")));
  // Every shard scanned the whole catalog: its problems are the same in each report.
  const Json& problems = reports[0].value("problems", Json::array());
  const std::string schema = reports[0].at("schema").get<std::string>();
  if (schema == "gloss.master") return master_document(reports[0].at("settings"), albums, problems, nullptr);
  if (schema == "gloss.analysis")
    return analysis_document(reports[0].at("settings"), albums, problems,
                             reports[0].at("summary").value("skipped_files", std::size_t{0}), nullptr);
  throw MergeError(fmt::format("{}: schema '{}' cannot be merged (gloss.analysis and gloss.master can)", paths[0], schema));
}

}  // namespace

CLI::App* add_report_command(CLI::App& app, ReportMergeOptions& o) {
  CLI::App* report = app.add_subcommand("report", "Work with gloss reports");
  report->require_subcommand(1);
  CLI::App* cmd = report->add_subcommand(
      "merge",
      "Join the JSON reports of the shards of one job (gloss analyze/master --shard K/N, e.g. a Slurm job\n"
      "array or a Kubernetes Indexed Job) into the report one process would have written for the whole\n"
      "catalog: albums in catalog order, counts recomputed. Refuses reports of different jobs, a shard\n"
      "given twice, and (unless --allow-missing) a missing shard.");
  cmd->add_option("reports", o.inputs, "The shard reports (REPORT.json ...)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--json", o.json_path, "Write the merged report to FILE")->required()->type_name("FILE");
  cmd->add_option("--csv", o.csv_path, "Also write the merged CSV report to FILE")->type_name("FILE");
  cmd->add_option("--html", o.html_path, "Also write the merged HTML report to FILE")->type_name("FILE");
  cmd->add_flag("--allow-missing", o.allow_missing, "Merge the shards that are there even when some are missing");
  cmd->footer(
      "Example (3 shards):\n"
      "  gloss report merge out/report-1.json out/report-2.json out/report-3.json --json out/report.json\n"
      "Exit status: 0 merged; 2 usage error or reports that cannot be merged; 4 the report could not be written.");
  return cmd;
}

int run_report_merge(const ReportMergeOptions& o) {
  for (const std::string& path : {o.json_path, o.csv_path, o.html_path})
    if (!path.empty())
      if (std::string why = check_output_destination(path); !why.empty()) {
        fmt::print(stderr, "gloss report merge: {}\n", why);
        return kExitUsage;
      }
  Json document;
  try {
    std::vector<Json> reports;
    for (const std::string& path : o.inputs) reports.push_back(read_report(path));
    document = merge(reports, o.inputs, o.allow_missing);
  } catch (const MergeError& e) {
    fmt::print(stderr, "gloss report merge: {}\n", e.what());
    return kExitUsage;
  } catch (const Json::exception& e) {
    fmt::print(stderr, "gloss report merge: a report is not in the expected shape: {}\n", e.what());
    return kExitUsage;
  }
  int status = kExitOk;
  auto write = [&](const std::string& path, const std::function<std::string()>& render) {
    if (path.empty()) return;
    if (std::string why = write_file_atomically(path, render()); !why.empty()) {
      fmt::print(stderr, "gloss report merge: {}\n", why);
      status = kExitOutputFailed;
    }
  };
  write(o.json_path, [&] { return document.dump(2, ' ', false, Json::error_handler_t::replace) + "\n"; });
  write(o.csv_path, [&] { return render_csv_document(document); });
  write(o.html_path, [&] { return render_html_report(document); });
  return status;
}

}  // namespace gloss::cli
