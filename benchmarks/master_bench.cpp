// The mastering chain's throughput per stage and as a whole, as multiples of realtime for
// 48 kHz stereo music-like audio, every case on ONE thread (the goal is per core:
// >= 150x realtime for 8191-tap EQ + limiter + dither to 16-bit). Each stage is fed what it
// sees inside the chain: the EQ the generated audio, the limiter the EQ's output, SRC and
// dither the limiter's output, verify the delivered 16-bit track.
//
//   build-dir/benchmarks/master_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
//
// The x_realtime counter is seconds of audio (at the stage's input rate) per wall-clock second.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "detmath.hpp"
#include "eq_design.hpp"
#include "fftw_engine.hpp"
#include "limiter.hpp"
#include "quantizer.hpp"
#include "render_chain.hpp"
#include "resampler.hpp"
#include "support/signals.hpp"
#include "true_peak_scan.hpp"

namespace {

constexpr int kRate = 48000;
constexpr int kChannels = 2;
constexpr double kSeconds = 30;
constexpr int kEqTaps = 8191;
constexpr double kGainDb = 6;  // the generated audio peaks near -6 dBFS: +6 dB makes the limiter work
constexpr double kCeilingDbtp = -1;
constexpr std::uint64_t kTrackKey = 1;

// A gentle mastering EQ at the full 8191 taps: low shelf, a presence dip, an air shelf.
gloss::EqSpec mastering_eq() {
  gloss::EqSpec spec;
  spec.taps = kEqTaps;
  spec.bands = {{.type = gloss::EqBandType::low_shelf, .freq_hz = 100, .gain_db = 2},
                {.type = gloss::EqBandType::bell, .freq_hz = 3000, .gain_db = -1.5, .q = 1},
                {.type = gloss::EqBandType::high_shelf, .freq_hz = 10000, .gain_db = 1.5}};
  return spec;
}

gloss::RenderSettings render_16bit() {
  gloss::RenderSettings s;
  s.limiter.ceiling_dbtp = kCeilingDbtp;
  s.output_bits = 16;
  s.dither = true;
  return s;
}

// Everything the stages need, built once (filter design and FFTW planning are not timed).
struct Chain {
  gloss::FftwEngine engine;
  gloss::ExactConvolver convolver;
  gloss::AudioTrack input;
  gloss::AudioTrack equalized;
  gloss::kernels::LimiterShape limiter;
  gloss::AudioTrack limited;
  gloss::AudioTrack delivered;

  Chain()
      : convolver(std::make_shared<const gloss::ExactFir>(gloss::design_eq_fir(mastering_eq(), kRate).taps), engine),
        input(gloss::test::programme(kRate, kChannels, kSeconds, 11)) {
    equalized = convolver.convolve(input);
    limiter = gloss::design_limiter(render_16bit().limiter, kRate, gloss::detmath::db_to_amplitude(kGainDb),
                                    gloss::detmath::db_to_amplitude(kCeilingDbtp));
    std::vector<std::int64_t> gains;
    gloss::LimiterStats stats;
    limited = gloss::run_limiter(equalized, limiter, {}, gains, stats);
    delivered = gloss::render_track(equalized, kGainDb, render_16bit(), kTrackKey).delivered;
  }
};

const Chain& chain() {
  static const Chain c;
  return c;
}

void set_rate(benchmark::State& state) {
  state.counters["x_realtime"] =
      benchmark::Counter(kSeconds * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_Eq8191(benchmark::State& state) {
  const Chain& c = chain();
  const gloss::AudioTrack* batch[] = {&c.input};
  for (auto _ : state) benchmark::DoNotOptimize(gloss::convolve_exact_cpu(c.convolver, batch, 1));
  set_rate(state);
  state.SetLabel(c.convolver.fir().describe());
}

void BM_Limiter(benchmark::State& state) {
  const Chain& c = chain();
  std::vector<std::int64_t> gains;
  gloss::LimiterStats stats;
  for (auto _ : state) benchmark::DoNotOptimize(gloss::run_limiter(c.equalized, c.limiter, {}, gains, stats));
  set_rate(state);
}

void BM_Src48to44(benchmark::State& state) {
  const Chain& c = chain();
  const gloss::Resampler src(kRate, 44100);
  for (auto _ : state) benchmark::DoNotOptimize(src.resample(c.limited));
  set_rate(state);
  state.SetLabel(src.describe());
}

void BM_Dither16(benchmark::State& state) {
  const Chain& c = chain();
  const gloss::QuantizeSpec spec{.bits = 16, .dither = true};
  for (auto _ : state)
    for (int ch = 0; ch < kChannels; ++ch)
      benchmark::DoNotOptimize(gloss::quantize_channel(c.limited.channel(ch), spec, kRate, kTrackKey, ch));
  set_rate(state);
}

double verify_limit() { return gloss::detmath::db_to_amplitude(kCeilingDbtp) * (1 - 0x1p-16); }

// The delivered track: limited right up to the ceiling, so many segments read near the limit
// and are examined position by position.
void BM_Verify(benchmark::State& state) {
  const Chain& c = chain();
  for (auto _ : state) benchmark::DoNotOptimize(gloss::scan_true_peak(c.delivered, verify_limit()));
  set_rate(state);
}

// The same scan of material far under the ceiling (the generated input, about -6 dBFS): one
// measurement per segment and detector, the scan's floor cost.
void BM_Verify_UnderCeiling(benchmark::State& state) {
  const Chain& c = chain();
  for (auto _ : state) benchmark::DoNotOptimize(gloss::scan_true_peak(c.input, verify_limit()));
  set_rate(state);
}

// The goal as worded (8191-tap EQ, limiter, dither to 16-bit), one pass, without the
// verify scan and its re-limiting passes that render_track adds.
void BM_EqLimiterDither(benchmark::State& state) {
  const Chain& c = chain();
  const gloss::AudioTrack* batch[] = {&c.input};
  const gloss::QuantizeSpec spec{.bits = 16, .dither = true};
  std::vector<std::int64_t> gains;
  gloss::LimiterStats stats;
  for (auto _ : state) {
    std::vector<gloss::ExactConvolutionResult> eq = gloss::convolve_exact_cpu(c.convolver, batch, 1);
    const gloss::AudioTrack limited = gloss::run_limiter(eq[0].output, c.limiter, {}, gains, stats);
    for (int ch = 0; ch < kChannels; ++ch)
      benchmark::DoNotOptimize(gloss::quantize_channel(limited.channel(ch), spec, kRate, kTrackKey, ch));
  }
  set_rate(state);
}

// The goal's chain: EQ, then render_track at the same rate to 16-bit (limiter, dither,
// verify and any re-limiting passes).
void BM_Chain(benchmark::State& state) {
  const Chain& c = chain();
  const gloss::AudioTrack* batch[] = {&c.input};
  int passes = 0;
  for (auto _ : state) {
    std::vector<gloss::ExactConvolutionResult> eq = gloss::convolve_exact_cpu(c.convolver, batch, 1);
    const gloss::RenderedTrack r = gloss::render_track(eq[0].output, kGainDb, render_16bit(), kTrackKey);
    passes = r.passes;
    benchmark::DoNotOptimize(r.pcm.data());
  }
  set_rate(state);
  state.counters["passes"] = passes;
}

BENCHMARK(BM_Eq8191)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Limiter)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Src48to44)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Dither16)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Verify)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Verify_UnderCeiling)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_EqLimiterDither)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Chain)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
