// The oracle: libebur128 fed the same float samples as gloss (interleaved), with the same
// channel map (L R C LFE Ls Rs -> LEFT RIGHT CENTER UNUSED LEFT_SURROUND RIGHT_SURROUND).
#pragma once

#include <ebur128.h>

#include <memory>
#include <vector>

#include "gloss/audio.hpp"

namespace gloss::test {

struct Ebur128Deleter {
  void operator()(ebur128_state* s) const { ebur128_destroy(&s); }
};
using Ebur128State = std::unique_ptr<ebur128_state, Ebur128Deleter>;

struct Ebur128Result {
  double integrated_lufs = 0;
  double loudness_range_lu = 0;
  double momentary_max_lufs = 0;              // read every 10 ms (gloss's sub-block grid)
  std::vector<double> momentary_10hz;         // read every 100 ms: gloss's gating blocks
  std::vector<double> short_term_10hz;        // read every 100 ms from 3 s on
  std::vector<double> sample_peak;            // per channel, linear: max |float|
  std::vector<double> true_peak;              // per channel, linear: max(true peak, sample peak)
  Ebur128State state;                         // kept for the *_multiple (album) calls
};

// Measures `track` with EBUR128_MODE_I | LRA | SAMPLE_PEAK | TRUE_PEAK | M | S.
Ebur128Result measure_with_libebur128(const AudioTrack& track);

}  // namespace gloss::test
