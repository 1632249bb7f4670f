// The true-peak limiter kernels (core/kernels/limiter.hpp): the gain curve never exceeds the
// required gain, the look-ahead minimum equals a naive one, material under the ceiling is
// untouched, and hot material comes out under the ceiling by the detector it was limited with.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include "detmath.hpp"
#include "gloss/backend.hpp"
#include "gloss/meter.hpp"
#include "limiter.hpp"
#include "support/signals.hpp"

namespace {

using gloss::kernels::kUnityGain;

gloss::kernels::LimiterShape shape_for(int rate, double gain, double ceiling_db, double lookahead_ms = 5,
                                       double release_ms = 200) {
  gloss::LimiterSettings settings;
  settings.ceiling_dbtp = ceiling_db;
  settings.lookahead_ms = lookahead_ms;
  settings.release_ms = release_ms;
  return gloss::design_limiter(settings, rate, gain, gloss::detmath::db_to_amplitude(ceiling_db));
}

TEST(LimiterCurve, NeverAboveTheRequiredGainAndMinimumIsExact) {
  std::mt19937_64 random(7);
  for (int lookahead : {1, 2, 7, 64, 241}) {
    gloss::kernels::LimiterShape shape;
    shape.lookahead = lookahead;
    shape.release = static_cast<std::int64_t>(0.999 * kUnityGain);
    for (std::int64_t frames : {1, 5, 240, 241, 1000, 4097}) {
      std::vector<std::int64_t> r(frames), work(frames), g(frames);
      for (auto& v : r)  // mostly unity with dips, like real material
        v = random() % 8 == 0 ? static_cast<std::int64_t>(random() % kUnityGain) : kUnityGain;
      gloss::kernels::limiter_gain_curve(shape, r.data(), frames, work.data(), g.data());
      // The attack stage alone, from a naive look-ahead minimum, bounds g from above.
      for (std::int64_t n = 0; n < frames; ++n) {
        std::int64_t sum = 0;
        for (std::int64_t j = n - lookahead + 1; j <= n; ++j) {
          std::int64_t m = kUnityGain;  // before the track, the window starting at 0 stands in
          for (std::int64_t k = std::max<std::int64_t>(j, 0); k < std::max<std::int64_t>(j, 0) + lookahead; ++k)
            if (k < frames) m = std::min(m, r[k]);
          sum += m;
        }
        ASSERT_LE(g[n], sum / lookahead) << "L=" << lookahead << " n=" << n;
        ASSERT_LE(g[n], r[n]) << "L=" << lookahead << " n=" << n;
      }
    }
  }
}

TEST(LimiterCurve, ReleaseReturnsToUnity) {
  gloss::kernels::LimiterShape shape = shape_for(48000, 1, -1, 5, 50);
  const std::int64_t frames = 48000;
  std::vector<std::int64_t> r(frames, kUnityGain), work(frames), g(frames);
  r[1000] = kUnityGain / 2;
  gloss::kernels::limiter_gain_curve(shape, r.data(), frames, work.data(), g.data());
  EXPECT_LE(g[1000], kUnityGain / 2);
  EXPECT_EQ(g[0], kUnityGain);
  // 50 ms release: after 1 s the distance to unity has decayed by e^-20.
  EXPECT_GT(g[frames - 1], kUnityGain - 2);
  for (std::int64_t n = 1001; n < frames; ++n) ASSERT_GE(g[n], g[n - 1]) << n;  // a smooth return
}

TEST(Limiter, MaterialUnderTheCeilingIsUntouched) {
  const gloss::AudioTrack quiet = gloss::test::programme(48000, 2, 5, 3);
  std::vector<std::int64_t> gains;
  gloss::LimiterStats stats;
  const auto out = gloss::run_limiter(quiet, shape_for(48000, 1.0, -1), {}, gains, stats);
  EXPECT_EQ(out.samples, quiet.samples);
  EXPECT_EQ(stats.max_reduction_db, 0);
  EXPECT_EQ(stats.seconds_reducing, 0);
}

double itu_true_peak_dbtp(const gloss::AudioTrack& track) {
  auto backend = gloss::make_backend("reference");
  gloss::MeterOptions options;
  options.true_peak = gloss::TruePeakMode::Itu;
  return gloss::analyze_tracks(*backend, {&track}, options)[0].true_peak_dbtp;
}

// The limiter alone holds peaks to the ceiling as its own detector (the BS.1770 Annex 2
// interpolator) sees them; the render chain's verify passes take it the rest of the way, to
// the precise detector at the delivered rate (tests/master/render_test.cpp).
TEST(Limiter, HotMaterialEndsUnderTheCeilingByItsDetector) {
  for (int rate : {44100, 48000}) {
    const gloss::AudioTrack hot = gloss::test::noise(rate, 2, 3, 1.0, 11);  // then +6 dB of gain
    std::vector<std::int64_t> gains;
    gloss::LimiterStats stats;
    const double gain = gloss::detmath::db_to_amplitude(6);
    const auto out = gloss::run_limiter(hot, shape_for(rate, gain, -1), {}, gains, stats);
    // Within 0.01 dB: the gain's own movement reshapes peaks slightly (measured 0.002 dB).
    EXPECT_LE(itu_true_peak_dbtp(out), -1.0 + 0.01) << rate;
    EXPECT_GT(stats.max_reduction_db, 6.0);
    EXPECT_GT(stats.seconds_above_1db, 1.0);
    EXPECT_LE(stats.average_reduction_db, stats.max_reduction_db);
  }
}

TEST(Limiter, CapsLowerTheGainLocally) {
  const gloss::AudioTrack quiet = gloss::test::programme(48000, 1, 2, 5);
  const auto shape = shape_for(48000, 1.0, -1, 5, 20);
  std::vector<std::int64_t> caps(quiet.frames, kUnityGain);
  caps[48000] = kUnityGain / 4;
  std::vector<std::int64_t> gains;
  gloss::LimiterStats stats;
  gloss::run_limiter(quiet, shape, caps, gains, stats);
  EXPECT_LE(gains[48000], kUnityGain / 4);
  EXPECT_EQ(gains[0], kUnityGain);
  EXPECT_EQ(gains[quiet.frames - 1], kUnityGain);
  EXPECT_NEAR(stats.max_reduction_db, 12.04, 0.01);
}

}  // namespace
