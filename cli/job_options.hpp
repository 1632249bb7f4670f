// The options every catalog command shares (analyze, master, tag): which shard of the
// catalog to work on and how to show progress. One definition, so the three commands
// spell, document and check them the same way.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

#include "catalog.hpp"
#include "progress.hpp"
#include "shard.hpp"

namespace gloss::cli {

struct JobOptions {
  std::string progress = "auto";  // auto | bar | lines | json | quiet
  std::string shard = "1/1";      // K/N, auto or auto/N
};

// Registers --progress and --shard; `verb` says what a shard does ("Master", "Measure", "Tag").
void add_job_options(CLI::App& command, JobOptions& options, const std::string& verb);

// The shard --shard names (the environment for `auto`), or nothing after printing
// "gloss COMMAND: --shard ...: why" (a usage error, exit 2).
std::optional<Shard> shard_of(const JobOptions& options, const std::string& command);

// Albums, tracks and input bytes of the albums a job will work on (for its progress).
ProgressTotals totals_of(const Catalog& catalog, const std::vector<std::size_t>& albums, bool with_bytes);

// The input bytes of an album's files (the queue's largest-first order, the ETA).
std::uint64_t album_input_bytes(const CatalogAlbum& album);

// The progress display of a job: quiet wins over --progress.
ProgressMode progress_mode(const JobOptions& options, bool quiet);

}  // namespace gloss::cli
