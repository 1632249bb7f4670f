#include "true_peak_scan.hpp"

#include <algorithm>
#include <cmath>

#include "detmath.hpp"
#include "filter_design.hpp"

namespace gloss {

namespace {

// Between two of the 16 interpolated instants a band-limited peak can rise by at most
// 1 / cos(pi / 32) (a sine at the Nyquist frequency, sampled 32 times per cycle).
constexpr double kBetweenPreciseInstants = 1.0048386;

const kernels::TruePeakFilter& precise_filter() {
  static const kernels::TruePeakFilter filter = design_precise_true_peak();
  return filter;
}

const kernels::TruePeakFilter& swr_filter() {
  static const kernels::TruePeakFilter filter = design_swr_style_true_peak();
  return filter;
}

// A channel as one detector sees it: `frames` samples at x, zeros outside, or (mirrored)
// the samples reflected past both ends the way swresample pads: x[-n] = x[n] before the
// start, x[N + j] = x[N - 1 - j] after the end.
struct ChannelView {
  const float* x;
  std::int64_t frames;
  bool mirrored;
  float at(std::int64_t j) const {
    if (j >= 0 && j < frames) return x[j];
    if (!mirrored || frames == 0) return 0.0f;
    if (j < 0) return -j < frames ? x[-j] : 0.0f;
    const std::int64_t k = 2 * frames - 1 - j;
    return k >= 0 ? x[k] : 0.0f;
  }
};

// Largest |y| over the phases at interpolator position i (instants i - delay + p / phases).
double position_peak(const kernels::TruePeakFilter& f, const ChannelView& v, std::int64_t i) {
  double peak = 0;
  for (int p = 0; p < f.phases; ++p) {
    double y = 0;
    for (int k = 0; k < f.taps; ++k) y += f.coeff[k * f.phases + p] * double(v.at(i - k));
    peak = std::max(peak, std::fabs(y));
  }
  return peak;
}

// The delivered frame nearest to position i's instants.
std::int64_t frame_of(const kernels::TruePeakFilter& f, std::int64_t i) {
  const double delay = (f.phases * f.taps - 1) / (2.0 * f.phases);
  return i - static_cast<std::int64_t>(std::lround(delay));
}

void add_overs(const kernels::TruePeakFilter& f, const ChannelView& v, std::int64_t first, std::int64_t last,
               double allowance, double limit, TruePeakScan& scan) {
  for (std::int64_t i = first; i < last; ++i) {
    const double bound = position_peak(f, v, i) * allowance;
    scan.highest = std::max(scan.highest, bound);
    if (bound > limit) scan.overs.push_back({frame_of(f, i), bound});
  }
}

// gloss's precise detector over the whole channel (the meter's kernel), positions examined
// only in segments that are over.
void scan_precise(const float* x, std::int64_t frames, double limit, TruePeakScan& scan) {
  const kernels::TruePeakFilter& f = precise_filter();
  const ChannelView view{x, frames, false};
  const std::int64_t positions = kernels::true_peak_positions(f, frames);
  for (std::int64_t s = 0; s < kernels::true_peak_segments(f, frames); ++s) {
    const double peak = kernels::true_peak_segment(f, x, frames, s);
    scan.precise = std::max(scan.precise, peak);
    scan.highest = std::max(scan.highest, peak);
    if (peak <= limit) continue;
    const std::size_t before = scan.overs.size();
    const std::int64_t first = s * kernels::kTruePeakSegment;
    add_overs(f, view, first, std::min(first + kernels::kTruePeakSegment, positions), kBetweenPreciseInstants,
              limit, scan);
    if (scan.overs.size() == before) {  // the refinement found more than the grid: never let it slip
      std::int64_t loudest = first;
      for (std::int64_t i = first; i < std::min(first + kernels::kTruePeakSegment, positions); ++i)
        if (position_peak(f, view, i) > position_peak(f, view, loudest)) loudest = i;
      scan.overs.push_back({frame_of(f, loudest), peak});
    }
  }
}

// The libebur128-style detector over every position: its reading is its grid's maximum.
template <int Phases, int Taps>
void scan_plain(const kernels::TruePeakFilter& f, const float* x, std::int64_t frames, double limit,
                TruePeakScan& scan) {
  double y[Phases];
  const std::int64_t positions = kernels::true_peak_positions(f, frames);
  for (std::int64_t i = 0; i < positions; ++i) {
    kernels::interpolate_position<Phases, Taps>(f.coeff, x, frames, i, y);
    double peak = 0;
    for (int p = 0; p < Phases; ++p) peak = std::max(peak, std::fabs(y[p]));
    scan.highest = std::max(scan.highest, peak);
    if (peak > limit) scan.overs.push_back({frame_of(f, i), peak});
  }
}

void scan_ebur128_style(const kernels::TruePeakFilter& f, const float* x, std::int64_t frames, double limit,
                        TruePeakScan& scan) {
  if (f.phases == 4) scan_plain<4, 13>(f, x, frames, limit, scan);
  if (f.phases == 2) scan_plain<2, 25>(f, x, frames, limit, scan);
}

// The swresample-shaped detector: the interior by segments with the vectorised kernel (zeros
// past the ends never matter there), the positions whose filter reaches past either end with
// the signal mirrored, one by one.
void scan_swr_style(const float* x, std::int64_t frames, double limit, TruePeakScan& scan) {
  const kernels::TruePeakFilter& f = swr_filter();
  const std::int64_t positions = frames + f.taps - 1;
  const std::int64_t head_end = std::min<std::int64_t>(positions, 2 * f.taps);
  const std::int64_t tail_start = std::max(head_end, positions - 2 * f.taps);
  const ChannelView mirrored{x, frames, true};
  add_overs(f, mirrored, 0, head_end, kBetweenPreciseInstants, limit, scan);
  add_overs(f, mirrored, tail_start, positions, kBetweenPreciseInstants, limit, scan);
  const ChannelView plain{x, frames, false};
  for (std::int64_t first = head_end; first < tail_start; first += kernels::kTruePeakSegment) {
    const std::int64_t last = std::min(first + kernels::kTruePeakSegment, tail_start);
    const double peak = kernels::true_peak_plain<16, 32>(f.coeff, x, frames, first, last) * kBetweenPreciseInstants;
    scan.highest = std::max(scan.highest, peak);
    if (peak > limit) add_overs(f, plain, first, last, kBetweenPreciseInstants, limit, scan);
  }
}

double sinc(double x) {
  if (x == 0) return 1.0;
  return detmath::sin(detmath::pi * x) / (detmath::pi * x);
}

}  // namespace

kernels::TruePeakFilter design_ebur128_style_true_peak(int sample_rate) {
  kernels::TruePeakFilter f;
  if (sample_rate >= 192000) return f;
  constexpr int length = 49;
  f.phases = sample_rate < 96000 ? 4 : 2;
  f.taps = (length + f.phases - 1) / f.phases;
  for (int j = 0; j < length; ++j) {
    const double m = j - (length - 1) / 2.0;
    const double window = 0.5 * (1 - detmath::cos(2 * detmath::pi * j / (length - 1)));
    // tap j belongs to phase j % phases, delay j / phases (the libebur128 polyphase split)
    f.coeff[(j / f.phases) * f.phases + j % f.phases] = sinc(m / f.phases) * window;
  }
  return f;
}

// swresample's filter when it upsamples (build_filter in libswresample/resample.c, FFmpeg
// 5.1 defaults; matched to 1e-15 against `aresample=192000` output): 32 taps, centre 15,
// sinc at the input's Nyquist (the 0.97 cutoff only applies when downsampling), Kaiser beta 9
// over the 32 taps, every phase divided by phase 0's sum (so phases between samples can have
// a DC gain slightly above 1). Here sampled at 16 phases: tap k of phase p weighs x[i - k]
// for the instant i - 16 + p / 16.
kernels::TruePeakFilter design_swr_style_true_peak() {
  constexpr int phases = 16, taps = 32, centre = 15;
  constexpr double beta = 9;
  auto kernel = [&](double d) {
    const double w = 2 * d / taps;
    return sinc(d) * detmath::bessel_i0(beta * std::sqrt(std::max(0.0, 1 - w * w)));
  };
  double phase0_sum = 0;
  for (int i = 0; i < taps; ++i) phase0_sum += kernel(i - centre);
  kernels::TruePeakFilter f;
  f.phases = phases;
  f.taps = taps;
  for (int p = 0; p < phases; ++p)
    for (int k = 0; k < taps; ++k) f.coeff[k * phases + p] = kernel(centre + 1 - k - p / double(phases)) / phase0_sum;
  return f;
}

TruePeakScan scan_true_peak(const AudioTrack& track, double limit) {
  TruePeakScan scan;
  const kernels::TruePeakFilter ebur128_style = design_ebur128_style_true_peak(track.sample_rate);
  for (int c = 0; c < track.channels; ++c) {
    const float* x = track.channel(c).data();
    scan_precise(x, track.frames, limit, scan);
    scan_ebur128_style(ebur128_style, x, track.frames, limit, scan);
    scan_swr_style(x, track.frames, limit, scan);
  }
  return scan;
}

}  // namespace gloss
