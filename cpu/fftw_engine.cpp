#include "fftw_engine.hpp"

#include <fftw3.h>
#include <fmt/format.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/info.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <atomic>

#include "gloss/error.hpp"

namespace gloss {

namespace {

// FFTW's planner (create and destroy) is not thread-safe, across all plans of the process.
std::mutex& planner_mutex() {
  static std::mutex m;
  return m;
}

unsigned flags_of(FftwPlanning p) {
  switch (p) {
    case FftwPlanning::Estimate: return FFTW_ESTIMATE;
    case FftwPlanning::Measure: return FFTW_MEASURE;
    case FftwPlanning::MeasureUnaligned: return FFTW_MEASURE | FFTW_UNALIGNED;
    case FftwPlanning::Patient: return FFTW_PATIENT;
  }
  return FFTW_ESTIMATE;
}

const char* planning_name(FftwPlanning p) {
  switch (p) {
    case FftwPlanning::Estimate: return "estimate";
    case FftwPlanning::Measure: return "measure";
    case FftwPlanning::MeasureUnaligned: return "measure+unaligned";
    case FftwPlanning::Patient: return "patient";
  }
  return "?";
}

struct FftwBuffer {
  double* data = nullptr;
  explicit FftwBuffer(std::size_t count) : data(fftw_alloc_real(count)) {
    if (data == nullptr) throw Error("FFTW could not allocate its planning buffer");
  }
  ~FftwBuffer() { fftw_free(data); }
  FftwBuffer(const FftwBuffer&) = delete;
  FftwBuffer& operator=(const FftwBuffer&) = delete;
};

}  // namespace

// A plan executes only on arrays with the alignment it was planned for, so each direction has
// an aligned plan (planned on fftw_malloc arrays) and, made on first need, an unaligned one.
// Made plans are published through atomics: executing needs no lock.
struct FftwEngine::Plans {
  int n = 0;
  unsigned flags = 0;
  std::atomic<fftw_plan> r2c[2] = {nullptr, nullptr};  // [aligned, unaligned]
  std::atomic<fftw_plan> c2r[2] = {nullptr, nullptr};

  ~Plans() {
    const std::lock_guard<std::mutex> lock(planner_mutex());
    for (int v = 0; v < 2; ++v)
      for (fftw_plan p : {r2c[v].load(), c2r[v].load()})
        if (p != nullptr) fftw_destroy_plan(p);
  }

  void make(int variant) {
    const std::lock_guard<std::mutex> lock(planner_mutex());
    if (c2r[variant].load() != nullptr) return;
    const std::size_t real = static_cast<std::size_t>(n);
    const std::size_t complex = 2 * (real / 2 + 1);
    FftwBuffer a(real + 1);  // +1: room for an odd offset, so the unaligned plan sees one
    FftwBuffer b(complex + 1);
    const unsigned f = flags | (variant == 1 ? FFTW_UNALIGNED : 0u);
    double* ra = a.data + variant;
    auto* cb = reinterpret_cast<fftw_complex*>(b.data + variant);
    const fftw_plan forward = fftw_plan_dft_r2c_1d(n, ra, cb, f);
    const fftw_plan inverse = fftw_plan_dft_c2r_1d(n, cb, ra, f);
    if (forward == nullptr || inverse == nullptr) {
      if (forward != nullptr) fftw_destroy_plan(forward);
      if (inverse != nullptr) fftw_destroy_plan(inverse);
      throw Error(fmt::format("FFTW could not plan a real transform of size {}", n));
    }
    r2c[variant].store(forward);
    c2r[variant].store(inverse);  // last: a non-null c2r means both are ready
  }

  int variant_for(const void* in, const void* out) {
    const int v = (fftw_alignment_of(static_cast<double*>(const_cast<void*>(in))) == 0 &&
                   fftw_alignment_of(static_cast<double*>(const_cast<void*>(out))) == 0)
                      ? 0
                      : 1;
    if (c2r[v].load() == nullptr) make(v);
    return v;
  }
};

FftwEngine::FftwEngine(FftwPlanning planning) : planning_(planning) {}

FftwEngine::~FftwEngine() = default;

std::string FftwEngine::name() const { return fmt::format("fftw {} ({})", fftw_version, planning_name(planning_)); }

FftwEngine::Plans& FftwEngine::plans_for(int n) {
  if (Plans* last = last_.load(); last != nullptr && last->n == n) return *last;  // the usual case: no lock
  const std::lock_guard<std::mutex> lock(mutex_);
  std::unique_ptr<Plans>& p = plans_[n];
  if (!p) {
    auto made = std::make_unique<Plans>();
    made->n = n;
    made->flags = flags_of(planning_);
    made->make(0);
    p = std::move(made);
  }
  last_.store(p.get());
  return *p;
}

void FftwEngine::forward(int n, int count, const double* real, double* spectra) {
  Plans& plans = plans_for(n);
  const std::size_t bins = static_cast<std::size_t>(n / 2 + 1);
  for (int t = 0; t < count; ++t) {
    double* in = const_cast<double*>(real) + static_cast<std::size_t>(t) * static_cast<std::size_t>(n);
    auto* out = reinterpret_cast<fftw_complex*>(spectra + 2 * bins * static_cast<std::size_t>(t));
    fftw_execute_dft_r2c(plans.r2c[plans.variant_for(in, out)].load(), in, out);  // out of place: keeps `in`
  }
}

void FftwEngine::inverse(int n, int count, double* spectra, double* real) {
  Plans& plans = plans_for(n);
  const std::size_t bins = static_cast<std::size_t>(n / 2 + 1);
  for (int t = 0; t < count; ++t) {
    auto* in = reinterpret_cast<fftw_complex*>(spectra + 2 * bins * static_cast<std::size_t>(t));
    double* out = real + static_cast<std::size_t>(t) * static_cast<std::size_t>(n);
    fftw_execute_dft_c2r(plans.c2r[plans.variant_for(in, out)].load(), in, out);  // destroys `in`: product scratch only
  }
}

namespace {

struct WorkItem {
  std::size_t track;
  int channel;
  std::int64_t first;
  std::int64_t last;
};

// Runs of blocks small enough to balance threads, large enough to amortise scheduling.
constexpr std::int64_t kBlocksPerItem = 4;

}  // namespace

std::vector<ExactConvolutionResult> convolve_exact_cpu(const ExactConvolver& convolver,
                                                       std::span<const AudioTrack* const> tracks, int threads) {
  const ExactFir& fir = convolver.fir();
  const int workers = threads > 0 ? threads : static_cast<int>(tbb::info::default_concurrency());
  tbb::task_arena arena(workers);
  std::vector<ExactConvolutionResult> results(tracks.size());
  std::vector<WorkItem> items;
  for (std::size_t t = 0; t < tracks.size(); ++t) {
    const AudioTrack& track = *tracks[t];
    try {
      for (int c = 0; c < track.channels; ++c) check_channel(track, c);
    } catch (const Error& e) {
      results[t].error = e.what();
      continue;
    }
    results[t].output = empty_like(track);
    const std::int64_t blocks = exact_blocks(fir.shape(), track.frames);
    for (int c = 0; c < track.channels; ++c)
      for (std::int64_t b = 0; b < blocks; b += kBlocksPerItem)
        items.push_back({t, c, b, std::min(blocks, b + kBlocksPerItem)});
  }
  std::vector<double> distance(items.size(), 0.0);
  tbb::enumerable_thread_specific<ExactConvolver::Scratch> scratch([&] { return convolver.make_scratch(); });
  arena.execute([&] {
    tbb::parallel_for(std::size_t{0}, items.size(), [&](std::size_t i) {
      const WorkItem& w = items[i];
      distance[i] = convolver.run_blocks(tracks[w.track]->channel(w.channel), results[w.track].output.channel(w.channel),
                                         w.first, w.last, scratch.local());
    });
  });
  std::vector<double> worst(tracks.size(), 0.0);
  for (std::size_t i = 0; i < items.size(); ++i) worst[items[i].track] = std::max(worst[items[i].track], distance[i]);
  for (std::size_t t = 0; t < tracks.size(); ++t) {
    if (!results[t].error.empty()) continue;
    results[t].max_distance = worst[t];
    try {
      check_exactness(fir, *tracks[t], worst[t]);
    } catch (const Error& e) {
      results[t].error = e.what();
      results[t].output = AudioTrack{};
    }
  }
  return results;
}

}  // namespace gloss
