// A render's bits as one FNV-1a hash: the delivered samples, the PCM codes, the limiter's
// statistics (which follow from its gains) and the verify readings, so two renders hash the
// same only if everything a file or a report shows is the same.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "gloss/fingerprint.hpp"
#include "render_chain.hpp"

namespace gloss::test::render {

template <typename T>
void append_bytes(std::string& out, const T* values, std::size_t count) {
  const std::size_t at = out.size();
  out.resize(at + count * sizeof(T));
  if (count > 0) std::memcpy(out.data() + at, values, count * sizeof(T));
}

template <typename T>
void append_value(std::string& out, const T& value) {
  append_bytes(out, &value, 1);
}

inline std::uint64_t render_hash(const RenderedTrack& r) {
  std::string bytes;
  append_value(bytes, r.delivered.sample_rate);
  append_value(bytes, r.delivered.channels);
  append_value(bytes, r.delivered.frames);
  append_bytes(bytes, r.delivered.samples.data(), r.delivered.samples.size());
  append_bytes(bytes, r.pcm.data(), r.pcm.size());
  append_value(bytes, r.limiter.max_reduction_db);
  append_value(bytes, r.limiter.average_reduction_db);
  append_value(bytes, r.limiter.seconds_reducing);
  append_value(bytes, r.limiter.seconds_above_1db);
  append_value(bytes, r.true_peak_dbtp);
  append_value(bytes, r.highest_reading_dbtp);
  append_value(bytes, r.passes);
  append_value(bytes, r.dithered);
  append_value(bytes, r.clipped);
  return fnv1a(bytes);
}

inline std::uint64_t gains_hash(const std::vector<std::int64_t>& gains) {
  std::string bytes;
  append_bytes(bytes, gains.data(), gains.size());
  return fnv1a(bytes);
}

}  // namespace gloss::test::render
