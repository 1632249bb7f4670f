// A biquad in transposed direct form II, the building block of the K-weighting
// and octave-band filters. Coefficients come from the host (core/filter_design.cpp).
#pragma once

#include "kernels/gloss_hd.hpp"

namespace gloss::kernels {

struct Biquad {
  double b0 = 1, b1 = 0, b2 = 0, a1 = 0, a2 = 0;  // a0 normalised to 1
};

// Trivial on purpose (no member initialisers): a non-trivial constructor would be an inline
// function outside the ISA namespace, emitted by both kernel copies (see gloss_hd.hpp).
// Zero it by value-initialisation: BiquadState s{};
struct BiquadState {
  double s1, s2;
};

inline namespace GLOSS_KERNEL_ISA {

GLOSS_HD double biquad_step(const Biquad& q, BiquadState& s, double x) {
  const double y = q.b0 * x + s.s1;
  s.s1 = q.b1 * x - q.a1 * y + s.s2;
  s.s2 = q.b2 * x - q.a2 * y;
  return y;
}

// Decaying states end in subnormals, which are slow on CPUs and flushed differently by
// hardware modes. Flushing them explicitly (same code on both backends) keeps results
// identical and fast. Called at sub-block boundaries; 1e-200 is far below any audible
// level and far above the subnormal range.
GLOSS_HD void biquad_flush(BiquadState& s) {
  const double tiny = 1e-200;
  if (s.s1 < tiny && s.s1 > -tiny) s.s1 = 0;
  if (s.s2 < tiny && s.s2 > -tiny) s.s2 = 0;
}

}  // namespace GLOSS_KERNEL_ISA
}  // namespace gloss::kernels
