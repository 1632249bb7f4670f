// libFuzzer target: the manifest parsers. The same bytes go to the CSV reader and the JSON
// reader (and through the format sniffing); each either returns albums or throws
// ManifestError; any other exception, a crash or a sanitizer report is a bug. Albums that
// parse must have output folders that are relative, without "..", and not empty.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "manifest.hpp"
#include "output_paths.hpp"

namespace {

void check(const std::vector<gloss::cli::ManifestAlbum>& albums) {
  for (const gloss::cli::ManifestAlbum& album : albums) {
    const std::filesystem::path folder = gloss::cli::sanitize_relative(album.id);
    if (folder.empty() || !folder.is_relative() || album.tracks.empty()) __builtin_trap();
    for (const std::filesystem::path& part : folder)
      if (part == ".." || part == "." || part.empty()) __builtin_trap();
    for (const gloss::cli::ManifestTrack& t : album.tracks)
      if (t.path.empty() || t.where.empty()) __builtin_trap();
  }
}

void parse(std::string_view text, gloss::cli::ManifestFormat format) {
  try {
    check(gloss::cli::parse_manifest(text, format, "fuzz"));
  } catch (const gloss::cli::ManifestError& e) {
    if (std::string_view(e.what()).empty()) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  parse(text, gloss::cli::ManifestFormat::csv);
  parse(text, gloss::cli::ManifestFormat::json);
  (void)gloss::cli::manifest_format("fuzz", text);
  return 0;
}
