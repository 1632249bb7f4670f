// The counter-based generator: Philox4x32-10 against Random123's published known-answer
// vectors (tests/kat_vectors of Random123 1.x), the documented layout of the noise streams,
// and plain sanity of its bits.
#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <tuple>

#include "kernels/counter_rng.hpp"

namespace gloss::kernels {
namespace {

void expect_block(const PhiloxBlock& b, std::uint32_t w0, std::uint32_t w1, std::uint32_t w2, std::uint32_t w3) {
  EXPECT_EQ(b.w[0], w0);
  EXPECT_EQ(b.w[1], w1);
  EXPECT_EQ(b.w[2], w2);
  EXPECT_EQ(b.w[3], w3);
}

// philox4x32 10 <counter words> <key words> <expected words>, Random123's kat_vectors.
TEST(CounterRng, Philox4x32_10KnownAnswers) {
  expect_block(philox4x32_10(PhiloxCounter{{0, 0, 0, 0}}, PhiloxKey{{0, 0}}), 0x6627e8d5, 0xe169c58d, 0xbc57ac4c,
               0x9b00dbd8);
  expect_block(philox4x32_10(PhiloxCounter{{0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}},
                             PhiloxKey{{0xffffffff, 0xffffffff}}),
               0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd);
  // The digits of pi.
  expect_block(philox4x32_10(PhiloxCounter{{0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}},
                             PhiloxKey{{0xa4093822, 0x299f31d0}}),
               0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1);
}

// The stream layout documented in counter_rng.hpp, spelled out word by word.
TEST(CounterRng, NoiseStreamLayout) {
  const std::uint64_t seed = 0x0123456789abcdefULL, track = 0xfedcba9876543210ULL, block = 0x0000a5a5deadbeefULL;
  const std::uint32_t channel = 0x1234;
  const PhiloxBlock direct = philox4x32_10(
      PhiloxCounter{{0xdeadbeef, 0x0000a5a5u | (channel << 16), 0x76543210, 0xfedcba98}}, PhiloxKey{{0x89abcdef, 0x01234567}});
  const PhiloxBlock via_stream = noise_block(noise_stream(seed, track, channel), block);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(direct.w[i], via_stream.w[i]) << "word " << i;
  // Seed 0, track 0, channel 0, block 0 is the all-zero known answer.
  const PhiloxBlock zero = noise_block(noise_stream(0, 0, 0), 0);
  expect_block(zero, 0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8);
}

// Neighbouring streams and blocks (one field changed at a time, including the top bits of
// the block index next to the channel) never repeat a block of words.
TEST(CounterRng, NeighbouringStreamsDiffer) {
  std::set<std::tuple<std::uint32_t, std::uint32_t, std::uint32_t, std::uint32_t>> seen;
  int draws = 0;
  for (std::uint64_t seed : {0ULL, 1ULL, 1ULL << 32, ~0ULL})
    for (std::uint64_t track : {0ULL, 1ULL, 1ULL << 32, ~0ULL})
      for (std::uint32_t channel : {0u, 1u, 2u, 65535u})
        for (std::uint64_t block : {0ULL, 1ULL, 2ULL, 1ULL << 32, (1ULL << 48) - 1}) {
          const PhiloxBlock b = noise_block(noise_stream(seed, track, channel), block);
          seen.insert({b.w[0], b.w[1], b.w[2], b.w[3]});
          ++draws;
        }
  EXPECT_EQ(static_cast<int>(seen.size()), draws);
}

// Every bit of every word is set about half the time (2^16 draws of each: 0.01 is 5 sigma).
TEST(CounterRng, BitsAreBalanced) {
  const NoiseStream s = noise_stream(42, 7, 1);
  constexpr int kBlocks = 1 << 16;
  int ones[4][32] = {};
  for (int b = 0; b < kBlocks; ++b) {
    const PhiloxBlock w = noise_block(s, static_cast<std::uint64_t>(b));
    for (int i = 0; i < 4; ++i)
      for (int bit = 0; bit < 32; ++bit) ones[i][bit] += (w.w[i] >> bit) & 1u;
  }
  for (int i = 0; i < 4; ++i)
    for (int bit = 0; bit < 32; ++bit) {
      const double share = static_cast<double>(ones[i][bit]) / kBlocks;
      EXPECT_NEAR(share, 0.5, 0.01) << "word " << i << " bit " << bit;
    }
}

}  // namespace
}  // namespace gloss::kernels
