// The CSV report: one row per track and one per album (column "kind"), RFC 4180 quoting,
// the same fixed precision as the JSON report; -inf as "-inf", not applicable as empty.
#pragma once

#include <string>

#include "report.hpp"

namespace gloss::cli {

std::string render_csv(const RunReport& report);

}  // namespace gloss::cli
