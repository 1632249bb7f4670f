// The manifest parsers (CSV and JSON): what they accept, and that every refusal names the
// place (FILE:LINE or a JSON pointer) and what to do.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "manifest.hpp"
#include "support/temp_folder.hpp"

namespace {

namespace fs = std::filesystem;
using gloss::cli::ManifestAlbum;
using gloss::cli::ManifestError;
using gloss::cli::ManifestFormat;
using gloss::cli::parse_manifest;

std::vector<ManifestAlbum> csv(const std::string& text) { return parse_manifest(text, ManifestFormat::csv, "m.csv"); }
std::vector<ManifestAlbum> json(const std::string& text) { return parse_manifest(text, ManifestFormat::json, "m.json"); }

std::string error_of(const std::string& text, ManifestFormat format) {
  try {
    (void)parse_manifest(text, format, format == ManifestFormat::csv ? "m.csv" : "m.json");
    ADD_FAILURE() << "accepted:\n" << text;
  } catch (const ManifestError& e) {
    return e.what();
  }
  return {};
}
std::string csv_error(const std::string& text) { return error_of(text, ManifestFormat::csv); }
std::string json_error(const std::string& text) { return error_of(text, ManifestFormat::json); }

std::vector<std::string> paths(const ManifestAlbum& a) {
  std::vector<std::string> out;
  for (const auto& t : a.tracks) out.push_back(t.path);
  return out;
}

TEST(CsvManifest, GroupsRowsIntoAlbumsInManifestOrderAndTracksByNumber) {
  const auto albums = csv("album,track,path\r\n"
                          "B/Second,2,b2.flac\r\n"
                          "A/First,10,a10.flac\r\n"
                          "B/Second,1,b1.flac\r\n"
                          "A/First,2,a2.flac\r\n");
  ASSERT_EQ(albums.size(), 2u);
  EXPECT_EQ(albums[0].id, "B/Second");
  EXPECT_EQ(paths(albums[0]), (std::vector<std::string>{"b1.flac", "b2.flac"}));
  EXPECT_EQ(albums[1].id, "A/First");
  EXPECT_EQ(paths(albums[1]), (std::vector<std::string>{"a2.flac", "a10.flac"}));
  EXPECT_EQ(albums[1].tracks[0].where, "m.csv:5");
  EXPECT_TRUE(albums[0].overrides.empty());
}

TEST(CsvManifest, Rfc4180QuotingColumnOrderAndByteOrderMark) {
  const auto albums = csv("\xEF\xBB\xBFPath, Track ,ALBUM\n"
                          "\"dir, with comma/01 \"\"quoted\"\".flac\",1,\"Artist/Album\"\n"
                          "\"multi\nline.flac\",2,Artist/Album\n"
                          "\n"
                          "03.flac,3,Artist/Album");
  ASSERT_EQ(albums.size(), 1u);
  EXPECT_EQ(paths(albums[0]),
            (std::vector<std::string>{"dir, with comma/01 \"quoted\".flac", "multi\nline.flac", "03.flac"}));
  EXPECT_EQ(albums[0].tracks[2].where, "m.csv:6");  // the quoted line break counts
}

TEST(CsvManifest, PerAlbumOverrides) {
  const auto albums = csv("album,track,path,preset,target_lufs,ceiling_dbtp,mode\n"
                          "A,1,a1.wav,cd,-16,-1.5,track\n"
                          "A,2,a2.wav,,,,\n"
                          "A,3,a3.wav,cd, -16.0 ,,track\n"
                          "B,1,b1.wav,,,,\n");
  ASSERT_EQ(albums.size(), 2u);
  EXPECT_EQ(albums[0].overrides.preset, "cd");
  EXPECT_EQ(albums[0].overrides.target_lufs, -16.0);
  EXPECT_EQ(albums[0].overrides.ceiling_dbtp, -1.5);
  EXPECT_EQ(albums[0].overrides.mode, "track");
  EXPECT_TRUE(albums[1].overrides.empty());
}

TEST(CsvManifest, RefusalsNameTheLine) {
  EXPECT_NE(csv_error("").find("m.csv: the CSV manifest is empty"), std::string::npos);
  EXPECT_NE(csv_error("album,track,path\n").find("lists no albums"), std::string::npos);
  EXPECT_NE(csv_error("album,path\nA,a.wav\n").find("m.csv:1: the header has no 'track' column"), std::string::npos);
  EXPECT_NE(csv_error("album,track,path,gain\nA,1,a.wav,3\n").find("m.csv:1: unknown column 'gain'"), std::string::npos);
  EXPECT_NE(csv_error("album,track,path,album\n").find("appears twice"), std::string::npos);
  EXPECT_NE(csv_error("album,track,path\nA,1,a.wav,extra\n").find("m.csv:2: 4 fields where the header has 3"),
            std::string::npos);
  EXPECT_NE(csv_error("album,track,path\nA,one,a.wav\n").find("m.csv:2: track 'one' is not a track number"),
            std::string::npos);
  EXPECT_NE(csv_error("album,track,path\nA,0,a.wav\n").find("not a track number"), std::string::npos);
  EXPECT_NE(csv_error("album,track,path\n,1,a.wav\n").find("m.csv:2: the album is empty"), std::string::npos);
  EXPECT_NE(csv_error("album,track,path\nA,1,\n").find("m.csv:2: the track path is empty"), std::string::npos);
  EXPECT_NE(csv_error("album,track,path\nA,1,a.wav\nA,1,b.wav\n").find("m.csv:3: album 'A' already has a track 1 (at m.csv:2)"),
            std::string::npos);
  EXPECT_NE(csv_error("album,track,path\nA,1,\"a.wav\n").find("m.csv:2: a quoted field is never closed"),
            std::string::npos);
  EXPECT_NE(csv_error("album,track,path\nA,1,\"a\"x.wav\n").find("m.csv:2: text after a closing quote"),
            std::string::npos);
  EXPECT_NE(csv_error("album,track,path\nA,1,a\"x.wav\n").find("m.csv:2: a quote inside an unquoted field"),
            std::string::npos);
}

TEST(CsvManifest, OverrideValuesAreChecked) {
  const std::string head = "album,track,path,preset,target_lufs,ceiling_dbtp,mode\n";
  EXPECT_NE(csv_error(head + "A,1,a.wav,,-80,,\n").find("m.csv:2: target_lufs -80 is out of range; use -70 to 0"),
            std::string::npos);
  EXPECT_NE(csv_error(head + "A,1,a.wav,,,0.5,\n").find("ceiling_dbtp 0.5 is out of range; use -20 to 0"),
            std::string::npos);
  EXPECT_NE(csv_error(head + "A,1,a.wav,,loud,,\n").find("target_lufs 'loud' is not a number"), std::string::npos);
  EXPECT_NE(csv_error(head + "A,1,a.wav,,nan,,\n").find("out of range"), std::string::npos);
  EXPECT_NE(csv_error(head + "A,1,a.wav,,,,both\n").find("mode 'both' is not album or track"), std::string::npos);
  EXPECT_NE(csv_error(head + "A,1,a.wav,,-14,,\nA,2,b.wav,,-16,,\n")
                .find("m.csv:3: target_lufs '-16' differs from the album's value at m.csv:2"),
            std::string::npos);
  EXPECT_NE(csv_error(head + "A,1,a.wav,cd,,,\nA,2,b.wav,streaming,,,\n").find("preset 'streaming' differs"),
            std::string::npos);
}

TEST(JsonManifest, AlbumsTracksAndOverrides) {
  const auto albums = json(R"({"albums": [
      {"id": "Artist/Album", "tracks": ["02.flac", "01.flac"], "target_lufs": -16, "mode": "track"},
      {"id": "Other/Disc", "tracks": [{"path": "b.flac", "track": 2}, {"path": "a.flac", "track": 1}],
       "preset": "cd", "ceiling_dbtp": -1.5}]})");
  ASSERT_EQ(albums.size(), 2u);
  EXPECT_EQ(paths(albums[0]), (std::vector<std::string>{"02.flac", "01.flac"}));  // array order
  EXPECT_EQ(albums[0].overrides.target_lufs, -16.0);
  EXPECT_EQ(albums[0].overrides.mode, "track");
  EXPECT_EQ(paths(albums[1]), (std::vector<std::string>{"a.flac", "b.flac"}));  // by track number
  EXPECT_EQ(albums[1].overrides.preset, "cd");
  EXPECT_EQ(albums[1].overrides.ceiling_dbtp, -1.5);
  EXPECT_EQ(albums[1].tracks[0].where, "m.json: /albums/1/tracks/1");
}

TEST(JsonManifest, RefusalsNameAJsonPointer) {
  EXPECT_NE(json_error("{\"albums\": [}").find("m.json: not valid JSON"), std::string::npos);
  EXPECT_NE(json_error("[1]").find("m.json: /: the manifest is not an object"), std::string::npos);
  EXPECT_NE(json_error("{}").find("no \"albums\" list"), std::string::npos);
  EXPECT_NE(json_error("{\"albums\": []}").find("lists no albums"), std::string::npos);
  EXPECT_NE(json_error("{\"albums\": [], \"album\": 1}").find("m.json: /album: unknown key"), std::string::npos);
  EXPECT_NE(json_error(R"({"albums": [{"tracks": ["a.wav"]}]})").find("m.json: /albums/0: has no \"id\""),
            std::string::npos);
  EXPECT_NE(json_error(R"({"albums": [{"id": "A"}]})").find("has no \"tracks\""), std::string::npos);
  EXPECT_NE(json_error(R"({"albums": [{"id": "A", "tracks": []}]})").find("/albums/0/tracks: is not a non-empty list"),
            std::string::npos);
  EXPECT_NE(json_error(R"({"albums": [{"id": "A", "tracks": [3]}]})").find("/albums/0/tracks/0: is not a path"),
            std::string::npos);
  EXPECT_NE(json_error(R"({"albums": [{"id": "A", "tracks": ["a.wav"], "target_lufs": "-14"}]})")
                .find("/albums/0/target_lufs: is not a number"),
            std::string::npos);
  EXPECT_NE(json_error(R"({"albums": [{"id": "A", "tracks": ["a.wav"], "target_lufs": 3}]})")
                .find("m.json: /albums/0/target_lufs: target_lufs 3 is out of range"),
            std::string::npos);
  EXPECT_NE(json_error(R"({"albums": [{"id": "A", "tracks": ["a.wav"], "gain/x": 3}]})").find("/albums/0/gain~1x: unknown key"),
            std::string::npos);
  EXPECT_NE(json_error(R"({"albums": [{"id": "A", "tracks": [{"path": "a.wav", "track": 1}, "b.wav"]}]})")
                .find("number all of them or none"),
            std::string::npos);
  EXPECT_NE(json_error(R"({"albums": [{"id": "A", "tracks": [{"path": "a.wav", "track": 0}]}]})")
                .find("/albums/0/tracks/0/track: is not a track number"),
            std::string::npos);
  EXPECT_NE(json_error(R"({"albums": [{"id": "A", "tracks": [{"path": "a.wav", "track": 1}, {"path": "b.wav", "track": 1}]}]})")
                .find("m.json: /albums/0/tracks/1: track 1 is also"),
            std::string::npos);
  EXPECT_NE(json_error(R"({"albums": [{"id": "A", "tracks": ["a.wav"]}, {"id": "A", "tracks": ["b.wav"]}]})")
                .find("/albums/1/id: album id 'A' is already used by /albums/0"),
            std::string::npos);
  EXPECT_NE(json_error(R"({"albums": [{"id": "A", "tracks": ["a\u0000.wav"]}]})").find("NUL"), std::string::npos);
  EXPECT_NE(json_error(std::string(100, '[')).find("nested deeper than 64 levels"), std::string::npos);
  EXPECT_NE(json_error(R"({"albums": [{"id": "A", "tracks": ["a.wav"], "target_lufs": 1e999}]})").find("not valid JSON"),
            std::string::npos);
}

TEST(Manifest, AlbumIdsThatWouldShareAFolderOrTracksAFileAreRefused) {
  EXPECT_NE(csv_error("album,track,path\n../..,1,a.wav\n").find("album id '../..' names no folder"), std::string::npos);
  EXPECT_NE(csv_error("album,track,path\nA/B,1,a.wav\nA/./B,1,b.wav\n")
                .find("album ids 'A/B' (m.csv:2) and 'A/./B' would both be written to A/B"),
            std::string::npos);
  EXPECT_NE(csv_error("album,track,path\nA,1,x/a.wav\nB,1,x/./a.wav\n").find("x/./a.wav is already listed at m.csv:2"),
            std::string::npos);
  EXPECT_NE(csv_error("album,track,path\nA,1,cd1/01.flac\nA,2,cd2/01.wav\n")
                .find("would be mastered to the same file name in album 'A'"),
            std::string::npos);
}

TEST(Manifest, FormatByExtensionThenByFirstCharacter) {
  using gloss::cli::manifest_format;
  EXPECT_EQ(manifest_format("x.CSV", "{"), ManifestFormat::csv);
  EXPECT_EQ(manifest_format("x.Json", "album"), ManifestFormat::json);
  EXPECT_EQ(manifest_format("list", "\xEF\xBB\xBF \n {\"albums\": []}"), ManifestFormat::json);
  EXPECT_EQ(manifest_format("list.txt", "album,track,path"), ManifestFormat::csv);
}

TEST(Manifest, LoadResolvesPathsFromTheManifestsFolderAndReportsMissingFiles) {
  gloss::test::TempFolder temp("gloss-manifest");
  fs::create_directories(temp.path() / "lists" / "audio");
  std::ofstream(temp.path() / "lists" / "audio" / "01.wav") << "not really audio";
  std::ofstream(temp.path() / "lists" / "m.csv") << "album,track,path,mode\n"
                                                    "../../etc,1,audio/01.wav,track\n"
                                                    "../../etc,2,audio/02.wav,\n"
                                                    "Gone,1,audio/missing.wav,\n";
  const gloss::cli::Catalog c = gloss::cli::load_manifest(temp.path() / "lists" / "m.csv");
  ASSERT_EQ(c.albums.size(), 1u);  // "Gone" has no file left
  EXPECT_EQ(c.albums[0].identity, "../../etc");
  EXPECT_EQ(c.albums[0].output_relative, fs::path("etc"));
  EXPECT_EQ(c.albums[0].overrides.mode, "track");
  ASSERT_EQ(c.albums[0].tracks.size(), 1u);
  EXPECT_EQ(c.albums[0].tracks[0].path, temp.path() / "lists" / "audio" / "01.wav");
  ASSERT_EQ(c.problems.size(), 2u);
  EXPECT_TRUE(c.problems[0].missed_input);
  EXPECT_NE(c.problems[0].message.find("listed at " + (temp.path() / "lists" / "m.csv").string() + ":3 but does not exist"),
            std::string::npos)
      << c.problems[0].message;
  EXPECT_THROW(gloss::cli::load_manifest(temp.path() / "none.csv"), ManifestError);
  EXPECT_THROW(gloss::cli::load_manifest(temp.path() / "lists"), ManifestError);
}

}  // namespace
