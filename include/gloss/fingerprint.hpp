// Bit-level fingerprints of analysis results. The backends promise identical bits, so tests
// and `gloss selftest` compare every number's representation; a difference names the field
// and both values in hex.
#pragma once

#include <cstdint>
#include <string>

#include "gloss/analysis.hpp"

namespace gloss {

// Every number of the analysis as "field=hexbits" lines (optional: "none").
std::string analysis_bits(const TrackAnalysis& a);

// Empty when identical; otherwise the first differing field with both values in hex and %a.
std::string first_difference(const TrackAnalysis& a, const TrackAnalysis& b);

std::uint64_t fnv1a(const std::string& bytes);

}  // namespace gloss
