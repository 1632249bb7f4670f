// The render half of `gloss master` for one track (DESIGN.md "The chain"):
//   gain -> true-peak limiter -> SRC -> dither + quantize -> verify
// The input is the track after the linear-phase EQ. Verify measures the delivered samples
// (at the delivered rate, after quantization) with the precise true-peak detector; where a
// reconstructed peak is over the ceiling (the limiter's detector is the cheaper BS.1770
// interpolator, and SRC and dither reshape peaks), the limiter's allowed gain is lowered
// locally by the overshoot and the track is rendered again, at most max_passes times. A
// track still over after that fails with a gloss::Error: an over is never delivered.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gloss/audio.hpp"
#include "limiter.hpp"
#include "quantizer.hpp"
#include "render_stages.hpp"

namespace gloss {

struct RenderSettings {
  LimiterSettings limiter;
  int output_rate = 0;   // 0: the input's rate
  int output_bits = 24;  // 16 or 24 (dithered integers) or 32 (float, no dither)
  bool dither = true;
  NoiseShaping noise_shaping = NoiseShaping::none;
  std::uint64_t dither_seed = 0;
  int max_passes = 8;
};

// Why the settings cannot render a track at `input_rate` ("" when they can).
std::string check_render(const RenderSettings& settings, int input_rate);

struct RenderedTrack {
  // Exactly the delivered values: integers / 2^(bits - 1) for 16/24-bit, the floats for 32.
  AudioTrack delivered;
  std::vector<std::int32_t> pcm;  // planar integer codes (16/24-bit output), else empty
  LimiterStats limiter;
  double true_peak_dbtp = 0;      // precise, of the delivered samples
  double highest_reading_dbtp = 0;  // the highest of the verify detectors (true_peak_scan.hpp)
  int passes = 0;                 // renders needed (1 when the limiter's detector sufficed)
  bool dithered = false;          // false when the samples were already exact codes
  std::int64_t clipped = 0;       // samples the quantizer clamped (should stay 0)
  std::string resampler;          // describe() of the SRC, empty when the rate is kept
};

// Renders one (equalised) track with `gain_db` of gain. track_key keys the dither noise
// (DESIGN.md rule 6): give every track of a catalog its own stable key. The limiter, SRC and
// quantizer run on `stages` (the same bits on every implementation); planning, the verify
// scan and the re-limiting passes run on the calling thread. Without `stages`: on the CPU.
RenderedTrack render_track(const AudioTrack& equalized, double gain_db, const RenderSettings& settings,
                           std::uint64_t track_key, RenderStages& stages);
RenderedTrack render_track(const AudioTrack& equalized, double gain_db, const RenderSettings& settings,
                           std::uint64_t track_key);

}  // namespace gloss
