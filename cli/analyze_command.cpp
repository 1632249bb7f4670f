#include "analyze_command.hpp"

#include <tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fmt/format.h>

#include "catalog.hpp"
#include "album_measure.hpp"
#include "device_option.hpp"
#include "exit_codes.hpp"
#include "album_runner.hpp"
#include "progress.hpp"
#include "shard.hpp"
#include "report.hpp"
#include "report_files.hpp"
#include "report_table.hpp"

namespace gloss::cli {

namespace {

void print_summary(const RunReport& report, const Backend& backend, double seconds, bool quiet) {
  const std::size_t tracks = report.track_count(), measured = report.measured_count();
  if (measured < tracks) {
    fmt::print(stderr, "failed:\n");
    for (const AlbumReport& a : report.albums)
      for (const TrackReport& t : a.tracks)
        if (!t.measured()) fmt::print(stderr, "  {}\n", t.error);
  }
  if (quiet) return;
  fmt::print(stderr, "gloss: {} track{} measured, {} failed, {} file{} skipped (not audio), {:.2f} s on {} ({})\n",
             measured, measured == 1 ? "" : "s", tracks - measured, report.skipped_files,
             report.skipped_files == 1 ? "" : "s", seconds, backend.name(), backend.description());
}

int exit_status(const RunReport& report) {
  bool missed = report.measured_count() < report.track_count();
  for (const CatalogProblem& p : report.problems) missed = missed || p.missed_input;
  return missed ? kExitSomeFailed : kExitOk;
}


}  // namespace

CLI::App* add_analyze_command(CLI::App& app, AnalyzeOptions& o) {
  CLI::App* cmd = app.add_subcommand(
      "analyze",
      "Measure loudness (BS.1770-4 / EBU R128) of every track and album under PATH...\n"
      "Folders are scanned recursively; an album is the audio files of one folder, in natural\n"
      "name order. Prints one table per album on stdout (integrated LUFS, LRA, true peak,\n"
      "sample peak, max momentary/short-term, PLR, deviation from the album, notes) and\n"
      "optionally writes deterministic JSON/CSV reports (byte-identical on every device and\n"
      "thread count). A file that cannot be measured is reported and the run goes on.");
  add_catalog_options(*cmd, o.catalog, "Audio files or folders (scanned recursively)");
  add_report_options(*cmd, o.reports);
  cmd->add_option("--device", o.device, "Backend: auto, cpu, cuda, cuda:N, reference (the executor that defines every result) or reference:SEED (the same in a shuffled order, a determinism check); never falls back")
      ->type_name("DEVICE")
      ->check(CLI::Validator(validate_device, ""))
      ->capture_default_str();
  cmd->add_option("--threads", o.threads, "CPU threads for decoding and the cpu backend (0 = all)")
      ->check(CLI::Range(0, 1024))
      ->capture_default_str();
  // Strings checked against the accepted words, then turned into the typed setting, so the
  // help and the error messages speak in words ("fast not in {itu,precise}").
  cmd->add_option_function<std::string>(
         "--true-peak",
         [&o](const std::string& v) { o.true_peak = v == "precise" ? TruePeakMode::Precise : TruePeakMode::Itu; },
         "True-peak detector: itu (BS.1770 Annex 2) or precise (16x)")
      ->check(CLI::IsMember({"itu", "precise"}).description(""))
      ->type_name("itu|precise")
      ->default_str("itu");
  cmd->add_option_function<std::string>(
         "--album-rule",
         [&o](const std::string& v) {
           o.album_rule = v == "loudest" ? AlbumLoudnessRule::LoudestTrack
                          : v == "mean"  ? AlbumLoudnessRule::Mean
                                         : AlbumLoudnessRule::Pooled;
         },
         "Album loudness: pooled (gating over all tracks' blocks, ReplayGain 2.0), loudest "
         "(AES77) or mean (energy mean of the tracks)")
      ->check(CLI::IsMember({"pooled", "loudest", "mean"}).description(""))
      ->type_name("pooled|loudest|mean")
      ->default_str("pooled");
  cmd->add_option("--flag", o.flag_overrides,
                  "Override a consistency-flag threshold (repeatable). Names and defaults: " +
                      thresholds_text(FlagThresholds{}))
      ->type_name("NAME=VALUE")
      ->allow_extra_args(false)
      ->check(CLI::Validator([&o](std::string& v) { return set_flag_threshold(o.thresholds, v); }, ""));
  cmd->add_flag("-q,--quiet", o.quiet, "No progress and no summary line on stderr (failures are still listed)");
  add_job_options(*cmd, o.job, "Measure");
  cmd->add_option("--workers", o.workers,
                  "CPU workers: albums measured at once (default: 1, or 0 beside GPUs); each gets --threads/N threads")
      ->check(CLI::Range(0, 256));
  cmd->footer(
      "Examples:\n"
      "  gloss analyze ~/Music/Album --json report.json\n"
      "  gloss analyze catalog/ --device cuda:0 --csv catalog.csv --html catalog.html\n"
      "  gloss analyze a.flac b.flac --album-rule loudest --true-peak precise\n"
      "  gloss analyze Album --flag tonal_outlier_db=4 --flag head_silence_s=1\n"
      "Exit status: 0 all files measured; 1 some files failed (the rest were measured and\n"
      "reported); 2 usage error; 3 no audio files found or the device is unavailable;\n"
      "4 a report could not be written.");
  return cmd;
}

int run_analyze(const AnalyzeOptions& o) {
  const auto start = std::chrono::steady_clock::now();
  if (std::string why = check_catalog_request(o.catalog); !why.empty()) {
    fmt::print(stderr, "gloss analyze: {}\n", why);
    return kExitUsage;
  }
  if (const std::string why = check_report_destinations(o.reports); !why.empty()) {
    fmt::print(stderr, "gloss analyze: {}\n", why);
    return kExitUsage;
  }
  const std::optional<Shard> shard = shard_of(o.job, "analyze");
  if (!shard) return kExitUsage;
  std::vector<std::unique_ptr<Backend>> backends;
  try {
    const std::vector<std::string> devices = expand_devices(o.device, o.workers);
    const int each = o.threads > 0 ? std::max(1, o.threads / static_cast<int>(devices.size())) : 0;
    for (const std::string& device : devices) backends.push_back(make_backend(device, each));
  } catch (const std::exception& e) {
    fmt::print(stderr, "gloss analyze: device '{}' is unavailable: {}\n(run `gloss devices` to see what this machine has)\n",
               o.device, e.what());
    return kExitCannotStart;
  }

  int status = kExitOk;
  const std::optional<Catalog> opened = open_catalog(o.catalog, "analyze", status);
  if (!opened) return status;
  const Catalog& catalog = *opened;

  RunReport report;
  report.settings.meter.true_peak = o.true_peak;
  report.settings.album_rule = o.album_rule;
  report.settings.flags = o.thresholds;
  report.problems = catalog.problems;
  report.skipped_files = catalog.skipped_files;
  report.shard = shard_json(*shard);
  const std::vector<std::size_t> albums = albums_in_shard(catalog, *shard);
  Progress progress(progress_mode(o.job, o.quiet), totals_of(catalog, albums, true));
  // One worker per device (and CPU workers); each album is measured whole by one of them,
  // and the reports are put back in catalog order, so the worker count changes nothing.
  const int each = o.threads > 0 ? std::max(1, o.threads / static_cast<int>(backends.size())) : 0;
  std::vector<std::unique_ptr<tbb::task_arena>> arenas;
  for (std::size_t w = 0; w < backends.size(); ++w)
    arenas.push_back(std::make_unique<tbb::task_arena>(each > 0 ? each : static_cast<int>(tbb::task_arena::automatic)));
  std::vector<AlbumJob> jobs;
  for (std::size_t index : albums) jobs.push_back({index, album_input_bytes(catalog.albums[index]), 0});
  std::vector<std::optional<AlbumReport>> done(catalog.albums.size());
  std::mutex output;
  run_albums(jobs, {static_cast<int>(backends.size()), 0}, [&](std::size_t index, int w) {
    const CatalogAlbum& album = catalog.albums[index];
    AlbumMeasureContext run{report.settings, *backends[static_cast<std::size_t>(w)], *arenas[static_cast<std::size_t>(w)],
                            progress, o.reports.wants_series()};
    AlbumReport result = measure_album(album, run);
    result.album_id = album.identity;
    result.catalog_index = index;
    std::size_t failed = 0;
    for (const TrackReport& t : result.tracks) failed += t.measured() ? 0 : 1;
    std::lock_guard lock(output);
    progress.clear();
    std::fputs(render_album_table(result).c_str(), stdout);
    std::fflush(stdout);
    progress.album_done(album.display, album.tracks.size(), failed, album_input_bytes(album));
    done[index] = std::move(result);
  });
  progress.finish();
  for (std::size_t index : albums) report.albums.push_back(std::move(*done[index]));

  const bool written = write_reports(report, o.reports, "analyze");
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  print_summary(report, *backends.front(), seconds, o.quiet);
  return written ? exit_status(report) : kExitOutputFailed;
}

}  // namespace gloss::cli
