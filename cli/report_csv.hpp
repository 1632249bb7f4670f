// The CSV reports: one row per track and one per album (column "kind"), RFC 4180 quoting,
// the same fixed precision as the JSON report; -inf as "-inf", not applicable as empty.
//
// Written from the JSON document (gloss.analysis or gloss.master), like the HTML report, so
// a merged shard report gives the same CSV as one process would.
#pragma once

#include <string>

#include "report.hpp"
#include "report_json.hpp"  // Json

namespace gloss::cli {

// Either schema; throws std::invalid_argument for another one.
std::string render_csv_document(const Json& document);

// gloss analyze's CSV (render_csv_document of its JSON document).
std::string render_csv(const RunReport& report);

}  // namespace gloss::cli
