// Exact convolution throughput, as multiples of realtime for 48 kHz stereo through an
// 8191-tap EQ-like FIR, with a plain (inexact) FFTW overlap-save in double and in float in the
// same run, so "the cost of exactness" reads off one run. One CPU thread each; the CUDA
// variant is registered only where a usable device exists. The second argument is the FFTW
// planner (0: FFTW_ESTIMATE, 1: FFTW_MEASURE), the same for the exact and the plain paths so
// that the ratio compares like with like. The estimate runs are registered first: FFTW's
// wisdom from a measured plan would otherwise reach later estimate plans of the same size.
//
//   build-dir/benchmarks/convolution_bench --benchmark_repetitions=5
#include <benchmark/benchmark.h>
#include <fftw3.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "convolution/fir_cases.hpp"
#include "fftw_engine.hpp"
#if GLOSS_HAVE_CUDA
#include "cuda_backend.hpp"
#include "cufft_engine.hpp"
#endif

namespace {

constexpr int kRate = 48000;
constexpr int kChannels = 2;
constexpr double kSeconds = 30;
constexpr int kTaps = 8191;

const gloss::AudioTrack& track() {
  static const gloss::AudioTrack t = gloss::test::random_track(kChannels, static_cast<std::int64_t>(kRate * kSeconds), 7);
  return t;
}

void set_rate(benchmark::State& state) {
  state.counters["x_realtime"] =
      benchmark::Counter(kSeconds * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

bool measured(const benchmark::State& state) { return state.range(1) != 0; }

void exact_cpu(benchmark::State& state, gloss::KernelIsa isa) {
  gloss::ExactConvolutionOptions options;
  options.fft_size = static_cast<int>(state.range(0));
  const auto fir = std::make_shared<const gloss::ExactFir>(gloss::test::eq_like_fir(kTaps), options);
  gloss::FftwEngine engine(measured(state) ? gloss::FftwPlanning::Measure : gloss::FftwPlanning::Estimate);
  const gloss::ExactConvolver conv(fir, engine, isa);
  const gloss::AudioTrack* batch[] = {&track()};
  for (auto _ : state) benchmark::DoNotOptimize(gloss::convolve_exact_cpu(conv, batch, 1));
  set_rate(state);
  state.SetLabel(fir->describe() + ", " + gloss::to_string(isa) + " loops");
}

void BM_ExactCpu(benchmark::State& state) { exact_cpu(state, gloss::best_kernel_isa()); }
// The baseline x86-64 (SSE2) copy of the loops, for processors without AVX2.
void BM_ExactCpuBaseline(benchmark::State& state) { exact_cpu(state, gloss::KernelIsa::Baseline); }

// Size 0: the size the plan chooses; 16384 for comparison (rejected sizes would throw).
void exact_args(benchmark::internal::Benchmark* b, int planner) {
  b->Args({0, planner})->Args({16384, planner})->Unit(benchmark::kMillisecond)->UseRealTime();
}

// Plain overlap-save with FFTW: one r2c and one c2r per block, filter spectrum precomputed.
template <typename Real, typename Plan, typename Complex>
struct PlainApi {
  Plan (*plan_r2c)(int, Real*, Complex*, unsigned);
  Plan (*plan_c2r)(int, Complex*, Real*, unsigned);
  void (*exec_r2c)(Plan, Real*, Complex*);
  void (*exec_c2r)(Plan, Complex*, Real*);
  void (*destroy)(Plan);
};

template <typename Real, typename Plan, typename Complex>
void plain_overlap_save(benchmark::State& state, const PlainApi<Real, Plan, Complex>& api) {
  const int n = static_cast<int>(state.range(0));
  const int hop = n - kTaps + 1;
  const int bins = n / 2 + 1;
  const std::vector<double> h = gloss::test::eq_like_fir(kTaps);
  std::vector<Real> in(static_cast<std::size_t>(n)), out(static_cast<std::size_t>(n));
  std::vector<Complex> spec(static_cast<std::size_t>(bins)), filter(static_cast<std::size_t>(bins));
  const unsigned flags = measured(state) ? FFTW_MEASURE : FFTW_ESTIMATE;
  Plan fwd = api.plan_r2c(n, in.data(), spec.data(), flags);
  Plan inv = api.plan_c2r(n, spec.data(), out.data(), flags);
  for (int k = 0; k < kTaps; ++k) in[static_cast<std::size_t>(k)] = static_cast<Real>(h[static_cast<std::size_t>(k)] / n);
  api.exec_r2c(fwd, in.data(), filter.data());
  const gloss::AudioTrack& t = track();
  std::vector<float> y(t.samples.size());
  const std::int64_t frames = t.frames;
  const std::int64_t delay = (kTaps - 1) / 2;
  for (auto _ : state) {
    for (int c = 0; c < t.channels; ++c) {
      const float* x = t.channel(c).data();
      for (std::int64_t b = 0; b * hop < frames; ++b) {
        for (int p = 0; p < n; ++p) {
          const std::int64_t j = b * hop + delay - (kTaps - 1) + p;
          in[static_cast<std::size_t>(p)] = (j >= 0 && j < frames) ? static_cast<Real>(x[j]) : Real(0);
        }
        api.exec_r2c(fwd, in.data(), spec.data());
        for (int k = 0; k < bins; ++k) {
          const Real re = spec[k][0] * filter[k][0] - spec[k][1] * filter[k][1];
          const Real im = spec[k][0] * filter[k][1] + spec[k][1] * filter[k][0];
          spec[k][0] = re;
          spec[k][1] = im;
        }
        api.exec_c2r(inv, spec.data(), out.data());
        for (int i = 0; i < hop && b * hop + i < frames; ++i)
          y[static_cast<std::size_t>(c * frames + b * hop + i)] = static_cast<float>(out[static_cast<std::size_t>(kTaps - 1 + i)]);
      }
    }
    benchmark::DoNotOptimize(y.data());
  }
  api.destroy(fwd);
  api.destroy(inv);
  set_rate(state);
}

void BM_PlainDouble(benchmark::State& state) {
  const PlainApi<double, fftw_plan, fftw_complex> api{fftw_plan_dft_r2c_1d, fftw_plan_dft_c2r_1d, fftw_execute_dft_r2c,
                                                      fftw_execute_dft_c2r, fftw_destroy_plan};
  plain_overlap_save(state, api);
}

void BM_PlainFloat(benchmark::State& state) {
  const PlainApi<float, fftwf_plan, fftwf_complex> api{fftwf_plan_dft_r2c_1d, fftwf_plan_dft_c2r_1d,
                                                       fftwf_execute_dft_r2c, fftwf_execute_dft_c2r, fftwf_destroy_plan};
  plain_overlap_save(state, api);
}
void plain_args(benchmark::internal::Benchmark* b, int planner) {
  for (int n : {16384, 32768, 65536}) b->Args({n, planner});
  b->Unit(benchmark::kMillisecond)->UseRealTime();
}

// Estimate first, then measure (see the top of the file).
BENCHMARK(BM_ExactCpu)->Apply([](benchmark::internal::Benchmark* b) { exact_args(b, 0); });
BENCHMARK(BM_PlainDouble)->Apply([](benchmark::internal::Benchmark* b) { plain_args(b, 0); });
BENCHMARK(BM_PlainFloat)->Apply([](benchmark::internal::Benchmark* b) { plain_args(b, 0); });
BENCHMARK(BM_ExactCpu)->Apply([](benchmark::internal::Benchmark* b) { exact_args(b, 1); });
BENCHMARK(BM_ExactCpuBaseline)->Args({0, 1})->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_PlainDouble)->Apply([](benchmark::internal::Benchmark* b) { plain_args(b, 1); });
BENCHMARK(BM_PlainFloat)->Apply([](benchmark::internal::Benchmark* b) { plain_args(b, 1); });

#if GLOSS_HAVE_CUDA
void BM_ExactCuda(benchmark::State& state) {
  const auto fir = std::make_shared<const gloss::ExactFir>(gloss::test::eq_like_fir(kTaps));
  gloss::CudaExactConvolver conv(0, fir);
  const gloss::AudioTrack* batch[] = {&track()};
  for (auto _ : state) benchmark::DoNotOptimize(conv.run(batch));
  set_rate(state);
  state.SetLabel(fir->describe());
}
#endif

}  // namespace

int main(int argc, char** argv) {
#if GLOSS_HAVE_CUDA
  if (gloss::cuda_device_count() > 0 && gloss::cuda_device_problem(0).empty())
    benchmark::RegisterBenchmark("BM_ExactCuda", BM_ExactCuda)->Unit(benchmark::kMillisecond)->UseRealTime();
#endif
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
