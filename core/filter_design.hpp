// Host-side filter design: every coefficient the meter kernels use, from the project's own
// deterministic math (core/detmath.hpp), so that cluster shards on other machines agree.
#pragma once

#include "kernels/biquad.hpp"
#include "kernels/true_peak.hpp"

namespace gloss {

struct KWeighting {
  kernels::Biquad shelf;  // stage 1, high shelf (+4 dB above ~1.7 kHz)
  kernels::Biquad rlb;    // stage 2, RLB high-pass (~38 Hz); numerator exactly 1, -2, 1
};

// BS.1770 K-weighting at any rate: the analog prototypes behind the published 48 kHz
// coefficients with a pre-warped bilinear transform (the libebur128/FFmpeg formulation).
KWeighting design_k_weighting(int sample_rate);

// One-octave band-pass (RBJ constant 0 dB peak gain) centred on `centre_hz`.
kernels::Biquad design_octave_band(int sample_rate, double centre_hz);

// The BS.1770 Annex 2 interpolator: 4 phases x 12 taps below 88.2 kHz, its phases 0 and 2
// (2x) below 176.4 kHz, none (sample peak only) above.
kernels::TruePeakFilter design_itu_true_peak(int sample_rate);

// The precise interpolator: 16 phases x 64 taps, Kaiser-windowed sinc, each phase
// normalised to unit DC gain, with parabolic refinement of local maxima.
kernels::TruePeakFilter design_precise_true_peak();

}  // namespace gloss
