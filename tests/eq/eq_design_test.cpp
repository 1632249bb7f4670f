// The linear-phase EQ designer (core/eq_design): accuracy against the analog targets for
// typical mastering curves at 44.1/48/96 kHz, linear phase bit for bit, the flat single tap,
// the length rule, determinism (golden bits) and the response measured by filtering an
// impulse and sines with a plain direct convolution.
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <numbers>
#include <string>
#include <vector>

#include "eq_design.hpp"

namespace {

using gloss::EqBand;
using gloss::EqBandType;
using gloss::EqSpec;
using gloss::FirDesign;

EqBand bell(double f, double g, double q) {
  EqBand b;
  b.type = EqBandType::bell;
  b.freq_hz = f;
  b.gain_db = g;
  b.q = q;
  return b;
}
EqBand shelf(EqBandType t, double f, double g, double s = 1) {
  EqBand b;
  b.type = t;
  b.freq_hz = f;
  b.gain_db = g;
  b.shelf_slope = s;
  return b;
}
EqBand pass(EqBandType t, double f, int order) {
  EqBand b;
  b.type = t;
  b.freq_hz = f;
  b.order = order;
  return b;
}
EqBand tilt(double pivot, double db_per_octave) {
  EqBand b;
  b.type = EqBandType::tilt;
  b.freq_hz = pivot;
  b.tilt_db_per_octave = db_per_octave;
  return b;
}

struct Curve {
  std::string name;
  EqSpec spec;
};

// Typical mastering curves: bells Q 0.5..4 at 30 Hz..16 kHz, +-0.1..+-6 dB; shelves; 20-30 Hz
// high-passes; 18-20 kHz low-passes; tilts of +-1 dB/octave; and combinations.
std::vector<Curve> typical_curves() {
  using T = EqBandType;
  return {
      {"bell_30Hz_Q1_+6", {0, {bell(30, 6, 1)}}},
      {"bell_30Hz_Q1_-6", {0, {bell(30, -6, 1)}}},
      {"bell_40Hz_Q0.5_+3", {0, {bell(40, 3, 0.5)}}},
      {"bell_60Hz_Q2_+3", {0, {bell(60, 3, 2)}}},
      {"bell_100Hz_Q4_-6", {0, {bell(100, -6, 4)}}},
      {"bell_250Hz_Q1_-1.5", {0, {bell(250, -1.5, 1)}}},
      {"bell_1kHz_Q4_+0.1", {0, {bell(1000, 0.1, 4)}}},
      {"bell_3kHz_Q4_-6", {0, {bell(3000, -6, 4)}}},
      {"bell_16kHz_Q0.5_+6", {0, {bell(16000, 6, 0.5)}}},
      {"bell_16kHz_Q4_-0.1", {0, {bell(16000, -0.1, 4)}}},
      {"low_shelf_100Hz_+3", {0, {shelf(T::low_shelf, 100, 3)}}},
      {"low_shelf_60Hz_-2_S0.5", {0, {shelf(T::low_shelf, 60, -2, 0.5)}}},
      {"high_shelf_8kHz_+2", {0, {shelf(T::high_shelf, 8000, 2)}}},
      {"high_shelf_12kHz_-3", {0, {shelf(T::high_shelf, 12000, -3)}}},
      {"high_pass_20Hz_12dB", {0, {pass(T::high_pass, 20, 2)}}},
      {"high_pass_30Hz_12dB", {0, {pass(T::high_pass, 30, 2)}}},
      {"high_pass_25Hz_24dB", {0, {pass(T::high_pass, 25, 4)}}},
      {"high_pass_30Hz_6dB", {0, {pass(T::high_pass, 30, 1)}}},
      {"high_pass_20Hz_18dB", {0, {pass(T::high_pass, 20, 3)}}},
      {"low_pass_18kHz_48dB", {0, {pass(T::low_pass, 18000, 8)}}},
      {"low_pass_20kHz_24dB", {0, {pass(T::low_pass, 20000, 4)}}},
      {"tilt_+1", {0, {tilt(1000, 1)}}},
      {"tilt_-1", {0, {tilt(1000, -1)}}},
      {"master_mix",
       {0,
        {pass(T::high_pass, 25, 2), shelf(T::low_shelf, 90, 1.5), bell(250, -1.2, 1), bell(3200, 0.8, 2),
         shelf(T::high_shelf, 10000, 1.5), tilt(1000, -0.5)}}},
      {"air_and_cut", {0, {bell(300, -0.5, 0.8), bell(4500, 0.3, 1.2), shelf(T::high_shelf, 12000, 1.5)}}},
  };
}

double top_hz(int rate) { return std::min(20000.0, 0.45 * rate); }

class Accuracy : public ::testing::TestWithParam<int> {};

// Achieved within +-0.05 dB of the target over 20 Hz..20 kHz (..0.45 fs at 44.1 kHz), both
// by worst_deviation (every design-grid bin, refined) and by direct sums on a log grid.
TEST_P(Accuracy, TypicalCurvesWithin005Db) {
  const int rate = GetParam();
  for (const Curve& c : typical_curves()) {
    const FirDesign fir = gloss::design_eq_fir(c.spec, rate);
    const gloss::EqDeviation w = gloss::worst_deviation(c.spec, fir, 20, top_hz(rate));
    std::printf("  %6d Hz  %-24s %6zu taps  worst %+.4f dB at %.1f Hz\n", rate, c.name.c_str(), fir.taps.size(),
                w.worst_db, w.at_hz);
    EXPECT_LE(std::fabs(w.worst_db), 0.05) << c.name << " at " << rate << " Hz: worst at " << w.at_hz << " Hz";
    for (int i = 0; i < 60; ++i) {
      const double hz = 20 * std::pow(top_hz(rate) / 20, i / 59.0);
      const double dev = gloss::achieved_db(fir, hz) - gloss::target_db(c.spec, hz);
      EXPECT_LE(std::fabs(dev), 0.05) << c.name << " at " << rate << " Hz, " << hz << " Hz";
      EXPECT_LE(std::fabs(dev), std::fabs(w.worst_db) + 1e-9) << c.name << ": worst_deviation missed " << hz;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Rates, Accuracy, ::testing::Values(44100, 48000, 96000));

// The cap (32767 taps) is a real limit at high rates: a Q 4 bell at 30 Hz or a 48 dB/oct
// high-pass at 30 Hz at 96 kHz would need 60k-180k taps. The design says so (wanted_taps)
// and stays within a documented 0.25 dB; at 44.1/48 kHz the same curves are within 0.05 dB.
TEST(EqDesign, CappedDesignsAreReportedAndBounded) {
  const std::vector<Curve> hard = {{"bell_30Hz_Q4_+3", {0, {bell(30, 3, 4)}}},
                                   {"high_pass_30Hz_48dB", {0, {pass(EqBandType::high_pass, 30, 8)}}}};
  for (const Curve& c : hard) {
    for (int rate : {44100, 48000, 96000}) {
      const FirDesign fir = gloss::design_eq_fir(c.spec, rate);
      const gloss::EqDeviation w = gloss::worst_deviation(c.spec, fir, 20, top_hz(rate));
      std::printf("  %6d Hz  %-24s %6zu taps (rule wants %d)  worst %+.4f dB at %.1f Hz\n", rate, c.name.c_str(),
                  fir.taps.size(), fir.wanted_taps, w.worst_db, w.at_hz);
      if (rate == 96000) {
        EXPECT_EQ(static_cast<int>(fir.taps.size()), gloss::kEqMaxTaps);
        EXPECT_GT(fir.wanted_taps, gloss::kEqMaxTaps);
      }
      EXPECT_LE(std::fabs(w.worst_db), rate <= 48000 ? 0.05 : 0.25) << c.name << " at " << rate;
    }
  }
}

// +-0.1 dB must mean something: the peak of a 0.1 dB bell is 0.1 dB within 0.01 dB.
TEST(EqDesign, TenthOfADbBellsAreResolved) {
  for (int rate : {44100, 48000, 96000}) {
    for (double f : {40.0, 1000.0, 12000.0}) {
      for (double g : {0.1, -0.1}) {
        for (double q : {0.5, 4.0}) {
          const EqSpec spec{0, {bell(f, g, q)}};
          const FirDesign fir = gloss::design_eq_fir(spec, rate);
          EXPECT_NEAR(gloss::achieved_db(fir, f), g, 0.01) << f << " Hz " << g << " dB Q " << q << " at " << rate;
          EXPECT_NEAR(gloss::target_db(spec, f), g, 1e-12);
          // and far from the band it is flat
          EXPECT_NEAR(gloss::achieved_db(fir, f < 5000 ? 15000 : 100), 0, 0.01);
        }
      }
    }
  }
}

TEST(EqDesign, TapsAreExactlySymmetric) {
  for (const Curve& c : typical_curves()) {
    for (int rate : {44100, 96000}) {
      const FirDesign fir = gloss::design_eq_fir(c.spec, rate);
      const std::size_t n = fir.taps.size();
      ASSERT_EQ(n % 2, 1u) << c.name;
      for (std::size_t i = 0; i < n / 2; ++i)
        ASSERT_EQ(std::bit_cast<std::uint64_t>(fir.taps[i]), std::bit_cast<std::uint64_t>(fir.taps[n - 1 - i]))
            << c.name << " tap " << i;
    }
  }
}

TEST(EqDesign, FlatEqIsOneTapOfOne) {
  for (const EqSpec& spec :
       {EqSpec{}, EqSpec{0, {bell(1000, 0, 2)}},
        EqSpec{0, {shelf(EqBandType::low_shelf, 100, 0), tilt(1000, 0), shelf(EqBandType::high_shelf, 9000, 0)}}}) {
    const FirDesign fir = gloss::design_eq_fir(spec, 48000);
    ASSERT_EQ(fir.taps.size(), 1u);
    EXPECT_EQ(std::bit_cast<std::uint64_t>(fir.taps[0]), std::bit_cast<std::uint64_t>(1.0));
    EXPECT_EQ(gloss::achieved_db(fir, 1000), 0.0);
    EXPECT_EQ(gloss::target_db(spec, 1000), 0.0);
  }
}

TEST(EqDesign, LengthRule) {
  for (int rate : {44100, 48000, 96000}) {
    for (const Curve& c : typical_curves()) {
      const FirDesign fir = gloss::design_eq_fir(c.spec, rate);
      double wanted = 0;
      for (const EqBand& b : c.spec.bands) {
        const double w = gloss::band_feature_width_hz(b);
        const double f = b.type == EqBandType::tilt ? 20 : b.freq_hz;
        const double t = std::max(3.0 * rate / w, 5.5 * rate / f);
        EXPECT_EQ(gloss::band_wanted_taps(b, rate), t) << c.name;
        wanted = std::max(wanted, t);
      }
      int expect = static_cast<int>(std::ceil(wanted));
      if (expect % 2 == 0) ++expect;
      expect = std::clamp(expect, gloss::kEqMinTaps, gloss::kEqMaxTaps);
      EXPECT_EQ(static_cast<int>(fir.taps.size()), expect) << c.name << " at " << rate;
      EXPECT_TRUE(fir.automatic_length);
      // grid: the next power of two >= 4 x taps
      EXPECT_GE(fir.grid_size, 4 * static_cast<int>(fir.taps.size()));
      EXPECT_LT(fir.grid_size, 8 * static_cast<int>(fir.taps.size()));
      EXPECT_EQ(fir.grid_size & (fir.grid_size - 1), 0);
    }
  }
  // The feature widths the rule is built on.
  EXPECT_DOUBLE_EQ(gloss::band_feature_width_hz(pass(EqBandType::high_pass, 20, 2)), 20 * std::sqrt(0.5));
  EXPECT_DOUBLE_EQ(gloss::band_feature_width_hz(pass(EqBandType::high_pass, 30, 1)), 8);  // odd: DC kink
  EXPECT_DOUBLE_EQ(gloss::band_feature_width_hz(pass(EqBandType::low_pass, 30, 1)), 30);
  EXPECT_NEAR(gloss::band_feature_width_hz(bell(30, 6, 1)), 30 / 2.0 / std::pow(10, 6 / 40.0), 1e-12);
  EXPECT_EQ(gloss::band_feature_width_hz(tilt(1000, 1)), 10);
  // A 20-30 Hz band at 48 kHz gets >= 8191 taps.
  for (const EqBand& b : {bell(25, 2, 1), pass(EqBandType::high_pass, 30, 2), shelf(EqBandType::low_shelf, 30, 3)})
    EXPECT_GE(gloss::design_eq_fir(EqSpec{0, {b}}, 48000).taps.size(), 8191u);
  // An override is used as given.
  const FirDesign over = gloss::design_eq_fir(EqSpec{1001, {pass(EqBandType::high_pass, 20, 2)}}, 48000);
  EXPECT_EQ(over.taps.size(), 1001u);
  EXPECT_FALSE(over.automatic_length);
  EXPECT_EQ(over.grid_size, 4096);
}

TEST(EqDesign, InvalidSpecsAreRejected) {
  EXPECT_THROW(gloss::design_eq_fir(EqSpec{0, {bell(24000, 1, 1)}}, 48000), std::invalid_argument);
  EXPECT_NO_THROW(gloss::design_eq_fir(EqSpec{0, {bell(24000, 1, 1)}}, 96000));
  EXPECT_THROW(gloss::design_eq_fir(EqSpec{0, {bell(0, 1, 1)}}, 48000), std::invalid_argument);
  EXPECT_THROW(gloss::design_eq_fir(EqSpec{0, {bell(100, 25, 1)}}, 48000), std::invalid_argument);
  EXPECT_THROW(gloss::design_eq_fir(EqSpec{0, {bell(100, 1, 0)}}, 48000), std::invalid_argument);
  EXPECT_THROW(gloss::design_eq_fir(EqSpec{0, {pass(EqBandType::low_pass, 100, 9)}}, 48000), std::invalid_argument);
  EXPECT_THROW(gloss::design_eq_fir(EqSpec{0, {tilt(10, 1)}}, 48000), std::invalid_argument);
  EXPECT_THROW(gloss::design_eq_fir(EqSpec{1000, {bell(100, 1, 1)}}, 48000), std::invalid_argument);
  const auto problems = gloss::check_eq(EqSpec{0, {bell(100, 1, 1), bell(30000, 1, -1)}}, 48000);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].band, 1);
  EXPECT_EQ(problems[0].key, "freq");
  EXPECT_EQ(problems[1].key, "q");
}

// Designing twice gives the same bits; a few taps of one design are pinned as golden bits so
// a change of libm, compiler or the design itself is caught (re-bless by updating them).
TEST(EqDesign, DeterministicAndGolden) {
  const EqSpec spec = typical_curves()[23].spec;  // master_mix
  ASSERT_EQ(typical_curves()[23].name, "master_mix");
  const FirDesign a = gloss::design_eq_fir(spec, 48000);
  const FirDesign b = gloss::design_eq_fir(spec, 48000);
  ASSERT_EQ(a.taps.size(), b.taps.size());
  for (std::size_t i = 0; i < a.taps.size(); ++i)
    ASSERT_EQ(std::bit_cast<std::uint64_t>(a.taps[i]), std::bit_cast<std::uint64_t>(b.taps[i])) << i;
  const std::size_t c = (a.taps.size() - 1) / 2;
  const std::vector<std::size_t> where = {c, c + 1, c + 2, c + 100, c + 1000, a.taps.size() - 1};
  // Golden bits (x86-64, g++ 12, -ffp-contract=off); they depend only on detmath and IEEE
  // + - * / sqrt, so any machine must reproduce them.
  const std::vector<std::uint64_t> golden = {0x3fed9122477c8c5fULL, 0x3f80cf76d9fbc5eeULL, 0x3f8769f9debdacb7ULL,
                                             0x3f2c79f082d4c109ULL, 0xbf27d6820303203dULL, 0x3dac7fc6e7eb6ec2ULL};
  ASSERT_EQ(a.taps.size(), 14401u);
  for (std::size_t k = 0; k < where.size(); ++k) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "0x%016llx", static_cast<unsigned long long>(std::bit_cast<std::uint64_t>(a.taps[where[k]])));
    std::printf("  tap %zu = %s (%.17g)\n", where[k], buf, a.taps[where[k]]);
    if (k < golden.size()) {
      EXPECT_EQ(std::bit_cast<std::uint64_t>(a.taps[where[k]]), golden[k]) << "tap " << where[k];
    }
  }
  // Reported numbers are deterministic too.
  EXPECT_EQ(std::bit_cast<std::uint64_t>(gloss::achieved_db(a, 1000)), std::bit_cast<std::uint64_t>(gloss::achieved_db(b, 1000)));
}

// Filter an impulse and sines with a plain direct convolution (double) and measure the
// magnitude (a plain DFT over whole periods): it equals the design within 0.05 dB.
TEST(EqDesign, ImpulseAndSineResponseMatchTheDesign) {
  const int rate = 48000;
  const EqSpec spec{0,
                    {pass(EqBandType::high_pass, 60, 2), bell(1000, 3, 1.5), shelf(EqBandType::high_shelf, 6000, -2),
                     tilt(1000, 0.5)}};
  const FirDesign fir = gloss::design_eq_fir(spec, rate);
  const std::size_t taps = fir.taps.size();
  std::printf("  %zu taps\n", taps);

  auto convolve = [&](const std::vector<double>& x) {
    std::vector<double> y(x.size() + taps - 1, 0.0);
    for (std::size_t n = 0; n < x.size(); ++n)
      for (std::size_t k = 0; k < taps; ++k) y[n + k] += x[n] * fir.taps[k];
    return y;
  };

  // Impulse: the output is the FIR; its DFT magnitude (delay removed by taking |.|).
  std::vector<double> impulse(1, 1.0);
  const std::vector<double> h = convolve(impulse);
  for (double hz : {20.0, 61.0, 200.0, 1000.0, 3000.0, 6000.0, 15000.0, 20000.0}) {
    double re = 0, im = 0;
    for (std::size_t n = 0; n < h.size(); ++n) {
      const double ph = 2 * std::numbers::pi * hz * static_cast<double>(n) / rate;
      re += h[n] * std::cos(ph);
      im -= h[n] * std::sin(ph);
    }
    const double db = 10 * std::log10(re * re + im * im);
    EXPECT_NEAR(db, gloss::target_db(spec, hz), 0.05) << "impulse at " << hz << " Hz";
    EXPECT_NEAR(db, gloss::achieved_db(fir, hz), 1e-6) << "impulse at " << hz << " Hz";
  }

  // Sines: steady state after the FIR has filled, over a window of whole periods.
  const std::size_t window = 4800;  // 0.1 s: every multiple of 10 Hz fits whole periods
  for (double hz : {70.0, 500.0, 1000.0, 2500.0, 7000.0, 16000.0}) {
    std::vector<double> x(taps + window);
    for (std::size_t n = 0; n < x.size(); ++n) x[n] = std::sin(2 * std::numbers::pi * hz * static_cast<double>(n) / rate);
    const std::vector<double> y = convolve(x);
    double re = 0, im = 0;
    for (std::size_t n = taps - 1; n < taps - 1 + window; ++n) {
      const double ph = 2 * std::numbers::pi * hz * static_cast<double>(n) / rate;
      re += y[n] * std::cos(ph);
      im += y[n] * std::sin(ph);
    }
    const double amplitude = 2 * std::sqrt(re * re + im * im) / static_cast<double>(window);
    const double db = 20 * std::log10(amplitude);
    EXPECT_NEAR(db, gloss::target_db(spec, hz), 0.05) << "sine at " << hz << " Hz";
    EXPECT_NEAR(db, gloss::achieved_db(fir, hz), 1e-6) << "sine at " << hz << " Hz";
  }
}

// One design runs once per sample rate; 8191 taps must stay well under 0.5 s.
TEST(EqDesign, DesignTime) {
  const EqSpec spec{8191, {bell(30, 2, 1), shelf(EqBandType::high_shelf, 10000, 1)}};
  const auto t0 = std::chrono::steady_clock::now();
  const FirDesign fir = gloss::design_eq_fir(spec, 48000);
  const double ms8191 = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  const auto t1 = std::chrono::steady_clock::now();
  const FirDesign big = gloss::design_eq_fir(EqSpec{32767, spec.bands}, 48000);
  const double ms32767 = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t1).count();
  std::printf("  design time: 8191 taps %.1f ms, 32767 taps %.1f ms\n", ms8191, ms32767);
  EXPECT_EQ(fir.taps.size(), 8191u);
  EXPECT_EQ(big.taps.size(), 32767u);
  EXPECT_LT(ms8191, 500);
}

}  // namespace
