// Meter throughput per stage, as multiples of realtime for 48 kHz stereo music-like audio,
// with libebur128 on the same audio in the same program so the ratio reads off one run.
//
//   build-dir/benchmarks/meter_bench                        # everything
//   build-dir/benchmarks/meter_bench --benchmark_filter=TruePeak
//
// The x_realtime counter is seconds of audio processed per wall-clock second (per thread
// count for the CpuBackend cases: the batch is processed by N threads, the counter is the
// batch's audio seconds divided by wall time).
#include <benchmark/benchmark.h>
#include <ebur128.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "cpu_backend.hpp"
#include "gloss/meter.hpp"
#include "kernels/block_tile.hpp"
#include "kernels/true_peak.hpp"
#include "loudness_stats.hpp"
#include "meter_work.hpp"
#include "reference_backend.hpp"
#include "support/signals.hpp"

namespace {

constexpr int kRate = 48000;
constexpr int kChannels = 2;
constexpr double kTrackSeconds = 60;
constexpr int kBatchTracks = 4;  // analyze_tracks batches: several tracks so threads have work

const gloss::AudioTrack& track60() {
  static const gloss::AudioTrack t = gloss::test::programme(kRate, kChannels, kTrackSeconds, 1);
  return t;
}

const std::vector<gloss::AudioTrack>& batch_tracks() {
  static const std::vector<gloss::AudioTrack> tracks = [] {
    std::vector<gloss::AudioTrack> v;
    for (int i = 0; i < kBatchTracks; ++i)
      v.push_back(gloss::test::programme(kRate, kChannels, kTrackSeconds, 100 + static_cast<std::uint64_t>(i)));
    return v;
  }();
  return tracks;
}

double seconds_of(const gloss::AudioTrack& t) { return static_cast<double>(t.frames) / t.sample_rate; }

void set_rate(benchmark::State& state, double audio_seconds_per_iteration) {
  state.counters["x_realtime"] = benchmark::Counter(
      audio_seconds_per_iteration * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

// (a) The block-tile kernel: K-weighting, 10 ms energies, sample statistics, octave bands.
void BM_BlockTile(benchmark::State& state) {
  const gloss::AudioTrack& t = track60();
  gloss::MeterWork w = gloss::make_meter_work(t, {});
  for (auto _ : state) {
    for (std::int64_t tile = 0; tile < w.plan.tiles; ++tile)
      gloss::kernels::meter_block_tile(w.plan, t.samples.data(), tile, w.weighted_energy.data(),
                                       w.plan.stereo ? w.mono_energy.data() : nullptr,
                                       w.tiles[static_cast<std::size_t>(tile)]);
    benchmark::DoNotOptimize(w.weighted_energy.data());
    benchmark::ClobberMemory();
  }
  set_rate(state, seconds_of(t));
}
BENCHMARK(BM_BlockTile)->Unit(benchmark::kMillisecond)->UseRealTime();

// (b) The true-peak kernel over every segment of both channels.
void true_peak_bench(benchmark::State& state, gloss::TruePeakMode mode) {
  const gloss::AudioTrack& t = track60();
  gloss::MeterOptions options;
  options.true_peak = mode;
  gloss::MeterWork w = gloss::make_meter_work(t, options);
  const std::int64_t segments = w.plan.true_peak_segments;
  double peak = 0;
  for (auto _ : state) {
    for (int c = 0; c < t.channels; ++c)
      for (std::int64_t s = 0; s < segments; ++s) {
        const double v = gloss::kernels::true_peak_segment(
            w.true_peak_filter, t.samples.data() + c * t.frames, t.frames, s);
        if (v > peak) peak = v;
      }
    benchmark::DoNotOptimize(peak);
  }
  set_rate(state, seconds_of(t));
}
void BM_TruePeak_Itu4x(benchmark::State& state) { true_peak_bench(state, gloss::TruePeakMode::Itu); }
void BM_TruePeak_Precise(benchmark::State& state) { true_peak_bench(state, gloss::TruePeakMode::Precise); }
BENCHMARK(BM_TruePeak_Itu4x)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_TruePeak_Precise)->Unit(benchmark::kMillisecond)->UseRealTime();

// (c) The whole analysis of a batch of tracks: plan, kernels on a backend, host statistics.
void analyze_bench(benchmark::State& state, gloss::Backend& backend, gloss::TruePeakMode mode) {
  const std::vector<gloss::AudioTrack>& tracks = batch_tracks();
  std::vector<const gloss::AudioTrack*> ptrs;
  double seconds = 0;
  for (const gloss::AudioTrack& t : tracks) {
    ptrs.push_back(&t);
    seconds += seconds_of(t);
  }
  gloss::MeterOptions options;
  options.true_peak = mode;
  for (auto _ : state) {
    std::vector<gloss::TrackAnalysis> r = gloss::analyze_tracks(backend, ptrs, options);
    benchmark::DoNotOptimize(r.data());
  }
  set_rate(state, seconds);
}
void BM_Analyze_Reference(benchmark::State& state) {
  gloss::ReferenceBackend backend;
  analyze_bench(state, backend, gloss::TruePeakMode::Itu);
}
void BM_Analyze_Cpu(benchmark::State& state) {
  gloss::CpuBackend backend(static_cast<int>(state.range(0)));
  analyze_bench(state, backend, gloss::TruePeakMode::Itu);
}
void BM_Analyze_Cpu_Precise(benchmark::State& state) {
  gloss::CpuBackend backend(static_cast<int>(state.range(0)));
  analyze_bench(state, backend, gloss::TruePeakMode::Precise);
}
BENCHMARK(BM_Analyze_Reference)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Analyze_Cpu)->ArgName("threads")->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Analyze_Cpu_Precise)->ArgName("threads")->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

// (d) Host statistics only: what analyze_tracks does with the sub-block energies
// (block, momentary, short-term and LRA windows, gating, LRA).
void BM_HostStatistics(benchmark::State& state) {
  const gloss::AudioTrack& t = track60();
  gloss::MeterWork w = gloss::make_meter_work(t, {});
  gloss::ReferenceBackend backend;
  backend.run_meter({&w});
  for (auto _ : state) {
    const std::vector<double> blocks = gloss::window_energies(w.weighted_energy, kRate, 40, 10);
    double v = gloss::gated_loudness(blocks);
    v += gloss::max_loudness(gloss::window_energies(w.weighted_energy, kRate, 40, 1));
    v += gloss::max_loudness(gloss::window_energies(w.weighted_energy, kRate, 300, 1));
    const std::vector<double> lra = gloss::window_energies(w.weighted_energy, kRate, 300, 10, 150);
    v += gloss::loudness_range(lra);
    v += gloss::gated_loudness(gloss::window_energies(w.mono_energy, kRate, 40, 10));
    benchmark::DoNotOptimize(v);
  }
  set_rate(state, seconds_of(t));
}
BENCHMARK(BM_HostStatistics)->Unit(benchmark::kMicrosecond)->UseRealTime();

// (e) libebur128 on the same 60 s (interleaved, as a decoder delivers it), one thread.
void ebur128_bench(benchmark::State& state, int mode) {
  const gloss::AudioTrack& t = track60();
  std::vector<float> interleaved(t.samples.size());
  for (std::int64_t i = 0; i < t.frames; ++i)
    for (int c = 0; c < t.channels; ++c)
      interleaved[static_cast<std::size_t>(i * t.channels + c)] = t.channel(c)[static_cast<std::size_t>(i)];
  constexpr std::size_t kChunk = 4096;  // frames per ebur128_add_frames_float call
  for (auto _ : state) {
    ebur128_state* st = ebur128_init(static_cast<unsigned>(t.channels), static_cast<unsigned long>(t.sample_rate), mode);
    if (st == nullptr) {
      state.SkipWithError("ebur128_init failed");
      break;
    }
    for (std::size_t f = 0; f < static_cast<std::size_t>(t.frames); f += kChunk) {
      const std::size_t n = std::min(kChunk, static_cast<std::size_t>(t.frames) - f);
      ebur128_add_frames_float(st, interleaved.data() + f * static_cast<std::size_t>(t.channels), n);
    }
    double v = 0, x = 0;
    ebur128_loudness_global(st, &v);
    if ((mode & EBUR128_MODE_LRA) == EBUR128_MODE_LRA) ebur128_loudness_range(st, &x);
    v += x;
    if ((mode & EBUR128_MODE_TRUE_PEAK) == EBUR128_MODE_TRUE_PEAK)
      for (unsigned c = 0; c < static_cast<unsigned>(t.channels); ++c) {
        ebur128_true_peak(st, c, &x);
        v += x;
      }
    benchmark::DoNotOptimize(v);
    ebur128_destroy(&st);
  }
  set_rate(state, seconds_of(t));
}
void BM_Ebur128_I_LRA_TP(benchmark::State& state) {
  ebur128_bench(state, EBUR128_MODE_I | EBUR128_MODE_LRA | EBUR128_MODE_TRUE_PEAK | EBUR128_MODE_SAMPLE_PEAK);
}
void BM_Ebur128_I(benchmark::State& state) { ebur128_bench(state, EBUR128_MODE_I); }
BENCHMARK(BM_Ebur128_I_LRA_TP)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Ebur128_I)->Unit(benchmark::kMillisecond)->UseRealTime();

// The whole gloss analysis of the same single 60 s track on one thread (the fair pair to
// BM_Ebur128_I_LRA_TP: same audio, same work granularity).
void BM_Analyze_Cpu1_SameTrack(benchmark::State& state) {
  gloss::CpuBackend backend(1);
  const gloss::AudioTrack& t = track60();
  for (auto _ : state) {
    std::vector<gloss::TrackAnalysis> r = gloss::analyze_tracks(backend, {&t}, {});
    benchmark::DoNotOptimize(r.data());
  }
  set_rate(state, seconds_of(t));
}
BENCHMARK(BM_Analyze_Cpu1_SameTrack)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
