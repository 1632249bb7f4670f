#include "tag_command.hpp"

#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cmath>
#include <cstdio>
#include <fmt/format.h>
#include <memory>
#include <optional>

#include "ascii_case.hpp"
#include "catalog.hpp"
#include "album_measure.hpp"
#include "device_option.hpp"
#include "exit_codes.hpp"
#include "gloss/backend.hpp"
#include "gloss/meter.hpp"
#include "number_format.hpp"
#include "interrupt.hpp"
#include "progress.hpp"
#include "report_files.hpp"
#include "tag_report.hpp"
#include "shard.hpp"

namespace gloss::cli {

namespace {

struct TagRun {
  const TagOptions& options;
  std::string settings;  // the GLOSS_TAG_SETTINGS value
  AlbumMeasureContext measure;
};

// The settings part of a GLOSS_TAG_SETTINGS value: everything after "gloss VERSION; ".
std::string settings_part(const std::string& value) {
  const std::size_t semi = value.find(';');
  return semi == std::string::npos ? std::string() : value.substr(semi + 1);
}

// True when the file carries a settings tag made with the same settings.
bool tagged_alike(const CatalogTrack& t, const std::string& settings) {
  for (const auto& [name, value] : read_gain_tags(t.path)) {
    if (ascii_upper(name) == kSettingsTag) return settings_part(value) == settings_part(settings);
  }
  return false;
}

// The peak a tag reports, linear: the largest channel's true or sample peak.
double peak_of(const TrackAnalysis& a, bool sample_peak) {
  double peak = 0;
  for (const ChannelMeasurement& c : a.per_channel) peak = std::max(peak, sample_peak ? c.sample_peak : c.true_peak);
  return peak;
}

// The album's gain and peak tags: the pooled loudness of every measured track (ReplayGain
// 2.0), the largest peak. None when no track has a gated block.
void album_values(const AlbumReport& report, const TagOptions& o, GainTags& tags) {
  if (!report.album || !std::isfinite(report.album->integrated_lufs)) return;
  tags.album_gain_db = o.reference_lufs - report.album->integrated_lufs;
  double peak = 0;
  for (const TrackReport& t : report.tracks)
    if (t.measured()) peak = std::max(peak, peak_of(*t.analysis, o.sample_peak));
  tags.album_peak = peak;
}

// What to write to one measured file, or why nothing can be.
struct PlannedFile {
  std::size_t row = 0;
  TagFormat format = TagFormat::Unsupported;
  GainTags tags;
};

std::vector<PlannedFile> plan_album(const CatalogAlbum& album, AlbumReport& report, const TagRun& run) {
  const TagOptions& o = run.options;
  GainTags album_tags;
  album_tags.reference_lufs = o.reference_lufs;
  album_tags.settings = run.settings;
  album_values(report, o, album_tags);
  std::vector<PlannedFile> plan;
  for (std::size_t row = 0; row < report.tracks.size(); ++row) {
    TrackReport& t = report.tracks[row];
    if (!t.measured()) continue;
    if (!std::isfinite(t.analysis->integrated_lufs)) {
      t.tag = tag_failure_json(fmt::format(
          "{}: silent (no block above the gates), so there is no gain to write; not tagged", t.file));
      continue;
    }
    PlannedFile p{row, tag_format_of(album.tracks[row].path), album_tags};
    if (p.format == TagFormat::Unsupported) {
      t.tag = tag_failure_json(fmt::format(
          "{}: TagLib cannot write tags to this file (gloss tags FLAC, Ogg Vorbis, Opus, MP3, MP4/M4A, WAV, AIFF); "
          "left unchanged",
          t.file));
      continue;
    }
    p.tags.track_gain_db = o.reference_lufs - t.analysis->integrated_lufs;
    p.tags.track_peak = peak_of(*t.analysis, o.sample_peak);
    plan.push_back(p);
  }
  return plan;
}

// Writes (or, with --dry-run, prints) the planned tags; the files are written in parallel,
// each through its own temporary copy, and reported in album order.
void write_album(const CatalogAlbum& album, AlbumReport& report, const std::vector<PlannedFile>& plan, TagRun& run) {
  const TagOptions& o = run.options;
  std::vector<std::string> errors(plan.size());
  if (!o.dry_run)
    run.measure.decoders.execute([&] {
      tbb::parallel_for(std::size_t{0}, plan.size(), [&](std::size_t k) {
        const CatalogTrack& t = album.tracks[plan[k].row];
        errors[k] = write_gain_tags(t.path, t.display, plan[k].tags, o.name_case);
      }, tbb::simple_partitioner());
    });
  run.measure.progress.clear();
  for (std::size_t k = 0; k < plan.size(); ++k) {
    const PlannedFile& p = plan[k];
    TrackReport& t = report.tracks[p.row];
    if (!errors[k].empty()) {
      t.tag = tag_failure_json(errors[k]);
      continue;
    }
    const auto tags = planned_tags(p.format, p.tags, o.name_case);
    t.tag = tag_outcome_json(o.dry_run ? TagStatus::Planned : TagStatus::Written, p.tags, tags);
    if (o.dry_run) {
      fmt::print("{} ({})\n", t.file, to_string(p.format));
      for (const auto& [name, value] : tags) fmt::print("  {}={}\n", name, value);
      continue;
    }
    fmt::print("{}: track {} peak {}", t.file, format_gain(p.tags.track_gain_db), format_peak(p.tags.track_peak));
    if (p.tags.album_gain_db)
      fmt::print(", album {} peak {}", format_gain(*p.tags.album_gain_db), format_peak(*p.tags.album_peak));
    fmt::print("\n");
  }
  std::fflush(stdout);
}

AlbumReport tag_album(const CatalogAlbum& album, TagRun& run) {
  if (run.options.skip_tagged &&
      std::all_of(album.tracks.begin(), album.tracks.end(), [&](const CatalogTrack& t) { return tagged_alike(t, run.settings); })) {
    AlbumReport report;
    report.path = album.display;
    for (const CatalogTrack& t : album.tracks) {
      TrackReport skipped;
      skipped.file = t.display;
      skipped.already_tagged = true;
      report.tracks.push_back(std::move(skipped));
      run.measure.progress.step(t.display);
    }
    return report;
  }
  AlbumReport report = measure_album(album, run.measure);
  const std::vector<PlannedFile> plan = plan_album(album, report, run);
  write_album(album, report, plan, run);
  return report;
}

// One line per file that was not tagged: it could not be measured, or its tags not written.
std::vector<std::string> failures_of(const RunReport& report) {
  std::vector<std::string> out;
  for (const AlbumReport& a : report.albums)
    for (const TrackReport& t : a.tracks) {
      if (t.failed()) out.push_back(t.error + "; not tagged");
      else if (!t.tag.is_null() && t.tag.value("status", "") == "failed") out.push_back(t.tag.value("error", ""));
    }
  return out;
}

std::size_t count_tags(const RunReport& report, const char* status) {
  std::size_t n = 0;
  for (const AlbumReport& a : report.albums)
    for (const TrackReport& t : a.tracks) n += !t.tag.is_null() && t.tag.value("status", "") == status ? 1 : 0;
  return n;
}

}  // namespace

std::string tag_settings(const TagOptions& o) {
  return fmt::format("gloss {}; reference {} LUFS; peak {}; album pooled (folder); names {}", GLOSS_VERSION,
                     fixed(round_to(o.reference_lufs, 2), 2),
                     o.sample_peak ? "sample" : "true (" + to_string(o.true_peak) + ")",
                     o.name_case == TagCase::Lower ? "lower" : "upper");
}

CLI::App* add_tag_command(CLI::App& app, TagOptions& o) {
  CLI::App* cmd = app.add_subcommand(
      "tag",
      "Measure every track and album under PATH... and write ReplayGain 2.0 tags\n"
      "(REPLAYGAIN_TRACK_GAIN/PEAK, REPLAYGAIN_ALBUM_GAIN/PEAK, REPLAYGAIN_REFERENCE_LOUDNESS)\n"
      "and a GLOSS_TAG_SETTINGS tag. An album is the audio files of one folder; its loudness\n"
      "pools the gating blocks of all its tracks. FLAC/Ogg Vorbis get Vorbis comments, Opus\n"
      "R128_TRACK_GAIN/R128_ALBUM_GAIN (Q7.8 dB, relative to -23 LUFS; the header output gain\n"
      "is left alone), MP3 ID3v2 TXXX frames, MP4/M4A iTunes freeform atoms, WAV and AIFF an\n"
      "ID3v2 chunk. Existing ReplayGain/R128 tags are replaced. The audio is never modified: a\n"
      "tagged copy replaces the file only when TagLib saved it; a file that can't be tagged is\n"
      "reported, left unchanged, and the run goes on.");
  add_catalog_options(*cmd, o.catalog, "Audio files or folders (scanned recursively)");
  add_report_options(*cmd, o.reports);
  cmd->add_option("--reference", o.reference_lufs, "Reference loudness in LUFS: gain = reference - loudness")
      ->check(CLI::Range(-70.0, 0.0))
      ->type_name("LUFS")
      ->capture_default_str();
  cmd->add_option_function<std::string>(
         "--peak", [&o](const std::string& v) { o.sample_peak = v == "sample"; },
         "Peak tags: true (true peak, linear) or sample (largest sample)")
      ->check(CLI::IsMember({"true", "sample"}).description(""))
      ->type_name("true|sample")
      ->default_str("true");
  cmd->add_option_function<std::string>(
         "--true-peak",
         [&o](const std::string& v) { o.true_peak = v == "precise" ? TruePeakMode::Precise : TruePeakMode::Itu; },
         "True-peak detector: itu (BS.1770 Annex 2) or precise (16x)")
      ->check(CLI::IsMember({"itu", "precise"}).description(""))
      ->type_name("itu|precise")
      ->default_str("itu");
  cmd->add_option_function<std::string>(
         "--case", [&o](const std::string& v) { o.name_case = v == "lower" ? TagCase::Lower : TagCase::Upper; },
         "Tag-name case for MP3, MP4, WAV and AIFF (Vorbis comments are always uppercase)")
      ->check(CLI::IsMember({"upper", "lower"}).description(""))
      ->type_name("upper|lower")
      ->default_str("upper");
  cmd->add_flag("-n,--dry-run", o.dry_run, "Print the tags that would be written; change nothing");
  cmd->add_flag("--skip-tagged", o.skip_tagged,
                "Skip an album whose files all carry tags made with the same settings (any gloss version)");
  cmd->add_option("--device", o.device, "Backend for the meter: auto, cpu, cuda, cuda:N, reference, reference:SEED")
      ->type_name("DEVICE")
      ->check(CLI::Validator(validate_device, ""))
      ->capture_default_str();
  cmd->add_option("--threads", o.threads, "CPU threads for decoding and the cpu backend (0 = all)")
      ->check(CLI::Range(0, 1024))
      ->capture_default_str();
  cmd->add_flag("-q,--quiet", o.quiet, "No progress and no summary line on stderr (failures are still listed)");
  add_job_options(*cmd, o.job, "Tag");
  cmd->footer(
      "Examples:\n"
      "  gloss tag ~/Music/Album\n"
      "  gloss tag catalog/ --skip-tagged --device cuda:0\n"
      "  gloss tag catalog/ --json tags.json --html tags.html   (measurements + what was written)\n"
      "  gloss tag a.mp3 b.mp3 --dry-run --peak sample --case lower\n"
      "Exit status: 0 every file tagged (or skipped); 1 some files could not be measured or\n"
      "tagged (they are listed and left unchanged; the rest were tagged); 2 usage error; 3 no\n"
      "audio files found or the device is unavailable; 4 a report could not be written;\n"
      "130 interrupted (Ctrl-C): rerun with --skip-tagged to go on.");
  return cmd;
}

int run_tag(const TagOptions& o) {
  const auto start = std::chrono::steady_clock::now();
  if (std::string why = check_catalog_request(o.catalog); !why.empty()) {
    fmt::print(stderr, "gloss tag: {}\n", why);
    return kExitUsage;
  }
  if (const std::string why = check_report_destinations(o.reports); !why.empty()) {
    fmt::print(stderr, "gloss tag: {}\n", why);
    return kExitUsage;
  }
  const std::optional<Shard> shard = shard_of(o.job, "tag");
  if (!shard) return kExitUsage;
  std::unique_ptr<Backend> backend;
  try {
    backend = make_backend(o.device, o.threads);
  } catch (const std::exception& e) {
    fmt::print(stderr, "gloss tag: device '{}' is unavailable: {}\n(run `gloss devices` to see what this machine has)\n",
               o.device, e.what());
    return kExitCannotStart;
  }
  int status = kExitOk;
  const std::optional<Catalog> opened = open_catalog(o.catalog, "tag", status);
  if (!opened) return status;
  const Catalog& catalog = *opened;
  bool missed = false;
  for (const CatalogProblem& p : catalog.problems) missed = missed || p.missed_input;

  RunReport report;
  report.settings.meter.true_peak = o.true_peak;
  report.settings.album_rule = AlbumLoudnessRule::Pooled;  // ReplayGain 2.0
  report.settings.tag = tag_settings_json(o.reference_lufs, o.sample_peak, to_string(o.true_peak), o.name_case,
                                          o.dry_run, tag_settings(o));
  report.problems = catalog.problems;
  report.skipped_files = catalog.skipped_files;
  report.shard = shard_json(*shard);
  tbb::task_arena decoders(o.threads > 0 ? o.threads : tbb::task_arena::automatic);
  const std::vector<std::size_t> albums = albums_in_shard(catalog, *shard);
  Progress progress(progress_mode(o.job, o.quiet), totals_of(catalog, albums, true));
  TagRun run{o, tag_settings(o), {report.settings, *backend, decoders, progress, o.reports.wants_series()}};
  // Ctrl-C stops between albums: every file is tagged whole or not at all (temporary copy,
  // renamed), and --skip-tagged makes the rerun pick up where this one stopped.
  install_interrupt_handlers();
  for (std::size_t index : albums) {
    if (interrupt_requested()) break;
    const CatalogAlbum& album = catalog.albums[index];
    AlbumReport result = tag_album(album, run);
    result.album_id = album.identity;
    result.catalog_index = index;
    std::size_t failed = 0;
    for (const TrackReport& t : result.tracks) failed += t.failed() ? 1 : 0;
    progress.album_done(album.display, album.tracks.size(), failed, album_input_bytes(album));
    report.albums.push_back(std::move(result));
  }
  progress.finish();

  const std::vector<std::string> failures = failures_of(report);
  if (!failures.empty()) {
    fmt::print(stderr, "failed:\n");
    for (const std::string& f : failures) fmt::print(stderr, "  {}\n", f);
  }
  const bool written = write_reports(report, o.reports, "tag");
  if (!o.quiet) {
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const std::size_t tagged = count_tags(report, o.dry_run ? "planned" : "written");
    std::size_t skipped = 0;
    for (const AlbumReport& a : report.albums)
      for (const TrackReport& t : a.tracks) skipped += t.already_tagged ? 1 : 0;
    fmt::print(stderr, "gloss: {} file{} {}, {} skipped (already tagged alike), {} failed, {:.2f} s on {}\n", tagged,
               tagged == 1 ? "" : "s", o.dry_run ? "would be tagged (dry run)" : "tagged", skipped, failures.size(),
               seconds, backend->name());
  }
  if (interrupt_requested()) {
    fmt::print(stderr, "gloss tag: interrupted; run the same command with --skip-tagged to go on\n");
    return kExitInterrupted;
  }
  if (!written) return kExitOutputFailed;
  return failures.empty() && !missed ? kExitOk : kExitSomeFailed;
}

}  // namespace gloss::cli
