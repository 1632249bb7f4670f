// gloss: catalog-scale loudness measurement. main only parses the command line and hands
// over to one subcommand; every subcommand returns its exit status (exit_codes.hpp) upward.
//
// Exit status:
//   0  everything asked for was done (analyze: all files measured; selftest: all identical)
//   1  some inputs failed (the rest were measured and reported), or selftest found a difference
//   2  usage error: bad flag or value, unusable --json/--csv destination
//   3  nothing to do (no audio files found) or the requested device is unavailable
//   4  a report or demo file could not be written
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <fmt/format.h>

#include "analyze_command.hpp"
#include "bench_command.hpp"
#include "demo_command.hpp"
#include "devices_command.hpp"
#include "eq_command.hpp"
#include "exit_codes.hpp"
#include "master_command.hpp"
#include "report_merge_command.hpp"
#include "selftest_command.hpp"
#include "tag_command.hpp"

namespace {

constexpr const char* kDescription =
    "gloss measures and masters whole music catalogs (ITU-R BS.1770-4 / EBU R128):\n"
    "integrated loudness, loudness range, true peak, PLR and more, per track and per album\n"
    "(an album = the audio files of one folder). The CPU and CUDA backends give bit-identical\n"
    "numbers, so reports are byte-identical wherever they ran.";

constexpr const char* kFooter =
    "Examples:\n"
    "  gloss demo /tmp/gloss-demo                      write a small demo catalog\n"
    "  gloss analyze ~/Music/Album --json report.json  measure an album, write a JSON report\n"
    "  gloss analyze catalog/ --device cuda:0          measure a catalog on the first GPU\n"
    "  gloss master Album/ -o masters/ --preset streaming   render -14 LUFS / -1 dBTP masters\n"
    "  gloss tag ~/Music/Album                         write ReplayGain 2.0 / R128 tags\n"
    "  gloss report merge shard-*.json --json all.json join the reports of --shard K/N runs\n"
    "  gloss devices                                   list the backends --device accepts\n"
    "  gloss eq gentle-air --rate 44100                design a preset's EQ, print its response\n"
    "  gloss bench --device cpu,cuda                   chain speed per stage, CPU beside GPU\n"
    "  gloss selftest                                  check CPU/GPU bit-identity on this machine\n"
    "Run `gloss SUBCOMMAND --help` for the flags of each subcommand.\n"
    "Exit status: 0 all done; 1 some files failed (the rest were measured) or selftest\n"
    "found a difference; 2 usage error; 3 nothing to do (no audio files) or device\n"
    "unavailable; 4 a report or demo file could not be written.";

// Every subcommand's options, filled by CLI11.
struct Options {
  gloss::cli::AnalyzeOptions analyze;
  gloss::cli::MasterOptions master;
  gloss::cli::TagOptions tag;
  gloss::cli::SelftestOptions selftest;
  gloss::cli::DemoOptions demo;
  gloss::cli::EqOptions eq;
  gloss::cli::BenchOptions bench;
  gloss::cli::ReportMergeOptions report_merge;
};

int dispatch(const CLI::App& app, const Options& o) {
  auto parsed = [&](const char* name) { return app.get_subcommand(name)->parsed(); };
  if (parsed("analyze")) return gloss::cli::run_analyze(o.analyze);
  if (parsed("master")) return gloss::cli::run_master(o.master);
  if (parsed("tag")) return gloss::cli::run_tag(o.tag);
  if (parsed("report")) return gloss::cli::run_report_merge(o.report_merge);
  if (parsed("eq")) return gloss::cli::run_eq(o.eq);
  if (parsed("bench")) return gloss::cli::run_bench(o.bench);
  if (parsed("devices")) return gloss::cli::run_devices();
  if (parsed("selftest")) return gloss::cli::run_selftest(o.selftest);
  if (parsed("demo")) return gloss::cli::run_demo(o.demo);
  return gloss::cli::kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app(kDescription, "gloss");
  app.footer(kFooter);
  app.set_version_flag("--version", std::string("gloss ") + GLOSS_VERSION);
  app.require_subcommand(1);

  Options o;
  gloss::cli::add_analyze_command(app, o.analyze);
  gloss::cli::add_master_command(app, o.master);
  gloss::cli::add_tag_command(app, o.tag);
  gloss::cli::add_report_command(app, o.report_merge);
  gloss::cli::add_eq_command(app, o.eq);
  gloss::cli::add_bench_command(app, o.bench);
  gloss::cli::add_devices_command(app);
  gloss::cli::add_selftest_command(app, o.selftest);
  gloss::cli::add_demo_command(app, o.demo);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version are "errors" with status 0; every real parse error is a usage error.
    return app.exit(e) == 0 ? gloss::cli::kExitOk : gloss::cli::kExitUsage;
  }
  try {
    return dispatch(app, o);
  } catch (const std::exception& e) {
    fmt::print(stderr, "gloss: internal error: {}. Please report it with the command line that caused it.\n", e.what());
    return gloss::cli::kExitSomeFailed;
  }
}
