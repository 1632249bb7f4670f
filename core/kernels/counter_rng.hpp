// Counter-based random numbers (DESIGN.md rule 6): Philox4x32-10 from Salmon, Moraes, Dror and
// Shaw, "Parallel random numbers: as easy as 1, 2, 3" (SC'11), the same function as
// Random123's philox4x32 with 10 rounds (tests/dither checks its published known answers).
// A block of four 32-bit words is a pure function of (counter, key): no state, so any sample
// can be drawn on any thread in any order and the CPU and CUDA backends draw the same words.
// Integer multiplies, xors and adds only.
#pragma once

#include <cstdint>

#include "kernels/gloss_hd.hpp"

namespace gloss::kernels {

struct PhiloxCounter {
  std::uint32_t w[4];
};

struct PhiloxKey {
  std::uint32_t w[2];
};

struct PhiloxBlock {
  std::uint32_t w[4];
};

// One noise stream per (seed, track, channel), laid out as Philox input:
//   key     = (seed low 32 bits, seed high 32 bits)
//   counter = (block low 32 bits, block bits 32..47 | channel << 16, track low, track high)
// where block = sample index / 2 (each block feeds two samples, two words each). Distinct
// (seed, track, channel, block) therefore never share a counter/key pair, for every
// channel < 2^16 and every sample index < 2^49 (the host checks both).
struct NoiseStream {
  PhiloxKey key;
  std::uint32_t channel_word;  // channel << 16
  std::uint32_t track_low;
  std::uint32_t track_high;
};

inline constexpr int kMaxNoiseChannels = 1 << 16;
inline constexpr std::int64_t kMaxNoiseSamples = std::int64_t{1} << 49;

inline namespace GLOSS_KERNEL_ISA {

// The constants of Philox4x32 (Random123's PHILOX_M4x32_0/1 and PHILOX_W32_0/1).
inline constexpr std::uint32_t kPhiloxM0 = 0xD2511F53u;
inline constexpr std::uint32_t kPhiloxM1 = 0xCD9E8D57u;
inline constexpr std::uint32_t kPhiloxW0 = 0x9E3779B9u;  // golden ratio
inline constexpr std::uint32_t kPhiloxW1 = 0xBB67AE85u;  // sqrt(3) - 1

GLOSS_HD std::uint32_t high_word(std::uint64_t v) { return static_cast<std::uint32_t>(v >> 32); }
GLOSS_HD std::uint32_t low_word(std::uint64_t v) { return static_cast<std::uint32_t>(v); }

// One round: two 32x32->64 multiplies, the words permuted and mixed with the round key.
GLOSS_HD void philox_round(std::uint32_t& c0, std::uint32_t& c1, std::uint32_t& c2, std::uint32_t& c3,
                           std::uint32_t k0, std::uint32_t k1) {
  const std::uint64_t p0 = std::uint64_t{kPhiloxM0} * c0;
  const std::uint64_t p1 = std::uint64_t{kPhiloxM1} * c2;
  c0 = high_word(p1) ^ c1 ^ k0;
  c1 = low_word(p1);
  c2 = high_word(p0) ^ c3 ^ k1;
  c3 = low_word(p0);
}

// Philox4x32 with 10 rounds; the key is bumped by the Weyl constants between rounds.
GLOSS_HD PhiloxBlock philox4x32_10(PhiloxCounter counter, PhiloxKey key) {
  PhiloxBlock c{{counter.w[0], counter.w[1], counter.w[2], counter.w[3]}};
  std::uint32_t k0 = key.w[0], k1 = key.w[1];
  for (int round = 0; round < 10; ++round) {
    if (round > 0) {
      k0 += kPhiloxW0;
      k1 += kPhiloxW1;
    }
    philox_round(c.w[0], c.w[1], c.w[2], c.w[3], k0, k1);
  }
  return c;
}

GLOSS_HD NoiseStream noise_stream(std::uint64_t seed, std::uint64_t track_key, std::uint32_t channel) {
  return NoiseStream{PhiloxKey{{low_word(seed), high_word(seed)}}, channel << 16, low_word(track_key),
                     high_word(track_key)};
}

// The four words of block `block` (samples 2 * block and 2 * block + 1) of a stream.
GLOSS_HD PhiloxBlock noise_block(const NoiseStream& s, std::uint64_t block) {
  const PhiloxCounter counter{{low_word(block), high_word(block) | s.channel_word, s.track_low, s.track_high}};
  return philox4x32_10(counter, s.key);
}

}  // namespace GLOSS_KERNEL_ISA
}  // namespace gloss::kernels
