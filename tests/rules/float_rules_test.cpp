// Run-time checks of the floating-point behaviour the kernels rely on.
#include <gtest/gtest.h>
#include <tbb/parallel_for.h>

#include <atomic>
#include <cfloat>
#include <cstring>
#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>
#endif

#include "kernels/biquad.hpp"

namespace gloss {
namespace {

// The compiler must not fuse a * b + c into one rounding (-ffp-contract=off): the kernels'
// bits would then depend on the target's FMA support.
double mul_add(double a, double b, double c) { return a * b + c; }

TEST(FloatRules, MultiplyAddIsRoundedTwice) {
  volatile double a = 1.0 + DBL_EPSILON, b = 1.0 - DBL_EPSILON, c = -1.0;
  // Exact a*b = 1 - eps^2; rounded to double it is 1.0, so a*b + c = 0 when rounded twice,
  // and -eps^2 if fused.
  EXPECT_EQ(mul_add(a, b, c), 0.0);
}

#if defined(__x86_64__) || defined(__i386__)
// Flush-to-zero / denormals-are-zero modes would change results silently. Subnormals are
// flushed explicitly in the kernels (biquad_flush) instead; the hardware modes must be off on
// every thread that runs kernels, including oneTBB's workers.
TEST(FloatRules, NoFlushToZeroModesOnAnyWorkerThread) {
  std::atomic<int> bad{0};
  tbb::parallel_for(0, 64, [&](int) {
    const unsigned csr = _mm_getcsr();
    if ((csr & 0x8000u) != 0 || (csr & 0x0040u) != 0) ++bad;
  });
  EXPECT_EQ(bad.load(), 0) << "FTZ or DAZ is set in MXCSR";
  volatile double tiny = DBL_MIN;
  EXPECT_GT(tiny / 4, 0.0) << "subnormals are flushed";
}
#endif

TEST(FloatRules, BiquadFlushZeroesOnlyNegligibleStates) {
  kernels::BiquadState s{1e-201, -1e-250};
  kernels::biquad_flush(s);
  EXPECT_EQ(s.s1, 0.0);
  EXPECT_EQ(s.s2, 0.0);
  kernels::BiquadState keep{1e-150, -1e-199};
  kernels::biquad_flush(keep);
  EXPECT_EQ(keep.s1, 1e-150);
  EXPECT_EQ(keep.s2, -1e-199);
}

}  // namespace
}  // namespace gloss
