// The JSON report: schema "gloss.analysis", version 1 (documented in REPORT_SCHEMA.md).
// Deterministic text: fixed rounding, -inf as the string "-inf", null for not applicable,
// no timestamps, hosts, backend names or thread counts.
#pragma once

#include <string>

#include "report.hpp"

namespace gloss::cli {

inline constexpr int kJsonSchemaVersion = 1;

std::string render_json(const RunReport& report);

}  // namespace gloss::cli
