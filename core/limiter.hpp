// The true-peak limiter on the host: designs the kernels' constants (core/kernels/limiter.hpp)
// and runs them over a whole track, with the statistics the master report explains.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "gloss/audio.hpp"
#include "kernels/limiter.hpp"

namespace gloss {

struct LimiterSettings {
  double ceiling_dbtp = -1.0;  // the delivered file's true peak never exceeds this
  double lookahead_ms = 5.0;   // look-ahead = attack: the gain ramps down over this time
  double release_ms = 200.0;   // time constant of the return to unity gain
};

inline constexpr double kMinLookaheadMs = 0.5;
inline constexpr double kMaxLookaheadMs = 50.0;
inline constexpr double kMinReleaseMs = 1.0;
inline constexpr double kMaxReleaseMs = 5000.0;

// Why `settings` are unusable ("" when fine): ceiling in [-20, 0] dBTP, times in range.
std::string check_limiter(const LimiterSettings& settings);

// The kernel constants for one track. `gain` is the planned linear gain applied in front of
// the limiter; `detection_ceiling` the linear level the detector holds peaks to (the
// ceiling, lowered locally by the verify passes through caps, not here).
kernels::LimiterShape design_limiter(const LimiterSettings& settings, int sample_rate, double gain,
                                     double detection_ceiling);

// What the limiter did to one track (for the report).
struct LimiterStats {
  double max_reduction_db = 0;      // largest gain reduction
  double average_reduction_db = 0;  // of the mean gain while reducing (0 when never)
  double seconds_reducing = 0;      // time with any reduction
  double seconds_above_1db = 0;     // time with more than 1 dB of reduction
};

// The limiter over a whole planar track on the calling thread: returns the limited track
// (same rate, channels and length) and fills `gains` (Q30, one per frame) and `stats`.
// `caps` (empty or one Q30 bound per frame) lowers the allowed gain locally.
AudioTrack run_limiter(const AudioTrack& input, const kernels::LimiterShape& shape,
                       const std::vector<std::int64_t>& caps, std::vector<std::int64_t>& gains,
                       LimiterStats& stats);

LimiterStats limiter_stats(const std::vector<std::int64_t>& gains, int sample_rate);

}  // namespace gloss
