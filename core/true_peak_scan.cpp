#include "true_peak_scan.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <utility>

#include <tbb/parallel_for.h>

#include "detmath.hpp"
#include "kernel_isa.hpp"
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
               double allowance, double limit, std::vector<PeakOver>& overs, double& highest) {
  for (std::int64_t i = first; i < last; ++i) {
    const double bound = position_peak(f, v, i) * allowance;
    highest = std::max(highest, bound);
    if (bound > limit) overs.push_back({frame_of(f, i), bound});
  }
}

}  // namespace

// One detector over one segment of one channel: its reading, and where it is over.
struct SegmentResult {
  double reading = 0;
  std::vector<PeakOver> overs;
};

enum class Detector { precise, ebur128, swr };

namespace {

// The detector's reading of positions [first, last) by the fastest kernel copy, then, only
// when it is over, position by position to find where.
SegmentResult scan_segment(Detector d, const kernels::TruePeakFilter& f, const float* x, std::int64_t frames,
                           std::int64_t first, std::int64_t last, double limit) {
  static const kernels::KernelTable& table = kernel_table(best_kernel_isa());
  SegmentResult r;
  // The plain swresample grid is 16x: the continuous curve between instants can be higher.
  const double allowance = d == Detector::ebur128 ? 1.0 : kBetweenPreciseInstants;
  const double grid = table.true_peak_range(f, x, frames, first, last);
  r.reading = d == Detector::swr ? grid * allowance : grid;
  if (r.reading <= limit) return r;
  double ignored = 0;
  add_overs(f, {x, frames, false}, first, last, allowance, limit, r.overs, ignored);
  if (r.overs.empty()) {  // the refinement found more than the grid: never let it slip
    std::int64_t loudest = first;
    const ChannelView view{x, frames, false};
    for (std::int64_t i = first; i < last; ++i)
      if (position_peak(f, view, i) > position_peak(f, view, loudest)) loudest = i;
    r.overs.push_back({frame_of(f, loudest), r.reading});
  }
  return r;
}

// The swresample-shaped detector at both ends of a channel, where swresample pads by
// mirroring the signal (positions whose filter reaches past an end).
SegmentResult scan_mirrored_ends(const float* x, std::int64_t frames, double limit) {
  const kernels::TruePeakFilter& f = swr_filter();
  const ChannelView view{x, frames, true};
  const std::int64_t positions = frames + f.taps - 1;
  const std::int64_t head_end = std::min<std::int64_t>(positions, 2 * f.taps);
  const std::int64_t tail_start = std::max(head_end, positions - 2 * f.taps);
  SegmentResult r;
  add_overs(f, view, 0, head_end, kBetweenPreciseInstants, limit, r.overs, r.reading);
  add_overs(f, view, tail_start, positions, kBetweenPreciseInstants, limit, r.overs, r.reading);
  return r;
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

// One unit of the scan: a detector over a segment of positions of one channel, or (filter
// nullptr) the mirrored ends of a channel.
struct TruePeakScanner::Task {
  Detector detector;
  const kernels::TruePeakFilter* filter;
  int channel;
  std::int64_t first, last;
  // The samples the task reads: positions [first, last) use x[first - taps + 1 .. last - 1],
  // the refinement one position more on each side; the mirrored ends read the first and
  // last 2 x taps samples.
  std::pair<std::int64_t, std::int64_t> samples(std::int64_t frames) const {
    if (filter == nullptr) return {0, frames};  // compared in two pieces, see unchanged()
    return {std::max<std::int64_t>(0, first - filter->taps - 1), std::min(frames, last + 1)};
  }
};

namespace {

bool same_samples(const float* a, const float* b, std::int64_t from, std::int64_t to) {
  return to <= from || std::memcmp(a + from, b + from, static_cast<std::size_t>(to - from) * sizeof(float)) == 0;
}

}  // namespace

TruePeakScanner::TruePeakScanner() = default;
TruePeakScanner::~TruePeakScanner() = default;

bool TruePeakScanner::unchanged(const Task& t, const AudioTrack& track) const {
  if (previous_.frames != track.frames || previous_.channels != track.channels ||
      previous_.sample_rate != track.sample_rate)
    return false;
  const float* now = track.channel(t.channel).data();
  const float* before = previous_.channel(t.channel).data();
  if (t.filter == nullptr) {
    const std::int64_t edge = std::min<std::int64_t>(track.frames, 2 * swr_filter().taps + 1);
    return same_samples(now, before, 0, edge) && same_samples(now, before, track.frames - edge, track.frames);
  }
  const auto [from, to] = t.samples(track.frames);
  return same_samples(now, before, from, to);
}

TruePeakScan TruePeakScanner::scan(const AudioTrack& track, double limit) {
  const kernels::TruePeakFilter ebur128_style = design_ebur128_style_true_peak(track.sample_rate);
  std::vector<Task> tasks;
  for (int c = 0; c < track.channels; ++c) {
    for (auto [d, f] : {std::pair{Detector::precise, &precise_filter()}, std::pair{Detector::swr, &swr_filter()},
                        std::pair{Detector::ebur128, &ebur128_style}}) {
      if (f->phases == 0) continue;
      const std::int64_t positions = kernels::true_peak_positions(*f, track.frames);
      for (std::int64_t first = 0; first < positions; first += kernels::kTruePeakSegment)
        tasks.push_back({d, f, c, first, std::min(first + kernels::kTruePeakSegment, positions)});
    }
    tasks.push_back({Detector::swr, nullptr, c, 0, 0});
  }
  // A task whose samples are bit for bit those of the previous scan (same limit) keeps its
  // result: a render pass that lowered the gain in a few places is re-read only there.
  const bool reusable = limit == previous_limit_ && previous_results_.size() == tasks.size();
  // Segments run on any thread; results land by task index and are merged in order, so the
  // scan is the same whatever the thread count.
  std::vector<SegmentResult> results(tasks.size());
  tbb::parallel_for(std::size_t{0}, tasks.size(), [&](std::size_t k) {
    const Task& t = tasks[k];
    if (reusable && unchanged(t, track)) {
      results[k] = previous_results_[k];
      return;
    }
    const float* x = track.channel(t.channel).data();
    results[k] = t.filter == nullptr ? scan_mirrored_ends(x, track.frames, limit)
                                     : scan_segment(t.detector, *t.filter, x, track.frames, t.first, t.last, limit);
  });
  TruePeakScan scan;
  for (std::size_t k = 0; k < tasks.size(); ++k) {
    if (tasks[k].detector == Detector::precise) scan.precise = std::max(scan.precise, results[k].reading);
    scan.highest = std::max(scan.highest, results[k].reading);
    scan.overs.insert(scan.overs.end(), results[k].overs.begin(), results[k].overs.end());
  }
  previous_ = track;
  previous_limit_ = limit;
  previous_results_ = std::move(results);
  return scan;
}

TruePeakScan scan_true_peak(const AudioTrack& track, double limit) {
  TruePeakScanner scanner;
  return scanner.scan(track, limit);
}

}  // namespace gloss
