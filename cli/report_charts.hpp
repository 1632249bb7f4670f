// The inline SVG charts of the HTML report. Each chart is one <svg role="img"> with a
// <title> (its accessible name) and a <title> on every mark, so a hover or a screen reader
// gives the number behind it. Colours come from CSS classes the page defines, with a legend.
// Output depends only on the inputs: the same document gives the same bytes.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "report_view.hpp"

namespace gloss::cli {

using BandValues = std::array<std::optional<double>, 10>;

// The vertical range (LUFS) shared by the loudness-over-time charts of one album, so the
// small multiples compare at a glance.
struct LoudnessRange {
  double low = -40;
  double high = 0;
};

// Most charts are a few hundred pixels wide; more points only weigh the page down.
inline constexpr std::size_t kMaxSeriesPoints = 160;

// A short-term series (every 100 ms) as at most `max_points` (seconds, LUFS) points: the
// energy mean of each run of at least 10 values (one second), -inf where all are silent.
std::vector<std::pair<double, double>> downsampled_loudness(const std::vector<double>& short_term_lufs,
                                                            std::size_t max_points = kMaxSeriesPoints);

// A range that holds the finite short-term values of `tracks` (before and after), in 5 LU
// steps, at least 20 LU and at most 50 LU tall (quieter values sit on the floor).
LoudnessRange loudness_range(const std::vector<TrackView>& tracks);

// Short-term loudness over time: `before` (grey when `after` is given, else the main colour)
// and `after`, with a dashed line at `reference` (album loudness or target) when given.
std::string loudness_chart_svg(const std::string& id, const std::string& title, const LevelsView* before,
                               const LevelsView* after, LoudnessRange range, std::optional<double> reference);

// Each band's level minus the track's total level over the bands (dB): its tonal balance.
// Bands with no energy or not measured have no value.
BandValues band_balance(const LevelsView& levels);

// Per band, the mean of the balances that have a value.
BandValues mean_balance(const std::vector<BandValues>& balances);

// Diverging bars: the track's balance minus the album mean per band, +-6 dB scale (larger
// values stop at the edge; the title holds the number). `before` adds ticks for the input.
std::string tonal_chart_svg(const std::string& id, const std::string& title, const BandValues& deviation,
                            const BandValues* before);

// One row per track: a dot at integrated loudness joined to a tick at true peak (the
// distance is the PLR); for a master a grey row for the input above the delivered one.
// Dashed line at `reference` (album loudness or target), red dotted line at `ceiling`.
std::string levels_chart_svg(const std::string& id, const std::string& title, const AlbumView& album,
                             bool master, std::optional<double> reference, double ceiling);

}  // namespace gloss::cli
