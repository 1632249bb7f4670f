// True-peak accuracy on sines, where the ideal answer is known: a sampled sine band-limited
// below fs/2 reconstructs to the sine itself, so its true peak is 20 log10(A).
//
//  - Precise mode (16x windowed sinc + parabolic refinement) promises the reconstructed
//    peak within 0.01 dB: checked from 100 Hz to 20 kHz at 44.1, 48 and 96 kHz with random
//    phases and amplitudes (fixed seed, printed on failure), and on to 0.48 fs.
//  - ITU mode (BS.1770 Annex 2 table, 4x below 88.2 kHz, 2x below 176.4 kHz, sample peak
//    above; always combined with the sample peak) under-reads: by the interpolation grid
//    (BS.1770 Attachment 1: 20 log10 cos(pi f / n)) and by the table filter's own roll-off
//    near fs/2. The bounds asserted below are what this implementation measures (printed)
//    plus a small margin; they document behaviour rather than promise accuracy.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <numbers>
#include <numeric>

#include "backend_suite.hpp"
#include "support/signals.hpp"

namespace gloss::test {
namespace {

class TruePeak : public BackendSuite {};

constexpr std::uint64_t kSeed = 20240611;

std::uint64_t split_mix(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}
double uniform01(std::uint64_t& state) { return static_cast<double>(split_mix(state) >> 11) / 9007199254740992.0; }

struct Tone {
  double hz, amplitude, phase_degrees;
};

TEST_P(TruePeak, PreciseModeWithinOneHundredthDbOfTheSinePeak) {
  const double freqs[] = {100, 250, 500, 997, 2000, 4000, 6000, 8000, 10000, 12000, 14000, 16000, 18000, 19000, 20000};
  std::uint64_t state = kSeed;
  double worst = 0;
  for (int rate : {44100, 48000, 96000}) {
    std::vector<Tone> tones;
    std::vector<AudioTrack> tracks;
    // ... and beyond 20 kHz, up to 0.48 fs (measured: still within 0.007 dB).
    std::vector<double> hz_list(std::begin(freqs), std::end(freqs));
    for (double fraction : {0.42, 0.45, 0.48}) hz_list.push_back(fraction * rate);
    for (double hz : hz_list)
      for (int draw = 0; draw < 3; ++draw) {
        const Tone tone{hz, 0.05 + 0.95 * uniform01(state), 360 * uniform01(state)};
        tones.push_back(tone);
        tracks.push_back(sine(rate, 1, tone.hz, tone.amplitude, 0.2, tone.phase_degrees, 0.010));
      }
    std::vector<const AudioTrack*> batch;
    for (const AudioTrack& t : tracks) batch.push_back(&t);
    const std::vector<TrackAnalysis> a = analyze_all(batch, TruePeakMode::Precise);
    double rate_worst = 0;
    for (std::size_t i = 0; i < tones.size(); ++i) {
      const double error = a[i].true_peak_dbtp - amplitude_db(tones[i].amplitude);
      EXPECT_LE(std::abs(error), 0.01) << rate << " Hz rate, " << tones[i].hz << " Hz, A " << tones[i].amplitude
                                       << ", phase " << tones[i].phase_degrees << " deg (seed " << kSeed << ")";
      if (std::abs(error) > std::abs(rate_worst)) rate_worst = error;
    }
    std::printf("[ precise %6d Hz ] worst error %+.5f dB over %zu sines 100 Hz..0.48 fs\n", rate, rate_worst,
                tones.size());
    if (std::abs(rate_worst) > std::abs(worst)) worst = rate_worst;
  }
}

// Worst (most negative) and largest (most positive) error of the ITU mode per frequency band.
struct Band {
  double max_fraction;  // of fs
  double under = 0, over = 0;
  double under_at = 0;  // frequency (fraction of fs) of the worst under-read
  double over_at = 0;
};

void sweep_itu(TruePeak& test, Backend& backend, int rate, std::vector<Band>& bands) {
  std::uint64_t state = kSeed ^ static_cast<std::uint64_t>(rate);
  std::vector<Tone> tones;
  std::vector<AudioTrack> tracks;
  auto add = [&](double hz, double phase) {
    tones.push_back({hz, 0.5, phase});
    tracks.push_back(sine(rate, 1, hz, 0.5, 0.06, phase, 0.005));
  };
  // Generic frequencies (the peak drifts over the sampling grid) ...
  for (int k = 1; k <= 90; ++k) add(rate * k / 200.0, 360 * uniform01(state));
  // ... and rational fractions p/q of fs, where the peaks keep returning to the same q
  // places on the sampling grid: the worst cases (8 start phases across one grid step).
  for (int q = 2; q <= 24; ++q)
    for (int p = 1; 20 * p <= 9 * q; ++p) {
      if (std::gcd(p, q) != 1) continue;
      for (int k = 0; k < 8; ++k) add(static_cast<double>(rate) * p / q, 360.0 / q * k / 8.0);
    }
  (void)test;
  std::vector<const AudioTrack*> batch;
  for (const AudioTrack& t : tracks) batch.push_back(&t);
  MeterOptions options;
  options.true_peak = TruePeakMode::Itu;
  const std::vector<TrackAnalysis> a = analyze_tracks(backend, batch, options);
  for (std::size_t i = 0; i < tones.size(); ++i) {
    const double error = a[i].true_peak_dbtp - amplitude_db(tones[i].amplitude);
    const double fraction = tones[i].hz / rate;
    for (Band& b : bands)
      if (fraction <= b.max_fraction + 1e-12) {
        if (error < b.under) {
          b.under = error;
          b.under_at = fraction;
        }
        if (error > b.over) {
          b.over = error;
          b.over_at = fraction;
        }
      }
  }
}

TEST_P(TruePeak, ItuModeErrorBounds) {
  struct Expect {
    int rate;
    double max_fraction;
    double under_bound;  // error >= this (dB)
    double over_bound;   // error <= this (dB)
  };
  // Measured (this seed, reference and cpu alike):
  //   4x (44.1/48 kHz): -0.293 .. +0.221 dB up to 0.45 fs. The over-read is the Annex 2
  //     table's own ripple: its phases 1 and 2 (3/8 and 5/8 of a sample) gain +0.221 dB
  //     near fs/4 and -0.224 dB near fs/6 (sample peak cannot mask an over-read). An fs/4
  //     sine whose peaks land on those phases reads +0.22 dB: just outside Tech 3341's
  //     +0.2 dB, which its cases 15-19 do not exercise. The worst under-read (fs/6 and
  //     fs/3) is ripple plus the 1/8-sample grid, far inside BS.1770's 0.69 dB for 4x.
  //   2x (88.2/96 kHz): -0.526 (fs/4 at 45 deg: grid 0, 1/8, 5/8) .. +0.220 dB.
  //   1x (from 176.4 kHz, sample peak only): -3.010 (fs/4 at 45 deg) .. 0 dB.
  // Bounds: measured rounded out by 0.01-0.03 dB.
  const Expect expect[] = {
      {44100, 0.45, -0.31, 0.23}, {48000, 0.45, -0.31, 0.23},
      {44100, 0.25, -0.31, 0.23}, {48000, 0.25, -0.31, 0.23},
      {96000, 0.45, -0.55, 0.23}, {96000, 0.25, -0.55, 0.23},
      {192000, 0.45, -3.02, 0.0}, {192000, 0.25, -3.02, 0.0},
  };
  for (int rate : {44100, 48000, 96000, 192000}) {
    std::vector<Band> bands = {{0.25}, {0.40}, {0.45}};
    sweep_itu(*this, *backend_, rate, bands);
    for (const Band& b : bands) {
      std::printf("[ itu %6d Hz ] f <= %.2f fs: error %+.4f .. %+.4f dB (at %.4f / %.4f fs)\n", rate,
                  b.max_fraction, b.under, b.over, b.under_at, b.over_at);
      for (const Expect& e : expect)
        if (e.rate == rate && e.max_fraction == b.max_fraction) {
          EXPECT_GE(b.under, e.under_bound) << rate << " Hz, f <= " << e.max_fraction << " fs (seed " << kSeed << ")";
          EXPECT_LE(b.over, e.over_bound) << rate << " Hz, f <= " << e.max_fraction << " fs (seed " << kSeed << ")";
        }
    }
  }
}

GLOSS_INSTANTIATE_FOR_BACKENDS(TruePeak);

}  // namespace
}  // namespace gloss::test
