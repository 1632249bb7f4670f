// Bit-identity across executors: the reference executor defines the bits; the CPU backend
// with 1, 2 and 8 threads, a shuffled work order and a track measured inside a batch must
// reproduce them exactly (DESIGN.md, "Bit-identity: the rules").
#include <gtest/gtest.h>

#include "../../cpu/cpu_backend.hpp"
#include "../../cpu/reference_backend.hpp"
#include "filter_design.hpp"
#include "gloss/meter.hpp"
#include "meter_work.hpp"
#include "gloss/fingerprint.hpp"
#include "support/signals.hpp"

namespace gloss {
namespace {

struct Case {
  std::string name;
  AudioTrack track;
  TruePeakMode mode;
};

std::vector<Case> cases() {
  std::vector<Case> out;
  for (test::NamedTrack& t : test::identity_cases()) out.push_back({t.name, std::move(t.track), TruePeakMode::Itu});
  out.push_back({"programme 48k stereo precise 11 s", test::programme(48000, 2, 11, 5), TruePeakMode::Precise});
  out.push_back({"programme 44.1k 7.1 precise 3 s", test::programme(44100, 8, 3, 13), TruePeakMode::Precise});
  return out;
}

TrackAnalysis run(Backend& backend, const AudioTrack& t, TruePeakMode mode) {
  MeterOptions options;
  options.true_peak = mode;
  return analyze_tracks(backend, {&t}, options).at(0);
}

void expect_identical(const TrackAnalysis& expected, const TrackAnalysis& actual, const std::string& what) {
  const std::string diff = first_difference(expected, actual);
  EXPECT_TRUE(diff.empty()) << what << ": " << diff;
}

TEST(Determinism, CpuBackendMatchesReferenceForAnyThreadCount) {
  ReferenceBackend reference;
  for (const Case& c : cases()) {
    const TrackAnalysis expected = run(reference, c.track, c.mode);
    for (int threads : {1, 2, 8}) {
      CpuBackend cpu(threads);
      expect_identical(expected, run(cpu, c.track, c.mode), c.name + ", cpu threads=" + std::to_string(threads));
    }
  }
}

TEST(Determinism, EveryKernelCopyGivesTheSameBits) {
  // The baseline and AVX2 copies of the kernels (chosen at run time) must agree bit for bit.
  if (!kernel_isa_available(KernelIsa::Avx2)) GTEST_SKIP() << "this processor (or build) has no AVX2 kernels";
  ReferenceBackend reference;
  for (const Case& c : cases()) {
    const TrackAnalysis expected = run(reference, c.track, c.mode);
    for (KernelIsa isa : {KernelIsa::Baseline, KernelIsa::Avx2}) {
      CpuBackend cpu(2, isa);
      expect_identical(expected, run(cpu, c.track, c.mode), c.name + ", kernels " + to_string(isa));
    }
  }
}

TEST(Determinism, ShuffledWorkOrderChangesNothing) {
  ReferenceBackend reference;
  for (const Case& c : cases()) {
    const TrackAnalysis expected = run(reference, c.track, c.mode);
    for (std::uint64_t seed : {1u, 2u, 3u}) {
      ReferenceBackend shuffled(seed);
      expect_identical(expected, run(shuffled, c.track, c.mode), c.name + ", shuffle seed " + std::to_string(seed));
    }
  }
}

TEST(Determinism, TrackAloneEqualsTrackInsideABatch) {
  const std::vector<Case> all = cases();
  CpuBackend cpu(2);
  std::vector<const AudioTrack*> batch;
  for (const Case& c : all)
    if (c.mode == TruePeakMode::Itu) batch.push_back(&c.track);
  const std::vector<TrackAnalysis> together = analyze_tracks(cpu, batch);
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const TrackAnalysis alone = analyze_tracks(cpu, {batch[i]}).at(0);
    expect_identical(alone, together[i], "batch position " + std::to_string(i));
  }
}

TEST(Determinism, TiledFiltersMatchASequentialRun) {
  // Each tile restarts its filters after a 0.5 s warm-up halo. The tiled energies must equal
  // those of one sequential pass over the whole track to within rounding.
  const AudioTrack t = test::programme(48000, 2, 25, 9);
  MeterWork w = make_meter_work(t, {});
  ReferenceBackend().run_meter({&w});
  const KWeighting k = design_k_weighting(48000);
  kernels::BiquadState shelf[2]{}, rlb[2]{};
  std::int64_t i = 0;
  for (std::int64_t b = 0; b < w.plan.subblocks; ++b) {
    double sum[2] = {0, 0};
    for (; i < kernels::subblock_start(b + 1, 48000); ++i)
      for (int c = 0; c < 2; ++c) {
        const double y = kernels::biquad_step(k.rlb, rlb[c], kernels::biquad_step(k.shelf, shelf[c], t.channel(c)[static_cast<std::size_t>(i)]));
        sum[c] += y * y;
      }
    const double sequential = sum[0] + sum[1];
    ASSERT_NEAR(w.weighted_energy[static_cast<std::size_t>(b)], sequential, 1e-11 * sequential) << "sub-block " << b;
  }
}

}  // namespace
}  // namespace gloss
