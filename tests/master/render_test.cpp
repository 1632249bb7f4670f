// The render chain (core/render_chain): on adversarial signals the delivered true peak stays
// under the ceiling by gloss's precise meter and by libebur128, at the delivered rate, after
// SRC and quantization; a chain that does nothing passes audio through bit-exactly; renders
// are deterministic.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <numbers>
#include <string>
#include <vector>

#include "detmath.hpp"
#include "gloss/backend.hpp"
#include "gloss/meter.hpp"
#include "libebur128_meter.hpp"
#include "render_chain.hpp"
#include "true_peak_scan.hpp"
#include "support/signals.hpp"
#include "ffmpeg_meter.hpp"

namespace {

gloss::AudioTrack planar(int rate, int channels, std::int64_t frames, const std::string& name) {
  gloss::AudioTrack t;
  t.name = name;
  t.sample_rate = rate;
  t.channels = channels;
  t.frames = frames;
  t.samples.assign(static_cast<std::size_t>(channels * frames), 0.0f);
  t.layout = channels == 2 ? std::vector{gloss::ChannelRole::Left, gloss::ChannelRole::Right}
                           : std::vector<gloss::ChannelRole>(channels, gloss::ChannelRole::Center);
  return t;
}

gloss::AudioTrack square(int rate, double hz) {
  auto t = planar(rate, 2, rate * 2, "square");
  for (std::int64_t n = 0; n < t.frames; ++n) {
    const float v = std::fmod(double(n) * hz / rate, 1.0) < 0.5 ? 1.0f : -1.0f;
    t.samples[n] = v;
    t.samples[t.frames + n] = v;
  }
  return t;
}

gloss::AudioTrack quarter_rate_sine(int rate) {  // fs/4 at 45 degrees: samples at 0.707 of the peak
  auto t = planar(rate, 2, rate * 2, "fs/4 sine at 45 degrees");
  for (std::int64_t n = 0; n < t.frames; ++n) {
    const float v = static_cast<float>(std::sin(std::numbers::pi / 2 * double(n) + std::numbers::pi / 4));
    t.samples[n] = v;
    t.samples[t.frames + n] = -v;
  }
  return t;
}

gloss::AudioTrack clipped_master(int rate) {
  auto t = gloss::test::programme(rate, 2, 2, 21);
  for (float& v : t.samples) v = std::clamp(v * 8.0f, -1.0f, 1.0f);
  t.name = "clipped master";
  return t;
}

gloss::AudioTrack impulses(int rate) {
  auto t = planar(rate, 2, rate * 2, "isolated impulses");
  for (std::int64_t n : {std::int64_t{0}, std::int64_t{rate / 3}, std::int64_t{rate}, t.frames - 1}) {
    t.samples[n] = 1.0f;
    t.samples[t.frames + n] = -1.0f;
  }
  return t;
}

gloss::AudioTrack hot_noise(int rate) {  // 6 dB over full scale (float input)
  auto t = gloss::test::noise(rate, 2, 2, 2.0, 5);
  t.name = "noise at +6 dBFS";
  return t;
}

std::vector<gloss::AudioTrack> adversarial(int rate) {
  return {square(rate, 997), quarter_rate_sine(rate), clipped_master(rate), impulses(rate), hot_noise(rate)};
}

double precise_dbtp(const gloss::AudioTrack& track) {
  auto backend = gloss::make_backend("reference");
  gloss::MeterOptions options;
  options.true_peak = gloss::TruePeakMode::Precise;
  return gloss::analyze_tracks(*backend, {&track}, options)[0].true_peak_dbtp;
}

double libebur128_dbtp(const gloss::AudioTrack& track) {
  const auto r = gloss::test::measure_with_libebur128(track);
  return gloss::detmath::amplitude_to_db(*std::max_element(r.true_peak.begin(), r.true_peak.end()));
}

struct Delivery {
  int in_rate;
  int out_rate;
  int bits;
};

class CeilingGuarantee : public ::testing::TestWithParam<Delivery> {};

// FFmpeg prints the linear peak with three decimals: -1 dBTP (0.891251) shows as 0.891.
constexpr double kFfmpegCeiling = 0.891;

std::filesystem::path scratch_dir(const std::string& name) {
  const auto dir = std::filesystem::path(GLOSS_BINARY_DIR) / "test-scratch" / name;
  std::filesystem::create_directories(dir);
  return dir;
}

TEST_P(CeilingGuarantee, NoMeterFindsAnOver) {
  const Delivery d = GetParam();
  const bool ffmpeg = gloss::test::have_ffmpeg();
  const auto scratch = scratch_dir("render-" + std::to_string(d.in_rate) + "-" + std::to_string(d.out_rate));
  gloss::RenderSettings settings;
  settings.limiter.ceiling_dbtp = -1.0;
  settings.output_rate = d.out_rate;
  settings.output_bits = d.bits;
  for (const auto& track : adversarial(d.in_rate)) {
    for (double gain_db : {0.0, 3.0}) {
      const auto r = gloss::render_track(track, gain_db, settings, 42);
      const std::string what = track.name + " +" + std::to_string(gain_db) + " dB";
      EXPECT_EQ(r.delivered.sample_rate, d.out_rate) << what;
      EXPECT_LE(r.true_peak_dbtp, -1.0) << what;
      EXPECT_LE(precise_dbtp(r.delivered), -1.0) << what;
      EXPECT_LE(libebur128_dbtp(r.delivered), -1.0) << what;
      if (ffmpeg) {
        EXPECT_LE(gloss::test::ffmpeg_true_peak(r.delivered, scratch), kFfmpegCeiling) << what;
      }
      EXPECT_EQ(r.clipped, 0) << what;
      RecordProperty(what, std::to_string(r.passes));
    }
  }
  if (!ffmpeg) GTEST_SKIP() << "ffmpeg is not installed: the FFmpeg half of the guarantee was not checked";
}

INSTANTIATE_TEST_SUITE_P(Render, CeilingGuarantee,
                         ::testing::Values(Delivery{44100, 44100, 16}, Delivery{96000, 96000, 24},
                                           Delivery{96000, 44100, 16}, Delivery{44100, 48000, 32}),
                         [](const auto& p) {
                           return std::to_string(p.param.in_rate) + "_to_" + std::to_string(p.param.out_rate) +
                                  "_" + std::to_string(p.param.bits) + "bit";
                         });

TEST(Render, ChainThatDoesNothingIsBitExact) {
  // 16-bit codes, 0 dB, under the ceiling, same rate and bits: the same codes come back.
  auto track = gloss::test::programme(44100, 2, 3, 9);
  for (float& v : track.samples) v = static_cast<float>(std::nearbyint(v * 0.5 * 32768) / 32768);
  gloss::RenderSettings settings;
  settings.output_bits = 16;
  const auto r = gloss::render_track(track, 0.0, settings, 1);
  EXPECT_FALSE(r.dithered);
  EXPECT_EQ(r.passes, 1);
  EXPECT_EQ(r.limiter.seconds_reducing, 0);
  EXPECT_EQ(r.delivered.samples, track.samples);
  ASSERT_EQ(r.pcm.size(), track.samples.size());
  for (std::size_t i = 0; i < r.pcm.size(); ++i) ASSERT_EQ(r.pcm[i], static_cast<int>(track.samples[i] * 32768)) << i;
}

TEST(Render, DeterministicAndKeyedDither) {
  const auto track = gloss::test::programme(48000, 2, 2, 4);
  gloss::RenderSettings settings;
  settings.output_bits = 16;
  const auto a = gloss::render_track(track, 2.0, settings, 7);
  const auto b = gloss::render_track(track, 2.0, settings, 7);
  const auto c = gloss::render_track(track, 2.0, settings, 8);
  EXPECT_TRUE(a.dithered);
  EXPECT_EQ(a.pcm, b.pcm);
  EXPECT_NE(a.pcm, c.pcm);  // another track key: other noise
}

TEST(Render, SettingsAreChecked) {
  gloss::RenderSettings settings;
  settings.output_bits = 20;
  EXPECT_NE(gloss::check_render(settings, 48000).find("16, 24 or 32"), std::string::npos);
  settings.output_bits = 16;
  settings.noise_shaping = gloss::NoiseShaping::f_weighted;
  EXPECT_NE(gloss::check_render(settings, 96000).find("not offered"), std::string::npos);
  EXPECT_EQ(gloss::check_render(settings, 44100), "");
}

}  // namespace

namespace {

// The scanner re-reads only the segments whose samples changed; its answer must be the
// fresh scan's, overs included, in the same order.
TEST(TruePeakScanner, ReusedSegmentsGiveTheFreshAnswer) {
  gloss::AudioTrack track = gloss::test::programme(48000, 2, 3, 8);
  for (float& v : track.samples) v *= 1.6f;  // some segments over the limit
  gloss::TruePeakScanner scanner;
  const double limit = 0.9;
  const gloss::TruePeakScan first = scanner.scan(track, limit);
  ASSERT_FALSE(first.overs.empty());
  for (std::int64_t n = 70000; n < 70100; ++n) track.channel(1)[n] *= 0.5f;  // one region changes
  const gloss::TruePeakScan reused = scanner.scan(track, limit);
  const gloss::TruePeakScan fresh = gloss::scan_true_peak(track, limit);
  EXPECT_EQ(reused.precise, fresh.precise);
  EXPECT_EQ(reused.highest, fresh.highest);
  ASSERT_EQ(reused.overs.size(), fresh.overs.size());
  for (std::size_t i = 0; i < fresh.overs.size(); ++i) {
    EXPECT_EQ(reused.overs[i].frame, fresh.overs[i].frame) << i;
    EXPECT_EQ(reused.overs[i].level, fresh.overs[i].level) << i;
  }
}

}  // namespace
