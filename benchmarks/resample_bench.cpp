// Sample-rate conversion throughput, as multiples of realtime for a stereo track (seconds of
// stereo audio converted per second), one CPU thread, for the chain's common conversions
// 96k -> 44.1k and 44.1k -> 48k (and the reverse directions), with each compiled copy of the
// kernel (baseline and, where the processor has it, AVX2; both give the same bits).
//
//   build-dir/benchmarks/resample_bench
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "resampler.hpp"

namespace {

constexpr int kChannels = 2;
constexpr double kSeconds = 10;

// Two channels of a few sines and a little deterministic noise at `rate`.
gloss::AudioTrack stereo_programme(int rate) {
  gloss::AudioTrack t;
  t.sample_rate = rate;
  t.channels = kChannels;
  t.frames = static_cast<std::int64_t>(kSeconds * rate);
  t.layout = {gloss::ChannelRole::Left, gloss::ChannelRole::Right};
  t.samples.resize(static_cast<std::size_t>(t.frames) * kChannels);
  std::uint32_t state = 12345;
  for (int c = 0; c < kChannels; ++c) {
    auto x = t.channel(c);
    for (std::int64_t i = 0; i < t.frames; ++i) {
      state = state * 1664525u + 1013904223u;
      const double s = static_cast<double>(i) / rate;
      x[static_cast<std::size_t>(i)] = static_cast<float>(0.3 * std::sin(2 * 3.14159265358979 * 440 * s + c) +
                                                          0.2 * std::sin(2 * 3.14159265358979 * 9000 * s) +
                                                          0.05 * (static_cast<double>(state >> 8) / 16777216.0 - 0.5));
    }
  }
  return t;
}

void BM_Resample(benchmark::State& state) {
  const int in_rate = static_cast<int>(state.range(0)), out_rate = static_cast<int>(state.range(1));
  const auto isa = state.range(2) == 0 ? gloss::KernelIsa::Baseline : gloss::KernelIsa::Avx2;
  if (!gloss::kernel_isa_available(isa)) {
    state.SkipWithError("AVX2 kernels not available on this processor or build");
    return;
  }
  const gloss::Resampler r(in_rate, out_rate);
  const gloss::AudioTrack track = stereo_programme(in_rate);
  const std::int64_t out_frames = r.output_frames(track.frames);
  std::vector<float> out(static_cast<std::size_t>(out_frames));
  for (auto _ : state) {
    for (int c = 0; c < kChannels; ++c) r.run(track.channel(c), out, 0, out_frames, isa);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.counters["x_realtime"] =
      benchmark::Counter(kSeconds * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.SetLabel(gloss::to_string(isa) + ": " + r.describe());
}

// Arguments: input rate, output rate, kernel copy (0 baseline, 1 AVX2).
BENCHMARK(BM_Resample)
    ->ArgsProduct({{96000}, {44100}, {0, 1}})
    ->ArgsProduct({{44100}, {48000}, {0, 1}})
    ->ArgsProduct({{48000}, {44100}, {0, 1}})
    ->ArgsProduct({{44100}, {96000}, {0, 1}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
