#include "job_options.hpp"

#include <cstdlib>
#include <fmt/format.h>
#include <system_error>

namespace gloss::cli {

void add_job_options(CLI::App& command, JobOptions& o, const std::string& verb) {
  command
      .add_option("--progress", o.progress,
                  "auto (a live bar on a terminal, one line per album otherwise), bar, lines, json (one JSON "
                  "object per album on stderr) or quiet")
      ->check(CLI::IsMember({"auto", "bar", "lines", "json", "quiet"}).description(""))
      ->type_name("MODE")
      ->capture_default_str();
  command
      .add_option("--shard", o.shard,
                  verb + " only shard K of N of the catalog's albums (a stable split by album identity): K/N, auto "
                         "(a Slurm job array, or a Kubernetes Indexed Job with GLOSS_SHARD_COUNT) or auto/N; join "
                         "the shards' --json reports with `gloss report merge`")
      ->type_name("K/N|auto")
      ->capture_default_str();
}

std::optional<Shard> shard_of(const JobOptions& o, const std::string& command) {
  try {
    return parse_shard(o.shard, [](const char* name) { return std::getenv(name); });
  } catch (const ShardError& e) {
    fmt::print(stderr, "gloss {}: --shard {}: {}\n", command, o.shard, e.what());
    return std::nullopt;
  }
}

ProgressTotals totals_of(const Catalog& catalog, const std::vector<std::size_t>& albums, bool with_bytes) {
  ProgressTotals totals;
  totals.albums = albums.size();
  std::error_code ec;
  for (std::size_t index : albums)
    for (const CatalogTrack& t : catalog.albums[index].tracks) {
      ++totals.tracks;
      if (!with_bytes) continue;
      const std::uintmax_t size = std::filesystem::file_size(t.path, ec);
      if (!ec) totals.input_bytes += size;
    }
  return totals;
}

std::uint64_t album_input_bytes(const CatalogAlbum& album) {
  std::uint64_t bytes = 0;
  std::error_code ec;
  for (const CatalogTrack& t : album.tracks) {
    const std::uintmax_t size = std::filesystem::file_size(t.path, ec);
    if (!ec) bytes += size;
  }
  return bytes;
}

ProgressMode progress_mode(const JobOptions& o, bool quiet) {
  return quiet ? ProgressMode::quiet : parse_progress_mode(o.progress);
}

}  // namespace gloss::cli
