#include "manifest.hpp"

#include <cmath>
#include <fmt/format.h>
#include <fstream>
#include <map>
#include <sstream>
#include <system_error>

#include "ascii_case.hpp"
#include "manifest_checks.hpp"
#include "output_paths.hpp"

namespace gloss::cli {

namespace fs = std::filesystem;

namespace {

}  // namespace

void set_override_number(AlbumOverrides& o, std::string_view field, double value, const std::string& where) {
  const bool target = field == "target_lufs";
  const double low = target ? -70.0 : -20.0;
  if (!std::isfinite(value) || value < low || value > 0.0)
    throw ManifestError(fmt::format("{}: {} {} is out of range; use {} to 0 ({})", where, field, value, low,
                                    target ? "LUFS, like --target" : "dBTP, like --ceiling"));
  (target ? o.target_lufs : o.ceiling_dbtp) = value;
}

void set_override_text(AlbumOverrides& o, std::string_view field, const std::string& value, const std::string& where) {
  if (field == "mode") {
    if (value != "album" && value != "track")
      throw ManifestError(fmt::format("{}: mode '{}' is not album or track; write album (one gain per album) or track",
                                      where, value));
    o.mode = value;
  } else {
    if (value.empty() || value.find('\0') != std::string::npos)
      throw ManifestError(fmt::format("{}: the preset is empty; name a preset (like streaming) or a FILE.toml", where));
    o.preset = value;
  }
}

void check_track_path(const std::string& path, const std::string& where) {
  if (path.empty()) throw ManifestError(fmt::format("{}: the track path is empty; give the audio file's path", where));
  if (path.find('\0') != std::string::npos)
    throw ManifestError(fmt::format("{}: the track path contains a NUL character; give the audio file's path", where));
}

void check_manifest_albums(const std::vector<ManifestAlbum>& albums, const std::string& name) {
  if (albums.empty())
    throw ManifestError(fmt::format("{}: lists no albums; add at least one album with its tracks", name));
  std::map<std::string, const ManifestAlbum*> folders;     // output folder -> album
  std::map<std::string, const ManifestTrack*> files;       // normalized path -> first listing
  for (const ManifestAlbum& album : albums) {
    const fs::path folder = sanitize_relative(album.id);
    if (folder.empty())
      throw ManifestError(fmt::format("{}: album id '{}' names no folder (nothing is left once '..', '.', empty parts "
                                      "and unsafe characters are taken out); use an id like Artist/Album",
                                      album.where, album.id));
    const auto [other, fresh] = folders.emplace(folder.generic_string(), &album);
    if (!fresh)
      throw ManifestError(fmt::format("{}: album ids '{}' ({}) and '{}' would both be written to {}; make the ids differ "
                                      "in letters, not in characters that are unsafe in file names",
                                      album.where, other->second->id, other->second->where, album.id,
                                      folder.generic_string()));
    std::map<std::string, const ManifestTrack*> names;  // output file name (without extension) -> track
    for (const ManifestTrack& track : album.tracks) {
      const fs::path path = fs::path(track.path).lexically_normal();
      const auto [first, fresh_file] = files.emplace(path.string(), &track);
      if (!fresh_file)
        throw ManifestError(fmt::format("{}: {} is already listed at {}; list each file once", track.where, track.path,
                                        first->second->where));
      const auto [same, fresh_name] = names.emplace(path.stem().string(), &track);
      if (!fresh_name)
        throw ManifestError(fmt::format("{}: {} and {} ({}) would be mastered to the same file name in album '{}'; "
                                        "rename one of them or put them in different albums",
                                        track.where, track.path, same->second->path, same->second->where, album.id));
    }
  }
}

ManifestFormat manifest_format(const fs::path& file, std::string_view text) {
  const std::string ext = ascii_lower(file.extension().string());
  if (ext == ".csv") return ManifestFormat::csv;
  if (ext == ".json") return ManifestFormat::json;
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && text[first] == '{' ? ManifestFormat::json : ManifestFormat::csv;
}

std::vector<ManifestAlbum> parse_manifest(std::string_view text, ManifestFormat format, const std::string& name) {
  std::vector<ManifestAlbum> albums =
      format == ManifestFormat::json ? parse_json_manifest(text, name) : parse_csv_manifest(text, name);
  check_manifest_albums(albums, name);
  return albums;
}

Catalog load_manifest(const fs::path& file) {
  const std::string name = file.string();
  std::ifstream in(file, std::ios::binary);
  std::error_code ec;
  if (fs::is_directory(file, ec))
    throw ManifestError(fmt::format("{}: is a folder; --manifest takes a .csv or .json file (give folders as PATH...)", name));
  if (!in) throw ManifestError(fmt::format("{}: cannot read the manifest; check the path and its permissions", name));
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (in.bad()) throw ManifestError(fmt::format("{}: cannot read the manifest; check the disk", name));
  const std::string text = bytes.str();

  const fs::path base = file.parent_path();
  Catalog catalog;
  for (ManifestAlbum& entry : parse_manifest(text, manifest_format(file, text), name)) {
    CatalogAlbum album;
    album.display = entry.id;
    album.identity = entry.id;
    album.output_relative = sanitize_relative(entry.id);
    album.overrides = entry.overrides;
    for (const ManifestTrack& t : entry.tracks) {
      const fs::path path = (base / t.path).lexically_normal();
      const fs::file_status status = fs::status(path, ec);
      if (ec || !fs::exists(status)) {
        catalog.problems.push_back({path.string(),
                                    fmt::format("listed at {} but does not exist; fix the path in the manifest (relative "
                                                "paths start at the manifest's folder)",
                                                t.where),
                                    true});
      } else if (fs::is_directory(status)) {
        catalog.problems.push_back(
            {path.string(), fmt::format("listed at {} is a folder; a manifest lists audio files", t.where), true});
      } else {
        album.tracks.push_back({path, path.string()});
      }
    }
    if (!album.tracks.empty()) catalog.albums.push_back(std::move(album));
  }
  return catalog;
}

}  // namespace gloss::cli
