// Bit-for-bit comparison of float samples, reporting the first difference in hex: the check
// every identity test (backends, ISA copies, FFT sizes, ranges) makes.
#pragma once

#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <cstdio>
#include <span>
#include <string>

namespace gloss::test {

inline std::string hex(float v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%a (0x%08x)", static_cast<double>(v), std::bit_cast<std::uint32_t>(v));
  return buf;
}

inline void expect_same_bits(std::span<const float> expected, std::span<const float> actual, const std::string& what) {
  ASSERT_EQ(expected.size(), actual.size()) << what;
  for (std::size_t i = 0; i < expected.size(); ++i)
    if (std::bit_cast<std::uint32_t>(expected[i]) != std::bit_cast<std::uint32_t>(actual[i])) {
      ADD_FAILURE() << what << ": first difference at sample " << i << ": expected " << hex(expected[i]) << ", got "
                    << hex(actual[i]);
      return;
    }
}

}  // namespace gloss::test
