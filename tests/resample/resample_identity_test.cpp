// Bit identity of the resampler: any output range computed alone (in any order, any chunk
// size, one frame at a time) equals the whole channel; the baseline and AVX2 kernel copies
// agree; equal rates return the input bit for bit; golden hashes pin the design across
// machines. Also the edge cases (0 and 1 frames, 8 kHz and 384 kHz, every common pair) and
// the errors.
#include <gtest/gtest.h>

#include "support/bits.hpp"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstdio>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "gloss/error.hpp"
#include "resampler.hpp"

namespace gloss {
namespace {

const std::vector<int> kCommonRates = {8000,  11025, 16000,  22050,  32000,  44100, 48000,
                                       88200, 96000, 176400, 192000, 352800, 384000};

using gloss::test::expect_same_bits;

// Uniform noise in [-1, 1) from SplitMix64: the same values with every standard library (the
// golden hashes depend on them; std:: distributions are implementation-defined).
std::vector<float> noise(std::int64_t frames, std::uint64_t seed) {
  std::vector<float> x(static_cast<std::size_t>(frames));
  for (float& v : x) {
    std::uint64_t z = (seed += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    v = static_cast<float>(static_cast<double>(z >> 40) / 8388608.0 - 1.0);  // 24 bits: exact in float
  }
  return x;
}

std::vector<float> whole(const Resampler& r, std::span<const float> in, KernelIsa isa = KernelIsa::Baseline) {
  std::vector<float> out(static_cast<std::size_t>(r.output_frames(static_cast<std::int64_t>(in.size()))));
  r.run(in, out, 0, static_cast<std::int64_t>(out.size()), isa);
  return out;
}

// FNV-1a over the bytes of a range of values.
template <typename T>
std::uint64_t fnv1a(std::span<const T> values) {
  std::uint64_t h = 1469598103934665603ull;
  for (const T& v : values)
    for (std::byte b : std::as_bytes(std::span<const T, 1>(&v, 1))) h = (h ^ std::to_integer<std::uint64_t>(b)) * 1099511628211ull;
  return h;
}

struct Pair {
  int in, out;
};
std::string name(const Pair& p) { return std::to_string(p.in) + " -> " + std::to_string(p.out); }

const std::vector<Pair> kPairs = {{96000, 44100}, {44100, 48000}, {48000, 44100}, {44100, 96000},
                                  {192000, 48000}, {88200, 44100}, {8000, 384000}, {384000, 8000},
                                  {11025, 16000}, {48000, 96000}};

// Chunks of random sizes, computed in a shuffled order, and single frames, all equal the
// whole channel; so do both kernel copies.
TEST(ResampleIdentity, AnyRangeEqualsWholeChannel) {
  std::uint32_t seed = 7;
  for (const Pair& p : kPairs) {
    const Resampler r(p.in, p.out);
    for (std::int64_t frames : {std::int64_t{1}, std::int64_t{5}, std::int64_t{r.shape().taps},
                                std::int64_t{3 * r.shape().taps + 7}, std::int64_t{20000}}) {
      const auto in = noise(frames, ++seed);
      const auto reference = whole(r, in);
      const std::string what = name(p) + ", " + std::to_string(frames) + " frames, seed " + std::to_string(seed);
      const auto out_frames = static_cast<std::int64_t>(reference.size());

      std::mt19937 gen(seed);
      std::vector<std::pair<std::int64_t, std::int64_t>> chunks;
      for (std::int64_t at = 0; at < out_frames;) {
        const std::int64_t len = std::uniform_int_distribution<std::int64_t>(1, 1500)(gen);
        chunks.emplace_back(at, std::min(out_frames, at + len));
        at += len;
      }
      std::shuffle(chunks.begin(), chunks.end(), gen);
      std::vector<float> chunked(reference.size(), -99.0f);
      for (auto [first, last] : chunks) r.run(in, chunked, first, last, KernelIsa::Baseline);
      expect_same_bits(reference, chunked, what + ", shuffled chunks");

      std::vector<float> single(reference.size(), -99.0f);
      for (std::int64_t n = out_frames - 1; n >= 0; --n) r.run(in, single, n, n + 1, KernelIsa::Baseline);
      expect_same_bits(reference, single, what + ", one frame at a time");

      if (kernel_isa_available(KernelIsa::Avx2)) {
        expect_same_bits(reference, whole(r, in, KernelIsa::Avx2), what + ", AVX2 copy");
        std::vector<float> avx2_chunked(reference.size(), -99.0f);
        for (auto [first, last] : chunks) r.run(in, avx2_chunked, first, last, KernelIsa::Avx2);
        expect_same_bits(reference, avx2_chunked, what + ", AVX2 copy, shuffled chunks");
      }
    }
  }
}

// Equal rates copy every sample bit for bit, signed zeros, subnormals and overs included.
TEST(ResampleIdentity, EqualRatesAreExactIdentity) {
  auto in = noise(10000, 99);
  in[0] = -0.0f;
  in[1] = 1e-40f;  // subnormal
  in[2] = 3.5f;
  in[3] = -1.0f;
  for (int rate : kCommonRates) {
    const Resampler r(rate, rate);
    EXPECT_TRUE(r.identity());
    EXPECT_TRUE(r.coefficients().empty());
    EXPECT_EQ(r.output_frames(12345), 12345);
    expect_same_bits(in, whole(r, in), std::to_string(rate) + " Hz identity");
    EXPECT_NE(r.describe().find("unchanged"), std::string::npos) << r.describe();
  }
}

// Golden values: the coefficient table and one output, hashed. They change only if the
// design or the kernel's order of arithmetic changes (or detmath does), which is exactly what
// must not happen silently between machines or builds.
TEST(ResampleIdentity, GoldenHashes) {
  const Resampler down(96000, 44100), up(44100, 48000);
  const auto in = noise(4096, 2024);
  const auto y_down = whole(down, in), y_up = whole(up, in);
  const std::uint64_t h[4] = {fnv1a(down.coefficients()), fnv1a(up.coefficients()),
                              fnv1a(std::span<const float>(y_down)), fnv1a(std::span<const float>(y_up))};
  std::printf("  golden: %016llx %016llx %016llx %016llx\n", static_cast<unsigned long long>(h[0]),
              static_cast<unsigned long long>(h[1]), static_cast<unsigned long long>(h[2]),
              static_cast<unsigned long long>(h[3]));
  EXPECT_EQ(h[0], 0x17294ba31112cceaull) << "96000 -> 44100 coefficients";
  EXPECT_EQ(h[1], 0x3bd6b39fd1acff59ull) << "44100 -> 48000 coefficients";
  EXPECT_EQ(h[2], 0xdf199be77342db02ull) << "96000 -> 44100 output";
  EXPECT_EQ(h[3], 0xca51f636712c5f83ull) << "44100 -> 48000 output";
}

// Every pair of the common rates designs, has the documented shape, keeps a DC level and the
// output length rule.
TEST(ResampleEdges, EveryCommonPairWorks) {
  for (int in_rate : kCommonRates)
    for (int out_rate : kCommonRates) {
      const Resampler r(in_rate, out_rate);
      const std::string what = std::to_string(in_rate) + " -> " + std::to_string(out_rate);
      const auto& s = r.shape();
      EXPECT_EQ(static_cast<std::int64_t>(in_rate) * s.up, static_cast<std::int64_t>(out_rate) * s.down) << what;
      EXPECT_EQ(r.output_frames(in_rate), out_rate) << what;  // one second stays one second
      EXPECT_EQ(r.output_frames(0), 0) << what;
      EXPECT_EQ(r.output_frames(1), (s.up + s.down - 1) / s.down) << what;
      if (in_rate == out_rate) continue;
      EXPECT_EQ(s.taps % kernels::kResampleLanes, 0) << what;
      EXPECT_EQ(s.lead, s.taps / 2 - 1) << what;
      EXPECT_EQ(r.coefficients().size(), static_cast<std::size_t>(s.up) * s.taps) << what;
      const double nyquist = std::min(in_rate, out_rate) / 2.0;
      EXPECT_GE(r.passband_hz(), std::min(20000.0, 0.9 * nyquist)) << what;
      EXPECT_DOUBLE_EQ(r.passband_hz() + r.stopband_hz(), 2 * nyquist) << what;
      // A constant: 3 x the window, level kept in the middle.
      const std::vector<float> in(static_cast<std::size_t>(3 * s.taps), 0.25f);
      const auto out = whole(r, in);
      EXPECT_FLOAT_EQ(out[out.size() / 2], 0.25f) << what;
    }
}

// 0 and 1 frames at the extremes of the range: lengths by the rule, a single sample comes out
// as a single band-limited pulse of the right height.
TEST(ResampleEdges, EmptyAndOneSampleTracks) {
  for (const Pair& p : std::vector<Pair>{{8000, 384000}, {384000, 8000}, {44100, 48000}, {96000, 44100}}) {
    const Resampler r(p.in, p.out);
    EXPECT_TRUE(whole(r, std::vector<float>{}).empty()) << name(p);
    const auto y = whole(r, std::vector<float>{0.75f});
    ASSERT_EQ(static_cast<std::int64_t>(y.size()), (r.shape().up + r.shape().down - 1) / r.shape().down) << name(p);
    EXPECT_NEAR(y[0], 0.75 * std::min(1.0, static_cast<double>(p.out) / p.in), 1e-3) << name(p);
    for (float v : y) EXPECT_TRUE(std::isfinite(v)) << name(p);

    AudioTrack track;
    track.name = "one sample";
    track.sample_rate = p.in;
    track.channels = 2;
    track.frames = 1;
    track.samples = {0.5f, -0.5f};
    track.layout = {ChannelRole::Left, ChannelRole::Right};
    const AudioTrack out = r.resample(track);
    EXPECT_EQ(out.sample_rate, p.out);
    EXPECT_EQ(out.frames, static_cast<std::int64_t>(y.size()));
    EXPECT_EQ(out.layout, track.layout);
    EXPECT_EQ(out.channel(0)[0], -out.channel(1)[0]);
  }
}

TEST(ResampleEdges, ResampleTrackMatchesRunPerChannel) {
  const Resampler r(44100, 96000);
  AudioTrack track;
  track.sample_rate = 44100;
  track.channels = 3;
  track.frames = 5000;
  track.samples = noise(15000, 5);
  const AudioTrack out = r.resample(track);
  ASSERT_EQ(out.frames, r.output_frames(5000));
  for (int c = 0; c < 3; ++c) expect_same_bits(whole(r, track.channel(c), best_kernel_isa()), out.channel(c), "channel");
}

TEST(ResampleErrors, ClearMessages) {
  auto message = [](auto&& f) {
    try {
      f();
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  EXPECT_NE(message([] { Resampler(0, 48000); }).find("must be positive"), std::string::npos);
  EXPECT_NE(message([] { Resampler(44100, -1); }).find("must be positive"), std::string::npos);
  const std::string odd = message([] { Resampler(44100, 44101); });
  EXPECT_NE(odd.find("not supported"), std::string::npos) << odd;
  EXPECT_NE(odd.find("44101/44100"), std::string::npos) << odd;

  const Resampler r(48000, 44100);
  const auto in = noise(100, 1);
  std::vector<float> wrong(10);
  EXPECT_NE(message([&] { r.run(in, wrong, 0, 10); }).find("output buffer holds 10"), std::string::npos);
  std::vector<float> out(static_cast<std::size_t>(r.output_frames(100)));
  EXPECT_NE(message([&] { r.run(in, out, 5, 200); }).find("not inside"), std::string::npos);
  AudioTrack t;
  t.sample_rate = 44100;
  EXPECT_NE(message([&] { (void)r.resample(t); }).find("at 44100 Hz"), std::string::npos);
}

}  // namespace
}  // namespace gloss
