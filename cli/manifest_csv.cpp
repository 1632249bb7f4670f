// The CSV manifest: RFC 4180 records (quoted fields may hold commas, doubled quotes and line
// breaks), a header naming the columns, one row per track.
#include <array>
#include <charconv>
#include <fmt/format.h>
#include <map>
#include <optional>
#include <system_error>

#include "manifest.hpp"
#include "ascii_case.hpp"
#include "manifest_checks.hpp"

namespace gloss::cli {

namespace {

struct Record {
  std::size_t line = 0;  // where the record starts
  std::vector<std::string> fields;
};

// Length of the well-formed UTF-8 sequence at text[i] (Unicode 15, table 3-7), 0 if none.
std::size_t utf8_length(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return i + k < text.size() ? static_cast<unsigned char>(text[i + k]) : 0u; };
  const unsigned b0 = byte(0);
  const auto cont = [&](std::size_t k, unsigned lo = 0x80, unsigned hi = 0xBF) { return byte(k) >= lo && byte(k) <= hi; };
  if (b0 < 0x80) return 1;
  if (b0 >= 0xC2 && b0 <= 0xDF) return cont(1) ? 2 : 0;
  if (b0 == 0xE0) return cont(1, 0xA0) && cont(2) ? 3 : 0;
  if (b0 == 0xED) return cont(1, 0x80, 0x9F) && cont(2) ? 3 : 0;
  if (b0 >= 0xE1 && b0 <= 0xEF) return cont(1) && cont(2) ? 3 : 0;
  if (b0 == 0xF0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (b0 >= 0xF1 && b0 <= 0xF3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (b0 == 0xF4) return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

// Album ids end up in reports and journals, which are UTF-8; a manifest saved in another
// encoding would also name files that do not exist, so it is refused where it goes wrong.
void check_utf8(std::string_view text, const std::string& name) {
  std::size_t line = 1;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t n = utf8_length(text, i);
    if (n == 0)
      throw ManifestError(fmt::format("{}:{}: byte 0x{:02X} is not UTF-8; save the manifest as UTF-8", name, line,
                                      static_cast<unsigned char>(text[i])));
    if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n'))) ++line;
    i += n;
  }
}

class CsvReader {
 public:
  CsvReader(std::string_view text, const std::string& name) : text_(text), name_(name) {
    if (text_.starts_with("\xEF\xBB\xBF")) text_.remove_prefix(3);  // spreadsheets write a byte order mark
  }

  // The next record that is not an empty line, or nullopt at the end.
  std::optional<Record> next() {
    while (pos_ < text_.size()) {
      Record r{line_, {}};
      bool end_of_record = false;
      while (!end_of_record) r.fields.push_back(field(end_of_record));
      if (r.fields.size() > 1 || !r.fields[0].empty()) return r;
    }
    return std::nullopt;
  }

 private:
  // Reads one field; sets `end_of_record` at a line break or the end of the text.
  std::string field(bool& end_of_record) {
    std::string value;
    if (pos_ < text_.size() && text_[pos_] == '"') {
      const std::size_t start_line = line_;
      ++pos_;
      for (;;) {
        if (pos_ >= text_.size())
          throw ManifestError(fmt::format("{}:{}: a quoted field is never closed; end it with \" (and write a quote "
                                          "inside a field as \"\")",
                                          name_, start_line));
        const char c = text_[pos_++];
        if (c == '"') {
          if (pos_ < text_.size() && text_[pos_] == '"') {
            value.push_back('"');
            ++pos_;
          } else {
            break;
          }
        } else {
          if (c == '\n') ++line_;
          value.push_back(c);
        }
      }
      if (!at_separator())
        throw ManifestError(fmt::format("{}:{}: text after a closing quote; quote the whole field and write a quote "
                                        "inside it as \"\"",
                                        name_, line_));
    } else {
      while (pos_ < text_.size() && !at_separator()) {
        const char c = text_[pos_++];
        if (c == '"')
          throw ManifestError(fmt::format("{}:{}: a quote inside an unquoted field; quote the whole field and write "
                                          "the quote as \"\"",
                                          name_, line_));
        value.push_back(c);
      }
    }
    end_of_record = consume_separator();
    return value;
  }

  bool at_separator() const {
    return pos_ >= text_.size() || text_[pos_] == ',' || text_[pos_] == '\n' || text_[pos_] == '\r';
  }

  // Skips a comma (returns false) or a line break: LF, CRLF or a lone CR (returns true).
  bool consume_separator() {
    if (pos_ >= text_.size()) return true;
    const char c = text_[pos_++];
    if (c == ',') return false;
    if (c == '\r' && pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
    ++line_;
    return true;
  }

  std::string_view text_;
  const std::string& name_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
};

enum Column { kAlbum, kTrack, kPath, kPreset, kTargetLufs, kCeilingDbtp, kMode, kColumnCount };
constexpr std::array<std::string_view, kColumnCount> kColumnNames = {"album",       "track",        "path", "preset",
                                                                     "target_lufs", "ceiling_dbtp", "mode"};

std::string trim(std::string_view s) {
  const std::size_t b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  return std::string(s.substr(b, s.find_last_not_of(" \t") - b + 1));
}

// The column index of each known name in this file (-1: absent).
std::array<int, kColumnCount> read_header(const Record& header, const std::string& name) {
  std::array<int, kColumnCount> index;
  index.fill(-1);
  for (std::size_t i = 0; i < header.fields.size(); ++i) {
    const std::string column = ascii_lower(trim(header.fields[i]));
    std::size_t k = 0;
    while (k < kColumnCount && kColumnNames[k] != column) ++k;
    if (k == kColumnCount)
      throw ManifestError(fmt::format("{}:{}: unknown column '{}'; the columns are album, track, path and optionally "
                                      "preset, target_lufs, ceiling_dbtp, mode",
                                      name, header.line, header.fields[i]));
    if (index[k] >= 0)
      throw ManifestError(fmt::format("{}:{}: column '{}' appears twice; keep one", name, header.line, column));
    index[k] = static_cast<int>(i);
  }
  for (const Column required : {kAlbum, kTrack, kPath})
    if (index[required] < 0)
      throw ManifestError(fmt::format("{}:{}: the header has no '{}' column; the first row must name the columns, "
                                      "at least album,track,path",
                                      name, header.line, kColumnNames[required]));
  return index;
}

int track_number(const std::string& cell, const std::string& where) {
  const std::string text = trim(cell);
  int n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || n < 1)
    throw ManifestError(fmt::format("{}: track '{}' is not a track number; write 1, 2, 3...", where, cell));
  return n;
}

double parse_number(const std::string& cell, std::string_view column, const std::string& where) {
  const std::string text = trim(cell);
  double v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size())
    throw ManifestError(fmt::format("{}: {} '{}' is not a number; write it like -14 or -1.5", where, column, cell));
  return v;
}

struct AlbumRows {
  ManifestAlbum album;
  std::map<int, ManifestTrack> by_number;
  std::array<std::string, kColumnCount> override_line;  // where each override was first given
};

// Adds one override cell to its album, refusing a value that differs from an earlier row's.
void add_override(AlbumRows& rows, Column column, const std::string& cell, const std::string& where) {
  const std::string text = trim(cell);
  if (text.empty()) return;
  AlbumOverrides value;
  const std::string_view field = kColumnNames[column];
  if (column == kTargetLufs || column == kCeilingDbtp)
    set_override_number(value, field, parse_number(text, field, where), where);
  else
    set_override_text(value, field, text, where);
  AlbumOverrides merged = rows.album.overrides;
  const bool had = rows.override_line[column].size() > 0;
  switch (column) {
    case kPreset: merged.preset = value.preset; break;
    case kTargetLufs: merged.target_lufs = value.target_lufs; break;
    case kCeilingDbtp: merged.ceiling_dbtp = value.ceiling_dbtp; break;
    default: merged.mode = value.mode; break;
  }
  if (had && !(merged == rows.album.overrides))
    throw ManifestError(fmt::format("{}: {} '{}' differs from the album's value at {}; give album '{}' one {} (or "
                                    "leave the cell empty on the other rows)",
                                    where, field, text, rows.override_line[column], rows.album.id, field));
  rows.album.overrides = merged;
  if (!had) rows.override_line[column] = where;
}

}  // namespace

std::vector<ManifestAlbum> parse_csv_manifest(std::string_view text, const std::string& name) {
  check_utf8(text, name);
  CsvReader reader(text, name);
  const std::optional<Record> header = reader.next();
  if (!header)
    throw ManifestError(fmt::format("{}: the CSV manifest is empty; write a header album,track,path and one row per "
                                    "track",
                                    name));
  const std::array<int, kColumnCount> column = read_header(*header, name);

  std::vector<AlbumRows> albums;
  std::map<std::string, std::size_t> album_index;
  while (const std::optional<Record> row = reader.next()) {
    const std::string where = fmt::format("{}:{}", name, row->line);
    if (row->fields.size() != header->fields.size())
      throw ManifestError(fmt::format("{}: {} fields where the header has {}; quote fields that contain commas", where,
                                      row->fields.size(), header->fields.size()));
    auto cell = [&](Column c) -> const std::string& { return row->fields[static_cast<std::size_t>(column[c])]; };
    const std::string& id = cell(kAlbum);
    if (id.empty()) throw ManifestError(fmt::format("{}: the album is empty; give every row its album id", where));
    const auto [it, fresh] = album_index.emplace(id, albums.size());
    if (fresh) {
      albums.emplace_back();
      albums.back().album.id = id;
      albums.back().album.where = where;
    }
    AlbumRows& rows = albums[it->second];
    const int track = track_number(cell(kTrack), where);
    check_track_path(cell(kPath), where);
    const auto [same, fresh_number] = rows.by_number.emplace(track, ManifestTrack{cell(kPath), where});
    if (!fresh_number)
      throw ManifestError(fmt::format("{}: album '{}' already has a track {} (at {}); number its tracks 1, 2, 3...",
                                      where, id, track, same->second.where));
    for (const Column c : {kPreset, kTargetLufs, kCeilingDbtp, kMode})
      if (column[c] >= 0) add_override(rows, c, cell(c), where);
  }
  std::vector<ManifestAlbum> out;
  out.reserve(albums.size());
  for (AlbumRows& rows : albums) {
    for (auto& [track_no, track] : rows.by_number) rows.album.tracks.push_back(std::move(track));
    out.push_back(std::move(rows.album));
  }
  return out;
}

}  // namespace gloss::cli
