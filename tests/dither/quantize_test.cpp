// Quantization exactness and the API: 16/24-bit PCM passes through undithered bit for bit,
// ties go to even, clamping is counted, bad input and unsupported settings fail clearly,
// digital silence gives +-1 LSB of TPDF or zeros, the dither is the documented function of
// the generator's words, and any split of a channel into ranges on any thread gives the same
// bits as the whole.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "gloss/error.hpp"
#include "quantizer.hpp"

namespace gloss {
namespace {

using kernels::QuantizeParams;

std::int64_t max_code(int bits) { return (std::int64_t{1} << (bits - 1)) - 1; }

// Random codes of a format as floats, every extreme included.
std::vector<std::int32_t> random_codes(int bits, int count, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  const std::int64_t top = max_code(bits);
  std::vector<std::int32_t> codes = {0, 1, -1, static_cast<std::int32_t>(top), static_cast<std::int32_t>(-top - 1),
                                     static_cast<std::int32_t>(top - 1), static_cast<std::int32_t>(-top)};
  while (static_cast<int>(codes.size()) < count)
    codes.push_back(static_cast<std::int32_t>(static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(2 * top + 2)) - top - 1));
  return codes;
}

std::vector<float> as_float(const std::vector<std::int32_t>& codes, int bits) {
  std::vector<float> x(codes.size());
  for (std::size_t i = 0; i < codes.size(); ++i) x[i] = static_cast<float>(std::ldexp(codes[i], 1 - bits));
  return x;
}

// Undithered: every 16-bit code (all 65536) and a million random 24-bit codes come back exactly.
TEST(Quantize, PcmPassesThroughUndithered) {
  std::vector<std::int32_t> all16;
  for (std::int32_t c = -32768; c <= 32767; ++c) all16.push_back(c);
  for (int bits : {16, 24}) {
    const std::vector<std::int32_t> codes = bits == 16 ? all16 : random_codes(24, 1'000'000, 24);
    QuantizeStats stats;
    const auto q = quantize_channel(as_float(codes, bits), {.bits = bits, .dither = false}, 48000, 5, 0, &stats);
    ASSERT_EQ(q.size(), codes.size());
    for (std::size_t i = 0; i < codes.size(); ++i)
      ASSERT_EQ(q[i], codes[i]) << bits << "-bit code at index " << i;
    EXPECT_EQ(stats.clipped, 0);
  }
}

// 16-bit codes through the 24-bit quantizer become code * 256, exactly.
TEST(Quantize, SixteenBitCodesAreExactIn24Bit) {
  const auto codes = random_codes(16, 10000, 16);
  const auto q = quantize_channel(as_float(codes, 16), {.bits = 24, .dither = false}, 44100, 0, 0);
  for (std::size_t i = 0; i < codes.size(); ++i) ASSERT_EQ(q[i], codes[i] * 256) << "index " << i;
}

// Halfway values round to the even code, both signs, both formats; values just off half go
// to the nearer code.
TEST(Quantize, TiesGoToEven) {
  for (int bits : {16, 24}) {
    std::vector<float> x;
    std::vector<std::int32_t> expected;
    for (int k = -6; k <= 5; ++k) {
      x.push_back(static_cast<float>(std::ldexp(k + 0.5, 1 - bits)));
      expected.push_back(k % 2 == 0 ? k : k + 1);
    }
    x.push_back(static_cast<float>(std::ldexp(2.5 + 1.0 / 64, 1 - bits)));
    expected.push_back(3);
    x.push_back(static_cast<float>(std::ldexp(-2.5 - 1.0 / 64, 1 - bits)));
    expected.push_back(-3);
    const auto q = quantize_channel(x, {.bits = bits, .dither = false}, 48000, 0, 0);
    for (std::size_t i = 0; i < x.size(); ++i) EXPECT_EQ(q[i], expected[i]) << bits << "-bit, x = " << x[i];
  }
}

// +1.0 is one code above the largest; -1.0 is the smallest code exactly. Everything beyond
// is clamped and counted, however large.
TEST(Quantize, ClampsAndCountsClips) {
  for (int bits : {16, 24}) {
    const auto top = static_cast<std::int32_t>(max_code(bits));
    const auto bottom = -top - 1;
    const float largest = static_cast<float>(top / (top + 1.0));  // exact in float for both formats
    const std::vector<float> x = {1.0f, -1.0f, largest, -1.001f, 2.0f, -2.0f, 3e38f, -3e38f, 0.5f};
    const std::vector<std::int32_t> expected = {top, bottom, top, bottom, top, bottom, top, bottom, (top + 1) / 2};
    QuantizeStats stats;
    stats.clipped = 10;  // the count is added to
    EXPECT_EQ(quantize_channel(x, {.bits = bits, .dither = false}, 48000, 1, 0, &stats), expected) << bits;
    EXPECT_EQ(stats.clipped, 10 + 6) << bits;  // +1.0, -1.001, +-2, +-3e38
    // With dither the far ones still clamp; +1.0 stays at the top code whether or not the
    // dither pulled it below half an LSB over.
    stats.clipped = 0;
    const auto q = quantize_channel(x, {.bits = bits}, 48000, 1, 0, &stats);
    for (std::size_t i : {0, 3, 4, 5, 6, 7}) EXPECT_EQ(q[i], expected[i]) << bits << "-bit, x = " << x[i];
    EXPECT_GE(stats.clipped, 5) << bits;  // certain: -1.001, +-2, +-3e38
    EXPECT_LE(stats.clipped, 8) << bits;  // and possibly +1.0, -1.0, largest
  }
}

TEST(Quantize, NonFiniteSamplesFailNamingTheSample) {
  std::vector<float> x(100, 0.25f);
  x[37] = std::nanf("");
  try {
    quantize_channel(x, {}, 48000, 0, 3);
    FAIL() << "NaN accepted";
  } catch (const Error& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("channel 3"), std::string::npos) << m;
    EXPECT_NE(m.find("sample 37"), std::string::npos) << m;
  }
  x[37] = -INFINITY;
  EXPECT_THROW(quantize_channel(x, {.dither = false}, 48000, 0, 0), Error);
}

TEST(Quantize, RefusesUnsupportedSettings) {
  const std::vector<float> x(10, 0.1f);
  for (int bits : {8, 20, 32}) EXPECT_THROW(quantize_channel(x, {.bits = bits}, 48000, 0, 0), Error) << bits;
  EXPECT_THROW(quantize_channel(x, {}, 48000, 0, -1), Error);
  EXPECT_THROW(quantize_channel(x, {}, 48000, 0, 65536), Error);
  EXPECT_NO_THROW(quantize_channel(x, {}, 48000, 0, 65535));
  // The shaping filter is designed for 44.1 kHz and offered at 44.1 and 48 kHz only.
  const QuantizeSpec shaped{.shaping = NoiseShaping::f_weighted};
  EXPECT_NO_THROW(quantize_channel(x, shaped, 44100, 0, 0));
  EXPECT_NO_THROW(quantize_channel(x, shaped, 48000, 0, 0));
  for (int rate : {8000, 32000, 88200, 96000, 192000}) {
    try {
      quantize_channel(x, shaped, rate, 0, 0);
      ADD_FAILURE() << "f-weighted accepted at " << rate;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("\"none\""), std::string::npos) << e.what();
    }
    EXPECT_FALSE(noise_shaping_supported(NoiseShaping::f_weighted, rate));
    EXPECT_TRUE(noise_shaping_supported(NoiseShaping::none, rate));
    EXPECT_NO_THROW(quantize_channel(x, {}, rate, 0, 0));
  }
}

TEST(Quantize, ShapingNamesRoundTrip) {
  for (NoiseShaping s : {NoiseShaping::none, NoiseShaping::f_weighted})
    EXPECT_EQ(parse_noise_shaping(noise_shaping_name(s)), s);
  EXPECT_EQ(noise_shaping_name(NoiseShaping::f_weighted), "f-weighted");
  try {
    parse_noise_shaping("shibata");
    FAIL() << "unknown name accepted";
  } catch (const Error& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("shibata"), std::string::npos) << m;
    EXPECT_NE(m.find("f-weighted"), std::string::npos) << m;
  }
}

// Digital silence: without dither all zeros; with TPDF only -1, 0, +1, with P(+-1) = 1/8 each
// (|d| > 1/2 has probability 1/4); shaped, small and never all zero.
TEST(Quantize, DigitalSilence) {
  const std::vector<float> silence(1 << 18, 0.0f);
  for (int bits : {16, 24}) {
    const auto plain = quantize_channel(silence, {.bits = bits, .dither = false}, 48000, 9, 0);
    EXPECT_TRUE(std::all_of(plain.begin(), plain.end(), [](std::int32_t v) { return v == 0; }));
    const auto dithered = quantize_channel(silence, {.bits = bits, .seed = 3}, 48000, 9, 0);
    double count[3] = {};
    for (std::int32_t v : dithered) {
      ASSERT_TRUE(v >= -1 && v <= 1) << v;
      ++count[v + 1];
    }
    const double n = static_cast<double>(silence.size());
    EXPECT_NEAR(count[0] / n, 0.125, 0.004) << bits;  // 5 sigma
    EXPECT_NEAR(count[2] / n, 0.125, 0.004) << bits;
    EXPECT_NEAR(count[1] / n, 0.75, 0.005) << bits;
  }
  const auto shaped = quantize_channel(silence, {.shaping = NoiseShaping::f_weighted}, 44100, 9, 0);
  const auto peak = std::max_element(shaped.begin(), shaped.end(), [](auto a, auto b) { return std::abs(a) < std::abs(b); });
  EXPECT_GT(std::abs(*peak), 1);
  EXPECT_LE(std::abs(*peak), 34);
}

// The dither of sample n is tpdf(words 2 (n mod 2), 2 (n mod 2) + 1 of block n / 2): for seed 0,
// track 0, channel 0 those are the all-zero known-answer words of Philox4x32-10.
TEST(Quantize, DitherIsTheDocumentedFunctionOfTheWords) {
  const kernels::NoiseStream s = kernels::noise_stream(0, 0, 0);
  const double d0 = (static_cast<double>(0x6627e8d5u) + 0xe169c58du - 4294967295.0) / 4294967296.0;
  const double d1 = (static_cast<double>(0xbc57ac4cu) + 0x9b00dbd8u - 4294967295.0) / 4294967296.0;
  EXPECT_EQ(kernels::tpdf_dither_at(s, 0), d0);
  EXPECT_EQ(kernels::tpdf_dither_at(s, 1), d1);
  // And the quantizer adds it before rounding: x = 0.3 LSB rounds to round(0.3 + d).
  const std::vector<float> x(2, static_cast<float>(0.3 / 32768));
  const auto q = quantize_channel(x, {.seed = 0}, 48000, 0, 0);
  EXPECT_EQ(q[0], static_cast<std::int32_t>(std::nearbyint(static_cast<double>(x[0]) * 32768 + d0)));
  EXPECT_EQ(q[1], static_cast<std::int32_t>(std::nearbyint(static_cast<double>(x[1]) * 32768 + d1)));
  // The chunked generator gives the per-sample values, from any start, odd or even.
  const kernels::NoiseStream t = kernels::noise_stream(11, 22, 3);
  for (std::int64_t begin : {0, 1, 2, 255, 256, 1001}) {
    std::vector<double> d(300);
    kernels::tpdf_dither(t, begin, static_cast<int>(d.size()), d.data());
    for (std::size_t j = 0; j < d.size(); ++j)
      ASSERT_EQ(d[j], kernels::tpdf_dither_at(t, begin + static_cast<std::int64_t>(j))) << begin << "+" << j;
  }
}

std::vector<float> test_signal(std::size_t frames, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<float> x(frames);
  for (std::size_t i = 0; i < frames; ++i)
    x[i] = static_cast<float>(0.6 * std::sin(0.01 * static_cast<double>(i)) +
                              0.5 * (static_cast<double>(rng() >> 11) * 0x1.0p-53 - 0.5));
  x[frames / 3] = 1.5f;  // one clip
  return x;
}

// Without shaping every sample stands alone: random splits into ranges, run on several
// threads in any order, give the whole channel's bits and the same clip count.
TEST(Quantize, RangeSplitEqualsWhole) {
  const std::size_t frames = 100'003;
  const std::vector<float> x = test_signal(frames, 77);
  for (int bits : {16, 24}) {
    const QuantizeSpec spec{.bits = bits, .seed = 0xC0FFEE};
    QuantizeStats whole_stats;
    const auto whole = quantize_channel(x, spec, 48000, 1234, 1, &whole_stats);
    EXPECT_EQ(whole_stats.clipped, 1);
    const QuantizeParams p = quantize_params(spec, 1234, 1);
    std::mt19937_64 rng(bits);
    for (int trial = 0; trial < 5; ++trial) {
      std::vector<std::int64_t> cuts = {0, static_cast<std::int64_t>(frames)};
      for (int c = 0; c < 40; ++c) cuts.push_back(static_cast<std::int64_t>(rng() % frames));
      std::sort(cuts.begin(), cuts.end());
      std::vector<std::pair<std::int64_t, std::int64_t>> ranges;
      for (std::size_t i = 0; i + 1 < cuts.size(); ++i) ranges.emplace_back(cuts[i], cuts[i + 1]);
      std::shuffle(ranges.begin(), ranges.end(), rng);  // started in any order, each on its own thread
      std::vector<std::int32_t> split(frames, 0x7fffffff);
      std::vector<std::int64_t> clips(ranges.size(), 0);
      std::vector<std::thread> threads;
      for (std::size_t r = 0; r < ranges.size(); ++r)
        threads.emplace_back([&, r] {
          clips[r] = kernels::quantize_range(p, x.data(), ranges[r].first, ranges[r].second, split.data());
        });
      for (auto& t : threads) t.join();
      std::int64_t total = 0;
      for (std::int64_t c : clips) total += c;
      EXPECT_EQ(total, 1);
      for (std::size_t i = 0; i < frames; ++i) ASSERT_EQ(split[i], whole[i]) << bits << "-bit sample " << i;
    }
    // One sample at a time (a CUDA thread per sample) agrees too.
    std::vector<std::int32_t> out(frames);
    for (std::int64_t i : {0, 1, 2, 33333, 100002}) {
      kernels::quantize_range(p, x.data(), i, i + 1, out.data());
      EXPECT_EQ(out[static_cast<std::size_t>(i)], whole[static_cast<std::size_t>(i)]) << i;
    }
  }
}

// The shaped loop with an all-zero filter is plain TPDF quantization, bit for bit: the two
// kernels share the dither, the rounding and the clamp.
TEST(Quantize, ZeroShapingFilterEqualsUnshaped) {
  const std::vector<float> x = test_signal(5001, 12);
  for (int bits : {16, 24})
    for (bool dither : {true, false}) {
      const QuantizeParams p = quantize_params({.bits = bits, .dither = dither, .seed = 3}, 77, 2);
      kernels::ShapingFilter zero{};
      zero.error_limit = 1.5;
      std::vector<std::int32_t> shaped(x.size()), plain(x.size());
      const auto n = static_cast<std::int64_t>(x.size());
      EXPECT_EQ(kernels::quantize_shaped(p, zero, x.data(), n, shaped.data()),
                kernels::quantize_range(p, x.data(), 0, n, plain.data()));
      EXPECT_EQ(shaped, plain) << bits << "-bit, dither " << dither;
    }
}

// The same inputs always give the same bits, shaped or not; other keys give other noise.
TEST(Quantize, RepeatableAndKeyed) {
  const std::vector<float> x = test_signal(20000, 5);
  for (NoiseShaping shaping : {NoiseShaping::none, NoiseShaping::f_weighted}) {
    const QuantizeSpec spec{.shaping = shaping, .seed = 99};
    const auto a = quantize_channel(x, spec, 44100, 7, 0);
    EXPECT_EQ(a, quantize_channel(x, spec, 44100, 7, 0));
    EXPECT_NE(a, quantize_channel(x, spec, 44100, 7, 1));
    EXPECT_NE(a, quantize_channel(x, spec, 44100, 8, 0));
    QuantizeSpec other_seed = spec;
    other_seed.seed = 100;
    EXPECT_NE(a, quantize_channel(x, other_seed, 44100, 7, 0));
  }
}

// Golden bits: a signal made from integers only (the same floats everywhere), quantized in
// each mode, hashed. A change of the stream layout, the dither formula, the rounding or the
// feedback order shows here first; the same hashes must come out of every backend.
std::uint64_t fnv1a(const std::vector<std::int32_t>& v) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (std::int32_t x : v)
    for (int b = 0; b < 4; ++b) {
      h ^= (static_cast<std::uint32_t>(x) >> (8 * b)) & 0xffu;
      h *= 0x100000001b3ULL;
    }
  return h;
}

TEST(Quantize, GoldenBits) {
  std::vector<float> x(50000);
  for (std::size_t i = 0; i < x.size(); ++i) {
    const auto u = static_cast<std::uint32_t>(i * 2654435761u);
    x[i] = static_cast<float>(static_cast<std::int32_t>(u) * 0x1.0p-31 * (i < 40000 ? 0.9 : 1.2));  // last 10000 clip
  }
  struct Case {
    int bits;
    NoiseShaping shaping;
    std::uint64_t hash;
    std::int64_t clipped;
  };
  const Case cases[] = {{16, NoiseShaping::none, 0x3886c9d324cf1961ULL, 1668},
                        {16, NoiseShaping::f_weighted, 0x56190295a9a23296ULL, 1666},
                        {24, NoiseShaping::none, 0x78df8ab95cfa21f1ULL, 1667},
                        {24, NoiseShaping::f_weighted, 0xadfb410a27769e78ULL, 1667}};
  for (const Case& c : cases) {
    QuantizeStats stats;
    const auto q = quantize_channel(x, {.bits = c.bits, .shaping = c.shaping, .seed = 2024}, 44100, 0xA1B2C3D4E5F6ULL, 1,
                                    &stats);
    EXPECT_EQ(fnv1a(q), c.hash) << c.bits << "-bit " << noise_shaping_name(c.shaping);
    EXPECT_EQ(stats.clipped, c.clipped) << c.bits << "-bit " << noise_shaping_name(c.shaping);
  }
}

TEST(Quantize, EmptyChannel) {
  QuantizeStats stats;
  EXPECT_TRUE(quantize_channel({}, {.shaping = NoiseShaping::f_weighted}, 48000, 0, 0, &stats).empty());
  EXPECT_TRUE(quantize_channel({}, {}, 48000, 0, 0, &stats).empty());
  EXPECT_EQ(stats.clipped, 0);
}

}  // namespace
}  // namespace gloss
