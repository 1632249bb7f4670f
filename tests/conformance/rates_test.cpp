// Integrated loudness of a -23 dBFS 1 kHz stereo sine at every supported rate.
//
// The K-weighting is re-derived at each rate (bilinear transform with pre-warping, as
// libebur128 and FFmpeg do), so its gain at 1 kHz differs slightly between rates (at 48 kHz
// +0.6977 dB; loudness.md §1.2). Two checks per rate:
//  - the spec: -23.0 +-0.1 LUFS (Tech 3341 tolerance);
//  - the implementation: within 0.002 LU of -23 - 0.691 + 20 log10 |H_K(1 kHz)|, |H_K|
//    evaluated here independently (std::complex, libm) from the published analog prototype.
//    0.002 LU covers the float32 samples and the filters' start-up transient, nothing else.
#include <complex>
#include <cstdio>
#include <numbers>

#include "backend_suite.hpp"
#include "support/signals.hpp"

namespace gloss::test {
namespace {

class Rates : public BackendSuite {};

// |H| of the two K-weighting biquads at `hz` for rate `fs`, from loudness.md §1.2.
double k_weighting_gain_db(double fs, double hz) {
  auto biquad = [](double b0, double b1, double b2, double a1, double a2, std::complex<double> z) {
    const std::complex<double> zi = 1.0 / z;
    return (b0 + b1 * zi + b2 * zi * zi) / (1.0 + a1 * zi + a2 * zi * zi);
  };
  const std::complex<double> z = std::polar(1.0, 2 * std::numbers::pi * hz / fs);
  double k = std::tan(std::numbers::pi * 1681.974450955533 / fs);
  const double q1 = 0.7071752369554196;
  const double vh = std::pow(10.0, 3.999843853973347 / 20), vb = std::pow(vh, 0.4996667741545416);
  double a0 = 1 + k / q1 + k * k;
  const std::complex<double> shelf =
      biquad((vh + vb * k / q1 + k * k) / a0, 2 * (k * k - vh) / a0, (vh - vb * k / q1 + k * k) / a0,
             2 * (k * k - 1) / a0, (1 - k / q1 + k * k) / a0, z);
  k = std::tan(std::numbers::pi * 38.13547087602444 / fs);
  const double q2 = 0.5003270373238773;
  a0 = 1 + k / q2 + k * k;
  const std::complex<double> rlb = biquad(1, -2, 1, 2 * (k * k - 1) / a0, (1 - k / q2 + k * k) / a0, z);
  return 20 * std::log10(std::abs(shelf * rlb));
}

TEST_P(Rates, MinusTwentyThreeDbfsSineAtEveryRate) {
  const int rates[] = {8000, 11025, 16000, 22050, 32000, 44100, 48000, 88200, 96000, 176400, 192000, 352800, 384000};
  for (int rate : rates) {
    const AudioTrack t = tone_sequence(rate, 2, 1000, {{6, -23}});
    const TrackAnalysis a = analyze(t);
    const double expected = -23.0 - 0.691 + k_weighting_gain_db(rate, 1000);
    EXPECT_NEAR(a.integrated_lufs, -23.0, kLoudnessTolerance) << rate << " Hz";
    EXPECT_NEAR(a.integrated_lufs, expected, 0.002) << rate << " Hz";
    EXPECT_NEAR(a.momentary_max_lufs, expected, 0.002) << rate << " Hz";
    EXPECT_NEAR(a.short_term_max_lufs, expected, 0.002) << rate << " Hz";
    EXPECT_NEAR(a.sample_peak_dbfs, -23.0, 0.01) << rate << " Hz";
    std::printf("[ %6d Hz ] I %.4f LUFS (K-weighting at 1 kHz predicts %.4f)\n", rate, a.integrated_lufs, expected);
  }
}

GLOSS_INSTANTIATE_FOR_BACKENDS(Rates);

}  // namespace
}  // namespace gloss::test
