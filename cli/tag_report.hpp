// What a `gloss tag` run records in its report (a gloss.analysis v2 document, REPORT_SCHEMA.md):
// the tagging settings, and for each measured track what was written (or, with --dry-run,
// would be), or why nothing was.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "report_json.hpp"
#include "tag_writer.hpp"

namespace gloss::cli {

enum class TagStatus { Written, Planned, Failed };

// settings.tag: {reference_lufs, peak, true_peak, names, dry_run, settings_tag}.
Json tag_settings_json(double reference_lufs, bool sample_peak, const std::string& true_peak, TagCase names,
                       bool dry_run, const std::string& settings_tag);

// tracks[].tag of a track whose tags were written or planned: the gains and peaks, and every
// tag as written to this file's format.
Json tag_outcome_json(TagStatus status, const GainTags& tags,
                      const std::vector<std::pair<std::string, std::string>>& written);

// tracks[].tag of a measured track that was not tagged, and why.
Json tag_failure_json(const std::string& error);

}  // namespace gloss::cli
