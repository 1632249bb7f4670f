// The conformance suite is written once and instantiated for every backend this build can
// run: "reference" (defines the bits), "cpu", and each usable CUDA device when built with
// CUDA. A missing GPU never makes a case pass or skip: it is simply not in the list.
#pragma once

#include <gtest/gtest.h>

#include <cctype>
#include <cmath>
#include <string>
#include <vector>

#include "gloss/backend.hpp"
#include "gloss/meter.hpp"

namespace gloss::test {

inline std::vector<std::string> conformance_backends() {
  std::vector<std::string> names = {"reference", "cpu"};
  for (const BackendInfo& info : list_backends())
    if (info.available && info.name.starts_with("cuda")) names.push_back(info.name);
  return names;
}

inline std::string backend_test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string out;
  for (char c : info.param) out += (std::isalnum(static_cast<unsigned char>(c)) != 0) ? c : '_';
  return out;
}

class BackendSuite : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override { backend_ = make_backend(GetParam()); }

  TrackAnalysis analyze(const AudioTrack& track, TruePeakMode mode = TruePeakMode::Itu) {
    return analyze_all({&track}, mode).at(0);
  }
  std::vector<TrackAnalysis> analyze_all(const std::vector<const AudioTrack*>& tracks,
                                         TruePeakMode mode = TruePeakMode::Itu) {
    MeterOptions options;
    options.true_peak = mode;
    return analyze_tracks(*backend_, tracks, options);
  }

  std::unique_ptr<Backend> backend_;
};

#define GLOSS_INSTANTIATE_FOR_BACKENDS(suite)                                                   \
  INSTANTIATE_TEST_SUITE_P(Backends, suite, ::testing::ValuesIn(::gloss::test::conformance_backends()), \
                           ::gloss::test::backend_test_name)

// BS.1770 loudness of a channel-weighted mean square (what block_energies hold).
inline double energy_lufs(double energy) { return -0.691 + 10.0 * std::log10(energy); }

inline double amplitude_db(double linear) { return 20.0 * std::log10(linear); }

// EBU Tech 3341 loudness tolerance and true-peak tolerance.
inline constexpr double kLoudnessTolerance = 0.1;
inline constexpr double kTruePeakOver = 0.2;
inline constexpr double kTruePeakUnder = 0.4;

}  // namespace gloss::test
