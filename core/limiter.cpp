#include "limiter.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "detmath.hpp"
#include "filter_design.hpp"
#include "kernel_isa.hpp"

namespace gloss {

std::string check_limiter(const LimiterSettings& s) {
  if (!(s.ceiling_dbtp >= -20.0 && s.ceiling_dbtp <= 0.0))
    return fmt::format("ceiling {} dBTP is outside -20..0 dBTP", s.ceiling_dbtp);
  if (!(s.lookahead_ms >= kMinLookaheadMs && s.lookahead_ms <= kMaxLookaheadMs))
    return fmt::format("look-ahead {} ms is outside {}..{} ms", s.lookahead_ms, kMinLookaheadMs,
                       kMaxLookaheadMs);
  if (!(s.release_ms >= kMinReleaseMs && s.release_ms <= kMaxReleaseMs))
    return fmt::format("release {} ms is outside {}..{} ms", s.release_ms, kMinReleaseMs, kMaxReleaseMs);
  return {};
}

kernels::LimiterShape design_limiter(const LimiterSettings& settings, int sample_rate, double gain,
                                     double detection_ceiling) {
  kernels::LimiterShape shape;
  shape.detector = design_itu_true_peak(sample_rate);
  const kernels::TruePeakFilter& f = shape.detector;
  if (f.phases > 0) {
    // Interpolated value (i, p) sits at time i - delay + p / phases (in samples), with the
    // filter's delay = (phases * taps - 1) / (2 phases). Sample n takes every instant within
    // one sample of it: i in [n + delay - (phases - 1) / phases - 1, n + delay + 1].
    const double delay = (f.phases * f.taps - 1) / (2.0 * f.phases);
    const double earliest = -delay;                                   // phase 0
    const double latest = -delay + (f.phases - 1) / double(f.phases);  // last phase
    shape.span_before = static_cast<int>(std::floor(-latest - 1));
    shape.span_after = static_cast<int>(std::ceil(-earliest + 1));
  }
  const double lookahead = settings.lookahead_ms * 0.001 * sample_rate;
  shape.lookahead = std::max(1, static_cast<int>(std::lround(lookahead)));
  // Release: the distance to unity shrinks by exp(-1 / (release * fs)) per sample.
  const double decay = detmath::exp(-1.0 / (settings.release_ms * 0.001 * sample_rate));
  shape.release = static_cast<std::int64_t>(std::floor(decay * double(kernels::kUnityGain)));
  shape.gain = gain;
  shape.ceiling_q30 = detection_ceiling * double(kernels::kUnityGain);
  return shape;
}

LimiterStats limiter_stats(const std::vector<std::int64_t>& gains, int sample_rate) {
  LimiterStats stats;
  const auto one_db = static_cast<std::int64_t>(detmath::db_to_amplitude(-1.0) * double(kernels::kUnityGain));
  std::int64_t lowest = kernels::kUnityGain, reducing = 0, above_1db = 0;
  std::int64_t reduction_sum = 0;  // sum of (unity - g) while reducing: exact, < 2^30 * frames
  for (const std::int64_t g : gains) {
    lowest = std::min(lowest, g);
    if (g < kernels::kUnityGain) {
      ++reducing;
      reduction_sum += kernels::kUnityGain - g;
    }
    if (g < one_db) ++above_1db;
  }
  const double unity = double(kernels::kUnityGain);
  stats.max_reduction_db = lowest < kernels::kUnityGain ? -detmath::amplitude_to_db(double(lowest) / unity) : 0;
  if (reducing > 0) {
    const double mean_gain = 1.0 - double(reduction_sum) / double(reducing) / unity;
    stats.average_reduction_db = -detmath::amplitude_to_db(mean_gain);
  }
  stats.seconds_reducing = double(reducing) / sample_rate;
  stats.seconds_above_1db = double(above_1db) / sample_rate;
  return stats;
}

AudioTrack run_limiter(const AudioTrack& input, const kernels::LimiterShape& shape,
                       const std::vector<std::int64_t>& caps, std::vector<std::int64_t>& gains,
                       LimiterStats& stats) {
  const std::int64_t frames = input.frames;
  const std::int64_t positions = kernels::limiter_positions(shape, frames);
  std::vector<float> detected(static_cast<std::size_t>(positions), 0.0f);
  static const kernels::KernelTable& table = kernel_table(best_kernel_isa());  // AVX2 where there is one
  for (int c = 0; c < input.channels; ++c)
    table.limiter_detect(shape, input.channel(c).data(), frames, 0, positions, detected.data());
  std::vector<std::int64_t> required(static_cast<std::size_t>(frames));
  kernels::limiter_require(shape, input.samples.data(), input.channels, frames, detected.data(), positions,
                           caps.empty() ? nullptr : caps.data(), 0, frames, required.data());
  gains.assign(static_cast<std::size_t>(frames), kernels::kUnityGain);
  std::vector<std::int64_t> work(static_cast<std::size_t>(frames));
  kernels::limiter_gain_curve(shape, required.data(), frames, work.data(), gains.data());
  AudioTrack output = input;
  for (int c = 0; c < input.channels; ++c)
    kernels::limiter_apply(shape, input.channel(c).data(), gains.data(), 0, frames, output.channel(c).data());
  stats = limiter_stats(gains, input.sample_rate);
  return output;
}

}  // namespace gloss
