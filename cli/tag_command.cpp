#include "tag_command.hpp"

#include <tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cmath>
#include <cstdio>
#include <fmt/format.h>
#include <memory>
#include <optional>

#include "catalog.hpp"
#include "album_decode.hpp"
#include "device_option.hpp"
#include "exit_codes.hpp"
#include "gloss/backend.hpp"
#include "gloss/meter.hpp"
#include "number_format.hpp"
#include "interrupt.hpp"
#include "manifest.hpp"
#include "progress.hpp"
#include "shard.hpp"

namespace gloss::cli {

namespace {

// What one run counts, for the summary line and the exit status.
struct Tally {
  std::size_t tagged = 0;   // written (or, with --dry-run, would be written)
  std::size_t skipped = 0;  // --skip-tagged: already tagged with the same settings
  std::vector<std::string> failures;
};

struct RunContext {
  const TagOptions& options;
  std::string settings;  // the GLOSS_TAG_SETTINGS value
  Backend& backend;
  tbb::task_arena& decoders;
  Progress& progress;
  Tally& tally;
};

// The settings part of a GLOSS_TAG_SETTINGS value: everything after "gloss VERSION; ".
std::string settings_part(const std::string& value) {
  const std::size_t semi = value.find(';');
  return semi == std::string::npos ? std::string() : value.substr(semi + 1);
}

// True when the file carries a settings tag made with the same settings.
bool tagged_alike(const CatalogTrack& t, const std::string& settings) {
  for (const auto& [name, value] : read_gain_tags(t.path)) {
    std::string u = name;
    std::transform(u.begin(), u.end(), u.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    if (u == kSettingsTag) return settings_part(value) == settings_part(settings);
  }
  return false;
}

// The peak a tag reports, linear: the largest channel's true or sample peak.
double peak_of(const TrackAnalysis& a, bool sample_peak) {
  double peak = 0;
  for (const ChannelMeasurement& c : a.per_channel) peak = std::max(peak, sample_peak ? c.sample_peak : c.true_peak);
  return peak;
}

void print_plan(const CatalogTrack& t, TagFormat format, const GainTags& tags, TagCase name_case) {
  fmt::print("{} ({})\n", t.display, to_string(format));
  for (const auto& [name, value] : planned_tags(format, tags, name_case)) fmt::print("  {}={}\n", name, value);
}

void tag_album(const CatalogAlbum& album, RunContext& run) {
  const TagOptions& o = run.options;
  if (o.skip_tagged &&
      std::all_of(album.tracks.begin(), album.tracks.end(), [&](const CatalogTrack& t) { return tagged_alike(t, run.settings); })) {
    for (const CatalogTrack& t : album.tracks) run.progress.step(t.display);
    run.tally.skipped += album.tracks.size();
    return;
  }

  // Decode, then measure the decodable tracks in one batch.
  std::vector<DecodeResult> decoded;
  run.decoders.execute([&] {
    decoded = decode_album(album, [&](std::size_t i, const DecodeResult&) { run.progress.step(album.tracks[i].display); });
  });
  std::vector<const AudioTrack*> batch;
  std::vector<std::size_t> rows;
  for (std::size_t i = 0; i < decoded.size(); ++i) {
    if (decoded[i].ok()) {
      batch.push_back(&*decoded[i].track);
      rows.push_back(i);
    } else {
      run.tally.failures.push_back(decoded[i].error + "; not tagged");
    }
  }
  if (batch.empty()) return;
  MeterOptions meter;
  meter.true_peak = o.true_peak;
  std::vector<TrackAnalysis> results;
  try {
    results = analyze_tracks(run.backend, batch, meter);
  } catch (const std::exception& e) {
    for (std::size_t row : rows)
      run.tally.failures.push_back(fmt::format("{}: measurement failed: {}; not tagged", album.tracks[row].display, e.what()));
    return;
  }
  decoded.clear();  // the audio is no longer needed

  // The album: pooled gating over every measured track (ReplayGain 2.0).
  std::vector<const TrackAnalysis*> measured;
  for (const TrackAnalysis& a : results) measured.push_back(&a);
  const AlbumAnalysis album_result = analyze_album(measured, AlbumLoudnessRule::Pooled);
  std::optional<double> album_gain, album_peak;
  if (std::isfinite(album_result.integrated_lufs)) {
    album_gain = o.reference_lufs - album_result.integrated_lufs;
    double peak = 0;
    for (const TrackAnalysis& a : results) peak = std::max(peak, peak_of(a, o.sample_peak));
    album_peak = peak;
  }

  run.progress.clear();
  for (std::size_t k = 0; k < results.size(); ++k) {
    const CatalogTrack& t = album.tracks[rows[k]];
    const TrackAnalysis& a = results[k];
    if (!std::isfinite(a.integrated_lufs)) {
      run.tally.failures.push_back(
          fmt::format("{}: silent (no block above the gates), so there is no gain to write; not tagged", t.display));
      continue;
    }
    GainTags tags;
    tags.reference_lufs = o.reference_lufs;
    tags.track_gain_db = o.reference_lufs - a.integrated_lufs;
    tags.track_peak = peak_of(a, o.sample_peak);
    tags.album_gain_db = album_gain;
    tags.album_peak = album_peak;
    tags.settings = run.settings;
    const TagFormat format = tag_format_of(t.path);
    if (format == TagFormat::Unsupported) {
      run.tally.failures.push_back(fmt::format(
          "{}: TagLib cannot write tags to this file (gloss tags FLAC, Ogg Vorbis, Opus, MP3, MP4/M4A, WAV, AIFF); "
          "left unchanged",
          t.display));
      continue;
    }
    if (o.dry_run) {
      print_plan(t, format, tags, o.name_case);
      ++run.tally.tagged;
      continue;
    }
    if (const std::string why = write_gain_tags(t.path, t.display, tags, o.name_case); !why.empty()) {
      run.tally.failures.push_back(why);
      continue;
    }
    ++run.tally.tagged;
    fmt::print("{}: track {} peak {}", t.display, format_gain(tags.track_gain_db), format_peak(tags.track_peak));
    if (album_gain) fmt::print(", album {} peak {}", format_gain(*album_gain), format_peak(*album_peak));
    fmt::print("\n");
  }
  std::fflush(stdout);
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
      "  gloss tag a.mp3 b.mp3 --dry-run --peak sample --case lower\n"
      "Exit status: 0 every file tagged (or skipped); 1 some files could not be measured or\n"
      "tagged (they are listed and left unchanged; the rest were tagged); 2 usage error; 3 no\n"
      "audio files found or the device is unavailable.");
  return cmd;
}

int run_tag(const TagOptions& o) {
  const auto start = std::chrono::steady_clock::now();
  if (std::string why = check_catalog_request(o.catalog); !why.empty()) {
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
  Catalog catalog;
  try {
    catalog = load_catalog(o.catalog);
  } catch (const ManifestError& e) {
    fmt::print(stderr, "gloss tag: {}\n", e.what());
    return kExitUsage;
  }
  bool missed = false;
  for (const CatalogProblem& p : catalog.problems) {
    fmt::print(stderr, "gloss tag: {} {}: {}\n", p.missed_input ? "error:" : "warning:", p.path, p.message);
    missed = missed || p.missed_input;
  }
  if (catalog.track_count() == 0) {
    fmt::print(stderr, "gloss tag: nothing to do: no audio files found ({} other file{} skipped)\n",
               catalog.skipped_files, catalog.skipped_files == 1 ? "" : "s");
    return kExitCannotStart;
  }

  Tally tally;
  tbb::task_arena decoders(o.threads > 0 ? o.threads : tbb::task_arena::automatic);
  const std::vector<std::size_t> albums = albums_in_shard(catalog, *shard);
  Progress progress(progress_mode(o.job, o.quiet), totals_of(catalog, albums, false));
  RunContext run{o, tag_settings(o), *backend, decoders, progress, tally};
  // Ctrl-C stops between albums: every file is tagged whole or not at all (temporary copy,
  // renamed), and --skip-tagged makes the rerun pick up where this one stopped.
  install_interrupt_handlers();
  for (std::size_t index : albums) {
    if (interrupt_requested()) break;
    const std::size_t failed_before = tally.failures.size();
    tag_album(catalog.albums[index], run);
    progress.album_done(catalog.albums[index].display, catalog.albums[index].tracks.size(),
                        tally.failures.size() - failed_before, 0);
  }
  progress.finish();

  if (!tally.failures.empty()) {
    fmt::print(stderr, "failed:\n");
    for (const std::string& f : tally.failures) fmt::print(stderr, "  {}\n", f);
  }
  if (!o.quiet) {
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    fmt::print(stderr, "gloss: {} file{} {}, {} skipped (already tagged alike), {} failed, {:.2f} s on {}\n",
               tally.tagged, tally.tagged == 1 ? "" : "s", o.dry_run ? "would be tagged (dry run)" : "tagged",
               tally.skipped, tally.failures.size(), seconds, backend->name());
  }
  if (interrupt_requested()) {
    fmt::print(stderr, "gloss tag: interrupted; run the same command with --skip-tagged to go on\n");
    return kExitInterrupted;
  }
  return tally.failures.empty() && !missed ? kExitOk : kExitSomeFailed;
}

}  // namespace gloss::cli
