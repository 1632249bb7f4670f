// Dither and quantization throughput, as multiples of realtime for 48 kHz stereo music-like
// audio to 16 bits, one thread: undithered rounding, TPDF dither, and TPDF with F-weighted
// noise shaping (sequential per channel). The x_realtime counter is seconds of audio per
// wall-clock second.
//
//   build-dir/benchmarks/quantize_bench
#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

#include "quantizer.hpp"
#include "support/signals.hpp"

namespace {

constexpr int kRate = 48000;
constexpr int kChannels = 2;
constexpr double kSeconds = 30;

const gloss::AudioTrack& track() {
  static const gloss::AudioTrack t = gloss::test::programme(kRate, kChannels, kSeconds, 3);
  return t;
}

void quantize_track(benchmark::State& state, const gloss::QuantizeSpec& spec) {
  const gloss::AudioTrack& t = track();
  for (auto _ : state) {
    for (int c = 0; c < kChannels; ++c) {
      std::vector<std::int32_t> q = gloss::quantize_channel(t.channel(c), spec, kRate, 1, c);
      benchmark::DoNotOptimize(q.data());
    }
  }
  state.counters["x_realtime"] =
      benchmark::Counter(kSeconds * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_Round16(benchmark::State& state) { quantize_track(state, {.bits = 16, .dither = false}); }
void BM_Tpdf16(benchmark::State& state) { quantize_track(state, {.bits = 16, .dither = true}); }
void BM_TpdfShaped16(benchmark::State& state) {
  quantize_track(state, {.bits = 16, .dither = true, .shaping = gloss::NoiseShaping::f_weighted});
}

BENCHMARK(BM_Round16)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Tpdf16)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_TpdfShaped16)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
