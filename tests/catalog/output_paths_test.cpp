// Path safety (issue 7): album output places made from manifest ids and tags never leave -o.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "output_paths.hpp"
#include "support/temp_folder.hpp"

namespace {

namespace fs = std::filesystem;
using gloss::cli::sanitize_relative;
using gloss::cli::stays_inside;

std::string sanitized(const std::string& text) { return sanitize_relative(text).generic_string(); }

TEST(SanitizeRelative, KeepsOrdinaryIds) {
  EXPECT_EQ(sanitized("Artist/Album"), "Artist/Album");
  EXPECT_EQ(sanitized("Björk/Début (Deluxe)"), "Björk/Début (Deluxe)");
  EXPECT_EQ(sanitized("a/.hidden/b"), "a/.hidden/b");
}

TEST(SanitizeRelative, NeverClimbsOrStartsAtARoot) {
  EXPECT_EQ(sanitized("../../etc"), "etc");
  EXPECT_EQ(sanitized("/abs/x"), "abs/x");
  EXPECT_EQ(sanitized("a/../../b"), "a/b");
  EXPECT_EQ(sanitized("./a//b/."), "a/b");
  EXPECT_EQ(sanitized("a/.../b"), "a/b");
  EXPECT_TRUE(sanitize_relative("../..").empty());
  EXPECT_TRUE(sanitize_relative("").empty());
  EXPECT_TRUE(sanitize_relative("/").empty());
  for (const char* id : {"../../etc", "/abs/x", "a/../../b", "..", "//server/share", "C:\\x", "C:/x"}) {
    const fs::path p = sanitize_relative(id);
    EXPECT_TRUE(p.is_relative()) << id;
    for (const fs::path& part : p) {
      EXPECT_NE(part, "..") << id;
      EXPECT_NE(part, ".") << id;
      EXPECT_FALSE(part.empty()) << id;
    }
  }
}

TEST(SanitizeRelative, WindowsSeparatorsDrivesAndReservedCharactersBecomeUnderscores) {
  EXPECT_EQ(sanitized("C:\\x"), "C__x");
  EXPECT_EQ(sanitized("C:/x"), "C_/x");
  EXPECT_EQ(sanitized("..\\..\\windows"), ".._.._windows");
  EXPECT_EQ(sanitized("a<b>c:d\"e|f?g*h"), "a_b_c_d_e_f_g_h");
  EXPECT_EQ(sanitized("con\x01trol\x7f"), "con_trol_");
  EXPECT_EQ(sanitized(std::string("nul\0byte", 8)), "nul_byte");
  EXPECT_EQ(sanitized("line\nbreak\ttab"), "line_break_tab");
}

TEST(SanitizeRelative, NoTrailingDotsOrSpacesAndNoDeviceNames) {
  EXPECT_EQ(sanitized("Album. /Disc 1 ./x.."), "Album/Disc 1/x");
  EXPECT_EQ(sanitized(" lead/ok"), " lead/ok");
  EXPECT_EQ(sanitized("CON/nul.txt/com1/LPT9/COM0/console"), "CON_/nul_.txt/com1_/LPT9_/COM0/console");
}

TEST(SanitizeRelative, ComponentsAreAtMost200BytesAndStayUtf8) {
  EXPECT_EQ(sanitized(std::string(300, 'a')), std::string(200, 'a'));
  // 199 ASCII bytes then a 2-byte 'é': cutting at 200 would split it, so it goes whole.
  const std::string cut = sanitized(std::string(199, 'a') + "\xC3\xA9" + "tail");
  EXPECT_EQ(cut, std::string(199, 'a'));
  // Cutting may expose a trailing dot, which goes too.
  EXPECT_EQ(sanitized(std::string(199, 'a') + ".b" + "/next"), std::string(199, 'a') + "/next");
}

TEST(StaysInside, JudgesTextWhenNothingExists) {
  EXPECT_TRUE(stays_inside("/nonexistent-root/a/b", "/nonexistent-root"));
  EXPECT_TRUE(stays_inside("/nonexistent-root", "/nonexistent-root"));
  EXPECT_FALSE(stays_inside("/nonexistent-root/../x", "/nonexistent-root"));
  EXPECT_FALSE(stays_inside("/nonexistent-rootx/a", "/nonexistent-root"));
  EXPECT_FALSE(stays_inside("/elsewhere", "/nonexistent-root"));
}

TEST(StaysInside, CatchesASymlinkInsideTheRootThatPointsOut) {
  gloss::test::TempFolder temp("gloss-paths");
  const fs::path root = temp.path() / "out", outside = temp.path() / "outside";
  fs::create_directories(root / "real");
  fs::create_directories(outside);
  fs::create_directory_symlink(outside, root / "escape");
  fs::create_directory_symlink(root / "real", root / "internal");
  EXPECT_TRUE(stays_inside(root / "real" / "Album", root));
  EXPECT_TRUE(stays_inside(root / "internal" / "Album", root));   // a link that stays inside is fine
  EXPECT_FALSE(stays_inside(root / "escape" / "Album", root));    // the link leaves the root
  EXPECT_FALSE(stays_inside(root / "escape", root));
  // The same through a relative spelling of both paths.
  const fs::path cwd = fs::current_path();
  fs::current_path(temp.path());
  EXPECT_FALSE(stays_inside(fs::path("out") / "escape" / "x", "out"));
  EXPECT_TRUE(stays_inside(fs::path("out") / "real" / "x", "out"));
  fs::current_path(cwd);
}

}  // namespace
