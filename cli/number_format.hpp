// Fixed-precision numbers for reports (DESIGN.md rule 7): every number is rounded to a
// fixed number of decimals before it is written, so reports are byte-identical text.
#pragma once

#include <optional>
#include <string>

namespace gloss::cli {

inline constexpr int kLevelDecimals = 4;        // dB, LU, LUFS, seconds
inline constexpr int kCorrelationDecimals = 6;  // correlation, DC offset (linear)

// v rounded half away from zero to `decimals` places; -0 becomes 0. Infinities pass through.
double round_to(double v, int decimals);

// "-23.0000"; infinities as "-inf"/"inf".
std::string fixed(double v, int decimals);

// As fixed(), or `none` when there is no value.
std::string fixed(const std::optional<double>& v, int decimals, const std::string& none);

}  // namespace gloss::cli
