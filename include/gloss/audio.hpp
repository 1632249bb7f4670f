// Audio buffers as the engine sees them: planar float32 at the source rate.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "gloss/channel_layout.hpp"

namespace gloss {

// One decoded track. Samples are planar: channel c occupies
// samples[c * frames, (c + 1) * frames). Values may exceed full scale (float and lossy
// sources); they are never clipped or converted to integers before measuring.
struct AudioTrack {
  std::string name;  // for messages and reports only; never affects a result
  int sample_rate = 0;
  int channels = 0;
  std::int64_t frames = 0;
  std::vector<float> samples;
  std::vector<ChannelRole> layout;  // one role per channel

  std::span<const float> channel(int c) const {
    return {samples.data() + static_cast<std::size_t>(c) * static_cast<std::size_t>(frames),
            static_cast<std::size_t>(frames)};
  }
  std::span<float> channel(int c) {
    return {samples.data() + static_cast<std::size_t>(c) * static_cast<std::size_t>(frames),
            static_cast<std::size_t>(frames)};
  }
};

// Builds a planar track from interleaved samples (what decoders produce).
AudioTrack make_track_from_interleaved(std::span<const float> interleaved, int channels,
                                       int sample_rate, std::string name = {});

}  // namespace gloss
