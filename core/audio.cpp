#include "gloss/audio.hpp"

namespace gloss {

AudioTrack make_track_from_interleaved(std::span<const float> interleaved, int channels,
                                       int sample_rate, std::string name) {
  AudioTrack t;
  t.name = std::move(name);
  t.sample_rate = sample_rate;
  t.channels = channels;
  t.frames = channels > 0 ? static_cast<std::int64_t>(interleaved.size()) / channels : 0;
  t.layout = default_layout(channels);
  t.samples.resize(static_cast<std::size_t>(t.frames) * static_cast<std::size_t>(channels > 0 ? channels : 0));
  for (int c = 0; c < channels; ++c) {
    std::span<float> out = t.channel(c);
    for (std::int64_t i = 0; i < t.frames; ++i)
      out[static_cast<std::size_t>(i)] = interleaved[static_cast<std::size_t>(i * channels + c)];
  }
  return t;
}

}  // namespace gloss
