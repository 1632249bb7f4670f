// EBU Tech 3341 (2023) minimum requirements, cases 1-6 and 9-19, synthesised at 48 kHz from
// the definitions in specs/loudness.md §4.1 ("similar to #1" = stereo 1 kHz sine, level =
// per-channel peak in dBFS, in phase). Tolerances: M/S/I +-0.1 LU, true peak +0.2/-0.4 dB.
//
// How the time-series requirements are checked with a file-based meter:
//  - M at 10 Hz is TrackAnalysis::block_energies (400 ms windows every 100 ms). For a 10 ms
//    resolution the signal is measured again behind 10..90 ms of leading silence, which
//    moves the 100 ms grid over the signal in 10 ms steps.
//  - S at 10 Hz is TrackAnalysis::short_term_lufs (3 s windows every 100 ms), shifted the
//    same way.
//  - "Live" cases 11 and 14 (one file, a new maximum per part) are checked by measuring each
//    part as its own track (Max S / Max M of that part, evaluated every 10 ms), and case 11
//    also on the whole file through the 10 Hz short-term series.
#include <algorithm>
#include <cmath>

#include "backend_suite.hpp"
#include "support/signals.hpp"

namespace gloss::test {
namespace {

constexpr int kRate = 48000;
constexpr double kTone = 1000;

class Tech3341 : public BackendSuite {};

AudioTrack stereo_tones(const std::vector<Segment>& segments) { return tone_sequence(kRate, 2, kTone, segments); }

// Samples [first, first + frames) of every channel as a track of their own.
AudioTrack slice(const AudioTrack& t, std::int64_t first, std::int64_t frames) {
  AudioTrack out = t;
  out.frames = frames;
  out.samples.assign(static_cast<std::size_t>(frames * t.channels), 0.0f);
  for (int c = 0; c < t.channels; ++c)
    std::copy_n(t.channel(c).begin() + first, frames, out.channel(c).begin());
  return out;
}

AudioTrack with_lead_in(const std::vector<Segment>& segments, double lead_s) {
  std::vector<Segment> s = {{lead_s, kSilence}};
  s.insert(s.end(), segments.begin(), segments.end());
  return stereo_tones(s);
}

// Every 10 Hz momentary value (block) that lies in [from_s, to_s] of a track, in LUFS.
std::vector<double> momentary_10hz(const TrackAnalysis& a, double from_s, double to_s) {
  std::vector<double> out;
  for (std::size_t j = 0; j < a.block_energies.size(); ++j) {
    const double start = 0.1 * static_cast<double>(j), end = start + 0.4;
    if (start >= from_s - 1e-9 && end <= to_s + 1e-9) out.push_back(energy_lufs(a.block_energies[j]));
  }
  return out;
}

// Every 10 Hz short-term value whose window lies in [from_s, to_s].
std::vector<double> short_term_10hz(const TrackAnalysis& a, double from_s, double to_s) {
  std::vector<double> out;
  for (std::size_t i = 0; i < a.short_term_lufs.size(); ++i) {
    const double start = 0.1 * static_cast<double>(i), end = start + 3.0;
    if (start >= from_s - 1e-9 && end <= to_s + 1e-9) out.push_back(a.short_term_lufs[i]);
  }
  return out;
}

void expect_all_near(const std::vector<double>& values, double expected, const std::string& what) {
  ASSERT_FALSE(values.empty()) << what;
  const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  EXPECT_NEAR(*lo, expected, kLoudnessTolerance) << what << " (" << values.size() << " values)";
  EXPECT_NEAR(*hi, expected, kLoudnessTolerance) << what << " (" << values.size() << " values)";
}

TEST_P(Tech3341, Case1And2SteadySineMomentaryShortTermIntegrated) {
  for (double level : {-23.0, -33.0}) {
    const AudioTrack t = stereo_tones({{20, level}});
    const TrackAnalysis a = analyze(t);
    const std::string what = "stereo 1 kHz at " + std::to_string(level) + " dBFS";
    EXPECT_NEAR(a.integrated_lufs, level, kLoudnessTolerance) << what;
    EXPECT_NEAR(a.momentary_max_lufs, level, kLoudnessTolerance) << what;
    EXPECT_NEAR(a.short_term_max_lufs, level, kLoudnessTolerance) << what;
    expect_all_near(momentary_10hz(a, 0, 20), level, what + ": every M at 10 Hz");
    expect_all_near(a.short_term_lufs, level, what + ": every S at 10 Hz");
    EXPECT_EQ(a.short_term_lufs.size(), 171u) << what;  // windows ending at 3.0, 3.1, ... 20.0 s
  }
}

TEST_P(Tech3341, Case3GatedOutQuietEnds) {
  const AudioTrack t = stereo_tones({{10, -36}, {60, -23}, {10, -36}});
  EXPECT_NEAR(analyze(t).integrated_lufs, -23.0, kLoudnessTolerance);
}

TEST_P(Tech3341, Case4AbsoluteAndRelativeGates) {
  const AudioTrack t = stereo_tones({{10, -72}, {10, -36}, {60, -23}, {10, -36}, {10, -72}});
  EXPECT_NEAR(analyze(t).integrated_lufs, -23.0, kLoudnessTolerance);
}

TEST_P(Tech3341, Case5LoudMiddle) {
  const AudioTrack t = stereo_tones({{20, -26}, {20.1, -20}, {20, -26}});
  EXPECT_NEAR(analyze(t).integrated_lufs, -23.0, kLoudnessTolerance);
}

TEST_P(Tech3341, Case6FiveChannelWeights) {
  // L, R -28; C -24; Ls, Rs -30 dBFS (surrounds weigh 1.41).
  const AudioTrack five = multichannel_tone(kRate, kTone, 20, {-28, -28, -24, -30, -30});
  EXPECT_NEAR(analyze(five).integrated_lufs, -23.0, kLoudnessTolerance) << "5.0 (L R C Ls Rs)";
  // The WAVEEX variant of the official set: the same with a silent LFE as 4th channel.
  const AudioTrack six = multichannel_tone(kRate, kTone, 20, {-28, -28, -24, kSilence, -30, -30});
  EXPECT_NEAR(analyze(six).integrated_lufs, -23.0, kLoudnessTolerance) << "5.1 (L R C LFE Ls Rs)";
  // A loud LFE must not count at all.
  const AudioTrack loud_lfe = multichannel_tone(kRate, kTone, 20, {-28, -28, -24, -6, -30, -30});
  EXPECT_NEAR(analyze(loud_lfe).integrated_lufs, -23.0, kLoudnessTolerance) << "5.1 with a -6 dBFS LFE";
}

TEST_P(Tech3341, Case9ShortTermConstantAfter3s) {
  std::vector<Segment> period;
  for (int k = 0; k < 5; ++k) {
    period.push_back({1.34, -20});
    period.push_back({1.66, -30});
  }
  // 0 ms and 10..90 ms of leading silence move the 10 Hz grid in 10 ms steps.
  std::vector<AudioTrack> tracks;
  for (int shift = 0; shift < 10; ++shift) tracks.push_back(with_lead_in(period, shift * 0.01));
  std::vector<const AudioTrack*> batch;
  for (const AudioTrack& t : tracks) batch.push_back(&t);
  const std::vector<TrackAnalysis> a = analyze_all(batch);
  for (int shift = 0; shift < 10; ++shift) {
    const double lead = shift * 0.01;
    const std::string what = "lead-in " + std::to_string(shift * 10) + " ms";
    // Windows that end 3 s or more after the signal starts and lie inside it.
    expect_all_near(short_term_10hz(a[static_cast<std::size_t>(shift)], lead, lead + 15.0), -23.0,
                    what + ": every S after 3 s");
    EXPECT_NEAR(a[static_cast<std::size_t>(shift)].short_term_max_lufs, -23.0, kLoudnessTolerance) << what;
  }
}

TEST_P(Tech3341, Case10MaxShortTermOfTwentyFiles) {
  std::vector<AudioTrack> files;
  for (int i = 0; i < 20; ++i) files.push_back(stereo_tones({{i * 0.15, kSilence}, {3, -23}, {1, kSilence}}));
  std::vector<const AudioTrack*> batch;
  for (const AudioTrack& t : files) batch.push_back(&t);
  const std::vector<TrackAnalysis> a = analyze_all(batch);
  for (int i = 0; i < 20; ++i)
    EXPECT_NEAR(a[static_cast<std::size_t>(i)].short_term_max_lufs, -23.0, kLoudnessTolerance) << "file " << i + 1;
}

TEST_P(Tech3341, Case11LiveMaxShortTermPerPart) {
  std::vector<Segment> segments;
  for (int i = 0; i < 20; ++i) {
    segments.push_back({i * 0.15, kSilence});
    segments.push_back({3, -38.0 + i});
    segments.push_back({3 - i * 0.15, kSilence});
  }
  const AudioTrack whole = stereo_tones(segments);
  const std::int64_t part_frames = 6 * kRate;
  ASSERT_EQ(whole.frames, 20 * part_frames);
  std::vector<AudioTrack> parts;
  for (int i = 0; i < 20; ++i) parts.push_back(slice(whole, i * part_frames, part_frames));
  std::vector<const AudioTrack*> batch = {&whole};
  for (const AudioTrack& p : parts) batch.push_back(&p);
  const std::vector<TrackAnalysis> a = analyze_all(batch);
  for (int i = 0; i < 20; ++i) {
    const double expected = -38.0 + i;
    // The part on its own: Max S evaluated every 10 ms.
    EXPECT_NEAR(a[static_cast<std::size_t>(i + 1)].short_term_max_lufs, expected, kLoudnessTolerance) << "part " << i;
    // The whole file: the largest 10 Hz short-term value among windows ending in part i.
    // (For odd i the tone starts 50 ms off the 100 ms grid: the best window holds 2.95 s of
    // it, -0.07 LU.)
    double best = -1e9;
    for (std::size_t k = 0; k < a[0].short_term_lufs.size(); ++k) {
      const double end = 0.1 * static_cast<double>(k) + 3.0;
      if (end > 6.0 * i + 1e-9 && end <= 6.0 * (i + 1) + 1e-9) best = std::max(best, a[0].short_term_lufs[k]);
    }
    EXPECT_NEAR(best, expected, kLoudnessTolerance) << "part " << i << " in the whole file, 10 Hz";
    EXPECT_LE(best, expected + 0.01) << "part " << i;
  }
  EXPECT_NEAR(a[0].short_term_max_lufs, -19.0, kLoudnessTolerance);
}

TEST_P(Tech3341, Case12MomentaryConstantAfter1s) {
  std::vector<Segment> period;
  for (int k = 0; k < 25; ++k) {
    period.push_back({0.18, -20});
    period.push_back({0.22, -30});
  }
  std::vector<AudioTrack> tracks;
  for (int shift = 0; shift < 10; ++shift) tracks.push_back(with_lead_in(period, shift * 0.01));
  std::vector<const AudioTrack*> batch;
  for (const AudioTrack& t : tracks) batch.push_back(&t);
  const std::vector<TrackAnalysis> a = analyze_all(batch);
  for (int shift = 0; shift < 10; ++shift) {
    const double lead = shift * 0.01;
    const std::string what = "lead-in " + std::to_string(shift * 10) + " ms";
    const TrackAnalysis& r = a[static_cast<std::size_t>(shift)];
    // M windows ending 1 s or more after the signal starts (start >= lead + 0.6 s).
    const std::vector<double> m = momentary_10hz(r, lead + 0.6, lead + 10.0);
    EXPECT_GE(m.size(), 90u) << what;
    expect_all_near(m, -23.0, what + ": every M after 1 s");
    EXPECT_NEAR(r.momentary_max_lufs, -23.0, kLoudnessTolerance) << what;
  }
}

TEST_P(Tech3341, Case13MaxMomentaryOfTwentyFiles) {
  std::vector<AudioTrack> files;
  for (int i = 0; i < 20; ++i) files.push_back(stereo_tones({{i * 0.02, kSilence}, {0.4, -23}, {1, kSilence}}));
  std::vector<const AudioTrack*> batch;
  for (const AudioTrack& t : files) batch.push_back(&t);
  const std::vector<TrackAnalysis> a = analyze_all(batch);
  for (int i = 0; i < 20; ++i)
    EXPECT_NEAR(a[static_cast<std::size_t>(i)].momentary_max_lufs, -23.0, kLoudnessTolerance) << "file " << i + 1;
}

TEST_P(Tech3341, Case14LiveMaxMomentaryPerPart) {
  std::vector<Segment> segments;
  for (int i = 0; i < 20; ++i) {
    segments.push_back({i * 0.02, kSilence});
    segments.push_back({0.4, -38.0 + i});
    segments.push_back({0.4 - i * 0.02, kSilence});
  }
  const AudioTrack whole = stereo_tones(segments);
  const std::int64_t part_frames = kRate * 8 / 10;
  ASSERT_EQ(whole.frames, 20 * part_frames);
  std::vector<AudioTrack> parts;
  for (int i = 0; i < 20; ++i) parts.push_back(slice(whole, i * part_frames, part_frames));
  std::vector<const AudioTrack*> batch = {&whole};
  for (const AudioTrack& p : parts) batch.push_back(&p);
  const std::vector<TrackAnalysis> a = analyze_all(batch);
  for (int i = 0; i < 20; ++i)
    EXPECT_NEAR(a[static_cast<std::size_t>(i + 1)].momentary_max_lufs, -38.0 + i, kLoudnessTolerance) << "part " << i;
  EXPECT_NEAR(a[0].momentary_max_lufs, -19.0, kLoudnessTolerance);
}

// Cases 15-19: sines at fs/4, fs/6, fs/8 with 10 ms fades; expected = 20 log10(A).
struct TruePeakCase {
  int number;
  double divisor;  // f = fs / divisor
  double amplitude;
  double phase_degrees;
  double expected_dbtp;
};

const TruePeakCase kTruePeakCases[] = {
    {15, 4, 0.50, 0.0, -6.0}, {16, 4, 0.50, 45.0, -6.0}, {17, 6, 0.50, 60.0, -6.0},
    {18, 8, 0.50, 67.5, -6.0}, {19, 4, 1.41, 45.0, 3.0},
};

TEST_P(Tech3341, Cases15To19TruePeak) {
  for (const TruePeakCase& c : kTruePeakCases) {
    const AudioTrack t = sine(kRate, 2, kRate / c.divisor, c.amplitude, 1.0, c.phase_degrees, 0.010);
    const std::string what = "case " + std::to_string(c.number);
    const double ideal = amplitude_db(c.amplitude);
    for (TruePeakMode mode : {TruePeakMode::Itu, TruePeakMode::Precise}) {
      const TrackAnalysis a = analyze(t, mode);
      const std::string w = what + " " + to_string(mode);
      EXPECT_LE(a.true_peak_dbtp, c.expected_dbtp + kTruePeakOver) << w;
      EXPECT_GE(a.true_peak_dbtp, c.expected_dbtp - kTruePeakUnder) << w;
      EXPECT_GE(a.true_peak_dbtp, a.sample_peak_dbfs) << w;
      for (const ChannelMeasurement& m : a.per_channel) EXPECT_EQ(m.true_peak, a.per_channel[0].true_peak) << w;
      // The precise mode promises the reconstructed peak within 0.01 dB; a sampled sine
      // reconstructs to the sine, so that peak is the amplitude.
      if (mode == TruePeakMode::Precise) {
        EXPECT_NEAR(a.true_peak_dbtp, ideal, 0.01) << w;
      }
      std::printf("[ case %d %-7s ] true peak %+.4f dBTP (ideal %+.4f, sample peak %+.4f)\n", c.number,
                  to_string(mode).c_str(), a.true_peak_dbtp, ideal, a.sample_peak_dbfs);
    }
  }
}

GLOSS_INSTANTIATE_FOR_BACKENDS(Tech3341);

}  // namespace
}  // namespace gloss::test
