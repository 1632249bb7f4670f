// `gloss analyze/master --manifest FILE` and `--group-by tags` end to end: each test writes a
// small catalog (libsndfile, tags by TagLib) into a fresh folder and runs the built gloss.
#include <gtest/gtest.h>
#include <sndfile.h>
#include <taglib/fileref.h>
#include <taglib/tpropertymap.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <numbers>
#include <string>
#include <vector>

#include "support/run_program.hpp"
#include "support/temp_folder.hpp"

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;
using gloss::test::Outcome;

// A short 1 kHz tone at `dbfs`, stereo 48 kHz, as 24-bit WAV or FLAC (by extension).
void write_tone(const fs::path& path, double dbfs) {
  fs::create_directories(path.parent_path());
  SF_INFO info{};
  info.samplerate = 48000;
  info.channels = 2;
  info.format = (path.extension() == ".flac" ? SF_FORMAT_FLAC : SF_FORMAT_WAV) | SF_FORMAT_PCM_24;
  SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
  ASSERT_NE(f, nullptr) << path << ": " << sf_strerror(nullptr);
  std::vector<double> frames(2 * 48000);
  const double amplitude = std::pow(10.0, dbfs / 20.0);
  for (std::size_t i = 0; i < frames.size() / 2; ++i)
    frames[2 * i] = frames[2 * i + 1] = amplitude * std::sin(2 * std::numbers::pi * 1000.0 * static_cast<double>(i) / 48000);
  ASSERT_EQ(sf_writef_double(f, frames.data(), 48000), 48000);
  sf_close(f);
}

void tag(const fs::path& path, const std::string& album_artist, const std::string& album, int disc, int track) {
  TagLib::FileRef ref(path.c_str());
  ASSERT_FALSE(ref.isNull()) << path;
  TagLib::PropertyMap p;
  p.insert("ALBUMARTIST", TagLib::StringList(TagLib::String(album_artist, TagLib::String::UTF8)));
  p.insert("ALBUM", TagLib::StringList(TagLib::String(album, TagLib::String::UTF8)));
  p.insert("DISCNUMBER", TagLib::StringList(TagLib::String(std::to_string(disc))));
  p.insert("TRACKNUMBER", TagLib::StringList(TagLib::String(std::to_string(track))));
  ref.file()->setProperties(p);
  ASSERT_TRUE(ref.save()) << path;
}

void write_text(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

class CatalogCli : public ::testing::Test {
 protected:
  void SetUp() override { fs::create_directories(scratch_); }

  Outcome gloss(const std::vector<std::string>& args) {
    return gloss::test::run_program(GLOSS_EXE, args, root_, scratch_);
  }

  // `gloss analyze ARGS --json report.json --quiet`, checking the exit status.
  Json analyze(std::vector<std::string> args, int expected_status) {
    args.insert(args.begin(), "analyze");
    args.insert(args.end(), {"--json", "report.json", "--quiet"});
    const Outcome r = gloss(args);
    EXPECT_EQ(r.status, expected_status) << r.err;
    if (!fs::exists(root_ / "report.json")) return Json();
    return Json::parse(gloss::test::read_text(root_ / "report.json"));
  }

  static std::vector<std::string> files(const Json& album) {
    std::vector<std::string> out;
    for (const Json& t : album["tracks"]) out.push_back(t["file"].get<std::string>());
    return out;
  }

  gloss::test::TempFolder temp_{"gloss-catalog-cli"};
  fs::path root_ = temp_.path() / "work";
  fs::path scratch_ = temp_.path() / "scratch";
};

TEST_F(CatalogCli, CsvManifestGivesItsAlbumsInItsOrder) {
  write_tone(root_ / "audio" / "x" / "b.wav", -20);
  write_tone(root_ / "audio" / "y" / "a.wav", -24);
  write_tone(root_ / "audio" / "y" / "c.wav", -18);
  write_text(root_ / "lists" / "m.csv",
             "album,track,path\n"
             "Zed/Last,1,../audio/y/c.wav\n"
             "Ann/First,2,../audio/x/b.wav\n"
             "Ann/First,1,../audio/y/a.wav\n");
  const Json report = analyze({"--manifest", "lists/m.csv"}, 0);
  ASSERT_EQ(report["albums"].size(), 2u);
  EXPECT_EQ(report["albums"][0]["path"], "Zed/Last");
  EXPECT_EQ(files(report["albums"][0]), (std::vector<std::string>{"audio/y/c.wav"}));
  EXPECT_EQ(report["albums"][1]["path"], "Ann/First");
  EXPECT_EQ(files(report["albums"][1]), (std::vector<std::string>{"audio/y/a.wav", "audio/x/b.wav"}));
  for (const Json& album : report["albums"])
    for (const Json& t : album["tracks"]) EXPECT_TRUE(t["integrated_lufs"].is_number()) << t.dump();
}

TEST_F(CatalogCli, JsonManifestAndAMissingFile) {
  write_tone(root_ / "a.flac", -20);
  write_text(root_ / "m.json", R"({"albums": [{"id": "Artist/Album", "tracks": ["a.flac", "gone.flac"]}]})");
  const Outcome r = gloss({"analyze", "--manifest", "m.json", "--json", "report.json", "--quiet"});
  EXPECT_EQ(r.status, 1) << r.err;  // a listed file that is missing is a missed input
  EXPECT_NE(r.err.find("gone.flac: listed at m.json: /albums/0/tracks/1 but does not exist"), std::string::npos) << r.err;
  const Json report = Json::parse(gloss::test::read_text(root_ / "report.json"));
  ASSERT_EQ(report["albums"].size(), 1u);
  EXPECT_EQ(files(report["albums"][0]), (std::vector<std::string>{"a.flac"}));
  ASSERT_EQ(report["problems"].size(), 1u);
  EXPECT_EQ(report["problems"][0]["missed_input"], true);
}

TEST_F(CatalogCli, UnusableRequestsAreUsageErrors) {
  write_tone(root_ / "a.wav", -20);
  write_text(root_ / "bad.csv", "album,track,path\nA,x,a.wav\n");
  write_text(root_ / "good.csv", "album,track,path\nA,1,a.wav\n");
  const Outcome bad = gloss({"analyze", "--manifest", "bad.csv"});
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.err.find("bad.csv:2: track 'x' is not a track number"), std::string::npos) << bad.err;
  const Outcome missing = gloss({"master", "--manifest", "none.json", "-o", "out"});
  EXPECT_EQ(missing.status, 2);
  EXPECT_NE(missing.err.find("none.json: cannot read the manifest"), std::string::npos) << missing.err;
  EXPECT_EQ(gloss({"analyze", "a.wav", "--manifest", "good.csv"}).status, 2);
  EXPECT_EQ(gloss({"master", "a.wav", "--manifest", "good.csv", "-o", "out"}).status, 2);
  const Outcome neither = gloss({"analyze"});
  EXPECT_EQ(neither.status, 2);
  EXPECT_NE(neither.err.find("PATH..."), std::string::npos) << neither.err;
  const Outcome grouped = gloss({"analyze", "--manifest", "good.csv", "--group-by", "tags"});
  EXPECT_EQ(grouped.status, 2);
  EXPECT_NE(grouped.err.find("--group-by applies to PATH..."), std::string::npos) << grouped.err;
  EXPECT_EQ(gloss({"analyze", "a.wav", "--group-by", "artist"}).status, 2);
  EXPECT_EQ(gloss({"analyze", "--manifest", "good.csv", "--quiet"}).status, 0);
}

TEST_F(CatalogCli, GroupByTagsJoinsDiscFolders) {
  const std::vector<std::string> discs = {"CD1", "CD2"}, names = {"01.flac", "02.flac"};
  for (int disc = 1; disc <= 2; ++disc)
    for (int track = 1; track <= 2; ++track) {
      const fs::path f = root_ / "lib" / discs[static_cast<std::size_t>(disc - 1)] / names[static_cast<std::size_t>(track - 1)];
      write_tone(f, -20 - disc - track);
      tag(f, "The Band", "Best Of", disc, track);
    }
  write_tone(root_ / "lib" / "loose" / "untagged.flac", -20);
  const Json by_folder = analyze({"lib"}, 0);
  EXPECT_EQ(by_folder["albums"].size(), 3u);
  const Outcome r = gloss({"analyze", "lib", "--group-by", "tags", "--json", "report.json", "--quiet"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.err.find("warning: --group-by tags: 1 file in 1 folder have no album tag"), std::string::npos) << r.err;
  const Json report = Json::parse(gloss::test::read_text(root_ / "report.json"));
  ASSERT_EQ(report["albums"].size(), 2u);
  EXPECT_EQ(report["albums"][0]["path"], "lib/loose");
  EXPECT_EQ(report["albums"][1]["path"], "The Band/Best Of");
  EXPECT_EQ(files(report["albums"][1]),
            (std::vector<std::string>{"lib/CD1/01.flac", "lib/CD1/02.flac", "lib/CD2/01.flac", "lib/CD2/02.flac"}));
}

// Manifest ids are text from a file: whatever they say, masters land inside -o.
TEST_F(CatalogCli, MasterKeepsHostileIdsInsideTheOutputFolder) {
  write_tone(root_ / "in" / "a.wav", -20);
  write_tone(root_ / "in" / "b.wav", -20);
  write_tone(root_ / "in" / "c.wav", -20);
  write_text(root_ / "m.csv",
             "album,track,path\n"
             "../../etc,1,in/a.wav\n"
             "/abs/x,1,in/b.wav\n"
             "\"C:\\x\",1,in/c.wav\n");
  const Outcome r = gloss({"master", "--manifest", "m.csv", "-o", "out", "--quiet"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(fs::exists(root_ / "out" / "etc" / "a.wav"));
  EXPECT_TRUE(fs::exists(root_ / "out" / "abs" / "x" / "b.wav"));
  EXPECT_TRUE(fs::exists(root_ / "out" / "C__x" / "c.wav"));
  EXPECT_FALSE(fs::exists(temp_.path() / "etc"));
  EXPECT_FALSE(fs::exists("/abs"));
}

TEST_F(CatalogCli, MasterRefusesAnAlbumFolderThatIsASymlinkLeavingTheOutput) {
  write_tone(root_ / "in" / "a.wav", -20);
  write_tone(root_ / "in" / "b.wav", -20);
  fs::create_directories(root_ / "out");
  fs::create_directories(temp_.path() / "outside");
  fs::create_directory_symlink(temp_.path() / "outside", root_ / "out" / "Evil");
  write_text(root_ / "m.json", R"({"albums": [{"id": "Evil/Album", "tracks": ["in/a.wav"]},
                                              {"id": "Good/Album", "tracks": ["in/b.wav"]}]})");
  const Outcome r = gloss({"master", "--manifest", "m.json", "-o", "out", "--quiet"});
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_NE(r.err.find("leads outside the output folder"), std::string::npos) << r.err;
  EXPECT_TRUE(fs::is_empty(temp_.path() / "outside"));
  EXPECT_TRUE(fs::exists(root_ / "out" / "Good" / "Album" / "b.wav"));
}

}  // namespace
