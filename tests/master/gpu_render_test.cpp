// The render stages on a CUDA device must give the CPU stages' bits: every stage alone
// (limiter gains and samples with and without caps, SRC, quantize with and without noise
// shaping) and whole renders (delivered samples, PCM, passes, limiter statistics) over
// adversarial and music-like tracks and every delivery path. Skips with a message when no
// device is present; the no-device error path runs everywhere (GpuRenderAbsent).
#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include <fmt/format.h>

#include "../../cuda/cuda_backend.hpp"
#include "../../cuda/render_stages_cuda.hpp"
#include "detmath.hpp"
#include "gloss/error.hpp"
#include "render_chain.hpp"
#include "render_fingerprint.hpp"
#include "render_signals.hpp"
#include "render_stages.hpp"

namespace gloss {
namespace {

struct Delivery {
  int in_rate;
  int out_rate;
  int bits;
  NoiseShaping shaping;
};

// The golden test's deliveries (render_golden_test.cpp): every path of every stage.
const std::vector<Delivery> kDeliveries = {
    {44100, 44100, 16, NoiseShaping::none},       {96000, 44100, 16, NoiseShaping::none},
    {44100, 48000, 24, NoiseShaping::f_weighted}, {48000, 48000, 16, NoiseShaping::f_weighted},
    {192000, 96000, 24, NoiseShaping::none},      {44100, 48000, 32, NoiseShaping::none},
};

std::string hex(float v) { return fmt::format("{:08x} ({:a})", std::bit_cast<std::uint32_t>(v), v); }
std::string hex(std::int32_t v) { return fmt::format("{:08x} ({})", static_cast<std::uint32_t>(v), v); }
std::string hex(std::int64_t v) { return fmt::format("{:016x} ({})", static_cast<std::uint64_t>(v), v); }

// Empty when equal; otherwise the size or the first differing element, both values in hex.
template <typename T>
std::string first_difference(const std::vector<T>& cpu, const std::vector<T>& gpu) {
  if (cpu.size() != gpu.size()) return fmt::format("{} values on the cpu, {} on the device", cpu.size(), gpu.size());
  for (std::size_t i = 0; i < cpu.size(); ++i)
    if (std::bit_cast<std::make_unsigned_t<T>>(cpu[i]) != std::bit_cast<std::make_unsigned_t<T>>(gpu[i]))
      return fmt::format("element {}: cpu {}, device {}", i, hex(cpu[i]), hex(gpu[i]));
  return {};
}

std::string first_difference(const std::vector<float>& cpu, const std::vector<float>& gpu) {
  if (cpu.size() != gpu.size()) return fmt::format("{} values on the cpu, {} on the device", cpu.size(), gpu.size());
  for (std::size_t i = 0; i < cpu.size(); ++i)
    if (std::bit_cast<std::uint32_t>(cpu[i]) != std::bit_cast<std::uint32_t>(gpu[i]))
      return fmt::format("sample {}: cpu {}, device {}", i, hex(cpu[i]), hex(gpu[i]));
  return {};
}

RenderSettings settings_for(const Delivery& d) {
  RenderSettings s;
  s.output_rate = d.out_rate;
  s.output_bits = d.bits;
  s.noise_shaping = d.shaping;
  s.dither_seed = 0x5eed;
  return s;
}

std::string describe(const Delivery& d, const AudioTrack& t, double gain_db) {
  return fmt::format("{} ({} ch, {} frames) at {} -> {} Hz, {} bit, {:+.0f} dB", t.name, t.channels, t.frames,
                     d.in_rate, d.out_rate, d.bits, gain_db);
}

void expect_same_render(const RenderedTrack& cpu, const RenderedTrack& gpu, const std::string& what) {
  EXPECT_EQ(first_difference(cpu.delivered.samples, gpu.delivered.samples), "") << what << ": delivered samples";
  EXPECT_EQ(first_difference(cpu.pcm, gpu.pcm), "") << what << ": PCM codes";
  EXPECT_EQ(cpu.passes, gpu.passes) << what;
  EXPECT_EQ(cpu.clipped, gpu.clipped) << what;
  EXPECT_EQ(cpu.dithered, gpu.dithered) << what;
  EXPECT_EQ(test::render::render_hash(cpu), test::render::render_hash(gpu)) << what << ": limiter statistics or readings";
}

class GpuRender : public ::testing::Test {
 protected:
  void SetUp() override {
    if (cuda_device_count() == 0)
      GTEST_SKIP() << "no CUDA device on this machine: the CUDA render stages were built but cannot be tested here";
    devices_ = usable_cuda_devices();
    if (devices_.empty()) GTEST_SKIP() << "no CUDA device here can run this build's kernels";
  }
  std::vector<int> devices_;
};

TEST_F(GpuRender, LimiterGainsAndSamplesMatchTheCpu) {
  CpuRenderStages cpu;
  for (const int d : devices_) {
    CudaRenderStages gpu(d);
    for (const int rate : {44100, 96000, 192000}) {  // 4x, 2x and no interpolating detector
      for (const AudioTrack& track : test::render::render_cases(rate, 1.0)) {
        const kernels::LimiterShape shape =
            design_limiter(LimiterSettings{}, rate, detmath::db_to_amplitude(4.0), detmath::db_to_amplitude(-1.0));
        // Caps lower every 97th frame's allowed gain by a different amount: the verify passes' path.
        std::vector<std::int64_t> caps(static_cast<std::size_t>(track.frames), kernels::kUnityGain);
        for (std::size_t n = 0; n < caps.size(); n += 97) caps[n] = kernels::kUnityGain / 2 + static_cast<std::int64_t>(n);
        for (const bool capped : {false, true}) {
          const std::vector<std::int64_t> none;
          std::vector<std::int64_t> cpu_gains, gpu_gains;
          LimiterStats cpu_stats, gpu_stats;
          const AudioTrack a = cpu.limit(track, shape, capped ? caps : none, cpu_gains, cpu_stats);
          const AudioTrack b = gpu.limit(track, shape, capped ? caps : none, gpu_gains, gpu_stats);
          const std::string what = fmt::format("{} on {}: {} at {} Hz{}", gpu.name(), "limit", track.name, rate,
                                               capped ? " with caps" : "");
          EXPECT_EQ(first_difference(cpu_gains, gpu_gains), "") << what << ": gains";
          EXPECT_EQ(first_difference(a.samples, b.samples), "") << what << ": samples";
          EXPECT_EQ(a.frames, b.frames) << what;
          EXPECT_EQ(std::bit_cast<std::uint64_t>(cpu_stats.max_reduction_db),
                    std::bit_cast<std::uint64_t>(gpu_stats.max_reduction_db)) << what;
        }
      }
    }
  }
}

TEST_F(GpuRender, ResampleAndQuantizeMatchTheCpu) {
  CpuRenderStages cpu;
  for (const int d : devices_) {
    CudaRenderStages gpu(d);
    for (const Delivery& delivery : kDeliveries) {
      const Resampler src(delivery.in_rate, delivery.out_rate);
      for (const AudioTrack& track : test::render::render_cases(delivery.in_rate, 1.0)) {
        const std::string what = fmt::format("{}: {} at {} -> {} Hz", gpu.name(), track.name, delivery.in_rate,
                                             delivery.out_rate);
        const AudioTrack at_rate = cpu.resample(src, track);
        EXPECT_EQ(first_difference(at_rate.samples, gpu.resample(src, track).samples), "") << what << ": SRC";
        if (delivery.bits == 32) continue;
        for (const bool dither : {false, true}) {
          QuantizeSpec spec{delivery.bits, dither, dither ? delivery.shaping : NoiseShaping::none, 0x5eed};
          QuantizeStats cpu_stats, gpu_stats;
          const auto a = cpu.quantize(at_rate, spec, 77, cpu_stats);
          const auto b = gpu.quantize(at_rate, spec, 77, gpu_stats);
          EXPECT_EQ(first_difference(a, b), "") << what << (dither ? ", dithered" : ", plain") << ": codes";
          EXPECT_EQ(cpu_stats.clipped, gpu_stats.clipped) << what;
        }
      }
    }
  }
}

TEST_F(GpuRender, WholeRendersMatchTheCpuBitForBit) {
  CpuRenderStages cpu;
  for (const int d : devices_) {
    CudaRenderStages gpu(d);
    for (const Delivery& delivery : kDeliveries) {
      const RenderSettings settings = settings_for(delivery);
      std::uint64_t key = 100;
      for (const AudioTrack& track : test::render::render_cases(delivery.in_rate, 1.0)) {
        ++key;
        for (const double gain_db : {0.0, 4.0}) {
          const std::string what = gpu.name() + ": " + describe(delivery, track, gain_db);
          expect_same_render(render_track(track, gain_db, settings, key, cpu),
                             render_track(track, gain_db, settings, key, gpu), what);
        }
      }
    }
  }
}

TEST_F(GpuRender, ManyHostThreadsOnOneDeviceGiveTheSameBits) {
  // `gloss master` renders one track per CPU thread, all through one CudaRenderStages.
  const std::vector<AudioTrack> tracks = test::render::render_cases(48000, 1.0);
  const RenderSettings settings = settings_for({48000, 44100, 16, NoiseShaping::f_weighted});
  CpuRenderStages cpu;
  std::vector<RenderedTrack> expected;
  for (std::size_t t = 0; t < tracks.size(); ++t) expected.push_back(render_track(tracks[t], 3.0, settings, t, cpu));
  CudaRenderStages gpu(devices_.front());
  std::vector<RenderedTrack> got(tracks.size());
  std::vector<std::string> errors(tracks.size());
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < tracks.size(); ++t)
    threads.emplace_back([&, t] {
      try {
        got[t] = render_track(tracks[t], 3.0, settings, t, gpu);
      } catch (const std::exception& e) {
        errors[t] = e.what();
      }
    });
  for (std::thread& t : threads) t.join();
  for (std::size_t t = 0; t < tracks.size(); ++t) {
    ASSERT_EQ(errors[t], "") << tracks[t].name;
    expect_same_render(expected[t], got[t], gpu.name() + " on " + std::to_string(tracks.size()) + " threads: " +
                                                tracks[t].name);
  }
}

TEST_F(GpuRender, UnknownDeviceIsAClearError) {
  try {
    CudaRenderStages stages(cuda_device_count() + 3);
    FAIL() << "expected an error for a missing device";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("not available"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace gloss

// Without a device, the error path still has to be right: checked outside the fixture.
TEST(GpuRenderAbsent, MissingDeviceGivesAClearErrorNotAFallback) {
  if (gloss::cuda_device_count() > 0) GTEST_SKIP() << "a CUDA device is present";
  EXPECT_THROW(gloss::CudaRenderStages stages(0), gloss::Error);
  for (const char* spec : {"cuda", "cuda:0", "cuda:3"}) {
    try {
      auto stages = gloss::make_render_stages(spec);
      FAIL() << "make_render_stages(" << spec << ") must not succeed without a device";
    } catch (const gloss::Error& e) {
      EXPECT_NE(std::string(e.what()).find("--device cpu"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("not available"), std::string::npos) << e.what();
    }
  }
  // auto renders on the CPU when there is no device, and says so by its name.
  EXPECT_EQ(gloss::make_render_stages("auto")->name(), "cpu");
}
