// Folder albums: identity and output place are the folder as reached from its argument, with
// the argument's own folder name first (what `gloss master` has always used under -o).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "catalog.hpp"
#include "support/temp_folder.hpp"

namespace {

namespace fs = std::filesystem;

TEST(FolderIdentity, IsTheFolderBelowItsArgumentWithTheArgumentsNameFirst) {
  gloss::test::TempFolder temp("gloss-identity");
  for (const char* f : {"lib/Artist/Album/01.wav", "lib/Artist/Album/02.wav", "lib/top.wav", "loose/x.wav"}) {
    fs::create_directories((temp.path() / f).parent_path());
    std::ofstream(temp.path() / f) << "x";
  }
  const fs::path cwd = fs::current_path();
  fs::current_path(temp.path());
  const gloss::cli::Catalog c = gloss::cli::scan_catalog({"lib", "./loose/x.wav"});
  fs::current_path(cwd);
  ASSERT_EQ(c.albums.size(), 3u);
  EXPECT_EQ(c.albums[0].display, "./loose");
  EXPECT_EQ(c.albums[0].identity, "loose");
  EXPECT_EQ(c.albums[1].display, "lib");
  EXPECT_EQ(c.albums[1].identity, "lib");
  EXPECT_EQ(c.albums[2].identity, "lib/Artist/Album");
  EXPECT_EQ(c.albums[2].output_relative, fs::path("lib") / "Artist" / "Album");
  for (const auto& a : c.albums) EXPECT_TRUE(a.overrides.empty());
}

}  // namespace
