// Bit-level fingerprints of analysis results. The backends promise identical bits, so tests
// and `gloss selftest` compare every number's representation; a difference names the field
// and both values in hex.
#pragma once

#include <cstdint>
#include <string>

#include "gloss/analysis.hpp"
#include "gloss/audio.hpp"

namespace gloss {

// Every number of the analysis as "field=hexbits" lines (optional: "none").
std::string analysis_bits(const TrackAnalysis& a);

// Empty when identical; otherwise the first differing field with both values in hex and %a.
std::string first_difference(const TrackAnalysis& a, const TrackAnalysis& b);

std::uint64_t fnv1a(const std::string& bytes);
std::uint64_t fnv1a(const void* data, std::size_t size);

// A track's identity from its audio alone (rate, channels and every sample's bits): the same
// wherever the file lives or however the catalog was given, different for different audio.
std::uint64_t audio_identity(const AudioTrack& track);

}  // namespace gloss
