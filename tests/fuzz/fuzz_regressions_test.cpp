// Every input the fuzzers (fuzz/) ever broke gloss with, replayed in the ordinary build:
// fuzz/regressions/preset/* through the preset parser (a Preset or a PresetError, nothing
// else), fuzz/regressions/decode/* through the decoder (a track or an error message) and
// fuzz/regressions/manifest/* through both manifest readers (albums or a ManifestError).
// A new crash found by fuzzing is fixed and its input is dropped into the folder.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "decode.hpp"
#include "manifest.hpp"
#include "output_paths.hpp"
#include "preset.hpp"

namespace {

namespace fs = std::filesystem;

std::vector<fs::path> inputs(const std::string& target) {
  std::vector<fs::path> files;
  const fs::path dir = fs::path(GLOSS_FUZZ_REGRESSIONS) / target;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.is_regular_file() && entry.path().filename() != "README.md") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

std::string read(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(FuzzRegressions, PresetParserOnlyThrowsPresetError) {
  const std::vector<fs::path> files = inputs("preset");
  ASSERT_FALSE(files.empty());
  for (const fs::path& file : files) {
    SCOPED_TRACE(file.filename().string());
    try {
      (void)gloss::cli::parse_preset(read(file), file.filename().string());
    } catch (const gloss::cli::PresetError& e) {
      EXPECT_NE(std::string(e.what()), "");
    }
  }
}

// fuzz_preset's finds: toml++ 3.3 has undefined behaviour on some non-ASCII characters where
// it expects whitespace, outside strings and (after input it recovers from) inside them, so
// presets are plain ASCII: any other byte is refused with its line and column.
TEST(FuzzRegressions, PresetsArePlainAscii) {
  using gloss::cli::parse_preset;
  EXPECT_NO_THROW(parse_preset("# plain comment\n[loudness]\ntarget = -14 # ok\n", "p.toml"));
  EXPECT_NO_THROW(parse_preset("\xEF\xBB\xBF[loudness]\nmode = 'album' # a byte order mark first\n", "p.toml"));
  for (const char* text : {"[loudness]\n\xC2\xA1target = -14\n", "# Caf\xC3\xA9\n", "s = \"\xC2\xA7\"\n"}) {
    EXPECT_THROW(parse_preset(text, "p.toml"), gloss::cli::PresetError) << text;
  }
  try {
    parse_preset("[loudness]\n\xC2\xA1target = -14\n", "p.toml");
    FAIL() << "no PresetError";
  } catch (const gloss::cli::PresetError& e) {
    EXPECT_NE(std::string(e.what()).find("p.toml:2:1: non-ASCII character"), std::string::npos) << e.what();
  }
}

TEST(FuzzRegressions, DecoderReturnsATrackOrAnError) {
  const std::vector<fs::path> files = inputs("decode");
  ASSERT_FALSE(files.empty());
  for (const fs::path& file : files) {
    SCOPED_TRACE(file.filename().string());
    const gloss::cli::DecodeResult r = gloss::cli::decode_file(file, file.filename().string());
    EXPECT_NE(r.ok(), !r.error.empty());
  }
}

TEST(FuzzRegressions, ManifestReadersOnlyThrowManifestError) {
  const std::vector<fs::path> files = inputs("manifest");
  ASSERT_FALSE(files.empty());
  for (const fs::path& file : files) {
    SCOPED_TRACE(file.filename().string());
    for (const auto format : {gloss::cli::ManifestFormat::csv, gloss::cli::ManifestFormat::json}) {
      try {
        for (const gloss::cli::ManifestAlbum& album : gloss::cli::parse_manifest(read(file), format, "m"))
          EXPECT_FALSE(gloss::cli::sanitize_relative(album.id).empty()) << album.id;
      } catch (const gloss::cli::ManifestError& e) {
        EXPECT_NE(std::string(e.what()), "");
      }
    }
  }
}

}  // namespace
