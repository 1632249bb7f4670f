// --group-by tags: albums from tags, multi-disc folders joined, untagged files kept by folder.
#include <gtest/gtest.h>
#include <sndfile.h>
#include <taglib/fileref.h>
#include <taglib/tpropertymap.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "catalog.hpp"
#include "support/temp_folder.hpp"
#include "tag_grouping.hpp"

namespace {

namespace fs = std::filesystem;
using gloss::cli::Catalog;
using gloss::cli::CatalogAlbum;
using gloss::cli::group_by_tags;
using gloss::cli::TrackTags;

CatalogAlbum folder(const std::string& name, const std::vector<std::string>& files) {
  CatalogAlbum a;
  a.display = name;
  a.identity = name;
  a.output_relative = name;
  for (const std::string& f : files) a.tracks.push_back({fs::path(name) / f, name + "/" + f});
  return a;
}

std::vector<std::string> displays(const CatalogAlbum& a) {
  std::vector<std::string> out;
  for (const auto& t : a.tracks) out.push_back(t.display);
  return out;
}

TEST(TagGrouping, JoinsDiscsOrdersByDiscTrackNameAndKeepsUntaggedByFolder) {
  Catalog c;
  c.albums = {folder("lib/Best/CD2", {"01.flac", "02.flac"}), folder("lib/Best/CD1", {"01.flac", "02.flac"}),
              folder("lib/misc", {"x.flac", "y.flac", "z.flac"})};
  c.problems.push_back({"gone", "does not exist", true});
  const std::map<std::string, TrackTags> tags = {
      {"lib/Best/CD1/01.flac", {"The Band", "Singer", "Best Of", 1, 1}},
      {"lib/Best/CD1/02.flac", {"The Band", "Other", "Best Of", 1, 2}},
      {"lib/Best/CD2/01.flac", {"The Band", "", "Best Of", 2, 1}},
      {"lib/Best/CD2/02.flac", {"The Band", "", "Best Of", 2, 2}},
      {"lib/misc/x.flac", {"", "Solo", "Single", 0, 0}},           // artist stands in for album artist
      {"lib/misc/y.flac", {"", "", "", 0, 0}},                     // no album tag: stays in lib/misc
      {"lib/misc/z.flac", {"AC/DC", "", "Live", 0, 0}},            // '/' inside a tag is no folder level
  };
  const Catalog g = group_by_tags(c, [&](const fs::path& p) { return tags.at(p.generic_string()); });
  ASSERT_EQ(g.albums.size(), 4u);
  EXPECT_EQ(g.albums[0].identity, "AC_DC/Live");
  EXPECT_EQ(g.albums[1].identity, "lib/misc");
  EXPECT_EQ(displays(g.albums[1]), (std::vector<std::string>{"lib/misc/y.flac"}));
  EXPECT_EQ(g.albums[1].output_relative, fs::path("lib/misc"));
  EXPECT_EQ(g.albums[2].identity, "Solo/Single");
  EXPECT_EQ(g.albums[3].identity, "The Band/Best Of");
  EXPECT_EQ(g.albums[3].output_relative, fs::path("The Band/Best Of"));
  EXPECT_EQ(displays(g.albums[3]), (std::vector<std::string>{"lib/Best/CD1/01.flac", "lib/Best/CD1/02.flac",
                                                             "lib/Best/CD2/01.flac", "lib/Best/CD2/02.flac"}));
  ASSERT_EQ(g.problems.size(), 2u);
  EXPECT_TRUE(g.problems[0].missed_input);
  EXPECT_FALSE(g.problems[1].missed_input);
  EXPECT_NE(g.problems[1].message.find("1 file in 1 folder have no album tag"), std::string::npos) << g.problems[1].message;
}

TEST(TagGrouping, MissingNumbersSortFirstAndNamesBreakTies) {
  Catalog c;
  c.albums = {folder("f", {"b10.wav", "b9.wav", "a.wav", "c.wav"})};
  const std::map<std::string, TrackTags> tags = {
      {"f/b10.wav", {"X", "", "Y", 0, 3}}, {"f/b9.wav", {"X", "", "Y", 0, 3}},
      {"f/a.wav", {"X", "", "Y", 2, 1}},   {"f/c.wav", {"X", "", "Y", 1, 0}}};
  const Catalog g = group_by_tags(c, [&](const fs::path& p) { return tags.at(p.generic_string()); });
  ASSERT_EQ(g.albums.size(), 1u);
  // disc 1 (none counts as 1): c (no track number), b9, b10 (same number: natural name); then disc 2
  EXPECT_EQ(displays(g.albums[0]), (std::vector<std::string>{"f/c.wav", "f/b9.wav", "f/b10.wav", "f/a.wav"}));
  EXPECT_TRUE(g.problems.empty());
}

TEST(TagGrouping, IdentitiesThatCollideAreDisambiguated) {
  Catalog c;
  c.albums = {folder("f", {"1.wav", "2.wav", "3.wav", "4.wav"})};
  const std::map<std::string, TrackTags> tags = {
      {"f/1.wav", {"AC/DC", "", "Live", 0, 0}},   // AC_DC/Live
      {"f/2.wav", {"AC_DC", "", "Live", 0, 0}},   // AC_DC/Live as well: a different artist
      {"f/3.wav", {"A", "", "B?", 0, 0}},         // A/B? -> folder A/B_
      {"f/4.wav", {"A", "", "B_", 0, 0}}};        // A/B_ -> the same folder
  const Catalog g = group_by_tags(c, [&](const fs::path& p) { return tags.at(p.generic_string()); });
  ASSERT_EQ(g.albums.size(), 4u);
  std::vector<std::string> ids, folders;
  for (const CatalogAlbum& a : g.albums) {
    ids.push_back(a.identity);
    folders.push_back(a.output_relative.generic_string());
  }
  // std::map order of the (artist, album) keys decides who keeps the plain name.
  EXPECT_EQ(ids, (std::vector<std::string>{"A/B?", "A/B_ (2)", "AC_DC/Live", "AC_DC/Live (2)"}));
  EXPECT_EQ(folders, (std::vector<std::string>{"A/B_", "A/B_ (2)", "AC_DC/Live", "AC_DC/Live (2)"}));
}

// Real files: a FLAC written by libsndfile, tagged by TagLib, read back by read_track_tags.
TEST(TagGrouping, ReadsTagsWithTagLib) {
  gloss::test::TempFolder temp("gloss-tags");
  const fs::path file = temp.path() / "t.flac";
  SF_INFO info{};
  info.samplerate = 44100;
  info.channels = 1;
  info.format = SF_FORMAT_FLAC | SF_FORMAT_PCM_16;
  SNDFILE* f = sf_open(file.c_str(), SFM_WRITE, &info);
  ASSERT_NE(f, nullptr);
  std::vector<short> samples(4410, 0);
  sf_write_short(f, samples.data(), static_cast<sf_count_t>(samples.size()));
  sf_close(f);
  EXPECT_EQ(gloss::cli::read_track_tags(file).album, "");
  {
    TagLib::FileRef ref(file.c_str());
    ASSERT_FALSE(ref.isNull());
    TagLib::PropertyMap p;
    p.insert("ALBUM", TagLib::StringList(TagLib::String("Début", TagLib::String::UTF8)));
    p.insert("ALBUMARTIST", TagLib::StringList(TagLib::String("Björk", TagLib::String::UTF8)));
    p.insert("ARTIST", TagLib::StringList(TagLib::String("Someone")));
    p.insert("DISCNUMBER", TagLib::StringList(TagLib::String("2/3")));
    p.insert("TRACKNUMBER", TagLib::StringList(TagLib::String("07")));
    ref.file()->setProperties(p);
    ASSERT_TRUE(ref.save());
  }
  const TrackTags t = gloss::cli::read_track_tags(file);
  EXPECT_EQ(t.album, "Début");
  EXPECT_EQ(t.album_artist, "Björk");
  EXPECT_EQ(t.artist, "Someone");
  EXPECT_EQ(t.disc, 2);
  EXPECT_EQ(t.track, 7);
  EXPECT_EQ(gloss::cli::read_track_tags(temp.path() / "absent.flac").album, "");
}

}  // namespace
