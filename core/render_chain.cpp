#include "render_chain.hpp"

#include <algorithm>
#include <cmath>
#include <memory>

#include <fmt/format.h>

#include "detmath.hpp"
#include "gloss/error.hpp"
#include "resampler.hpp"
#include "true_peak_scan.hpp"

namespace gloss {

namespace {

// Every sample already an exact code of the output format: quantizing changes nothing, so
// dither would only add noise (a chain that does nothing must pass audio through bit-exactly).
bool already_on_grid(const AudioTrack& track, int bits) {
  const double scale = std::ldexp(1.0, bits - 1);
  for (const float v : track.samples) {
    const double code = double(v) * scale;
    if (code != std::nearbyint(code) || code < -scale || code >= scale) return false;
  }
  return true;
}

struct Delivered {
  AudioTrack track;
  std::vector<std::int32_t> pcm;
  bool dithered = false;
  std::int64_t clipped = 0;
};

Delivered quantize_track(AudioTrack at_rate, const RenderSettings& s, std::uint64_t track_key,
                         RenderStages& stages) {
  Delivered d;
  if (s.output_bits == 32) {
    d.track = std::move(at_rate);
    return d;
  }
  QuantizeSpec spec;
  spec.bits = s.output_bits;
  spec.dither = s.dither && !already_on_grid(at_rate, s.output_bits);
  spec.shaping = spec.dither ? s.noise_shaping : NoiseShaping::none;
  spec.seed = s.dither_seed;
  d.dithered = spec.dither;
  QuantizeStats stats;
  d.pcm = stages.quantize(at_rate, spec, track_key, stats);
  if (d.pcm.size() != at_rate.samples.size())
    throw Error(fmt::format("internal error: the {} quantize stage returned {} codes for {} samples", stages.name(),
                            d.pcm.size(), at_rate.samples.size()));
  // The delivered floats are the codes scaled by 2^-(bits-1): exact, the same on every stage.
  const double step = std::ldexp(1.0, -(s.output_bits - 1));
  d.track = std::move(at_rate);
  for (std::size_t i = 0; i < d.pcm.size(); ++i) d.track.samples[i] = static_cast<float>(d.pcm[i] * step);
  d.clipped = stats.clipped;
  return d;
}

// Lowers the allowed gain around every over: the source frames whose samples shape the
// delivered peak (the SRC's reach plus the interpolators') get at most factor x the gain
// they had in this pass.
void lower_caps(const TruePeakScan& scan, double ceiling, double frames_per_delivered, std::int64_t reach,
                const std::vector<std::int64_t>& gains, std::vector<std::int64_t>& caps) {
  const auto frames = static_cast<std::int64_t>(gains.size());
  if (caps.empty()) caps.assign(gains.size(), kernels::kUnityGain);
  for (const PeakOver& over : scan.overs) {
    // 1e-4 below the exact ratio: the new peak must land under, not on, the ceiling.
    const double factor = ceiling / over.level * (1 - 1e-4);
    const auto centre = static_cast<std::int64_t>(std::floor(double(over.frame) * frames_per_delivered));
    const std::int64_t lo = std::max<std::int64_t>(0, centre - reach);
    const std::int64_t hi = std::min(frames - 1, centre + reach);
    for (std::int64_t n = lo; n <= hi; ++n) {
      const auto lowered = static_cast<std::int64_t>(std::floor(double(gains[n]) * factor));
      caps[n] = std::min(caps[n], lowered);
    }
  }
}

}  // namespace

std::string check_render(const RenderSettings& s, int input_rate) {
  if (std::string problem = check_limiter(s.limiter); !problem.empty()) return problem;
  if (s.output_bits != 16 && s.output_bits != 24 && s.output_bits != 32)
    return fmt::format("{} output bits: choose 16, 24 or 32 (float)", s.output_bits);
  if (s.max_passes < 1 || s.max_passes > 64) return fmt::format("max_passes {} is outside 1..64", s.max_passes);
  const int rate = s.output_rate > 0 ? s.output_rate : input_rate;
  if (s.output_bits != 32 && s.dither && !noise_shaping_supported(s.noise_shaping, rate))
    return fmt::format("noise shaping \"{}\" is not offered at {} Hz (44.1 and 48 kHz only): use \"none\"",
                       noise_shaping_name(s.noise_shaping), rate);
  return {};
}

RenderedTrack render_track(const AudioTrack& equalized, double gain_db, const RenderSettings& s,
                           std::uint64_t track_key) {
  CpuRenderStages cpu;
  return render_track(equalized, gain_db, s, track_key, cpu);
}

RenderedTrack render_track(const AudioTrack& equalized, double gain_db, const RenderSettings& s,
                           std::uint64_t track_key, RenderStages& stages) {
  if (std::string problem = check_render(s, equalized.sample_rate); !problem.empty()) throw Error(problem);
  const int out_rate = s.output_rate > 0 ? s.output_rate : equalized.sample_rate;
  std::unique_ptr<Resampler> src;
  if (out_rate != equalized.sample_rate) src = std::make_unique<Resampler>(equalized.sample_rate, out_rate);
  const double gain = detmath::db_to_amplitude(gain_db);
  const double ceiling = detmath::db_to_amplitude(s.limiter.ceiling_dbtp);
  const kernels::LimiterShape shape = design_limiter(s.limiter, equalized.sample_rate, gain, ceiling);
  // How far (in source frames) a delivered peak reaches back: the SRC's half length plus a
  // margin for the position rounding.
  const std::int64_t reach = (src ? src->shape().taps / 2 : 0) + 3;
  // 2^-16 (0.00013 dB) under the ceiling: other meters round their own sums differently.
  const double verify_limit = ceiling * (1 - 0x1p-16);
  const double frames_per_delivered = double(equalized.sample_rate) / out_rate;

  RenderedTrack result;
  result.resampler = src ? src->describe() : "";
  std::vector<std::int64_t> caps, gains;
  TruePeakScanner scanner;  // later passes re-read only the segments that changed
  for (int pass = 1; pass <= s.max_passes; ++pass) {
    AudioTrack limited = stages.limit(equalized, shape, caps, gains, result.limiter);
    if (src) limited = stages.resample(*src, limited);
    Delivered delivered = quantize_track(std::move(limited), s, track_key, stages);
    const TruePeakScan scan = scanner.scan(delivered.track, verify_limit);
    result.passes = pass;
    result.true_peak_dbtp = detmath::amplitude_to_db(scan.precise);
    result.highest_reading_dbtp = detmath::amplitude_to_db(scan.highest);
    if (scan.overs.empty()) {
      result.delivered = std::move(delivered.track);
      result.delivered.name = equalized.name;
      result.pcm = std::move(delivered.pcm);
      result.dithered = delivered.dithered;
      result.clipped = delivered.clipped;
      return result;
    }
    lower_caps(scan, verify_limit, frames_per_delivered, reach, gains, caps);
  }
  throw Error(fmt::format("{}: a true-peak reading is still {:.3f} dBTP, over the {:.1f} dBTP ceiling, after {} "
                          "limiter passes; nothing was written. Lower the target (--target) or raise max_passes.",
                          equalized.name, result.highest_reading_dbtp, s.limiter.ceiling_dbtp, s.max_passes));
}

}  // namespace gloss
