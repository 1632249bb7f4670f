#include "master_job.hpp"

#include <sndfile.h>
#include <tbb/task_arena.h>

#include <cstdio>
#include <fmt/format.h>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>

#include "../cpu/fftw_engine.hpp"
#include "album_runner.hpp"
#include "atomic_file.hpp"
#include "content_hash.hpp"
#include "device_option.hpp"
#include "exit_codes.hpp"
#include "interrupt.hpp"
#include "job_journal.hpp"
#include "job_options.hpp"
#include "master_report.hpp"
#include "progress.hpp"
#include "report_csv.hpp"
#include "report_html.hpp"

namespace gloss::cli {

namespace fs = std::filesystem;

namespace {

// What one worker owns: its meter and render stages (a device each, or the CPU).
struct Worker {
  std::unique_ptr<Backend> meter;
  std::unique_ptr<RenderStages> render;
  std::unique_ptr<tbb::task_arena> threads;
};

// Peak memory of an album in the chain: every track decoded (float32), its EQ'd copy, and
// while rendering the delivered audio, the integer codes and the verify scan's buffers:
// about 6 float copies of the album. From the headers only (nothing is decoded here).
std::uint64_t estimated_memory(const CatalogAlbum& album) {
  std::uint64_t samples = 0;
  for (const CatalogTrack& t : album.tracks) {
    SF_INFO info{};
    if (SNDFILE* f = sf_open(t.path.c_str(), SFM_READ, &info)) {
      samples += static_cast<std::uint64_t>(std::max<sf_count_t>(info.frames, 0)) * static_cast<std::uint64_t>(std::max(info.channels, 0));
      sf_close(f);
    }
  }
  return samples * sizeof(float) * 6;
}

// "time: decode 1.2 s (8%), measure ..." : where the job's time went, summed over workers.
void print_stage_seconds(const StageSeconds& t) {
  const double total = t.decode + t.measure + t.eq + t.render + t.write;
  if (total <= 0) return;
  auto part = [&](const char* name, double s) { return fmt::format("{} {:.1f} s ({:.0f}%)", name, s, 100 * s / total); };
  fmt::print(stderr, "gloss master: time: {}, {}, {}, {}, {}\n", part("decode", t.decode), part("measure", t.measure),
             part("eq", t.eq), part("render+verify", t.render), part("write+check", t.write));
}

std::vector<std::string> worker_meters(const MasterOptions& o) {
  std::vector<std::string> names = expand_devices(o.device, o.workers);
  return names;
}

}  // namespace

int run_master_job(const MasterOptions& o, const JobSettings& job, const Catalog& catalog,
                   const std::vector<std::size_t>& albums_of_shard, const Json& shard) {
  const MasterSettings& settings = job.job;
  const auto start = std::chrono::steady_clock::now();
  const fs::path output_root(o.output_dir);
  install_interrupt_handlers();

  // Workers first: a missing device is known before anything is read.
  std::vector<Worker> workers;
  try {
    const std::vector<std::string> meters = worker_meters(o);
    const int threads_each = o.threads > 0 ? std::max(1, o.threads / static_cast<int>(meters.size())) : 0;
    for (const std::string& name : meters) {
      Worker w;
      w.meter = make_backend(name, threads_each);
      // The render stages follow the measurements onto a CUDA device; reference and cpu
      // meters render on the CPU stages.
      w.render = make_render_stages(w.meter->name().starts_with("cuda:") ? w.meter->name() : "cpu");
      const int arena_threads = threads_each > 0 ? threads_each : static_cast<int>(tbb::task_arena::automatic);
      w.threads = std::make_unique<tbb::task_arena>(arena_threads);
      workers.push_back(std::move(w));
    }
  } catch (const std::exception& e) {
    fmt::print(stderr, "gloss master: device '{}' is unavailable: {}\n(run `gloss devices` to see what this machine has)\n",
               o.device, e.what());
    return kExitCannotStart;
  }
  std::uint64_t max_memory = 0;
  try {
    max_memory = parse_memory_size(o.max_memory);
  } catch (const std::exception& e) {
    fmt::print(stderr, "gloss master: --max-memory {}\n", e.what());
    return kExitUsage;
  }

  const Json settings_json = master_settings_json(settings);
  // What the journal keys an album's work by: its effective settings and the gloss version.
  auto settings_hash = [&](std::size_t album) {
    return sha256_of_text(master_settings_json(job.of(album)).dump() + "\n" + GLOSS_VERSION);
  };
  const std::string shard_name =
      shard.is_null() ? "1-of-1" : fmt::format("{}-of-{}", shard.at("index").get<int>(), shard.at("count").get<int>());
  std::unique_ptr<Journal> journal;
  try {
    journal = std::make_unique<Journal>(output_root, shard_name, o.force);
  } catch (const std::exception& e) {
    fmt::print(stderr, "gloss master: {}\n", e.what());
    return kExitUsage;
  }

  // Albums already finished with these settings are taken from the journal as they are.
  std::vector<std::optional<Json>> entries(catalog.albums.size());
  std::vector<AlbumJob> jobs;
  ProgressTotals totals;
  std::vector<std::uint64_t> bytes(catalog.albums.size(), 0);
  for (std::size_t i : albums_of_shard) {
    const CatalogAlbum& album = catalog.albums[i];
    bytes[i] = album_input_bytes(album);
    totals.albums += 1;
    totals.tracks += album.tracks.size();
    totals.input_bytes += bytes[i];
  }
  Progress progress(progress_mode(o.job, o.quiet), totals);
  std::size_t resumed = 0;
  for (std::size_t i : albums_of_shard) {
    const CatalogAlbum& album = catalog.albums[i];
    std::vector<fs::path> inputs;
    for (const CatalogTrack& t : album.tracks) inputs.push_back(t.path);
    if (std::optional<Json> done = journal->finished(album.identity, settings_hash(i), inputs)) {
      entries[i] = std::move(done);
      ++resumed;
      progress.album_done(album.display, album.tracks.size(), 0, bytes[i], true);
      continue;
    }
    jobs.push_back({i, bytes[i], estimated_memory(album)});
  }
  if (!o.quiet)
    fmt::print(stderr,
               "gloss master: {} album{} ({} already done), {} worker{} ({}); preset {}: {:.1f} LUFS, {:.1f} dBTP, {} mode\n",
               totals.albums, totals.albums == 1 ? "" : "s", resumed, workers.size(), workers.size() == 1 ? "" : "s",
               workers[0].meter->name(), settings.preset_name, settings.gain.target_lufs, settings.gain.ceiling_dbtp,
               to_string(settings.gain.mode));

  FftwEngine fft;  // plans are made once per FFT size for the whole job, shared by the workers
  std::mutex output_mutex;
  std::vector<std::string> journal_problems;
  StageSeconds stage_seconds;  // summed over albums (and workers)
  run_albums(jobs, {static_cast<int>(workers.size()), max_memory}, [&](std::size_t index, int w) {
    const CatalogAlbum& album = catalog.albums[index];
    Worker& worker = workers[static_cast<std::size_t>(w)];
    const AlbumProvenance provenance{album.identity, worker.meter->name(), worker.render->name()};
    const MasterSettings& album_settings = job.of(index);
    const std::string album_hash = settings_hash(index);
    MasterRun run{album_settings, fft, *worker.meter, *worker.render, progress, output_root, {}};
    run.after_write = [&](const CatalogTrack& input, const MasteredTrack& t) {
      JournalTrack record{album.identity, album_hash, stamp_file(input.path).value_or(FileStamp{}),
                          t.input_sha256, stamp_file(t.output).value_or(FileStamp{}), t.output_sha256,
                          provenance.meter_backend};
      record.input.path = input.path.string();
      record.output.path = fs::path(t.output).lexically_relative(output_root).string();
      if (std::string why = journal->record(record); !why.empty()) {
        std::lock_guard lock(output_mutex);
        journal_problems.push_back(why);
      }
    };
    MasteredAlbum result;
    worker.threads->execute([&] { result = master_album(album, album.output_relative, run); });
    Json entry = master_album_entry(result, album_settings, provenance);
    // An album with its own settings (a manifest's overrides) says which.
    entry["settings"] = job.album_variant[index] < 0 ? Json(nullptr) : master_settings_json(album_settings);
    std::size_t failed = 0;
    bool interrupted = false, retry = false;
    JournalAlbum record{album.identity, album_hash, {}, {}, entry};
    for (std::size_t k = 0; k < result.tracks.size(); ++k) {
      const MasteredTrack& t = result.tracks[k];
      interrupted = interrupted || t.interrupted;
      retry = retry || t.transient_failure;
      failed += !t.ok() && !t.interrupted ? 1 : 0;
      FileStamp in = stamp_file(album.tracks[k].path).value_or(FileStamp{});
      in.path = album.tracks[k].path.string();
      record.inputs.push_back(in);
      if (t.ok())
        if (std::optional<FileStamp> out = stamp_file(t.output)) {
          out->path = fs::path(t.output).lexically_relative(output_root).string();
          record.outputs.push_back(*out);
        }
    }
    // An interrupted album is not finished: the next run makes it again. Nor is one with a
    // track that failed on the output side (a full disk, a read-only folder) or for memory:
    // a rerun may succeed. A track that failed for its input (undecodable, a ceiling that
    // cannot be held) fails the same way while the input is unchanged, so the album is
    // done; fixing the input changes its stamp and the next run makes the album again.
    if (!interrupted && !retry)
      if (std::string why = journal->record(record); !why.empty()) {
        std::lock_guard lock(output_mutex);
        journal_problems.push_back(why);
      }
    std::lock_guard lock(output_mutex);
    stage_seconds += result.seconds;
    progress.clear();
    std::fputs(render_master_table(result, album_settings).c_str(), stdout);
    std::fflush(stdout);
    progress.album_done(album.display, result.tracks.size(), failed, bytes[index]);
    entries[index] = std::move(entry);
  });
  progress.finish();

  // The report: every album of the shard in catalog order (an album not started because of
  // Ctrl-C is left out and counted).
  std::vector<Json> albums;
  std::size_t not_started = 0;
  for (std::size_t i : albums_of_shard) {
    if (!entries[i]) {
      ++not_started;
      continue;
    }
    // The position in this catalog (a resumed entry may have been made from another one).
    Json entry{{"catalog_index", i}};
    for (auto& [key, value] : entries[i]->items())
      if (key != "catalog_index") entry[key] = std::move(value);
    albums.push_back(std::move(entry));
  }
  Json problems = Json::array();
  for (const CatalogProblem& p : catalog.problems)
    problems.push_back(Json{{"path", p.path}, {"error", p.message}, {"missed_input", p.missed_input}});
  const Json summary = master_summary(albums);
  for (const std::string& why : journal_problems) fmt::print(stderr, "gloss master: warning: {}\n", why);
  if (summary.at("failed").get<std::size_t>() > 0) {
    fmt::print(stderr, "failed:\n");
    for (const Json& a : albums)
      for (const Json& t : a.at("tracks"))
        if (!t.at("error").is_null() && !t.value("interrupted", false))
          fmt::print(stderr, "  {}\n", t.at("error").get<std::string>());
  }
  FlagThresholds thresholds = o.thresholds;
  if (!o.ceiling_flag_given) thresholds.true_peak_ceiling_dbtp = settings.gain.ceiling_dbtp;
  for (Json& album : albums) {
    FlagThresholds own = thresholds;  // an album with its own ceiling is flagged against it
    if (!o.ceiling_flag_given && album.contains("settings") && album.at("settings").is_object())
      own.true_peak_ceiling_dbtp = album.at("settings").at("ceiling_dbtp").get<double>();
    add_master_flags(album, own);
  }
  Json report_settings = settings_json;
  report_settings["thresholds"] = thresholds_json(thresholds);
  const Json document = master_document(report_settings, albums, problems, shard);
  bool report_ok = true;
  auto write = [&](const std::string& path, const std::function<std::string()>& render) {
    if (path.empty()) return;
    if (std::string why = write_file_atomically(path, render()); !why.empty()) {
      fmt::print(stderr, "gloss master: {}\n", why);
      report_ok = false;
    }
  };
  write(o.json_path, [&] { return document.dump(2, ' ', false, Json::error_handler_t::replace) + "\n"; });
  write(o.csv_path, [&] { return render_csv_document(document); });
  write(o.html_path, [&] { return render_html_report(document); });
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!o.quiet)
    fmt::print(stderr, "gloss master: {} written, {} failed, {} album{} already done, {:.1f} s\n",
               summary.at("written").get<std::size_t>(), summary.at("failed").get<std::size_t>(), resumed,
               resumed == 1 ? "" : "s", seconds);
  if (!o.quiet) print_stage_seconds(stage_seconds);
  if (interrupt_requested()) {
    fmt::print(stderr, "gloss master: interrupted: {} album{} not started; run the same command again to resume\n",
               not_started, not_started == 1 ? "" : "s");
    return kExitInterrupted;
  }
  bool missed = summary.at("failed").get<std::size_t>() > 0;
  for (const CatalogProblem& p : catalog.problems) missed = missed || p.missed_input;
  if (!report_ok) return kExitOutputFailed;
  return missed ? kExitSomeFailed : kExitOk;
}

}  // namespace gloss::cli
