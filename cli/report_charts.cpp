#include "report_charts.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <iterator>
#include <limits>

#include "html_text.hpp"

namespace gloss::cli {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Short-term value i is the loudness of the 3 s window ending at 3 + 0.1 i seconds.
constexpr double kFirstWindowEnd = 3.0;
constexpr double kStep = 0.1;

// The plot area of the two per-track charts (viewBox units).
constexpr double kSmallWidth = 292, kSmallHeight = 124;
constexpr double kPlotLeft = 30, kPlotRight = 286, kPlotTop = 18, kPlotBottom = 104;

std::string opening(const std::string& id, const std::string& title, double width, double height,
                    const std::string& css_class) {
  return fmt::format(
      "<svg class=\"{}\" viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" role=\"img\" aria-labelledby=\"{}\"><title id=\"{}\">{}</title>",
      css_class, svg_coord(width), svg_coord(height), svg_coord(width), svg_coord(height), id, id, html_escape(title));
}

std::string minutes_seconds(double seconds) {
  const auto s = static_cast<long>(std::llround(seconds));
  return fmt::format("{}:{:02}", s / 60, s % 60);
}

double energy(double lufs) { return std::isfinite(lufs) ? std::pow(10.0, lufs / 10.0) : 0.0; }

// The seconds a chart spans: the track's duration, or as far as its series reaches.
double span_seconds(const LevelsView* l) {
  if (!l) return 0;
  double s = l->duration_s && std::isfinite(*l->duration_s) ? *l->duration_s : 0;
  if (!l->short_term_lufs.empty())
    s = std::max(s, kFirstWindowEnd + kStep * static_cast<double>(l->short_term_lufs.size() - 1));
  return s;
}

// A path through the points, broken where the loudness is -inf (silence).
std::string series_path(const std::vector<std::pair<double, double>>& points, double x_scale,
                        const LoudnessRange& range) {
  std::string d;
  bool pen_down = false;
  const double y_scale = (kPlotBottom - kPlotTop) / (range.high - range.low);
  for (const auto& [t, lufs] : points) {
    if (!std::isfinite(lufs)) {
      pen_down = false;
      continue;
    }
    const double x = kPlotLeft + t * x_scale;
    const double y = kPlotBottom - (std::clamp(lufs, range.low, range.high) - range.low) * y_scale;
    fmt::format_to(std::back_inserter(d), "{}{} {}", pen_down ? "L" : (d.empty() ? "M" : " M"), svg_coord(x),
                   svg_coord(y));
    pen_down = true;
  }
  return d;
}

// Seconds between time ticks: at most about six ticks whatever the length.
double tick_step(double seconds) {
  for (double step : {10.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1200.0, 3600.0})
    if (seconds / step <= 6) return step;
  return 7200;
}

}  // namespace

std::vector<std::pair<double, double>> downsampled_loudness(const std::vector<double>& values,
                                                            std::size_t max_points) {
  std::vector<std::pair<double, double>> points;
  if (values.empty() || max_points == 0) return points;
  const std::size_t bucket = std::max<std::size_t>(10, (values.size() + max_points - 1) / max_points);
  for (std::size_t start = 0; start < values.size(); start += bucket) {
    const std::size_t end = std::min(values.size(), start + bucket);
    double sum = 0;
    for (std::size_t i = start; i < end; ++i) sum += energy(values[i]);
    const double mean = sum / static_cast<double>(end - start);
    const double centre = kFirstWindowEnd + kStep * (static_cast<double>(start + end - 1) / 2.0);
    points.emplace_back(centre, mean > 0 ? 10.0 * std::log10(mean) : -kInf);
  }
  return points;
}

LoudnessRange loudness_range(const std::vector<TrackView>& tracks) {
  double lowest = kInf, highest = -kInf;
  auto scan = [&](const std::optional<LevelsView>& l) {
    if (!l) return;
    for (double v : l->short_term_lufs)
      if (std::isfinite(v)) lowest = std::min(lowest, v), highest = std::max(highest, v);
  };
  for (const TrackView& t : tracks) scan(t.before), scan(t.after);
  if (!std::isfinite(highest)) return {};
  LoudnessRange r;
  r.high = 5 * std::ceil((highest + 1) / 5);
  const double span = std::clamp(5 * std::ceil((r.high - lowest + 1) / 5), 20.0, 50.0);
  r.low = r.high - span;
  return r;
}

std::string loudness_chart_svg(const std::string& id, const std::string& title, const LevelsView* before,
                               const LevelsView* after, LoudnessRange range, std::optional<double> reference) {
  std::string svg = opening(id, title, kSmallWidth, kSmallHeight, "chart loudness");
  auto out = std::back_inserter(svg);
  const double seconds = std::max({span_seconds(before), span_seconds(after), 1.0});
  const double x_scale = (kPlotRight - kPlotLeft) / seconds;
  const double y_scale = (kPlotBottom - kPlotTop) / (range.high - range.low);
  const double grid = range.high - range.low > 30 ? 10 : 5;
  for (double v = range.high; v >= range.low - 1e-9; v -= grid) {
    const double y = kPlotBottom - (v - range.low) * y_scale;
    fmt::format_to(out, "<line class=\"grid\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>", svg_coord(kPlotLeft),
                   svg_coord(y), svg_coord(kPlotRight), svg_coord(y));
    fmt::format_to(out, "<text class=\"axis\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
                   svg_coord(kPlotLeft - 4), svg_coord(y + 3.5), shown_number(v, 0));
  }
  const double step = tick_step(seconds);
  for (double t = 0; t <= seconds + 1e-9; t += step) {
    const double x = kPlotLeft + t * x_scale;
    fmt::format_to(out, "<line class=\"grid\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>", svg_coord(x),
                   svg_coord(kPlotTop), svg_coord(x), svg_coord(kPlotBottom));
    if (x <= kPlotRight - 10)  // a label at the right edge would be cut off
      fmt::format_to(out, "<text class=\"axis\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>", svg_coord(x),
                     svg_coord(kPlotBottom + 13), minutes_seconds(t));
  }
  fmt::format_to(out, "<text class=\"caption\" x=\"{}\" y=\"11\">short-term loudness (LUFS) over time</text>",
                 svg_coord(kPlotLeft));
  if (reference && std::isfinite(*reference) && *reference >= range.low && *reference <= range.high) {
    const double y = kPlotBottom - (*reference - range.low) * y_scale;
    fmt::format_to(out, "<line class=\"reference\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"><title>{} LUFS</title></line>",
                   svg_coord(kPlotLeft), svg_coord(y), svg_coord(kPlotRight), svg_coord(y), shown_number(reference));
  }
  // Returns whether a line was drawn.
  auto draw = [&](const LevelsView* l, const char* css_class, const char* label) {
    if (!l || l->short_term_lufs.empty()) return false;
    const std::string d = series_path(downsampled_loudness(l->short_term_lufs), x_scale, range);
    if (d.empty()) return false;
    fmt::format_to(out, "<path class=\"{}\" d=\"{}\"><title>{}: integrated {} LUFS, LRA {} LU</title></path>",
                   css_class, d, label, shown_number(l->integrated_lufs), shown_number(l->loudness_range_lu));
    return true;
  };
  bool drawn = false;
  if (after) {
    drawn = draw(before, "series before", "input");
    drawn = draw(after, "series after", "delivered") || drawn;
  } else {
    drawn = draw(before, "series main", "track");
  }
  const bool no_series = (!before || before->short_term_lufs.empty()) && (!after || after->short_term_lufs.empty());
  if (!drawn)
    fmt::format_to(out, "<text class=\"note\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                   svg_coord((kPlotLeft + kPlotRight) / 2), svg_coord((kPlotTop + kPlotBottom) / 2),
                   no_series ? "no short-term values" : "silent throughout");
  svg += "</svg>";
  return svg;
}

BandValues band_balance(const LevelsView& levels) {
  double total = 0;
  for (const auto& b : levels.octave_bands_db)
    if (b && std::isfinite(*b)) total += std::pow(10.0, *b / 10.0);
  BandValues out;
  if (total <= 0) return out;
  const double total_db = 10.0 * std::log10(total);
  for (std::size_t i = 0; i < out.size(); ++i)
    if (const auto& b = levels.octave_bands_db[i]; b && std::isfinite(*b)) out[i] = *b - total_db;
  return out;
}

BandValues mean_balance(const std::vector<BandValues>& balances) {
  BandValues out;
  for (std::size_t i = 0; i < out.size(); ++i) {
    double sum = 0;
    int n = 0;
    for (const BandValues& b : balances)
      if (b[i]) sum += *b[i], ++n;
    if (n > 0) out[i] = sum / n;
  }
  return out;
}

std::string tonal_chart_svg(const std::string& id, const std::string& title, const BandValues& deviation,
                            const BandValues* before) {
  constexpr double kLimit = 6;  // dB at the chart's edges
  std::string svg = opening(id, title, kSmallWidth, kSmallHeight, "chart tonal");
  auto out = std::back_inserter(svg);
  const double mid = (kPlotTop + kPlotBottom) / 2;
  const double y_scale = (kPlotBottom - kPlotTop) / (2 * kLimit);
  for (double v : {6.0, 3.0, 0.0, -3.0, -6.0}) {
    const double y = mid - v * y_scale;
    fmt::format_to(out, "<line class=\"{}\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>", v == 0 ? "zero" : "grid",
                   svg_coord(kPlotLeft), svg_coord(y), svg_coord(kPlotRight), svg_coord(y));
    fmt::format_to(out, "<text class=\"axis\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}{}</text>",
                   svg_coord(kPlotLeft - 4), svg_coord(y + 3.5), v > 0 ? "+" : "", shown_number(v, 0));
  }
  const double slot = (kPlotRight - kPlotLeft) / static_cast<double>(deviation.size());
  if (std::none_of(deviation.begin(), deviation.end(), [](const auto& v) { return v.has_value(); }))
    fmt::format_to(out, "<text class=\"note\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">no band levels (silent, or not in the report)</text>",
                   svg_coord((kPlotLeft + kPlotRight) / 2), svg_coord(mid - 12));
  for (std::size_t i = 0; i < deviation.size(); ++i) {
    const double centre = kPlotLeft + slot * (static_cast<double>(i) + 0.5);
    fmt::format_to(out, "<text class=\"axis\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>", svg_coord(centre),
                   svg_coord(kPlotBottom + 13), kBandLabels[i]);
    const std::string hz = kBandKeys[i];
    if (const auto& v = deviation[i]) {
      const double shown = std::clamp(*v, -kLimit, kLimit);
      const double y0 = mid, y1 = mid - shown * y_scale;
      fmt::format_to(out,
                     "<rect class=\"{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"><title>{} Hz: {}{} dB against "
                     "the album mean{}</title></rect>",
                     *v >= 0 ? "bar up" : "bar down", svg_coord(centre - slot * 0.32), svg_coord(std::min(y0, y1)),
                     svg_coord(slot * 0.64), svg_coord(std::max(std::abs(y1 - y0), 0.5)), hz, *v > 0 ? "+" : "",
                     shown_number(v), std::abs(*v) > kLimit ? " (beyond the scale)" : "");
    } else {
      fmt::format_to(out, "<text class=\"note\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">·<title>{} Hz: no energy or not measured</title></text>",
                     svg_coord(centre), svg_coord(mid + 3), hz);
    }
    if (before && (*before)[i]) {
      const double y = mid - std::clamp(*(*before)[i], -kLimit, kLimit) * y_scale;
      fmt::format_to(out,
                     "<line class=\"tick before\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"><title>{} Hz, input: {}{} dB "
                     "against the album's input mean</title></line>",
                     svg_coord(centre - slot * 0.42), svg_coord(y), svg_coord(centre + slot * 0.42), svg_coord(y), hz,
                     *(*before)[i] > 0 ? "+" : "", shown_number((*before)[i]));
    }
  }
  fmt::format_to(out, "<text class=\"caption\" x=\"{}\" y=\"11\">octave-band balance against the album (dB)</text>",
                 svg_coord(kPlotLeft));
  svg += "</svg>";
  return svg;
}

std::string levels_chart_svg(const std::string& id, const std::string& title, const AlbumView& album, bool master,
                             std::optional<double> reference, double ceiling) {
  constexpr double kWidth = 720, kLeft = 40, kRight = 700, kTop = 24;
  const double row = master ? 24 : 16;
  double lowest = kInf, highest = -kInf;
  auto scan = [&](const std::optional<LevelsView>& l) {
    if (!l) return;
    for (const auto& v : {l->integrated_lufs, l->true_peak_dbtp})
      if (v && std::isfinite(*v)) lowest = std::min(lowest, *v), highest = std::max(highest, *v);
  };
  for (const TrackView& t : album.tracks) scan(t.before), scan(t.after);
  if (reference && std::isfinite(*reference)) lowest = std::min(lowest, *reference), highest = std::max(highest, *reference);
  highest = std::max(highest, ceiling);
  if (!std::isfinite(lowest)) lowest = -30;
  const double low = 5 * std::floor((lowest - 2) / 5), high = 5 * std::ceil((highest + 1) / 5);
  const double height = kTop + row * static_cast<double>(album.tracks.size()) + 8;
  const double x_scale = (kRight - kLeft) / (high - low);
  auto x_of = [&](double v) { return kLeft + (std::clamp(v, low, high) - low) * x_scale; };

  std::string svg = opening(id, title, kWidth, height, "chart levels");
  auto out = std::back_inserter(svg);
  for (std::size_t k = 1; k < album.tracks.size(); k += 2)  // stripes first: under the grid
    fmt::format_to(out, "<rect class=\"stripe\" x=\"0\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
                   svg_coord(kTop + row * static_cast<double>(k)), svg_coord(kWidth), svg_coord(row));
  const double grid = high - low > 40 ? 10 : 5;
  for (double v = low; v <= high + 1e-9; v += grid) {
    fmt::format_to(out, "<line class=\"grid\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>", svg_coord(x_of(v)),
                   svg_coord(kTop - 4), svg_coord(x_of(v)), svg_coord(height - 6));
    fmt::format_to(out, "<text class=\"axis\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>", svg_coord(x_of(v)),
                   svg_coord(kTop - 9), shown_number(v, 0));
  }
  fmt::format_to(out, "<text class=\"axis\" x=\"{}\" y=\"{}\">#</text>", svg_coord(6), svg_coord(kTop - 9));
  if (reference && std::isfinite(*reference))
    fmt::format_to(out, "<line class=\"reference\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"><title>{} {} LUFS</title></line>",
                   svg_coord(x_of(*reference)), svg_coord(kTop - 4), svg_coord(x_of(*reference)),
                   svg_coord(height - 6), master ? "target" : "album loudness", shown_number(reference));
  fmt::format_to(out, "<line class=\"ceiling\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"><title>ceiling {} dBTP</title></line>",
                 svg_coord(x_of(ceiling)), svg_coord(kTop - 4), svg_coord(x_of(ceiling)), svg_coord(height - 6),
                 shown_number(ceiling));
  auto mark = [&](const std::optional<LevelsView>& l, double y, const char* css_class, const std::string& label) {
    if (!l) return;
    const auto& i = l->integrated_lufs;
    const auto& tp = l->true_peak_dbtp;
    fmt::format_to(out, "<g class=\"{}\"><title>{}: {} LUFS, true peak {} dBTP, PLR {} dB, LRA {} LU</title>", css_class,
                   html_escape(label), shown_number(i), shown_number(tp), shown_number(l->plr_db),
                   shown_number(l->loudness_range_lu));
    const bool has_i = i && std::isfinite(*i), has_tp = tp && std::isfinite(*tp);
    if (has_i && has_tp)
      fmt::format_to(out, "<line class=\"plr\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>", svg_coord(x_of(*i)),
                     svg_coord(y), svg_coord(x_of(*tp)), svg_coord(y));
    if (has_tp)
      fmt::format_to(out, "<line class=\"peak\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>", svg_coord(x_of(*tp)),
                     svg_coord(y - 5), svg_coord(x_of(*tp)), svg_coord(y + 5));
    if (has_i)
      fmt::format_to(out, "<circle class=\"dot\" cx=\"{}\" cy=\"{}\" r=\"4\"/>", svg_coord(x_of(*i)), svg_coord(y));
    else
      fmt::format_to(out, "<text class=\"note\" x=\"{}\" y=\"{}\">silent</text>", svg_coord(kLeft + 4), svg_coord(y + 3.5));
    svg += "</g>";
  };
  for (std::size_t k = 0; k < album.tracks.size(); ++k) {
    const TrackView& t = album.tracks[k];
    const double y = kTop + row * (static_cast<double>(k) + 0.5);
    fmt::format_to(out, "<text class=\"axis\" x=\"6\" y=\"{}\">{}</text>", svg_coord(y + 3.5), k + 1);
    if (t.failed) {
      fmt::format_to(out, "<text class=\"failed-text\" x=\"{}\" y=\"{}\">failed<title>{}</title></text>",
                     svg_coord(kLeft + 4), svg_coord(y + 3.5), html_escape(t.error));
      continue;
    }
    if (master) {
      mark(t.before, y - 5, "row before", t.name + " (input)");
      mark(t.after, y + 5, "row after", t.name + " (delivered)");
    } else {
      mark(t.before, y, "row main", t.name);
    }
  }
  svg += "</svg>";
  return svg;
}

}  // namespace gloss::cli
