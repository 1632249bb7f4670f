#include "report_table.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <fmt/format.h>

#include "number_format.hpp"

namespace gloss::cli {

namespace {

constexpr std::array<const char*, 9> kHeadings = {"LUFS", "LRA", "dBTP", "dBFS", "M max", "S max", "PLR", "vs album", ""};
constexpr int kNumberWidth = 9;

// Display width in a terminal, counting UTF-8 code points (file names are often not ASCII).
std::size_t display_width(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

std::string pad(const std::string& s, std::size_t width) {
  const std::size_t w = display_width(s);
  return s + std::string(w < width ? width - w : 0, ' ');
}

std::string cell(double v) { return fmt::format("{:>{}}", fixed(v, 1), kNumberWidth); }
std::string cell(const std::optional<double>& v) { return fmt::format("{:>{}}", fixed(v, 1, "-"), kNumberWidth); }
std::string cell_signed(const std::optional<double>& v) {
  if (!v) return fmt::format("{:>{}}", "-", kNumberWidth);
  const std::string text = fixed(*v, 1);
  return fmt::format("{:>{}}", text.front() == '-' || text == "0.0" ? text : "+" + text, kNumberWidth);
}

// The notes column: silence, then the track's consistency flags in a few words each (the
// JSON report has the full messages).
std::string notes_text(const TrackReport& t) {
  std::string out = std::isinf(t.analysis->integrated_lufs) ? kSilentNote : "";
  for (const Json& f : t.flags) {
    if (!out.empty()) out += "; ";
    out += flag_summary(f);
  }
  return out;
}

std::string album_notes(const AlbumReport& r) {
  std::string out;
  for (const Json& f : r.flags) {
    out += out.empty() ? "  " : "; ";
    out += f.value("flag", "");
    out += ": ";
    out += f.value("message", "");
  }
  return out;
}

std::string track_line(const TrackReport& t, std::size_t name_width) {
  const std::string name = "  " + pad(std::filesystem::path(t.file).filename().string(), name_width);
  if (!t.measured()) return name + "  FAILED: " + t.error + "\n";
  const TrackAnalysis& a = *t.analysis;
  return name + cell(a.integrated_lufs) + cell(a.loudness_range_lu) + cell(a.true_peak_dbtp) +
         cell(a.sample_peak_dbfs) + cell(a.momentary_max_lufs) + cell(a.short_term_max_lufs) + cell(a.plr_db) +
         cell_signed(t.album_deviation_lu) + "  " + notes_text(t) + "\n";
}

std::string album_line(const AlbumReport& r, std::size_t name_width) {
  const std::string name = "  " + pad("album (" + to_string(r.album ? r.album->rule : AlbumLoudnessRule::Pooled) + ")", name_width);
  if (!r.album) return name + "  no track of this album could be measured\n";
  const AlbumAnalysis& a = *r.album;
  const std::string blank = fmt::format("{:>{}}", "", kNumberWidth);
  return name + cell(a.integrated_lufs) + cell(a.loudness_range_lu) + cell(a.true_peak_dbtp) +
         cell(a.sample_peak_dbfs) + blank + blank + blank + blank + album_notes(r) + "\n";
}

}  // namespace

std::string render_album_table(const AlbumReport& r) {
  std::size_t name_width = std::string("album (loudest)").size();
  for (const TrackReport& t : r.tracks)
    name_width = std::max(name_width, display_width(std::filesystem::path(t.file).filename().string()));
  std::string out = r.path + "\n  " + pad("track", name_width);
  for (const char* h : kHeadings) out += h[0] ? fmt::format("{:>{}}", h, kNumberWidth) : "  notes";
  out += "\n";
  for (const TrackReport& t : r.tracks) out += track_line(t, name_width);
  out += album_line(r, name_width);
  return out + "\n";
}

}  // namespace gloss::cli
