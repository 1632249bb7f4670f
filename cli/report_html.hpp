// The consistency report as one self-contained HTML page: inline CSS and SVG charts, no
// scripts, no fonts or images from anywhere else, so it opens offline and can be mailed.
// It reads the report document (not the run's structs) so a merge of shard reports
// (`gloss report merge`) renders exactly like a single run's report.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace gloss::cli {

// One page from a gloss.analysis or gloss.master document as parsed by nlohmann: a job
// summary with links to each album, then per album a loudness/peak chart, a table, the
// problems and flags, and per track its short-term loudness over time and its octave-band
// balance against the album. Missing fields show as "–"; the same document gives the same
// bytes; every name is escaped (invalid UTF-8 becomes U+FFFD).
std::string render_html_report(const nlohmann::ordered_json& report);

}  // namespace gloss::cli
