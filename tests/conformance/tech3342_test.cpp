// EBU Tech 3342 (2023) loudness range, cases 1-4, synthesised from specs/loudness.md §4.2:
// stereo 1 kHz, per-channel peak level, 20 s per tone. Tolerance +-1 LU.
#include <cstdio>

#include "backend_suite.hpp"
#include "support/signals.hpp"

namespace gloss::test {
namespace {

class Tech3342 : public BackendSuite {};

struct LraCase {
  int number;
  std::vector<double> levels_dbfs;
  double expected_lu;
};

TEST_P(Tech3342, Cases1To4LoudnessRange) {
  const LraCase cases[] = {
      {1, {-20, -30}, 10}, {2, {-20, -15}, 5}, {3, {-40, -20}, 20}, {4, {-50, -35, -20, -35, -50}, 15}};
  for (const LraCase& c : cases) {
    std::vector<Segment> segments;
    for (double level : c.levels_dbfs) segments.push_back({20, level});
    const AudioTrack t = tone_sequence(48000, 2, 1000, segments);
    const TrackAnalysis a = analyze(t);
    EXPECT_NEAR(a.loudness_range_lu, c.expected_lu, 1.0) << "Tech 3342 case " << c.number;
    std::printf("[ Tech 3342 case %d ] LRA %.4f LU (expected %.0f +-1)\n", c.number, a.loudness_range_lu,
                c.expected_lu);
    // "The expected value is unchanged if the signal is repeated": twice the signal, one track.
    const AudioTrack twice = concatenate({t, t});
    EXPECT_NEAR(analyze(twice).loudness_range_lu, c.expected_lu, 1.0) << "Tech 3342 case " << c.number << " twice";
  }
}

GLOSS_INSTANTIATE_FOR_BACKENDS(Tech3342);

}  // namespace
}  // namespace gloss::test
