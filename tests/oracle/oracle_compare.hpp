// Comparing one gloss TrackAnalysis with libebur128's reading of the same samples.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "gloss/analysis.hpp"
#include "libebur128_meter.hpp"

namespace gloss::test {

struct OracleRow {
  std::string signal;
  int rate = 0;
  std::string layout;
  double d_integrated = 0;   // gloss - libebur128, LU
  double d_lra = 0;          // LU
  double d_true_peak = 0;    // dB, gloss ITU mode - libebur128 (both combined with sample peak)
  std::optional<double> d_true_peak_precise;  // dB, gloss precise mode - libebur128
  double d_momentary_max = 0;                 // LU, both read every 10 ms
  double d_momentary_series = 0;              // LU, largest |difference| of M at 10 Hz
  double d_short_term_series = 0;             // LU, largest |difference| of S at 10 Hz
};

inline double to_db(double linear) { return 20.0 * std::log10(linear); }
inline double energy_to_lufs_test(double e) { return -0.691 + 10.0 * std::log10(e); }

// Largest |a[i] - b[i]| over values both meters define (> -70 LUFS, i.e. not silence).
inline double series_difference(const std::vector<double>& a, const std::vector<double>& b, const std::string& what) {
  EXPECT_EQ(a.size(), b.size()) << what;
  double worst = 0;
  for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i)
    if (a[i] > -70 && b[i] > -70) worst = std::max(worst, std::abs(a[i] - b[i]));
  return worst;
}

// Compares and fills a row; asserts what must agree exactly or within 0.01 LU:
// integrated loudness within 0.01 LU, every channel's sample peak bit-equal.
inline OracleRow compare_with_oracle(const std::string& signal, const std::string& layout, const TrackAnalysis& g,
                                     const Ebur128Result& e, const TrackAnalysis* precise = nullptr) {
  const std::string what = signal + " " + std::to_string(g.sample_rate) + " Hz " + layout;
  OracleRow row;
  row.signal = signal;
  row.rate = g.sample_rate;
  row.layout = layout;
  row.d_integrated = g.integrated_lufs - e.integrated_lufs;
  EXPECT_NEAR(g.integrated_lufs, e.integrated_lufs, 0.01) << what << ": integrated";
  row.d_lra = g.loudness_range_lu - e.loudness_range_lu;
  row.d_momentary_max = g.momentary_max_lufs - e.momentary_max_lufs;
  std::vector<double> m;
  for (double v : g.block_energies) m.push_back(energy_to_lufs_test(v));
  row.d_momentary_series = series_difference(m, e.momentary_10hz, what + ": M at 10 Hz");
  row.d_short_term_series = series_difference(g.short_term_lufs, e.short_term_10hz, what + ": S at 10 Hz");
  double tp = 0, etp = 0, ptp = 0;
  EXPECT_EQ(g.per_channel.size(), e.sample_peak.size()) << what;
  for (std::size_t c = 0; c < std::min(g.per_channel.size(), e.sample_peak.size()); ++c) {
    EXPECT_EQ(g.per_channel[c].sample_peak, e.sample_peak[c]) << what << ": sample peak of channel " << c;
    tp = std::max(tp, g.per_channel[c].true_peak);
    etp = std::max(etp, e.true_peak[c]);
    if (precise != nullptr) ptp = std::max(ptp, precise->per_channel[c].true_peak);
  }
  row.d_true_peak = to_db(tp) - to_db(etp);
  if (precise != nullptr) row.d_true_peak_precise = to_db(ptp) - to_db(etp);
  return row;
}

inline void print_oracle_table(const std::vector<OracleRow>& rows) {
  std::printf("\n| signal | rate | layout | dI (LU) | dLRA (LU) | dTP itu (dB) | dTP precise (dB) | dM max | dM 10 Hz | dS 10 Hz |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|---|\n");
  for (const OracleRow& r : rows) {
    char precise[32] = "-";
    if (r.d_true_peak_precise) std::snprintf(precise, sizeof precise, "%+.4f", *r.d_true_peak_precise);
    std::printf("| %s | %d | %s | %+.1e | %+.4f | %+.4f | %s | %+.1e | %.1e | %.1e |\n", r.signal.c_str(), r.rate,
                r.layout.c_str(), r.d_integrated, r.d_lra, r.d_true_peak, precise, r.d_momentary_max,
                r.d_momentary_series, r.d_short_term_series);
  }
  std::printf("(d = gloss - libebur128; TP = max over channels, both include the sample peak)\n\n");
}

}  // namespace gloss::test
