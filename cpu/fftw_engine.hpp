// The CPU's FFTs for exact convolution: FFTW3 in double precision, and the CPU driver that
// runs the shared kernels (core/kernels/exact_conv.hpp) around them on a thread pool.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "exact_convolution.hpp"

namespace gloss {

// FFTW planner effort. Estimate is the default (planning is instant and deterministic); the
// others choose algorithms by timing, which changes the raw doubles but never the rounded
// result (tests show that). Measure is worth it for long jobs: on the build VM it plans a size
// in about 1.5 s (once per process: FFTW keeps what it learnt) and makes the 8191-tap exact
// convolution about 30 % faster (convolution_bench, planner argument 1). Patient found
// nothing faster there.
enum class FftwPlanning { Estimate, Measure, MeasureUnaligned, Patient };

// Plans are created once per size under a process-wide mutex (FFTW's planner is not
// thread-safe) and executed concurrently through the new-array interface; finding a made plan
// takes no lock.
class FftwEngine final : public FftEngine {
 public:
  explicit FftwEngine(FftwPlanning planning = FftwPlanning::Estimate);
  ~FftwEngine() override;
  FftwEngine(const FftwEngine&) = delete;
  FftwEngine& operator=(const FftwEngine&) = delete;

  std::string name() const override;
  void forward(int n, int count, const double* real, double* spectra) override;
  void inverse(int n, int count, double* spectra, double* real) override;

 private:
  struct Plans;
  Plans& plans_for(int n);

  FftwPlanning planning_;
  std::mutex mutex_;                             // guards plans_
  std::map<int, std::unique_ptr<Plans>> plans_;  // never erased: pointers stay valid
  std::atomic<Plans*> last_{nullptr};            // the size used last
};

// Exact convolution of a batch of tracks on `threads` CPU threads (0: all cores). Work is
// split into (track, channel, run of blocks) items; every output sample is computed by the
// same kernels whatever thread runs it, so the result does not depend on the thread count.
// A track that fails (bad sample, guard) gets its error message and no output; the others
// go on.
std::vector<ExactConvolutionResult> convolve_exact_cpu(const ExactConvolver& convolver,
                                                       std::span<const AudioTrack* const> tracks, int threads = 0);

}  // namespace gloss
