// The render stages interface on the CPU: render_track sends every stage through it (so a
// device implementation really runs the whole chain), the explicit CPU stages equal the
// default overload, the device checks refuse what quantize_channel refuses with its words,
// and make_render_stages names what it cannot make.
#include <gtest/gtest.h>

#include <limits>
#include <string>

#include "device_spec.hpp"
#include "gloss/error.hpp"
#include "render_chain.hpp"
#include "render_fingerprint.hpp"
#include "render_signals.hpp"
#include "render_stages.hpp"

namespace gloss {
namespace {

// Counts the calls, computes on the CPU stages.
class CountingStages final : public RenderStages {
 public:
  std::string name() const override { return "counting"; }
  AudioTrack limit(const AudioTrack& input, const kernels::LimiterShape& shape, const std::vector<std::int64_t>& caps,
                   std::vector<std::int64_t>& gains, LimiterStats& stats) override {
    ++limits;
    return cpu.limit(input, shape, caps, gains, stats);
  }
  AudioTrack resample(const Resampler& src, const AudioTrack& track) override {
    ++resamples;
    return cpu.resample(src, track);
  }
  std::vector<std::int32_t> quantize(const AudioTrack& track, const QuantizeSpec& spec, std::uint64_t key,
                                     QuantizeStats& stats) override {
    ++quantizes;
    return cpu.quantize(track, spec, key, stats);
  }
  CpuRenderStages cpu;
  int limits = 0, resamples = 0, quantizes = 0;
};

TEST(RenderStages, EveryStageOfEveryPassGoesThroughTheInterface) {
  const AudioTrack track = test::render::square(96000, 0.5, 997);  // hot: the limiter works, SRC and dither reshape
  RenderSettings settings;
  settings.output_rate = 44100;
  settings.output_bits = 16;
  CountingStages stages;
  const RenderedTrack counted = render_track(track, 4.0, settings, 3, stages);
  EXPECT_GE(counted.passes, 1);
  EXPECT_EQ(stages.limits, counted.passes);
  EXPECT_EQ(stages.resamples, counted.passes);
  EXPECT_EQ(stages.quantizes, counted.passes);
  EXPECT_EQ(test::render::render_hash(counted), test::render::render_hash(render_track(track, 4.0, settings, 3)));

  settings.output_rate = 0;  // same rate: no SRC stage; float output: no quantize stage
  settings.output_bits = 32;
  CountingStages plain;
  const RenderedTrack r = render_track(track, 4.0, settings, 3, plain);
  EXPECT_EQ(plain.limits, r.passes);
  EXPECT_EQ(plain.resamples, 0);
  EXPECT_EQ(plain.quantizes, 0);
}

TEST(RenderStages, ExplicitCpuStagesEqualTheDefault) {
  RenderSettings settings;
  settings.output_rate = 48000;
  settings.output_bits = 24;
  settings.noise_shaping = NoiseShaping::f_weighted;
  CpuRenderStages cpu;
  for (const AudioTrack& track : test::render::render_cases(44100, 0.3))
    EXPECT_EQ(test::render::render_hash(render_track(track, 3.0, settings, 11, cpu)),
              test::render::render_hash(render_track(track, 3.0, settings, 11)))
        << track.name;
}

TEST(RenderStages, QuantizeChecksUseQuantizeChannelsWords) {
  AudioTrack track = test::render::programme(44100, 2, 0.1, 3);
  track.samples[static_cast<std::size_t>(track.frames + 17)] = std::numeric_limits<float>::quiet_NaN();
  const QuantizeSpec spec;
  std::string from_channel, from_check;
  try {
    quantize_channel(track.channel(1), spec, track.sample_rate, 0, 1);
  } catch (const Error& e) {
    from_channel = e.what();
  }
  try {
    check_quantize_input(track, spec);
  } catch (const Error& e) {
    from_check = e.what();
  }
  EXPECT_NE(from_channel, "");
  EXPECT_EQ(from_channel, from_check);

  QuantizeSpec shaped;
  shaped.shaping = NoiseShaping::f_weighted;
  track.sample_rate = 96000;
  EXPECT_THROW(check_quantize_input(track, shaped), Error);
}

TEST(RenderStages, FactoryNamesWhatItMakesAndRefusesWhatItCannot) {
  EXPECT_EQ(make_render_stages("cpu")->name(), "cpu");
  try {
    make_render_stages("gpu");
    FAIL() << "an unknown device must be refused";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("unknown device 'gpu'"), std::string::npos) << e.what();
  }
  try {
    make_render_stages("reference");
    FAIL() << "the reference executor has no render stages";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("unknown render device 'reference'"), std::string::npos) << e.what();
  }
  try {
    make_render_stages("cuda:first");
    FAIL() << "a malformed device number must be refused";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("expected cuda:N"), std::string::npos) << e.what();
  }
  // One parser serves the meter backends and the render stages.
  EXPECT_EQ(parse_device_spec("auto").kind, DeviceSpec::Kind::Auto);
  EXPECT_EQ(parse_device_spec("cuda").cuda_device, 0);
  EXPECT_EQ(parse_device_spec("cuda:3").cuda_device, 3);
  EXPECT_TRUE(parse_device_spec("reference:7").shuffled);
  EXPECT_EQ(parse_device_spec("reference:7").shuffle_seed, 7u);
  EXPECT_FALSE(parse_device_spec("reference").shuffled);
  EXPECT_THROW(parse_device_spec("cuda:-1"), Error);
  EXPECT_THROW(parse_device_spec("reference:x"), Error);
  EXPECT_THROW(parse_device_spec("cpu:0"), Error);
  // auto is the CPU or a CUDA device, never anything else.
  const std::string automatic = make_render_stages("auto")->name();
  EXPECT_TRUE(automatic == "cpu" || automatic.starts_with("cuda:")) << automatic;
}

}  // namespace
}  // namespace gloss
