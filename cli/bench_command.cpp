#include "bench_command.hpp"

#include <tbb/info.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <fmt/format.h>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>

#include "../cpu/fftw_engine.hpp"
#include "detmath.hpp"
#include "eq_design.hpp"
#include "exact_convolution.hpp"
#include "device_option.hpp"
#include "exit_codes.hpp"
#include "gloss/backend.hpp"
#include "gloss/meter.hpp"
#include "limiter.hpp"
#include "number_format.hpp"
#include "quantizer.hpp"
#include "render_chain.hpp"
#include "render_stages.hpp"
#include "resampler.hpp"
#include "signals.hpp"
#include "true_peak_scan.hpp"

namespace gloss::cli {

namespace {

constexpr int kRate = 48000;
constexpr int kChannels = 2;
constexpr int kSrcRate = 44100;
constexpr int kEqTaps = 8191;
constexpr int kBits = 16;
constexpr double kAmplitude = 0.5;  // the generated music peaks near -6 dBFS ...
constexpr double kGainDb = 6;       // ... so +6 dB of gain gives the limiter real work
constexpr double kCeilingDbtp = -1;
constexpr std::uint64_t kTrackKey = 1;
constexpr const char* kCpuOnly = "n/a (CPU only)";

enum class Stage { meter, eq, limiter, src, dither, verify, chain };

struct StageName {
  Stage stage;
  const char* key;    // JSON
  const char* title;  // table
};

constexpr std::array<StageName, 7> kStages = {{
    {Stage::meter, "meter", "meter (BS.1770, precise TP)"},
    {Stage::eq, "eq", "eq (8191-tap exact FIR)"},
    {Stage::limiter, "limiter", "limiter (true peak, -1 dBTP)"},
    {Stage::src, "src", "src (48 -> 44.1 kHz)"},
    {Stage::dither, "dither", "dither (TPDF to 16-bit)"},
    {Stage::verify, "verify", "verify (true-peak scan)"},
    {Stage::chain, "chain", "chain (eq+limiter+dither+verify)"},
}};

// A gentle mastering EQ at the full 8191 taps: low shelf, a presence dip, an air shelf.
EqSpec bench_eq() {
  EqSpec spec;
  spec.taps = kEqTaps;
  spec.bands = {{.type = EqBandType::low_shelf, .freq_hz = 100, .gain_db = 2},
                {.type = EqBandType::bell, .freq_hz = 3000, .gain_db = -1.5, .q = 1},
                {.type = EqBandType::high_shelf, .freq_hz = 10000, .gain_db = 1.5}};
  return spec;
}

RenderSettings render_16bit() {
  RenderSettings s;
  s.limiter.ceiling_dbtp = kCeilingDbtp;
  s.output_bits = kBits;
  s.dither = true;
  return s;
}

// The generated audio and every stage's input (what the stage sees inside the chain), made
// once on the CPU before anything is timed; filter design and FFT planning are not timed.
struct Workload {
  FftwEngine engine;
  std::optional<ExactConvolver> convolver;
  AudioTrack input;
  AudioTrack equalized;
  kernels::LimiterShape limiter{};
  AudioTrack limited;
  AudioTrack delivered;
  std::optional<Resampler> src;
  int chain_passes = 0;  // renders render_track needed (verify found overs in all but the last)
  double seconds = 0;
};

void prepare(Workload& w, double seconds, int threads) {
  w.input = make_music(kRate, kChannels, seconds, kAmplitude, 1.0, 7);
  w.input.name = "generated music";
  w.seconds = static_cast<double>(w.input.frames) / kRate;
  w.convolver.emplace(std::make_shared<const ExactFir>(design_eq_fir(bench_eq(), kRate).taps), w.engine);
  const AudioTrack* batch[] = {&w.input};
  w.equalized = std::move(convolve_exact_cpu(*w.convolver, batch, threads).at(0).output);
  w.equalized.name = w.input.name;
  w.limiter = design_limiter(render_16bit().limiter, kRate, detmath::db_to_amplitude(kGainDb),
                             detmath::db_to_amplitude(kCeilingDbtp));
  std::vector<std::int64_t> gains;
  LimiterStats stats;
  w.limited = run_limiter(w.equalized, w.limiter, {}, gains, stats);
  RenderedTrack rendered = render_track(w.equalized, kGainDb, render_16bit(), kTrackKey);
  w.delivered = std::move(rendered.delivered);
  w.chain_passes = rendered.passes;
  w.src.emplace(kRate, kSrcRate);
}

// One column of the table: a backend for the meter, and where the render stages run beside it.
struct Column {
  std::string device;  // as asked (--device)
  std::unique_ptr<Backend> meter;
  std::unique_ptr<RenderStages> gpu_stages;  // limiter, SRC, dither on a GPU column
  int threads = 1;     // CPU threads of the render stages
  bool gpu() const { return gpu_stages != nullptr; }
};

// A GPU column runs the meter and the limiter, SRC and dither stages on its device; the EQ,
// the verify scan and the whole chain (which includes both) have no GPU path there yet and
// say so rather than borrowing the CPU's figures.
Column make_column(const std::string& device, int threads) {
  Column c;
  c.device = device;
  c.meter = make_backend(device, device.starts_with("reference") ? 1 : threads);
  if (c.meter->name().starts_with("cuda")) c.gpu_stages = make_render_stages(c.meter->name());
  c.threads = c.meter->name().starts_with("reference") ? 1 : threads;
  return c;
}

struct Measurement {
  bool available = false;
  double x_realtime = 0;
  double wall_seconds = 0;  // median of the timed runs
  std::string threads;      // "2" or "gpu"
};

double median_wall_seconds(int repeat, const std::function<void()>& run) {
  std::vector<double> times;
  for (int i = 0; i < repeat; ++i) {
    const auto start = std::chrono::steady_clock::now();
    run();
    times.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(times.begin(), times.end());
  const std::size_t n = times.size();
  return n % 2 == 1 ? times[n / 2] : (times[n / 2 - 1] + times[n / 2]) / 2;
}

// SRC and dither run one task per channel: this many of a column's threads take part.
int channel_threads(const Column& c) { return std::max(1, std::min(c.threads, kChannels)); }

void for_each_channel(int threads, const std::function<void(int)>& body) {
  tbb::task_arena arena(threads);
  arena.execute([&] { tbb::parallel_for(0, kChannels, body); });
}

void run_meter(const Workload& w, Column& c) {
  MeterOptions options;
  options.true_peak = TruePeakMode::Precise;
  const std::vector<TrackAnalysis> result = analyze_tracks(*c.meter, {&w.input}, options);
  if (result.empty()) throw Error("the meter returned no result");
}

void run_eq(const Workload& w, int threads) {
  const AudioTrack* batch[] = {&w.input};
  const std::vector<ExactConvolutionResult> r = convolve_exact_cpu(*w.convolver, batch, threads);
  if (!r.at(0).error.empty()) throw Error(r[0].error);
}

void run_limiter_stage(const Workload& w) {
  std::vector<std::int64_t> gains;
  LimiterStats stats;
  const AudioTrack limited = run_limiter(w.equalized, w.limiter, {}, gains, stats);
  if (limited.frames != w.equalized.frames) throw Error("the limiter changed the track's length");
}

void run_src(const Workload& w, int threads) {
  const Resampler& src = *w.src;
  const auto frames = static_cast<std::size_t>(src.output_frames(w.limited.frames));
  std::vector<float> out(frames * kChannels);
  for_each_channel(threads, [&](int ch) {
    src.run(w.limited.channel(ch), std::span<float>(out).subspan(static_cast<std::size_t>(ch) * frames, frames), 0,
            static_cast<std::int64_t>(frames));
  });
}

void run_dither(const Workload& w, int threads) {
  const QuantizeSpec spec{.bits = kBits, .dither = true};
  for_each_channel(threads, [&](int ch) {
    const std::vector<std::int32_t> codes = quantize_channel(w.limited.channel(ch), spec, kRate, kTrackKey, ch);
    if (codes.size() != static_cast<std::size_t>(w.limited.frames)) throw Error("the quantizer lost samples");
  });
}

void run_verify(const Workload& w) {
  // The limit render_track verifies against: 2^-16 under the ceiling.
  const double limit = detmath::db_to_amplitude(kCeilingDbtp) * (1 - 0x1p-16);
  const TruePeakScan scan = scan_true_peak(w.delivered, limit);
  if (!(scan.precise >= 0)) throw Error("the true-peak scan returned no reading");
}

void run_chain(const Workload& w, int threads) {
  const AudioTrack* batch[] = {&w.input};
  std::vector<ExactConvolutionResult> eq = convolve_exact_cpu(*w.convolver, batch, threads);
  if (!eq.at(0).error.empty()) throw Error(eq[0].error);
  const RenderedTrack r = render_track(eq[0].output, kGainDb, render_16bit(), kTrackKey);
  if (r.pcm.empty() && w.input.frames > 0) throw Error("the chain delivered no samples");
}

// The limiter, SRC and dither stages on a GPU column: the same kernels on the device.
void run_gpu_stage(Stage stage, const Workload& w, RenderStages& stages) {
  std::vector<std::int64_t> gains;
  LimiterStats stats;
  QuantizeStats clipped;
  switch (stage) {
    case Stage::limiter: stages.limit(w.equalized, w.limiter, {}, gains, stats); break;
    case Stage::src: stages.resample(*w.src, w.limited); break;
    case Stage::dither: stages.quantize(w.limited, QuantizeSpec{.bits = kBits, .dither = true}, kTrackKey, clipped); break;
    default: throw Error("no GPU path for this stage");
  }
}

bool has_gpu_path(Stage stage) {
  return stage == Stage::meter || stage == Stage::limiter || stage == Stage::src || stage == Stage::dither;
}

// Times one stage on one column; the threads string says what the figure was measured on.
Measurement measure_stage(Stage stage, const Workload& w, Column& c, int repeat) {
  if (c.gpu() && !has_gpu_path(stage)) return {};
  if (c.gpu() && stage != Stage::meter) {
    Measurement m;
    m.available = true;
    m.threads = "gpu";
    m.wall_seconds = median_wall_seconds(repeat, [&] { run_gpu_stage(stage, w, *c.gpu_stages); });
    m.x_realtime = w.seconds / std::max(m.wall_seconds, 1e-9);
    return m;
  }
  Measurement m;
  m.available = true;
  m.threads = "1";
  const std::string all = std::to_string(c.threads);
  const int per_channel = channel_threads(c);
  std::function<void()> run;
  switch (stage) {
    case Stage::meter:
      run = [&] { run_meter(w, c); };
      m.threads = c.gpu() ? "gpu" : all;
      break;
    case Stage::eq:
      run = [&] { run_eq(w, c.threads); };
      m.threads = all;
      break;
    case Stage::limiter: run = [&] { run_limiter_stage(w); }; break;
    case Stage::src:
      run = [&] { run_src(w, per_channel); };
      m.threads = std::to_string(per_channel);
      break;
    case Stage::dither:
      run = [&] { run_dither(w, per_channel); };
      m.threads = std::to_string(per_channel);
      break;
    case Stage::verify: run = [&] { run_verify(w); }; break;
    case Stage::chain:
      run = [&] { run_chain(w, c.threads); };
      m.threads = all + "+1";  // the EQ on all threads, then the render on one
      break;
  }
  m.wall_seconds = median_wall_seconds(repeat, run);
  m.x_realtime = w.seconds / std::max(m.wall_seconds, 1e-9);
  return m;
}

std::string cell(const Measurement& m) {
  if (!m.available) return kCpuOnly;
  return fmt::format("{:>9.1f}x  {:<8}", m.x_realtime, m.threads == "gpu" ? "GPU" : m.threads + " thr");
}

std::string column_heading(const Column& c) {
  return c.gpu() ? c.meter->name() : fmt::format("{} ({} thr)", c.meter->name(), c.threads);
}

// Cells padded to `width`, except the last (no trailing spaces).
void print_row(const std::string& title, const std::vector<std::string>& cells, std::size_t width) {
  std::string line = fmt::format("{:<34}", title);
  for (const std::string& c : cells) line += fmt::format("  {:<{}}", c, width);
  while (!line.empty() && line.back() == ' ') line.pop_back();
  fmt::print("{}\n", line);
}

void print_table(const Workload& w, const std::vector<Column>& columns,
                 const std::vector<std::vector<Measurement>>& results, int repeat) {
  fmt::print("gloss bench: {:g} s of generated stereo music at {} Hz, {}-tap EQ, gain +{:g} dB, ceiling {:g} dBTP, "
             "{}-bit; median of {} run{}\n",
             w.seconds, kRate, kEqTaps, kGainDb, kCeilingDbtp, kBits, repeat, repeat == 1 ? "" : "s");
  fmt::print("x realtime = seconds of audio per second of wall-clock time (higher is faster); thr = CPU threads\n\n");
  std::size_t width = 24;
  for (const Column& c : columns) width = std::max(width, column_heading(c).size());
  std::vector<std::string> headings;
  for (const Column& c : columns) headings.push_back(column_heading(c));
  print_row("stage", headings, width);
  for (std::size_t s = 0; s < kStages.size(); ++s) {
    std::vector<std::string> cells;
    for (std::size_t k = 0; k < columns.size(); ++k) cells.push_back(cell(results[k][s]));
    print_row(kStages[s].title, cells, width);
  }
  fmt::print("\nthreads: the EQ and the cpu meter use every thread of the column; SRC and dither one per channel; the\n"
             "limiter (a recursive release) and the verify scan run on one thread per track; chain N+1 = the EQ on\n"
             "N threads, then limiter, dither and verify on one. `gloss master` renders whole albums, one track per\n"
             "thread, so its throughput grows with the thread count beyond these single-track figures.\n");
  fmt::print("chain: render_track needed {} limiter pass{} on this audio (each further pass re-limits where verify\n"
             "found a true-peak reading over the ceiling, and runs limiter, dither and verify again).\n",
             w.chain_passes, w.chain_passes == 1 ? "" : "es");
}

void print_json(const Workload& w, const std::vector<Column>& columns,
                const std::vector<std::vector<Measurement>>& results, int repeat) {
  using Json = nlohmann::ordered_json;
  Json doc = {{"schema", "gloss.bench v1"},
              {"audio", {{"generator", "music"}, {"seconds", w.seconds}, {"sample_rate", kRate}, {"channels", kChannels}}},
              {"eq_taps", kEqTaps},
              {"gain_db", kGainDb},
              {"ceiling_dbtp", kCeilingDbtp},
              {"bits", kBits},
              {"src_rate", kSrcRate},
              {"repeat", repeat},
              {"chain_passes", w.chain_passes},
              {"devices", Json::array()}};
  for (std::size_t k = 0; k < columns.size(); ++k) {
    Json device = {{"device", columns[k].device},
                   {"backend", columns[k].meter->name()},
                   {"threads", columns[k].threads},
                   {"stages", Json::array()}};
    for (std::size_t s = 0; s < kStages.size(); ++s) {
      const Measurement& m = results[k][s];
      Json stage = {{"stage", kStages[s].key}, {"available", m.available}};
      if (m.available) {
        stage["x_realtime"] = round_to(m.x_realtime, 2);
        stage["wall_seconds"] = round_to(m.wall_seconds, 6);
        stage["threads"] = m.threads;
      } else {
        stage["reason"] = "CPU only";
      }
      device["stages"].push_back(stage);
    }
    doc["devices"].push_back(device);
  }
  fmt::print("{}\n", doc.dump(2));
}


}  // namespace

CLI::App* add_bench_command(CLI::App& app, BenchOptions& o) {
  CLI::App* cmd = app.add_subcommand(
      "bench",
      "Measure the mastering chain's speed on generated audio (stereo music, 48 kHz): each stage\n"
      "and the whole chain, as x realtime (seconds of audio processed per second of wall-clock time),\n"
      "one column per --device, side by side. Stages, in chain order:\n"
      "  meter    BS.1770 analysis with the precise true-peak detector (what master measures with)\n"
      "  eq       the linear-phase EQ: an 8191-tap FIR by exact convolution (bit-identical everywhere)\n"
      "  limiter  the true-peak limiter, +6 dB into a -1 dBTP ceiling\n"
      "  src      sample-rate conversion 48 kHz -> 44.1 kHz\n"
      "  dither   TPDF dither and quantization to 16-bit\n"
      "  verify   the true-peak scan of the delivered 16-bit track (gloss, libebur128, FFmpeg readings)\n"
      "  chain    eq + limiter + dither + verify (with re-limiting passes) at 48 kHz to 16-bit,\n"
      "           exactly as `gloss master` renders a track\n"
      "Columns: cpu runs on --threads threads (the cell says how many a stage used); reference runs\n"
      "the meter on the scalar reference executor and everything on one thread (per-core figures);\n"
      "cuda runs the meter, limiter, SRC and dither on the GPU; eq, verify and chain have no GPU\n"
      "path there yet and show \"n/a (CPU only)\" rather than borrowing the CPU's figures.");
  cmd->add_option("--device", o.devices, "Columns, comma-separated: cpu, reference, cuda, cuda:N, auto")
      ->delimiter(',')
      ->check(CLI::Validator(validate_device, ""))
      ->type_name("DEVICE[,DEVICE...]")
      ->capture_default_str();
  cmd->add_option("--seconds", o.seconds, "Seconds of audio to generate")
      ->check(CLI::Range(1.0, 3600.0))
      ->type_name("N")
      ->capture_default_str();
  cmd->add_option("--threads", o.threads, "CPU threads (0 = all)")->check(CLI::Range(0, 1024))->capture_default_str();
  cmd->add_option("--repeat", o.repeat, "Timed runs per stage; the median is reported")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  cmd->add_flag("--json", o.json, "Print JSON (schema gloss.bench v1) on stdout instead of the table");
  cmd->footer(
      "Examples:\n"
      "  gloss bench                              30 s on the cpu with every thread\n"
      "  gloss bench --threads 1                  per-core figures\n"
      "  gloss bench --device cpu,reference       fast CPU executor beside the reference executor\n"
      "  gloss bench --device cpu,cuda --json     CPU beside the first GPU, as JSON\n"
      "The machine's other load shows up in the figures: on a busy machine use --repeat 5 or more.\n"
      "Exit status: 0 every stage ran; 1 a stage failed; 2 usage error; 3 a requested device is\n"
      "unavailable (gloss bench never falls back to another device).");
  return cmd;
}

int run_bench(const BenchOptions& o) {
  const int threads = o.threads > 0 ? o.threads : static_cast<int>(tbb::info::default_concurrency());
  std::vector<Column> columns;
  for (const std::string& device : o.devices) {
    try {
      columns.push_back(make_column(device, threads));
    } catch (const std::exception& e) {
      const std::string why = e.what();
      const bool names_devices = why.find("gloss devices") != std::string::npos;
      fmt::print(stderr, "gloss bench: device '{}' is unavailable: {}\n({}gloss bench never falls back to another device)\n",
                 device, why, names_devices ? "" : "run `gloss devices` to see what this machine has; ");
      return kExitCannotStart;
    }
  }
  Workload w;
  std::vector<std::vector<Measurement>> results(columns.size());
  try {
    prepare(w, o.seconds, threads);
  } catch (const std::exception& e) {
    fmt::print(stderr, "gloss bench: preparing the generated audio failed: {}\n", e.what());
    return kExitSomeFailed;
  }
  for (std::size_t k = 0; k < columns.size(); ++k)
    for (const StageName& s : kStages) {
      try {
        results[k].push_back(measure_stage(s.stage, w, columns[k], o.repeat));
      } catch (const std::exception& e) {
        fmt::print(stderr, "gloss bench: stage {} on {} failed: {}\n", s.key, columns[k].device, e.what());
        return kExitSomeFailed;
      }
    }
  if (o.json) print_json(w, columns, results, o.repeat);
  else print_table(w, columns, results, o.repeat);
  return kExitOk;
}

}  // namespace gloss::cli
