// Host-side design of the chain's linear-phase EQ: a list of parametric bands becomes one
// odd-length, exactly symmetric FIR per sample rate (DESIGN.md "The chain").
//
// Target: the product of the bands' analog-prototype magnitudes (RBJ cookbook analog forms,
// Butterworth for high/low-pass, a dB-per-octave tilt), zero phase, evaluated with the
// project's deterministic math (detmath.hpp) so every machine designs the same bits.
//
// Design: frequency sampling + window. The target magnitude is sampled on a dense grid of
// N = next power of two >= 4 x taps points over [0, fs), inverse-transformed by our own
// radix-2 FFT (twiddles from detmath), truncated to `taps` around time 0 and multiplied by a
// flat-top Kaiser-tapered window (see eq_design.cpp), then shifted so the centre tap sits at
// (taps - 1) / 2. Only the half h[centre..] is computed; the other half is its mirror, so
// h[i] == h[taps - 1 - i] bit for bit. Nothing is normalised.
//
// Length rule (automatic when EqSpec::taps == 0): every band has a "narrowest feature" width
// W in Hz, the distance of its analog poles/zeros from the frequency axis (how long its
// impulse response rings), and a frequency f (its centre/corner; the tilt's 20 Hz end).
// taps = smallest odd >= max over bands of max(3 fs / W, 5.5 fs / f), at least kEqMinTaps,
// at most kEqMaxTaps. length_rule_text() gives the words the CLI prints.
#pragma once

#include <string>
#include <vector>

namespace gloss {

enum class EqBandType { bell, low_shelf, high_shelf, high_pass, low_pass, tilt };

// One parametric band. Which fields a type uses:
//   bell                 freq_hz (centre), gain_db, q
//   low_shelf/high_shelf freq_hz (RBJ corner: half the gain in dB), gain_db, and q if q > 0,
//                        else shelf_slope (RBJ S, 0 < S <= 1; 1 = steepest without overshoot)
//   high_pass/low_pass   freq_hz (-3 dB corner), order 1..8 (Butterworth, 6 dB/oct per order)
//   tilt                 freq_hz (pivot, 0 dB there, 20 Hz..20 kHz), tilt_db_per_octave;
//                        pure dB/oct between 20 Hz and 20 kHz, easing to flat over the
//                        octave outside each end (10 Hz, 40 kHz) so it never runs to infinity
struct EqBand {
  EqBandType type = EqBandType::bell;
  double freq_hz = 1000;
  double gain_db = 0;
  double q = 0;  // bell: required > 0; shelves: > 0 overrides shelf_slope
  double shelf_slope = 1;
  int order = 2;
  double tilt_db_per_octave = 0;
  bool operator==(const EqBand&) const = default;
};

struct EqSpec {
  int taps = 0;  // 0 = automatic length rule; else an odd count 1..kMaxTaps
  std::vector<EqBand> bands;
  bool operator==(const EqSpec&) const = default;  // same bands, same taps: the same FIR
};

inline constexpr int kEqMinTaps = 255;
inline constexpr int kEqMaxTaps = 32767;
inline constexpr double kEqMaxGainDb = 24;
inline constexpr double kEqMaxTiltDbPerOctave = 6;

// One reason an EqSpec cannot be designed at a rate. band = index into EqSpec::bands, or -1
// for the spec itself (taps); key = the preset key it comes from ("freq", "gain", "q", "s",
// "order", "slope", "taps"), so the CLI can name the preset's key path.
struct EqProblem {
  int band = -1;
  std::string key;
  std::string message;
};

// Everything wrong with `spec` at `sample_rate` (empty when it can be designed). Ranges:
// 0 < freq < fs/2 (tilt pivot 20..20000 Hz), |gain| <= 24 dB, q > 0 (bell), shelf S in (0, 1],
// order 1..8, |tilt| <= 6 dB/oct, taps 0 or odd 1..32767.
std::vector<EqProblem> check_eq(const EqSpec& spec, int sample_rate);

struct FirDesign {
  int sample_rate = 0;
  std::vector<double> taps;  // odd length, symmetric, centre tap at (size - 1) / 2
  int grid_size = 0;         // N of the frequency-sampling grid (0 for the flat single tap)
  bool automatic_length = true;
  int narrowest_band = -1;   // the band that set the automatic length (-1: flat)
  double narrowest_hz = 0;   // its feature width W in Hz
  int wanted_taps = 0;       // what the rule asked for before the cap (== taps.size() unless capped)
};

// Designs the FIR. Throws std::invalid_argument (the first check_eq problem) when the spec
// is invalid at this rate. An EQ with no bands, or only bands that are exactly identity
// (0 dB bells/shelves/tilts), designs the single tap 1.0 so audio passes through bit-exactly.
FirDesign design_eq_fir(const EqSpec& spec, int sample_rate);

// The target magnitude in dB at `hz` (sum of the bands' dB; -inf where a pass filter is 0).
double target_db(const EqSpec& spec, double hz);
// The target as a linear amplitude (what is sampled for the design).
double target_amplitude(const EqSpec& spec, double hz);

// The achieved zero-phase magnitude of `fir` at `hz` in dB, by a direct cosine sum
// (detmath::cos), so it is deterministic. -inf where the response is exactly 0; a negative
// zero-phase response is reported by its magnitude.
double achieved_db(const FirDesign& fir, double hz);

// The largest |achieved - target| in dB over [lo_hz, hi_hz]: on the design grid (spacing
// fs/N, via our FFT) plus both ends, refined around the worst grid point by direct sums.
struct EqDeviation {
  double worst_db = 0;  // signed achieved - target at the worst point
  double at_hz = 0;
};
EqDeviation worst_deviation(const EqSpec& spec, const FirDesign& fir, double lo_hz, double hi_hz);

// The narrowest-feature width W (Hz) of one band, as used by the length rule; +inf for a
// band that is exactly identity.
double band_feature_width_hz(const EqBand& band);
// The (real-valued, before rounding to odd and clamping) tap count the rule wants for one
// band at `sample_rate`; 0 for an identity band.
double band_wanted_taps(const EqBand& band, int sample_rate);

// The automatic length rule in words, for --help and the CLI's report.
std::string length_rule_text();

const char* to_string(EqBandType type);

}  // namespace gloss
