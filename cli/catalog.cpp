#include "catalog.hpp"

#include <algorithm>
#include <array>
#include <fmt/format.h>
#include <map>
#include <set>
#include <string_view>
#include <system_error>

#include "ascii_case.hpp"
#include "natural_order.hpp"

namespace gloss::cli {

namespace fs = std::filesystem;

namespace {

bool is_hidden(const fs::path& path) {
  const std::string name = path.filename().string();
  return !name.empty() && name.front() == '.';
}

// Identity of a file or folder on disk, so the same one reached twice (through a symlink,
// or given twice) is scanned once.
std::string disk_identity(const fs::path& path) {
  std::error_code ec;
  const fs::path canonical = fs::canonical(path, ec);
  return ec ? fs::absolute(path, ec).lexically_normal().string() : canonical.string();
}

// Where an album goes under -o: its folder as reached from the argument it was found under,
// with that argument's own folder name first (catalog/Artist/Album -> OUT/catalog/Artist/Album).
fs::path relative_folder(const CatalogAlbum& album, const std::vector<std::string>& arguments) {
  const fs::path folder = album.tracks.empty() ? fs::path(album.display) : album.tracks[0].path.parent_path();
  std::error_code ec;
  const fs::path canonical = fs::weakly_canonical(folder, ec);
  for (const std::string& a : arguments) {
    fs::path root = fs::weakly_canonical(fs::path(a), ec);
    if (!fs::is_directory(root, ec)) root = root.parent_path();
    const fs::path rel = canonical.lexically_relative(root);
    if (!rel.empty() && *rel.begin() != "..") {
      const fs::path base = root.filename().empty() ? fs::path("root") : root.filename();
      return rel == "." ? base : base / rel;
    }
  }
  return canonical.filename();
}

class Scanner {
 public:
  Catalog run(const std::vector<std::string>& arguments) {
    std::map<std::string, CatalogAlbum> direct;  // albums of files given directly, by folder
    for (const std::string& argument : arguments) add_argument(argument, direct);
    for (auto& [key, album] : direct) albums_.push_back(std::move(album));
    finish();
    for (CatalogAlbum& album : catalog_.albums) {
      album.output_relative = relative_folder(album, arguments);
      album.identity = album.output_relative.generic_string();
    }
    return std::move(catalog_);
  }

 private:
  void add_argument(const std::string& argument, std::map<std::string, CatalogAlbum>& direct) {
    const fs::path path(argument);
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (ec || !fs::exists(status)) {
      problem(argument, "does not exist; check the path", true);
    } else if (fs::is_directory(status)) {
      std::vector<std::string> ancestors;
      scan_folder(path, argument, ancestors);
    } else if (claim(path)) {
      const fs::path parent = path.parent_path();
      const std::string folder = parent.empty() ? "." : parent.string();
      CatalogAlbum& album = direct[fs::path(folder).lexically_normal().string()];
      if (album.display.empty()) album.display = folder;
      album.tracks.push_back({path, argument});
    }
  }

  // Scans one folder and its subfolders. `ancestors` holds the identities of the folders
  // above it, which is how a symlink pointing back up is recognised as a loop.
  void scan_folder(const fs::path& path, const std::string& display, std::vector<std::string>& ancestors) {
    const std::string id = disk_identity(path);
    if (std::find(ancestors.begin(), ancestors.end(), id) != ancestors.end()) {
      problem(display, "symlink loop (this folder contains a link to itself or a parent); not followed", false);
      return;
    }
    if (!folders_seen_.insert(id).second) return;  // reached again through a link: scanned once

    std::error_code ec;
    fs::directory_iterator it(path, ec);
    if (ec) {
      problem(display, fmt::format("cannot read folder: {}; check its permissions", ec.message()), true);
      return;
    }
    CatalogAlbum album;
    album.display = display;
    std::vector<std::pair<std::string, fs::path>> subfolders;
    for (; it != fs::directory_iterator(); it.increment(ec)) {
      if (ec) break;
      const fs::path entry = it->path();
      const std::string name = entry.filename().string();
      const std::string entry_display = (fs::path(display) / name).string();
      if (is_hidden(entry)) {
        ++catalog_.skipped_files;
        continue;
      }
      std::error_code type_ec;
      if (it->is_directory(type_ec)) {
        subfolders.emplace_back(name, entry);
      } else if (has_audio_extension(entry)) {
        if (claim(entry)) album.tracks.push_back({entry, entry_display});
      } else {
        ++catalog_.skipped_files;
      }
    }
    if (ec) problem(display, fmt::format("cannot list folder completely: {}; check the disk and permissions", ec.message()), true);
    if (!album.tracks.empty()) albums_.push_back(std::move(album));

    std::sort(subfolders.begin(), subfolders.end(),
              [](const auto& a, const auto& b) { return natural_less(a.first, b.first); });
    ancestors.push_back(id);
    for (const auto& [name, sub] : subfolders) scan_folder(sub, (fs::path(display) / name).string(), ancestors);
    ancestors.pop_back();
  }

  // First sighting of a file wins; the same file named twice is measured once.
  bool claim(const fs::path& path) { return files_seen_.insert(disk_identity(path)).second; }

  void problem(const std::string& path, const std::string& message, bool missed_input) {
    catalog_.problems.push_back({path, message, missed_input});
  }

  void finish() {
    for (CatalogAlbum& album : albums_)
      std::sort(album.tracks.begin(), album.tracks.end(), [](const CatalogTrack& a, const CatalogTrack& b) {
        return natural_less(a.path.filename().string(), b.path.filename().string()) ||
               (a.path.filename() == b.path.filename() && a.display < b.display);
      });
    std::sort(albums_.begin(), albums_.end(),
              [](const CatalogAlbum& a, const CatalogAlbum& b) { return natural_less(a.display, b.display); });
    catalog_.albums = std::move(albums_);
  }

  Catalog catalog_;
  std::vector<CatalogAlbum> albums_;
  std::set<std::string> folders_seen_;
  std::set<std::string> files_seen_;
};

}  // namespace

std::size_t Catalog::track_count() const {
  std::size_t n = 0;
  for (const CatalogAlbum& a : albums) n += a.tracks.size();
  return n;
}

namespace {
constexpr std::array<std::string_view, 13> kExtensions = {
    ".wav", ".wave", ".aif", ".aiff", ".aifc", ".flac", ".ogg", ".oga", ".opus", ".mp3", ".caf", ".w64", ".rf64"};
}  // namespace

bool has_audio_extension(const fs::path& path) {
  const std::string ext = ascii_lower(path.extension().string());
  return std::find(kExtensions.begin(), kExtensions.end(), ext) != kExtensions.end();
}

std::string audio_extensions_text() {
  std::string out;
  for (std::string_view e : kExtensions) {
    if (!out.empty()) out += ' ';
    out.append(e);
  }
  return out;
}

Catalog scan_catalog(const std::vector<std::string>& arguments) { return Scanner().run(arguments); }

}  // namespace gloss::cli
