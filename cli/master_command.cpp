#include "master_command.hpp"

#include <tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstdio>
#include <fmt/format.h>
#include <fstream>
#include <sstream>

#include "../cpu/fftw_engine.hpp"
#include "atomic_file.hpp"
#include "catalog.hpp"
#include "content_hash.hpp"
#include "encode.hpp"
#include "device_option.hpp"
#include "exit_codes.hpp"
#include "output_paths.hpp"
#include "gloss/fingerprint.hpp"
#include "master_album.hpp"
#include "master_job.hpp"
#include "master_report.hpp"
#include "preset.hpp"
#include "shard.hpp"
#include "progress.hpp"

namespace gloss::cli {

namespace fs = std::filesystem;

namespace {

// The preset, then the flags on top of it. Returns a message when something is unusable.
std::string resolve_settings(const MasterOptions& o, MasterSettings& s);

// An album's own settings: the manifest's per-album values win over the job's preset and
// flags (they are the more specific statement).
std::string resolve_album_settings(const MasterOptions& o, const AlbumOverrides& v, MasterSettings& s) {
  MasterOptions own = o;
  if (v.preset) own.preset = *v.preset;
  if (v.target_lufs) own.target_lufs = v.target_lufs;
  if (v.ceiling_dbtp) own.ceiling_dbtp = v.ceiling_dbtp;
  if (v.mode) own.mode = v.mode;
  return resolve_settings(own, s);
}

std::string resolve_settings(const MasterOptions& o, MasterSettings& s) {
  Preset preset;
  try {
    const fs::path file = resolve_preset(o.preset);
    preset = load_preset(file);
    std::ifstream in(file, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    s.preset_sha256 = sha256_of_text(bytes.str());
  } catch (const PresetError& e) {
    return e.what();
  }
  s.preset_name = o.preset;
  s.eq = preset.eq;
  s.tone_match = preset.tone_match;
  const MasterPreset& m = preset.master;
  s.gain.target_lufs = o.target_lufs.value_or(m.target_lufs.value_or(-14.0));
  s.gain.ceiling_dbtp = o.ceiling_dbtp.value_or(m.ceiling_dbtp.value_or(-1.0));
  s.gain.mode = o.mode ? (*o.mode == "track" ? GainMode::track : GainMode::album) : m.mode.value_or(GainMode::album);
  s.gain.max_track_correction_lu = s.gain.mode == GainMode::album ? m.max_track_correction_lu.value_or(0) : 0;
  s.gain.max_limiting_db = m.max_limiting_db.value_or(4.0);
  s.limiter.lookahead_ms = m.lookahead_ms.value_or(s.limiter.lookahead_ms);
  s.limiter.release_ms = m.release_ms.value_or(s.limiter.release_ms);
  s.limiter.ceiling_dbtp = s.gain.ceiling_dbtp;
  s.format = o.format ? o.format : m.format;
  s.bits = o.bits ? o.bits : m.bits;
  s.rate = o.rate ? o.rate : m.rate;
  s.dither = m.dither.value_or(true);
  s.noise_shaping = m.noise_shaping.value_or(NoiseShaping::none);
  if (std::string why = check_gain_plan(s.gain); !why.empty()) return why;
  if (std::string why = check_limiter(s.limiter); !why.empty()) return why;
  if (s.format && s.bits)
    if (std::string why = check_format(*s.format, *s.bits); !why.empty()) return why;
  if (s.noise_shaping != NoiseShaping::none && s.rate && !noise_shaping_supported(s.noise_shaping, *s.rate))
    return fmt::format("noise shaping f-weighted is offered at 44.1 and 48 kHz only, not at {} Hz", *s.rate);
  return {};
}

bool inside(const fs::path& path, const fs::path& folder) {
  const fs::path rel = path.lexically_relative(folder);
  return !rel.empty() && *rel.begin() != "..";
}

std::string check_output_root(const MasterOptions& o) {
  std::error_code ec;
  const fs::path root = fs::weakly_canonical(o.output_dir, ec);
  for (const std::string& a : o.catalog.paths) {
    const fs::path in = fs::weakly_canonical(a, ec);
    if (fs::is_directory(in, ec) && (inside(root, in) || root == in))
      return fmt::format("-o {}: is inside the input folder {}; masters would be mixed with (and scanned as) inputs. "
                         "Choose an output folder outside the catalog",
                         o.output_dir, a);
  }
  fs::create_directories(o.output_dir, ec);
  if (!fs::is_directory(o.output_dir, ec))
    return fmt::format("-o {}: cannot create the output folder{}", o.output_dir, ec ? ": " + ec.message() : "");
  return {};
}

// An album whose output folder would leave -o (a symlink inside -o pointing elsewhere) is
// not mastered: it becomes a problem, the rest of the catalog goes on.
void keep_inside_output(Catalog& catalog, const std::string& output_dir) {
  std::erase_if(catalog.albums, [&](const CatalogAlbum& album) {
    const fs::path place = fs::path(output_dir) / album.output_relative;
    if (stays_inside(place, output_dir)) return false;
    catalog.problems.push_back({place.string(),
                                "leads outside the output folder (through a symlink); the album was not mastered. "
                                "Remove the link or choose another -o",
                                true});
    return true;
  });
}

}  // namespace

CLI::App* add_master_command(CLI::App& app, MasterOptions& o) {
  CLI::App* cmd = app.add_subcommand(
      "master",
      "Render masters of every track under PATH... into OUTDIR that hit a delivery target:\n"
      "linear-phase EQ -> gain -> true-peak limiter -> sample-rate conversion -> dither.\n"
      "Album mode keeps the album's relative levels (one gain per album); track mode brings every\n"
      "track to the target. Every written file is read back, measured again and checked: its\n"
      "true peak never exceeds the ceiling as gloss (precise), libebur128 or FFmpeg would read it,\n"
      "at the delivered rate after quantization. Inputs are never modified; each output appears\n"
      "complete or not at all. The album folder structure and the files' text tags are kept.");
  add_catalog_options(*cmd, o.catalog, "Audio files or folders (scanned recursively)");
  cmd->add_option("-o,--output", o.output_dir, "Output folder (created if needed; must not be inside an input folder)")
      ->required()
      ->type_name("OUTDIR");
  cmd->add_option("--preset", o.preset,
                  "Preset name (streaming, apple, ebu-r128, atsc-a85, podcast, cd, or any shipped preset) or a "
                  "FILE.toml of your own (presets/README.md)")
      ->type_name("NAME|FILE.toml")
      ->capture_default_str();
  cmd->add_option("--target", o.target_lufs, "Integrated loudness target in LUFS (overrides the preset)")
      ->check(CLI::Range(-70.0, 0.0))
      ->type_name("LUFS");
  cmd->add_option("--ceiling", o.ceiling_dbtp, "True-peak ceiling in dBTP (overrides the preset)")
      ->check(CLI::Range(-20.0, 0.0))
      ->type_name("dBTP");
  cmd->add_option("--mode", o.mode, "album: one gain per album; track: every track to the target")
      ->check(CLI::IsMember({"album", "track"}).description(""))
      ->type_name("album|track");
  cmd->add_option("--format", o.format, "Output container (default: the input's; lossy inputs give flac)")
      ->check(CLI::IsMember({"wav", "flac", "aiff"}).description(""))
      ->type_name("wav|flac|aiff");
  cmd->add_option("--bits", o.bits, "Output bits: 16 or 24 (dithered) or 32 (float) (default: the input's)")
      ->check(CLI::IsMember({16, 24, 32}).description(""))
      ->type_name("16|24|32");
  cmd->add_option("--rate", o.rate, "Output sample rate in Hz (default: the input's)")
      ->check(CLI::Range(8000, 384000))
      ->type_name("HZ");
  cmd->add_option("--device", o.device,
                  "Where the measurements and the render (limiter, SRC, dither) run: auto, cpu, cuda, cuda:N, "
                  "reference (renders on cpu); every choice gives the same bits")
      ->type_name("DEVICE")
      ->check(CLI::Validator(validate_device, ""))
      ->capture_default_str();
  cmd->add_option("--threads", o.threads, "CPU threads (0 = all)")->check(CLI::Range(0, 1024))->capture_default_str();
  cmd->add_option("--json", o.json_path, "Write the JSON report (schema gloss.master v2) to FILE")->type_name("FILE");
  cmd->add_flag("-q,--quiet", o.quiet, "No progress and no summary on stderr (failures are still listed)");
  cmd->add_option("--workers", o.workers,
                  "CPU workers: albums mastered at once on the CPU (default: 1, or 0 beside GPUs); each gets "
                  "--threads/N threads")
      ->check(CLI::Range(0, 256));
  cmd->add_option("--max-memory", o.max_memory,
                  "Memory budget for the albums in flight, e.g. 8G: an album starts only when its estimate fits "
                  "(one album larger than the budget runs alone); 0 = no budget")
      ->type_name("SIZE")
      ->capture_default_str();
  add_job_options(*cmd, o.job, "Master");
  cmd->add_option("--csv", o.csv_path, "Write a CSV report (one row per track and per album, before and after) to FILE")
      ->type_name("FILE");
  cmd->add_option("--html", o.html_path,
                  "Write a self-contained HTML report (plots of loudness over time and tonal balance, before and "
                  "after) to FILE")
      ->type_name("FILE");
  cmd->add_option("--flag", o.flag_overrides,
                  "Override a consistency-flag threshold (repeatable; the true-peak ceiling defaults to the "
                  "preset's). Names and defaults: " +
                      thresholds_text(FlagThresholds{}))
      ->type_name("NAME=VALUE")
      ->allow_extra_args(false)
      ->check(CLI::Validator(
          [&o](std::string& v) {
            if (v.starts_with("true_peak_ceiling_dbtp=")) o.ceiling_flag_given = true;
            return set_flag_threshold(o.thresholds, v);
          },
          ""));
  cmd->add_flag("--force", o.force,
                "Master every album again, ignoring the journal (OUTDIR/.gloss/) of finished albums");
  cmd->footer(
      "Examples:\n"
      "  gloss master ~/Music/Album -o masters/ --preset streaming\n"
      "  gloss master catalog/ -o cd/ --preset cd            44.1 kHz / 16-bit, dithered, -0.3 dBTP\n"
      "  gloss master a.wav b.wav -o out/ --mode track --target -16 --ceiling -1.5 --format flac\n"
      "Exit status: 0 every track mastered; 1 some tracks failed (the rest were written and\n"
      "reported); 2 usage error (bad flag, preset or output folder); 3 no audio files found or the\n"
      "device is unavailable; 4 the report could not be written.");
  return cmd;
}

int run_master(const MasterOptions& o) {
  if (std::string why = check_catalog_request(o.catalog); !why.empty()) {
    fmt::print(stderr, "gloss master: {}\n", why);
    return kExitUsage;
  }
  const std::optional<Shard> shard = shard_of(o.job, "master");
  if (!shard) return kExitUsage;
  MasterSettings settings;
  if (std::string why = resolve_settings(o, settings); !why.empty()) {
    fmt::print(stderr, "gloss master: {}\n", why);
    return kExitUsage;
  }
  if (std::string why = check_output_root(o); !why.empty()) {
    fmt::print(stderr, "gloss master: {}\n", why);
    return kExitUsage;
  }
  for (const std::string& report : {o.json_path, o.csv_path, o.html_path}) {
    if (report.empty()) continue;
    if (std::string why = check_output_destination(report); !why.empty()) {
      fmt::print(stderr, "gloss master: {}\n", why);
      return kExitUsage;
    }
    remove_stale_temps(report);
  }
  int status = kExitOk;
  std::optional<Catalog> opened =
      open_catalog(o.catalog, "master", status, [&](Catalog& c) { keep_inside_output(c, o.output_dir); });
  if (!opened) return status;
  Catalog& catalog = *opened;
  JobSettings job{std::move(settings), {}, std::vector<int>(catalog.albums.size(), -1)};
  std::vector<AlbumOverrides> seen;
  for (std::size_t i = 0; i < catalog.albums.size(); ++i) {
    const AlbumOverrides& v = catalog.albums[i].overrides;
    if (v.empty()) continue;
    const auto it = std::find(seen.begin(), seen.end(), v);
    if (it != seen.end()) {
      job.album_variant[i] = static_cast<int>(it - seen.begin());
      continue;
    }
    MasterSettings own;
    if (std::string why = resolve_album_settings(o, v, own); !why.empty()) {
      fmt::print(stderr, "gloss master: album {} (manifest): {}\n", catalog.albums[i].identity, why);
      return kExitUsage;
    }
    seen.push_back(v);
    job.variants.push_back(std::move(own));
    job.album_variant[i] = static_cast<int>(seen.size() - 1);
  }
  const std::vector<std::size_t> albums = albums_in_shard(catalog, *shard);
  if (!o.quiet && shard->count > 1)
    fmt::print(stderr, "gloss master: shard {}: {} of the catalog's {} albums\n", to_string(*shard), albums.size(),
               catalog.albums.size());
  return run_master_job(o, job, catalog, albums, shard_json(*shard));
}

}  // namespace gloss::cli
