// The JSON manifest: {"albums": [{"id": ..., "tracks": [...], overrides...}]}. Every
// complaint names its place with a JSON pointer (RFC 6901), like /albums/2/tracks/0.
#include <fmt/format.h>
#include <algorithm>
#include <nlohmann/json.hpp>

#include "manifest.hpp"
#include "manifest_checks.hpp"

namespace gloss::cli {

namespace {

using Json = nlohmann::json;

// Deeper input is refused before parsing: a manifest is four levels deep, and a parser
// should not be walked into a million nested arrays.
constexpr int kMaxDepth = 64;

void check_depth(std::string_view text, const std::string& name) {
  int depth = 0;
  bool in_string = false, escaped = false;
  for (const char c : text) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxDepth)
        throw ManifestError(fmt::format("{}: nested deeper than {} levels; a manifest is an object of albums with "
                                        "track lists",
                                        name, kMaxDepth));
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
}

class JsonReader {
 public:
  explicit JsonReader(const std::string& name) : name_(name) {}

  std::vector<ManifestAlbum> read(const Json& root) {
    if (!root.is_object())
      throw error("", "the manifest is not an object; write {\"albums\": [{\"id\": \"Artist/Album\", \"tracks\": [...]}]}");
    for (const auto& [key, value] : root.items())
      if (key != "albums") throw error("/" + escape(key), "unknown key; the manifest holds \"albums\" only");
    if (!root.contains("albums")) throw error("", "no \"albums\" list; write {\"albums\": [...]}");
    const Json& list = root["albums"];
    if (!list.is_array()) throw error("/albums", "is not a list; write \"albums\": [{...}, {...}]");
    std::vector<ManifestAlbum> albums;
    for (std::size_t i = 0; i < list.size(); ++i) albums.push_back(album(list[i], fmt::format("/albums/{}", i)));
    std::vector<std::string> ids;
    for (const ManifestAlbum& a : albums) ids.push_back(a.id);
    for (std::size_t i = 0; i < albums.size(); ++i)
      for (std::size_t j = 0; j < i; ++j)
        if (ids[i] == ids[j])
          throw error(fmt::format("/albums/{}/id", i),
                      fmt::format("album id '{}' is already used by /albums/{}; give each album one entry", ids[i], j));
    return albums;
  }

 private:
  ManifestAlbum album(const Json& a, const std::string& pointer) {
    if (!a.is_object()) throw error(pointer, "is not an object; write {\"id\": \"Artist/Album\", \"tracks\": [...]}");
    ManifestAlbum out;
    out.where = where(pointer);
    for (const auto& [key, value] : a.items()) {
      const std::string at = pointer + "/" + escape(key);
      if (key == "id") {
        if (!value.is_string() || value.get_ref<const std::string&>().empty())
          throw error(at, "is not a non-empty string; give the album an id like \"Artist/Album\"");
        out.id = value.get<std::string>();
      } else if (key == "tracks") {
        out.tracks = tracks(value, at);
      } else if (key == "target_lufs" || key == "ceiling_dbtp") {
        if (!value.is_number()) throw error(at, "is not a number; write it like -14 or -1.5");
        set_override_number(out.overrides, key, value.get<double>(), where(at));
      } else if (key == "preset" || key == "mode") {
        if (!value.is_string()) throw error(at, key == "mode" ? "is not a string; write \"album\" or \"track\""
                                                               : "is not a string; name a preset like \"streaming\"");
        set_override_text(out.overrides, key, value.get<std::string>(), where(at));
      } else {
        throw error(at, "unknown key; an album has id, tracks and optionally preset, target_lufs, ceiling_dbtp, mode");
      }
    }
    if (!a.contains("id")) throw error(pointer, "has no \"id\"; give the album an id like \"Artist/Album\"");
    if (!a.contains("tracks")) throw error(pointer, "has no \"tracks\"; list the album's audio files");
    return out;
  }

  std::vector<ManifestTrack> tracks(const Json& list, const std::string& pointer) {
    if (!list.is_array() || list.empty())
      throw error(pointer, "is not a non-empty list; write \"tracks\": [\"01.flac\", \"02.flac\"]");
    std::vector<std::pair<long long, ManifestTrack>> out;  // track number (0: none), track
    std::size_t numbered = 0;
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string at = fmt::format("{}/{}", pointer, i);
      const Json& t = list[i];
      long long number = 0;
      std::string path;
      if (t.is_string()) {
        path = t.get<std::string>();
      } else if (t.is_object()) {
        for (const auto& [key, value] : t.items()) {
          if (key == "path") {
            if (!value.is_string()) throw error(at + "/path", "is not a string; give the audio file's path");
            path = value.get<std::string>();
          } else if (key == "track") {
            if (!value.is_number_integer() || value.get<long long>() < 1)
              throw error(at + "/track", "is not a track number; write 1, 2, 3...");
            number = value.get<long long>();
          } else {
            throw error(at + "/" + escape(key), "unknown key; a track is \"path\" and optionally \"track\"");
          }
        }
        if (!t.contains("path")) throw error(at, "has no \"path\"; write {\"path\": \"01.flac\", \"track\": 1}");
      } else {
        throw error(at, "is not a path or a {\"path\": ..., \"track\": N} object");
      }
      check_track_path(path, where(at));
      if (number > 0) ++numbered;
      out.emplace_back(number, ManifestTrack{path, where(at)});
    }
    if (numbered != 0 && numbered != out.size())
      throw error(pointer, "some tracks have a \"track\" number and some do not; number all of them or none "
                           "(then the list's order is the play order)");
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (std::size_t i = 1; i < out.size(); ++i)
      if (numbered != 0 && out[i].first == out[i - 1].first)
        throw ManifestError(fmt::format("{}: track {} is also {}; number the album's tracks 1, 2, 3...",
                                        out[i].second.where, out[i].first, out[i - 1].second.where));
    std::vector<ManifestTrack> result;
    for (auto& [number, track] : out) result.push_back(std::move(track));
    return result;
  }

  // RFC 6901: '~' and '/' in a key are written ~0 and ~1.
  static std::string escape(const std::string& key) {
    std::string out;
    for (const char c : key) {
      if (c == '~') out += "~0";
      else if (c == '/') out += "~1";
      else out += c;
    }
    return out;
  }

  std::string where(const std::string& pointer) const { return fmt::format("{}: {}", name_, pointer.empty() ? "/" : pointer); }

  ManifestError error(const std::string& pointer, const std::string& message) const {
    return ManifestError(fmt::format("{}: {}", where(pointer), message));
  }

  const std::string& name_;
};

}  // namespace

std::vector<ManifestAlbum> parse_json_manifest(std::string_view text, const std::string& name) {
  check_depth(text, name);
  Json root;
  try {
    root = Json::parse(text);
  } catch (const Json::exception& e) {  // parse_error, or out_of_range for a number like 1e999
    std::string what = e.what();
    if (const std::size_t close = what.find("] "); what.starts_with("[json.exception") && close != std::string::npos)
      what.erase(0, close + 2);
    throw ManifestError(fmt::format("{}: not valid JSON: {}; fix the syntax there", name, what));
  }
  return JsonReader(name).read(root);
}

}  // namespace gloss::cli
