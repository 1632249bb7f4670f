// Basic meter behaviour on generated signals: calibration, silence, short inputs, peaks,
// statistics. Conformance to the EBU cases lives in tests/conformance.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "gloss/backend.hpp"
#include "gloss/meter.hpp"
#include "support/signals.hpp"

namespace gloss {
namespace {

const double kInf = std::numeric_limits<double>::infinity();

TrackAnalysis analyze(const AudioTrack& t, const MeterOptions& options = {}) {
  auto backend = make_backend("reference");
  return analyze_tracks(*backend, {&t}, options).at(0);
}

TEST(Meter, StereoSineAtMinus23IsMinus23Lufs) {
  const AudioTrack t = test::tone_sequence(48000, 2, 1000, {{20, -23}});
  const TrackAnalysis a = analyze(t);
  EXPECT_NEAR(a.integrated_lufs, -23.0, 0.05);
  EXPECT_NEAR(a.momentary_max_lufs, -23.0, 0.05);
  EXPECT_NEAR(a.short_term_max_lufs, -23.0, 0.05);
  EXPECT_NEAR(a.sample_peak_dbfs, -23.0, 0.01);
  EXPECT_NEAR(*a.stereo_correlation, 1.0, 1e-9);
  EXPECT_NEAR(*a.mono_loss_lu, 0.0, 1e-9);  // identical channels lose nothing in mono
  EXPECT_NEAR(*a.crest_factor_db, 3.0103, 0.01);  // a sine: peak / RMS = sqrt(2)
  EXPECT_EQ(a.clipped_runs, 0);
  EXPECT_NEAR(a.head_silence_s, 0.0, 0.001);
}

TEST(Meter, CalibrationSineAt997HzReadsMinus3Lufs) {
  // BS.1770: a 0 dBFS 997 Hz sine in one front channel reads -3.01 LKFS.
  AudioTrack t = test::tone_sequence(48000, 2, 997, {{10, 0}});
  for (float& s : t.channel(1)) s = 0;
  EXPECT_NEAR(analyze(t).integrated_lufs, -3.01, 0.01);
}

TEST(Meter, SilenceIsMinusInfinityNeverNaN) {
  const AudioTrack t = test::tone_sequence(44100, 2, 1000, {{5, test::kSilence}});
  const TrackAnalysis a = analyze(t);
  EXPECT_EQ(a.integrated_lufs, -kInf);
  EXPECT_EQ(a.momentary_max_lufs, -kInf);
  EXPECT_EQ(a.short_term_max_lufs, -kInf);
  EXPECT_EQ(a.loudness_range_lu, 0.0);
  EXPECT_EQ(a.sample_peak_dbfs, -kInf);
  EXPECT_EQ(a.true_peak_dbtp, -kInf);
  EXPECT_FALSE(a.plr_db.has_value());
  EXPECT_FALSE(a.crest_factor_db.has_value());
  EXPECT_FALSE(a.stereo_correlation.has_value());
  EXPECT_FALSE(a.mono_loss_lu.has_value());
  EXPECT_DOUBLE_EQ(a.head_silence_s, 5.0);
  for (const auto& band : a.octave_band_db) {
    ASSERT_TRUE(band.has_value());
    EXPECT_EQ(*band, -kInf);
  }
}

TEST(Meter, ShorterThanOneBlockHasNoLoudnessButHasPeaks) {
  const AudioTrack t = test::tone_sequence(48000, 1, 1000, {{0.3, -6}});
  const TrackAnalysis a = analyze(t);
  EXPECT_EQ(a.integrated_lufs, -kInf);
  EXPECT_EQ(a.momentary_max_lufs, -kInf);
  EXPECT_NEAR(a.sample_peak_dbfs, -6.0, 0.01);
}

TEST(Meter, ShorterThanThreeSecondsHasNoShortTermButHasIntegrated) {
  const AudioTrack t = test::tone_sequence(48000, 2, 1000, {{2, -20}});
  const TrackAnalysis a = analyze(t);
  EXPECT_NEAR(a.integrated_lufs, -20.0, 0.05);
  EXPECT_EQ(a.short_term_max_lufs, -kInf);
  EXPECT_TRUE(a.short_term_lufs.empty());
}

TEST(Meter, EmptyAndOneSampleTracks) {
  AudioTrack empty = test::tone_sequence(48000, 2, 1000, {});
  TrackAnalysis a = analyze(empty);
  EXPECT_EQ(a.frames, 0);
  EXPECT_EQ(a.integrated_lufs, -kInf);
  EXPECT_EQ(a.true_peak_dbtp, -kInf);
  AudioTrack one = test::tone_sequence(48000, 1, 1000, {{0, 0}});
  one.frames = 1;
  one.samples = {0.5f};
  a = analyze(one);
  EXPECT_NEAR(a.sample_peak_dbfs, -6.0206, 1e-3);
  EXPECT_GE(a.true_peak_dbtp, a.sample_peak_dbfs);
}

TEST(Meter, AntiPhaseStereoHasNegativeCorrelationAndNoMonoLoudness) {
  AudioTrack t = test::tone_sequence(48000, 2, 1000, {{5, -20}});
  for (float& s : t.channel(1)) s = -s;
  const TrackAnalysis a = analyze(t);
  EXPECT_NEAR(*a.stereo_correlation, -1.0, 1e-9);
  EXPECT_FALSE(a.mono_loss_lu.has_value());  // the mono sum is silent
}

TEST(Meter, UncorrelatedNoiseLosesAboutThreeDbInMono) {
  const AudioTrack t = test::noise(48000, 2, 20, 0.25, 7);
  const TrackAnalysis a = analyze(t);
  EXPECT_NEAR(*a.stereo_correlation, 0.0, 0.01);
  EXPECT_NEAR(*a.mono_loss_lu, 3.01, 0.05);
}

TEST(Meter, OverFullScaleFloatPeaksAreKept) {
  const AudioTrack t = test::sine(48000, 2, 997, 1.5, 2.0);
  const TrackAnalysis a = analyze(t);
  EXPECT_NEAR(a.sample_peak_dbfs, 3.52, 0.01);
  EXPECT_GT(a.clipped_runs, 0);
}

TEST(Meter, ClippedRunsAreCounted) {
  AudioTrack t = test::tone_sequence(48000, 1, 100, {{1, test::kSilence}});
  std::span<float> x = t.channel(0);
  for (int i = 1000; i < 1005; ++i) x[static_cast<std::size_t>(i)] = 1.0f;   // run of 5
  for (int i = 2000; i < 2002; ++i) x[static_cast<std::size_t>(i)] = -1.0f;  // 2: too short to count
  // a run that crosses the 10 s tile boundary must be counted once
  AudioTrack long_track = test::tone_sequence(48000, 1, 100, {{12, test::kSilence}});
  for (int i = 479998; i < 480004; ++i) long_track.channel(0)[static_cast<std::size_t>(i)] = 1.0f;
  const TrackAnalysis a = analyze(t);
  EXPECT_EQ(a.clipped_runs, 1);
  EXPECT_EQ(a.clipped_samples, 5);
  const TrackAnalysis b = analyze(long_track);
  EXPECT_EQ(b.clipped_runs, 1);
  EXPECT_EQ(b.clipped_samples, 6);
  // A run covering a whole tile and parts of its neighbours (5 s to 22 s of a 25 s track) is
  // one run, joined across three tiles; so is a track clipped from its first to last sample.
  AudioTrack spanning = test::tone_sequence(8000, 1, 100, {{25, test::kSilence}});
  for (std::size_t i = 5 * 8000; i < 22 * 8000; ++i) spanning.channel(0)[i] = -1.0f;
  const TrackAnalysis c = analyze(spanning);
  EXPECT_EQ(c.clipped_runs, 1);
  EXPECT_EQ(c.clipped_samples, 17 * 8000);
  for (float& v : spanning.channel(0)) v = 1.0f;
  const TrackAnalysis d = analyze(spanning);
  EXPECT_EQ(d.clipped_runs, 1);
  EXPECT_EQ(d.clipped_samples, 25 * 8000);
}

TEST(Meter, HeadAndTailSilence) {
  const AudioTrack t = test::tone_sequence(44100, 2, 1000, {{1.5, test::kSilence}, {5, -20}, {2.0, test::kSilence}});
  const TrackAnalysis a = analyze(t);
  EXPECT_NEAR(a.head_silence_s, 1.5, 0.001);
  EXPECT_NEAR(a.tail_silence_s, 2.0, 0.001);
}

TEST(Meter, DcOffsetIsTheMean) {
  AudioTrack t = test::tone_sequence(48000, 2, 1000, {{3, -20}});
  for (float& s : t.channel(0)) s += 0.01f;
  const TrackAnalysis a = analyze(t);
  EXPECT_NEAR(a.per_channel[0].dc_offset, 0.01, 1e-4);
  EXPECT_NEAR(a.per_channel[1].dc_offset, 0.0, 1e-4);
  EXPECT_NEAR(a.max_abs_dc_offset, 0.01, 1e-4);
}

TEST(Meter, OctaveBandsFindTheTone) {
  const AudioTrack t = test::tone_sequence(48000, 2, 1000, {{5, -20}});
  const TrackAnalysis a = analyze(t);
  // The 1 kHz band holds the tone (mean square of a -20 dBFS sine = -23 dB)...
  EXPECT_NEAR(*a.octave_band_db[5], -23.0, 0.3);
  // ...and bands two octaves away see it through their skirts: a one-octave (Q = 1.41)
  // second-order band-pass is 1 / sqrt(1 + Q^2 (4 - 1/4)^2) = -14.6 dB there.
  EXPECT_NEAR(*a.octave_band_db[3], -23.0 - 14.6, 0.3);
  EXPECT_NEAR(*a.octave_band_db[7], -23.0 - 14.6, 0.3);
  EXPECT_LT(*a.octave_band_db[0], -55.0);
}

TEST(Meter, LfeIsExcludedAndSurroundsWeigh141) {
  // 5.1 with a tone only in the LFE channel measures as silence.
  std::vector<double> levels = {test::kSilence, test::kSilence, test::kSilence, -10, test::kSilence, test::kSilence};
  EXPECT_EQ(analyze(test::multichannel_tone(48000, 1000, 5, levels)).integrated_lufs, -kInf);
  // A tone in Ls alone reads 1.49 dB louder than the same tone in L alone.
  levels = {-20, test::kSilence, test::kSilence, test::kSilence, test::kSilence, test::kSilence};
  const double left = analyze(test::multichannel_tone(48000, 1000, 5, levels)).integrated_lufs;
  levels = {test::kSilence, test::kSilence, test::kSilence, test::kSilence, -20, test::kSilence};
  const double surround = analyze(test::multichannel_tone(48000, 1000, 5, levels)).integrated_lufs;
  EXPECT_NEAR(surround - left, 10 * std::log10(1.41), 1e-6);
}

TEST(Meter, RejectsRatesAndChannelCountsOutOfRange) {
  AudioTrack t = test::tone_sequence(48000, 2, 1000, {{1, -20}});
  t.sample_rate = 4000;
  EXPECT_NE(check_measurable(t), "");
  auto backend = make_backend("reference");
  EXPECT_THROW(analyze_tracks(*backend, {&t}), Error);
  t.sample_rate = 48000;
  EXPECT_EQ(check_measurable(t), "");
}

}  // namespace
}  // namespace gloss
