// Gain planning (core/gain_plan): album, track and bounded-correction modes, the limiting
// budget, silence, and that every decision is explained.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "gain_plan.hpp"

namespace {

using gloss::GainMode;
using gloss::GainPlanSettings;
using gloss::TrackLevels;

constexpr double kSilent = -std::numeric_limits<double>::infinity();

GainPlanSettings settings(GainMode mode, double correction = 0) {
  GainPlanSettings s;
  s.target_lufs = -14;
  s.ceiling_dbtp = -1;
  s.mode = mode;
  s.max_track_correction_lu = correction;
  s.max_limiting_db = 4;
  return s;
}

TEST(GainPlan, AlbumModeKeepsRelativeLevels) {
  const std::vector<TrackLevels> tracks = {{-20, -6}, {-26, -12}, {-18, -4}};
  const auto plan = gloss::plan_gains(settings(GainMode::album), tracks, -20.5);
  ASSERT_EQ(plan.tracks.size(), 3u);
  EXPECT_DOUBLE_EQ(plan.album_gain_db, 6.5);
  for (const auto& t : plan.tracks) EXPECT_DOUBLE_EQ(t.gain_db, 6.5);
  EXPECT_DOUBLE_EQ(plan.tracks[2].peak_over_ceiling_db, -4 + 6.5 + 1);
  EXPECT_FALSE(plan.tracks[0].target_lowered);
  EXPECT_NE(plan.tracks[2].reason.find("limiter takes 3.50 dB"), std::string::npos) << plan.tracks[2].reason;
}

TEST(GainPlan, AlbumGainLoweredByItsHottestTrack) {
  const std::vector<TrackLevels> tracks = {{-20, -1}, {-22, -10}};
  const auto plan = gloss::plan_gains(settings(GainMode::album), tracks, -21);
  // wanted +7 dB, but track 1 would peak at +6 dBTP: 7 dB over -1 with a 4 dB budget -> +4 dB.
  EXPECT_DOUBLE_EQ(plan.album_gain_db, 4);
  EXPECT_TRUE(plan.tracks[1].target_lowered);
  EXPECT_NE(plan.tracks[0].reason.find("lowered"), std::string::npos);
}

TEST(GainPlan, TrackModeHitsEveryTargetWithinTheBudget) {
  const std::vector<TrackLevels> tracks = {{-20, -6}, {-8, 0}, {-30, -2}};
  const auto plan = gloss::plan_gains(settings(GainMode::track), tracks, -15);
  EXPECT_DOUBLE_EQ(plan.tracks[0].gain_db, 6);
  EXPECT_DOUBLE_EQ(plan.tracks[1].gain_db, -6);
  EXPECT_DOUBLE_EQ(plan.tracks[2].gain_db, 5);  // wanted +16; a -2 dBTP peak allows -1 + 4 - (-2)
  EXPECT_TRUE(plan.tracks[2].target_lowered);
}

TEST(GainPlan, BoundedCorrectionPullsOutliersIn) {
  const std::vector<TrackLevels> tracks = {{-20, -10}, {-25, -15}, {-19, -9}};
  const auto plan = gloss::plan_gains(settings(GainMode::album, 1.5), tracks, -20.5);
  EXPECT_DOUBLE_EQ(plan.album_gain_db, 6.5);
  EXPECT_DOUBLE_EQ(plan.tracks[0].gain_db, 6.5 - 0.5);  // 0.5 LU hot: fully corrected
  EXPECT_DOUBLE_EQ(plan.tracks[1].gain_db, 6.5 + 1.5);  // 4.5 LU short: at most 1.5
  EXPECT_DOUBLE_EQ(plan.tracks[2].gain_db, 6.5 - 1.5);  // 1.5 LU hot: just at the bound
  EXPECT_NE(plan.tracks[1].reason.find("track correction"), std::string::npos);
}

TEST(GainPlan, SilenceGetsNoGain) {
  const std::vector<TrackLevels> tracks = {{kSilent, kSilent}, {-20, -6}};
  for (GainMode mode : {GainMode::album, GainMode::track}) {
    const auto plan = gloss::plan_gains(settings(mode), tracks, -20);
    EXPECT_EQ(plan.tracks[0].gain_db, 0);
    EXPECT_NE(plan.tracks[0].reason.find("silent"), std::string::npos);
    EXPECT_DOUBLE_EQ(plan.tracks[1].gain_db, 6);
  }
  const auto all_silent = gloss::plan_gains(settings(GainMode::album), {{kSilent, kSilent}}, kSilent);
  EXPECT_EQ(all_silent.tracks[0].gain_db, 0);
}

TEST(GainPlan, SettingsAreChecked) {
  EXPECT_EQ(gloss::check_gain_plan(settings(GainMode::album)), "");
  auto bad = settings(GainMode::track, 2);
  EXPECT_NE(gloss::check_gain_plan(bad).find("album mode only"), std::string::npos);
  bad = settings(GainMode::album);
  bad.ceiling_dbtp = 1;
  EXPECT_NE(gloss::check_gain_plan(bad).find("ceiling"), std::string::npos);
}

}  // namespace
