#include "libebur128_meter.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace gloss::test {

namespace {

int ebur128_channel(ChannelRole role) {
  switch (role) {
    case ChannelRole::Left: return EBUR128_LEFT;
    case ChannelRole::Right: return EBUR128_RIGHT;
    case ChannelRole::Center: return EBUR128_CENTER;
    case ChannelRole::Lfe: return EBUR128_UNUSED;
    case ChannelRole::LeftSurround: return EBUR128_LEFT_SURROUND;
    case ChannelRole::RightSurround: return EBUR128_RIGHT_SURROUND;
    case ChannelRole::LeftBack: return EBUR128_Mp135;
    case ChannelRole::RightBack: return EBUR128_Mm135;
    case ChannelRole::BackCenter: return EBUR128_Mp180;
    case ChannelRole::Mono:  // weight 1.0 (not DUAL_MONO), as gloss weighs a mono channel
    case ChannelRole::Other: return EBUR128_CENTER;
  }
  return EBUR128_CENTER;
}

void check(int rc, const char* what) {
  if (rc != EBUR128_SUCCESS) throw std::runtime_error(std::string("libebur128: ") + what + " failed (" + std::to_string(rc) + ")");
}

}  // namespace

Ebur128Result measure_with_libebur128(const AudioTrack& track) {
  Ebur128Result r;
  const unsigned channels = static_cast<unsigned>(track.channels);
  r.state.reset(ebur128_init(channels, static_cast<unsigned long>(track.sample_rate),
                             EBUR128_MODE_I | EBUR128_MODE_LRA | EBUR128_MODE_SAMPLE_PEAK |
                                 EBUR128_MODE_TRUE_PEAK | EBUR128_MODE_M | EBUR128_MODE_S));
  if (!r.state) throw std::runtime_error("libebur128: ebur128_init failed");
  ebur128_state* st = r.state.get();
  for (unsigned c = 0; c < channels; ++c) check(ebur128_set_channel(st, c, ebur128_channel(track.layout[c])), "set_channel");

  // Feed in 10 ms pieces on gloss's sub-block grid (frame k * rate / 100) and read M after
  // each piece (every 10 ms), M and S every 100 ms, once the window is full.
  const std::int64_t rate = track.sample_rate;
  std::vector<float> interleaved;
  r.momentary_max_lufs = -std::numeric_limits<double>::infinity();
  std::int64_t fed = 0;
  for (std::int64_t k = 1; fed < track.frames; ++k) {
    const std::int64_t end = std::min(track.frames, k * rate / 100);
    const std::int64_t n = end - fed;
    interleaved.resize(static_cast<std::size_t>(n) * channels);
    for (unsigned c = 0; c < channels; ++c) {
      const std::span<const float> x = track.channel(static_cast<int>(c));
      for (std::int64_t i = 0; i < n; ++i)
        interleaved[static_cast<std::size_t>(i) * channels + c] = x[static_cast<std::size_t>(fed + i)];
    }
    check(ebur128_add_frames_float(st, interleaved.data(), static_cast<std::size_t>(n)), "add_frames_float");
    fed = end;
    if (end != k * rate / 100) break;  // a partial last piece: peaks only
    double v = 0;
    if (k >= 40) {
      check(ebur128_loudness_momentary(st, &v), "loudness_momentary");
      r.momentary_max_lufs = std::max(r.momentary_max_lufs, v);
      if (k % 10 == 0) r.momentary_10hz.push_back(v);
    }
    if (k >= 300 && k % 10 == 0) {
      check(ebur128_loudness_shortterm(st, &v), "loudness_shortterm");
      r.short_term_10hz.push_back(v);
    }
  }
  check(ebur128_loudness_global(st, &r.integrated_lufs), "loudness_global");
  check(ebur128_loudness_range(st, &r.loudness_range_lu), "loudness_range");
  for (unsigned c = 0; c < channels; ++c) {
    double v = 0;
    check(ebur128_sample_peak(st, c, &v), "sample_peak");
    r.sample_peak.push_back(v);
    check(ebur128_true_peak(st, c, &v), "true_peak");
    r.true_peak.push_back(v);
  }
  return r;
}

}  // namespace gloss::test
