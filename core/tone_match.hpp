// Album tone match: each track's long-term spectrum pulled a bounded amount toward the
// album's, as extra bells folded into the chain's linear-phase EQ (issue 5, "Consistency
// reports"). Pure and deterministic: the same octave-band levels give the same bands, bit
// for bit, on every machine (only + - * / sqrt, comparisons and detmath, like eq_design).
//
// The choices, in order:
//  * Bands: the meter's octave bands (TrackAnalysis::octave_band_db) from 62.5 Hz to 8 kHz.
//    31.25 Hz (22-44 Hz: rumble, often high-passed) and 16 kHz (reaches past 22.05 kHz at
//    44.1 kHz, and lossy sources cut it) are too unreliable to steer by. A band is used for a
//    track only when it lies wholly below the track's Nyquist frequency (centre x sqrt 2 <
//    fs/2) and is no more than kToneFloorDb below the track's loudest used band: a nearly
//    empty band says nothing about tone and must not be boosted.
//  * Levels are relative to the track's own level, the median of its used bands, so neither
//    loudness nor one odd band (a bass-heavy mix) moves the reference.
//  * The album's spectrum per band is the median over the tracks that use it (at least two):
//    one odd track is pulled toward the others rather than pulling them toward it, and an
//    album of identical tracks gives exactly zero.
//  * Correction per band = (album - track) x strength, less its median over the track's used
//    bands (a broadband offset is level, which the gain plan sets, not tone), smoothed across
//    bands with [1/4 1/2 1/4] (an unused band is no correction: it stays 0 and counts as 0 for its
//    neighbours; at the ends of the range the weights are renormalised), clamped to +-max_db,
//    rounded to 0.01 dB. A track whose corrections are all under 0.1 dB gets none (its audio
//    keeps the flat EQ's bit-exact pass-through).
//  * Realisation: one RBJ bell per band, Q sqrt 2 (one octave, the meter's own bandwidth),
//    gains solved (Jacobi iterations on target_db) so the summed response at each octave
//    centre equals the wanted correction; then, should the overlap of the bells overshoot
//    between centres, all gains are scaled down until the response stays within +-max_db
//    everywhere (checked every 1/24 octave from 20 Hz to 20 kHz). Bells at the centres keep the
//    correction smooth and confined to the measured range: nothing below ~44 Hz or above
//    ~11 kHz moves by more than the skirts of the outer bells.
#pragma once

#include <array>
#include <optional>
#include <vector>

#include "eq_design.hpp"
#include "gloss/analysis.hpp"

namespace gloss {

struct ToneMatchSettings {
  bool enabled = false;   // preset: [eq] tone_match = "album" (else "off")
  double strength = 0.5;  // 0..1: the share of the distance to the album's spectrum corrected
  double max_db = 3;      // 0..12: the most any frequency is moved, up or down
};

inline constexpr double kToneMaxDbLimit = 12;
inline constexpr std::size_t kToneFirstBand = 1;  // 62.5 Hz in kOctaveCentresHz
inline constexpr std::size_t kToneLastBand = 8;   // 8 kHz
inline constexpr double kToneFloorDb = 40;        // below the track's loudest used band: unused
inline constexpr double kToneBellQ = 1.4142135623730951;
inline constexpr double kToneMinCorrectionDb = 0.1;

using OctaveLevels = std::array<std::optional<double>, kOctaveCentresHz.size()>;

// One track's correction. wanted_db: the smoothed, clamped correction per band (nullopt outside
// the tone range, above the track's Nyquist limit, or everywhere when nothing could be
// compared); bands: the bells realising it, to append to the preset's EqSpec (empty: no
// correction).
struct ToneCorrection {
  OctaveLevels wanted_db{};
  std::vector<EqBand> bands;
};

// One correction per track, in order. `tracks` must not hold null; a track without usable
// bands, and every track of an album with fewer than two, get no correction.
std::vector<ToneCorrection> tone_match_corrections(const std::vector<const TrackAnalysis*>& tracks,
                                                   const ToneMatchSettings& settings);

// The tonal spread of an album in dB: per band of the tone range used by at least two tracks,
// the standard deviation (population, divide by n) across those tracks of their relative band
// levels (as above); then the RMS of those deviations over the bands. nullopt when no band is
// used by two tracks.
std::optional<double> tonal_spread_db(const std::vector<const TrackAnalysis*>& tracks);

// The response of `bands` at each octave centre of the tone range that lies below
// `sample_rate`'s Nyquist limit (the same rule as the correction): (centre Hz, dB) in order.
std::vector<std::pair<double, double>> tone_response_at_centres(const std::vector<EqBand>& bands, int sample_rate);

}  // namespace gloss
