// The resampler's response, measured on its output: sines across the passband keep their
// level (within 0.01 dB) and leave nothing else behind (no images or aliases above -110 dB),
// and sines above the stopband edge that would fold into the passband leave less than
// -110 dB there. Also alignment (a band-limited click lands at its time, an impulse response
// is centred and symmetric, a DC step keeps its level) and the documented passband rule.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <string>
#include <vector>

#include "resampler.hpp"
#include "sine_fit.hpp"

namespace gloss {
namespace {

struct Pair {
  int in, out;
};

std::string name(const Pair& p) { return std::to_string(p.in) + " -> " + std::to_string(p.out); }

// The pairs issue 4 names, and the extremes of the supported range.
const std::vector<Pair> kIssuePairs = {{96000, 44100}, {44100, 48000}, {48000, 44100},
                                       {44100, 96000}, {192000, 48000}, {88200, 44100}};
const std::vector<Pair> kExtremePairs = {{8000, 384000}, {384000, 8000}, {11025, 352800}, {352800, 11025},
                                         {8000, 11025}, {32000, 44100}};

constexpr double kMaxPassbandDeviationDb = 0.01;
constexpr double kMinRejectionDb = 110;
constexpr double kSeconds = 0.25;
constexpr double kAmplitude = 0.5;

std::vector<float> convert(const Resampler& r, const std::vector<float>& in) {
  std::vector<float> out(static_cast<std::size_t>(r.output_frames(static_cast<std::int64_t>(in.size()))));
  r.run(in, out, 0, static_cast<std::int64_t>(out.size()));
  return out;
}

// Output frames whose whole window lies inside the input: [begin, end).
struct Steady {
  std::int64_t begin, end;
};
Steady steady(const Resampler& r, std::int64_t in_frames) {
  const auto& s = r.shape();
  const std::int64_t margin = (static_cast<std::int64_t>(s.taps) + 2) * s.up / s.down + 2;
  return {margin, r.output_frames(in_frames) - margin};
}

std::vector<double> passband_tones(const Resampler& r) {
  std::vector<double> tones;
  const double top = r.passband_hz();
  constexpr int count = 40;
  for (int i = 0; i < count; ++i) tones.push_back(20 * std::pow(top / 20, static_cast<double>(i) / (count - 1)));
  if (top >= 20000) tones.push_back(20000);
  tones.push_back(top - 1);
  return tones;
}

// Tones that fold (downsampling) into the output passband: from the stopband edge up to the
// input Nyquist, densest near the edge.
std::vector<double> stopband_tones(const Resampler& r) {
  std::vector<double> tones;
  const double lo = r.stopband_hz(), hi = r.in_rate() / 2.0;
  if (lo >= hi) return tones;  // e.g. 48k -> 44.1k: the input holds nothing above 24.1 kHz
  for (double f : {lo, lo + 1, lo + 10, lo + 100}) tones.push_back(f);
  constexpr int count = 40;
  for (int i = 1; i < count; ++i) tones.push_back(lo + (hi - lo) * i / count);
  tones.push_back(hi - 1);
  std::erase_if(tones, [&](double f) { return f >= hi; });
  return tones;
}

struct Response {
  double worst_gain_db = 0;       // largest |gain| over passband tones
  double worst_residual_db = -1e9;  // largest non-sine residue of a passband tone
  double worst_alias_db = -1e9;   // largest output of a stopband tone
};

Response measure(const Pair& p) {
  const Resampler r(p.in, p.out);
  const auto in_frames = static_cast<std::int64_t>(kSeconds * p.in) + 2 * r.shape().taps;
  const Steady st = steady(r, in_frames);
  Response resp;
  for (double hz : passband_tones(r)) {
    const auto y = convert(r, test::make_sine(p.in, hz, kAmplitude, in_frames));
    const auto fit = test::fit_sine(y, p.out, hz, st.begin, st.end);
    const double gain = 20 * std::log10(fit.amplitude / kAmplitude);
    const double residual = test::rms_db(fit.residual_rms, kAmplitude);
    EXPECT_LE(std::abs(gain), kMaxPassbandDeviationDb) << name(p) << " at " << hz << " Hz";
    EXPECT_LE(residual, -kMinRejectionDb) << name(p) << ": images/aliases of " << hz << " Hz";
    resp.worst_gain_db = std::max(resp.worst_gain_db, std::abs(gain));
    resp.worst_residual_db = std::max(resp.worst_residual_db, residual);
  }
  if (p.in > p.out) {
    for (double hz : stopband_tones(r)) {
      const auto y = convert(r, test::make_sine(p.in, hz, kAmplitude, in_frames));
      double energy = 0;
      for (std::int64_t n = st.begin; n < st.end; ++n) energy += static_cast<double>(y[n]) * y[n];
      const double level = test::rms_db(std::sqrt(energy / static_cast<double>(st.end - st.begin)), kAmplitude);
      EXPECT_LE(level, -kMinRejectionDb) << name(p) << ": " << hz << " Hz folds into the passband";
      resp.worst_alias_db = std::max(resp.worst_alias_db, level);
    }
  }
  std::printf("  %s\n    passband max |gain| %.6f dB, largest residue of a passband sine %.1f dB", r.describe().c_str(),
              resp.worst_gain_db, resp.worst_residual_db);
  if (resp.worst_alias_db > -1e9) std::printf(", largest output of a stopband sine %.1f dB", resp.worst_alias_db);
  std::printf("\n");
  return resp;
}

TEST(ResampleQuality, IssuePairsFlatPassbandAndRejection) {
  for (const Pair& p : kIssuePairs) measure(p);
}

TEST(ResampleQuality, ExtremePairsFlatPassbandAndRejection) {
  for (const Pair& p : kExtremePairs) measure(p);
}

// The documented passband rule: 20 kHz whenever the lower Nyquist allows it (44.1 kHz and
// above), else 0.9 of the lower Nyquist; the stopband edge mirrors it about that Nyquist.
TEST(ResampleQuality, PassbandRule) {
  EXPECT_EQ(Resampler(96000, 44100).passband_hz(), 20000);
  EXPECT_EQ(Resampler(96000, 44100).stopband_hz(), 24100);
  EXPECT_EQ(Resampler(44100, 48000).passband_hz(), 20000);
  EXPECT_DOUBLE_EQ(Resampler(192000, 48000).passband_hz(), 21600);
  EXPECT_DOUBLE_EQ(Resampler(32000, 48000).passband_hz(), 14400);
  EXPECT_DOUBLE_EQ(Resampler(8000, 11025).passband_hz(), 3600);
  EXPECT_DOUBLE_EQ(Resampler(8000, 11025).stopband_hz(), 4400);
  EXPECT_DOUBLE_EQ(Resampler(192000, 96000).passband_hz(), 43200);
}

// A band-limited click (a Gaussian whose spectrum is below -280 dB at the passband edge)
// centred at a time between samples comes out as the same Gaussian sampled at n / out_rate.
TEST(ResampleAlignment, BandLimitedClickLandsOnTime) {
  std::vector<Pair> pairs = kIssuePairs;
  pairs.insert(pairs.end(), kExtremePairs.begin(), kExtremePairs.end());
  for (const Pair& p : pairs) {
    const Resampler r(p.in, p.out);
    const double sigma = 1.3 / r.passband_hz();  // exp(-2 pi^2 sigma^2 fp^2) ~ 3e-15
    const double centre = 0.0123456789;          // seconds, not on a sample of either rate
    const auto in_frames = static_cast<std::int64_t>(0.03 * p.in);
    std::vector<float> x(static_cast<std::size_t>(in_frames));
    auto click = [&](double t) { return kAmplitude * std::exp(-(t - centre) * (t - centre) / (2 * sigma * sigma)); };
    for (std::int64_t i = 0; i < in_frames; ++i) x[i] = static_cast<float>(click(static_cast<double>(i) / p.in));
    const auto y = convert(r, x);
    double worst = 0;
    std::int64_t peak = 0;
    for (std::int64_t n = 0; n < static_cast<std::int64_t>(y.size()); ++n) {
      worst = std::max(worst, std::abs(y[n] - click(static_cast<double>(n) / p.out)));
      if (y[n] > y[peak]) peak = n;
    }
    std::printf("  %-16s click: largest deviation from the ideal %.2e (amplitude %.1f)\n", name(p).c_str(), worst,
                kAmplitude);
    EXPECT_LE(worst, 5e-7) << name(p);  // a few float roundings of 0.5
    EXPECT_EQ(peak, std::llround(centre * p.out)) << name(p);
  }
}

// An impulse at input frame 100 M (the instant of output 100 L) gives an impulse response
// centred on output 100 L and symmetric about it: the filter's delay is compensated.
TEST(ResampleAlignment, ImpulseResponseIsCentredAndSymmetric) {
  for (const Pair& p : kIssuePairs) {
    const Resampler r(p.in, p.out);
    const auto& s = r.shape();
    const std::int64_t at = 100 * static_cast<std::int64_t>(s.down);
    std::vector<float> x(static_cast<std::size_t>(2 * at));
    x[at] = 1;
    const auto y = convert(r, x);
    const std::int64_t centre = 100 * static_cast<std::int64_t>(s.up);
    const auto peak = std::max_element(y.begin(), y.end()) - y.begin();
    EXPECT_EQ(peak, centre) << name(p);
    EXPECT_NEAR(y[centre], std::min(1.0, static_cast<double>(p.out) / p.in), 1e-3) << name(p);
    double asymmetry = 0;
    const auto last = static_cast<std::int64_t>(y.size()) - 1;  // y may end before centre + 4 taps (ASan)
    for (std::int64_t i = 1; i < 4 * s.taps * s.up / s.down && i <= centre && centre + i <= last; ++i)
      asymmetry = std::max(asymmetry, static_cast<double>(std::abs(y[centre + i] - y[centre - i])));
    EXPECT_LE(asymmetry, 1e-7) << name(p);
  }
}

// A step from 0 to 0.5 (with 0.25 at the step frame js, so that the input is antisymmetric
// about js) settles to exactly 0.5 (every phase has unit DC gain), and the output is
// antisymmetric about the step's instant: y[n0] = 0.25 and y[n0 + i] + y[n0 - i] = 0.5, with
// js = k M, n0 = k L.
TEST(ResampleAlignment, DcStepKeepsItsLevelAndTime) {
  for (const Pair& p : kIssuePairs) {
    const Resampler r(p.in, p.out);
    const auto& s = r.shape();
    const std::int64_t k = (4000 + s.down - 1) / s.down, js = k * s.down, in_frames = 2 * js;
    std::vector<float> x(static_cast<std::size_t>(in_frames), 0.0f);
    std::fill(x.begin() + js, x.end(), 0.5f);
    x[js] = 0.25f;
    const auto y = convert(r, x);
    const double settle = static_cast<double>(s.taps) / 2 + 1;  // input frames
    const auto step = static_cast<double>(js), end = static_cast<double>(in_frames);
    double worst_zero = 0, worst_level = 0, asymmetry = 0;
    for (std::int64_t n = 0; n < static_cast<std::int64_t>(y.size()); ++n) {
      const double t = static_cast<double>(n) * s.down / s.up;  // instant in input frames
      if (t < step - settle) worst_zero = std::max(worst_zero, static_cast<double>(std::abs(y[n])));
      if (t > step + settle && t < end - settle)
        worst_level = std::max(worst_level, static_cast<double>(std::abs(y[n] - 0.5f)));
    }
    const std::int64_t n0 = k * s.up;
    for (std::int64_t i = 0; i <= n0 && n0 + i < static_cast<std::int64_t>(y.size()) && i * s.down < s.up * (s.taps / 2 + 1); ++i)
      asymmetry = std::max(asymmetry, std::abs(static_cast<double>(y[n0 + i]) + y[n0 - i] - 0.5));
    EXPECT_LE(worst_zero, 1e-7) << name(p);
    EXPECT_EQ(worst_level, 0) << name(p);
    EXPECT_LE(asymmetry, 1e-7) << name(p);
  }
}

}  // namespace
}  // namespace gloss
