#include "tag_grouping.hpp"

#include <taglib/fileref.h>
#include <taglib/tpropertymap.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <charconv>
#include <fmt/format.h>
#include <map>
#include <set>
#include <utility>

#include "natural_order.hpp"
#include "output_paths.hpp"

namespace gloss::cli {

namespace fs = std::filesystem;

namespace {

std::string first_value(const TagLib::PropertyMap& tags, const char* key) {
  const auto it = tags.find(key);
  if (it == tags.end() || it->second.isEmpty()) return {};
  return it->second.front().to8Bit(true);
}

// The leading number of "3", "03" or "3/12"; 0 when there is none.
int leading_number(const std::string& text) {
  const std::size_t begin = text.find_first_not_of(' ');
  if (begin == std::string::npos) return 0;
  int n = 0;
  const auto [end, ec] = std::from_chars(text.data() + begin, text.data() + text.size(), n);
  return ec == std::errc() && n > 0 ? n : 0;
}

std::string trim(const std::string& s) {
  const std::size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

// A tag value as one identity component: a '/' inside it must not make a folder level, and
// a value that names no folder ("..", "   ") counts as no tag.
std::string component(const std::string& tag) {
  std::string s = trim(tag);
  std::replace(s.begin(), s.end(), '/', '_');
  return sanitize_relative(s).empty() ? std::string() : s;
}

struct TaggedTrack {
  CatalogTrack track;
  TrackTags tags;
};

bool play_order(const TaggedTrack& a, const TaggedTrack& b) {
  const int disc_a = a.tags.disc > 0 ? a.tags.disc : 1, disc_b = b.tags.disc > 0 ? b.tags.disc : 1;
  if (disc_a != disc_b) return disc_a < disc_b;
  if (a.tags.track != b.tags.track) return a.tags.track < b.tags.track;
  const std::string name_a = a.track.path.filename().string(), name_b = b.track.path.filename().string();
  if (name_a != name_b) return natural_less(name_a, name_b);
  return natural_less(a.track.display, b.track.display);
}

}  // namespace

TrackTags read_track_tags(const fs::path& file) {
  TrackTags out;
  const TagLib::FileRef ref(file.c_str(), false);
  if (ref.isNull() || ref.file() == nullptr) return out;
  const TagLib::PropertyMap tags = ref.file()->properties();
  out.album_artist = first_value(tags, "ALBUMARTIST");
  out.artist = first_value(tags, "ARTIST");
  out.album = first_value(tags, "ALBUM");
  out.disc = leading_number(first_value(tags, "DISCNUMBER"));
  out.track = leading_number(first_value(tags, "TRACKNUMBER"));
  return out;
}

Catalog group_by_tags(Catalog by_folder, const std::function<TrackTags(const fs::path&)>& tags_of) {
  // Every track's tags, read in parallel (TagLib objects are per file).
  std::vector<std::pair<std::size_t, std::size_t>> where;  // album, track
  for (std::size_t a = 0; a < by_folder.albums.size(); ++a)
    for (std::size_t t = 0; t < by_folder.albums[a].tracks.size(); ++t) where.emplace_back(a, t);
  std::vector<TrackTags> tags(where.size());
  tbb::parallel_for(std::size_t{0}, where.size(), [&](std::size_t i) {
    tags[i] = tags_of(by_folder.albums[where[i].first].tracks[where[i].second].path);
  });

  // (artist, album) as tagged -> its tracks; untagged tracks stay in their folder album.
  std::map<std::pair<std::string, std::string>, std::vector<TaggedTrack>> groups;
  std::vector<CatalogAlbum> untagged(by_folder.albums.size());
  std::size_t untagged_files = 0;
  std::set<std::size_t> untagged_folders;
  for (std::size_t i = 0; i < where.size(); ++i) {
    const auto [a, t] = where[i];
    CatalogTrack& track = by_folder.albums[a].tracks[t];
    if (component(tags[i].album).empty()) {
      untagged[a].tracks.push_back(std::move(track));
      ++untagged_files;
      untagged_folders.insert(a);
      continue;
    }
    std::string artist = tags[i].album_artist;
    if (component(artist).empty()) artist = tags[i].artist;
    if (component(artist).empty()) artist = "Unknown Artist";
    groups[{trim(artist), trim(tags[i].album)}].push_back({std::move(track), tags[i]});
  }

  Catalog out;
  out.problems = std::move(by_folder.problems);
  out.skipped_files = by_folder.skipped_files;
  std::set<std::string> identities, folders;
  for (std::size_t a = 0; a < untagged.size(); ++a) {
    if (untagged[a].tracks.empty()) continue;
    CatalogAlbum& folder = by_folder.albums[a];
    folder.tracks = std::move(untagged[a].tracks);  // still in their natural order
    identities.insert(folder.identity);
    folders.insert(folder.output_relative.generic_string());
    out.albums.push_back(std::move(folder));
  }
  for (auto& [key, tracks] : groups) {
    const std::string artist = component(key.first), album = component(key.second);
    std::sort(tracks.begin(), tracks.end(), play_order);
    CatalogAlbum grouped;
    for (int n = 1;; ++n) {
      grouped.identity = n == 1 ? artist + "/" + album : fmt::format("{}/{} ({})", artist, album, n);
      grouped.output_relative = sanitize_relative(grouped.identity);
      if (!identities.contains(grouped.identity) && !folders.contains(grouped.output_relative.generic_string())) break;
    }
    identities.insert(grouped.identity);
    folders.insert(grouped.output_relative.generic_string());
    grouped.display = grouped.identity;
    for (TaggedTrack& t : tracks) grouped.tracks.push_back(std::move(t.track));
    out.albums.push_back(std::move(grouped));
  }
  std::stable_sort(out.albums.begin(), out.albums.end(),
                   [](const CatalogAlbum& x, const CatalogAlbum& y) { return natural_less(x.identity, y.identity); });
  if (untagged_files > 0)
    out.problems.push_back({"--group-by tags",
                            fmt::format("{} file{} in {} folder{} have no album tag and stay grouped by folder; tag "
                                        "them (ALBUM, ALBUMARTIST) to group them by album",
                                        untagged_files, untagged_files == 1 ? "" : "s", untagged_folders.size(),
                                        untagged_folders.size() == 1 ? "" : "s"),
                            false});
  return out;
}

}  // namespace gloss::cli
