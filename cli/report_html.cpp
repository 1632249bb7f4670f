#include "report_html.hpp"

#include <cmath>
#include <fmt/format.h>
#include <iterator>
#include <map>

#include "html_text.hpp"
#include "report_charts.hpp"
#include "report_html_style.hpp"
#include "report_view.hpp"

namespace gloss::cli {

namespace {

using Out = std::back_insert_iterator<std::string>;

std::string escape(std::string_view s) { return html_escape(s); }

std::string album_anchor(std::size_t a) { return fmt::format("album-{}", a + 1); }

std::string track_anchor(std::size_t a, std::size_t k) { return fmt::format("{}-track-{}", album_anchor(a), k + 1); }

// A track's name inside its album: "01 Intro.flac" rather than "Artist/Album/01 Intro.flac".
std::string short_name(const AlbumView& album, const std::string& name) {
  if (album.path.empty() || album.path == "." || name.size() <= album.path.size() + 1) return name;
  if (name.compare(0, album.path.size(), album.path) != 0 || name[album.path.size()] != '/') return name;
  return name.substr(album.path.size() + 1);
}

// "in · clipping" for a master's input; the message, value and threshold on hover.
std::string flag_badge(const FlagView& f) {
  std::string numbers;
  if (!f.value.empty()) numbers = "value " + f.value;
  if (!f.threshold.empty()) numbers += fmt::format("{}threshold {}", numbers.empty() ? "" : ", ", f.threshold);
  const std::string tip = numbers.empty() ? f.message : fmt::format("{} ({})", f.message, numbers);
  const char* prefix = f.stage == "before" ? "in · " : f.stage == "after" ? "out · " : "";
  return fmt::format("<span class=\"flag{}\" title=\"{}\">{}{}</span>", f.stage == "before" ? " before" : "",
                     escape(tip), prefix, escape(f.flag));
}

std::string flag_badges(const std::vector<FlagView>& flags) {
  std::string out;
  for (const FlagView& f : flags) out += flag_badge(f);
  return out;
}

std::string with_unit(const std::optional<double>& v, const char* unit) {
  return v ? shown_number(v) + " " + unit : "–";
}

// "-18.2 → -14.0": a master's input and delivered value in one cell.
std::string before_after(const std::optional<LevelsView>& b, const std::optional<LevelsView>& a,
                         std::optional<double> LevelsView::*field) {
  const std::optional<double> none;
  return fmt::format("{} → {}", shown_number(b ? (*b).*field : none), shown_number(a ? (*a).*field : none));
}

std::size_t failed_count(const AlbumView& a) {
  std::size_t n = 0;
  for (const TrackView& t : a.tracks) n += t.failed ? 1 : 0;
  return n;
}

std::size_t flag_count(const AlbumView& a) {
  std::size_t n = a.flags.size();
  for (const TrackView& t : a.tracks) n += t.flags.size();
  return n;
}

// Flags by kind over the job: kind -> (analysis or input count, delivered count).
std::map<std::string, std::pair<std::size_t, std::size_t>> flags_by_kind(const ReportView& r) {
  std::map<std::string, std::pair<std::size_t, std::size_t>> kinds;
  auto add = [&](const FlagView& f) {
    auto& counts = kinds[f.flag];
    (f.stage == "after" ? counts.second : counts.first) += 1;
  };
  for (const AlbumView& a : r.albums) {
    for (const FlagView& f : a.flags) add(f);
    for (const TrackView& t : a.tracks)
      for (const FlagView& f : t.flags) add(f);
  }
  return kinds;
}

// Longer album indexes start folded, so the summary stays one screen.
constexpr std::size_t kFoldedIndexAlbums = 30;

void write_album_index(Out out, const ReportView& r, const std::vector<std::size_t>& albums) {
  fmt::format_to(out, "<table><tr><th>#</th><th class=\"text\">album</th><th>tracks</th><th>failed</th>"
                      "<th>flags</th><th>{}</th></tr>",
                 r.master ? "LUFS in → out" : "album LUFS");
  for (std::size_t a : albums) {
    const AlbumView& album = r.albums[a];
    const std::size_t f = failed_count(album), flagged = flag_count(album);
    fmt::format_to(out, "<tr{}><td>{}</td><td class=\"name\"><a href=\"#{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td>",
                   f ? " class=\"failed\"" : "", a + 1, album_anchor(a), escape(album.path), album.tracks.size(), f,
                   flagged);
    if (r.master)
      fmt::format_to(out, "<td>{} → {}</td></tr>", shown_number(album.lufs_before), shown_number(album.lufs_after));
    else
      fmt::format_to(out, "<td>{}</td></tr>", shown_number(album.lufs_before));
  }
  fmt::format_to(out, "</table>");
}

void write_summary(Out out, const ReportView& r) {
  std::size_t tracks = 0, failed = 0, flags = 0;
  for (const AlbumView& a : r.albums) tracks += a.tracks.size(), failed += failed_count(a), flags += flag_count(a);
  fmt::format_to(out, "<section id=\"summary\"><div class=\"cards\">");
  fmt::format_to(out, "<div class=\"card\"><b>{}</b>album{}</div>", r.albums.size(), r.albums.size() == 1 ? "" : "s");
  fmt::format_to(out, "<div class=\"card\"><b>{}</b>track{}</div>", tracks, tracks == 1 ? "" : "s");
  fmt::format_to(out, "<div class=\"card{}\"><b>{}</b>failed</div>", failed ? " bad" : "", failed);
  fmt::format_to(out, "<div class=\"card{}\"><b>{}</b>flag{}</div>", flags ? " warn" : "", flags, flags == 1 ? "" : "s");
  if (r.skipped_files)
    fmt::format_to(out, "<div class=\"card\"><b>{}</b>files skipped (not audio)</div>", shown_number(r.skipped_files, 0));
  out = fmt::format_to(out, "</div>");

  if (const auto kinds = flags_by_kind(r); !kinds.empty()) {
    fmt::format_to(out, "<h2>Flags by kind</h2><table><tr><th class=\"text\">flag</th>{}</tr>",
                   r.master ? "<th>input</th><th>delivered</th>" : "<th>count</th>");
    for (const auto& [kind, counts] : kinds) {
      fmt::format_to(out, "<tr><td class=\"text\">{}</td><td>{}</td>", escape(kind), counts.first);
      if (r.master) fmt::format_to(out, "<td>{}</td>", counts.second);
      fmt::format_to(out, "</tr>");
    }
    fmt::format_to(out, "</table>");
  }
  if (!r.problems.empty()) {
    fmt::format_to(out, "<h2>Catalog problems</h2><ul class=\"problems\">");
    for (const auto& [path, error] : r.problems)
      fmt::format_to(out, "<li><b>{}</b>: <span class=\"error\">{}</span></li>", escape(path), escape(error));
    fmt::format_to(out, "</ul>");
  }

  // Albums that need a look first; the full index folds away when it is long.
  std::vector<std::size_t> attention, all;
  for (std::size_t a = 0; a < r.albums.size(); ++a) {
    all.push_back(a);
    if (failed_count(r.albums[a]) + flag_count(r.albums[a]) > 0) attention.push_back(a);
  }
  if (!attention.empty() && attention.size() < all.size()) {
    fmt::format_to(out, "<h2>Albums with failures or flags</h2>");
    write_album_index(out, r, attention);
  }
  if (all.size() > kFoldedIndexAlbums)
    fmt::format_to(out, "<details><summary><b>All {} albums</b></summary>", all.size());
  else
    fmt::format_to(out, "<h2>Albums</h2>");
  write_album_index(out, r, all);
  if (all.size() > kFoldedIndexAlbums) fmt::format_to(out, "</details>");

  if (!r.settings.empty() || !r.thresholds.empty()) {
    fmt::format_to(out, "<details><summary>Settings</summary><dl class=\"settings\">");
    for (const auto& [key, value] : r.settings)
      fmt::format_to(out, "<dt>{}</dt><dd>{}</dd>", escape(key), escape(value));
    for (const auto& [key, value] : r.thresholds)
      fmt::format_to(out, "<dt>threshold {}</dt><dd>{}</dd>", escape(key), escape(value));
    fmt::format_to(out, "</dl></details>");
  }
  fmt::format_to(out, "</section>");
}

void write_legend(Out out, bool master) {
  fmt::format_to(out, "<div class=\"legend\">");
  if (master)
    fmt::format_to(out,
                   "<span><i class=\"key\" style=\"border-color:var(--before)\"></i>input</span>"
                   "<span><i class=\"key\" style=\"border-color:var(--main)\"></i>delivered</span>"
                   "<span><i class=\"key\" style=\"border-color:#3d444d\"></i>input band balance</span>");
  else
    fmt::format_to(out, "<span><i class=\"key\" style=\"border-color:var(--main)\"></i>track</span>");
  fmt::format_to(out,
                 "<span><i class=\"key\" style=\"border-color:var(--reference);border-top-style:dashed\"></i>{}</span>"
                 "<span><i class=\"key\" style=\"border-color:var(--ceiling);border-top-style:dotted\"></i>true-peak "
                 "ceiling</span>"
                 "<span><i class=\"key box\" style=\"background:var(--up)\"></i>band louder than the album mean</span>"
                 "<span><i class=\"key box\" style=\"background:var(--down)\"></i>band quieter than the album mean</span>"
                 "<span>levels chart (LUFS, dBTP): dot = integrated loudness, bar to tick = true peak (length = PLR)</span>",
                 master ? "target loudness" : "album loudness");
  fmt::format_to(out, "</div>");
}

void write_problems(Out out, const AlbumView& album, std::size_t a) {
  std::string items;
  auto item = std::back_inserter(items);
  for (const FlagView& f : album.flags)
    fmt::format_to(item, "<li>album: {} {}</li>", flag_badge(f), escape(f.message));
  for (std::size_t k = 0; k < album.tracks.size(); ++k) {
    const TrackView& t = album.tracks[k];
    const std::string track = fmt::format("<a href=\"#{}\">{}.</a> <b>{}</b>", track_anchor(a, k), k + 1,
                                          escape(short_name(album, t.name)));
    if (t.failed)
      fmt::format_to(item, "<li>{}: <span class=\"status-failed\">failed</span> <span class=\"error\">{}</span></li>",
                     track, escape(t.error.empty() ? "no error message in the report" : t.error));
    if (t.tag_failed) fmt::format_to(item, "<li>{}: <span class=\"error\">{}</span></li>", track, escape(t.tag));
    for (const FlagView& f : t.flags)
      fmt::format_to(item, "<li>{}: {} {}</li>", track, flag_badge(f), escape(f.message));
  }
  if (!items.empty()) fmt::format_to(out, "<h3>Problems</h3><ul class=\"problems\">{}</ul>", items);
}

void write_table(Out out, const AlbumView& album, bool master, bool tag_run) {
  const std::string tag_header = tag_run ? "<th class=\"text\">tags</th>" : "";
  if (master)
    fmt::format_to(out, "<table><tr><th>#</th><th class=\"text\">track</th><th>LUFS</th><th>gain dB</th><th>LRA LU</th>"
                        "<th>true peak dBTP</th><th>PLR dB</th><th>limiter max dB</th><th class=\"text\">flags</th></tr>");
  else
    fmt::format_to(out, "<table><tr><th>#</th><th class=\"text\">track</th><th>LUFS</th><th>vs album LU</th><th>LRA LU</th>"
                        "<th>true peak dBTP</th><th>sample peak dBFS</th><th>PLR dB</th><th class=\"text\">flags</th>{}</tr>",
                   tag_header);
  for (std::size_t k = 0; k < album.tracks.size(); ++k) {
    const TrackView& t = album.tracks[k];
    fmt::format_to(out, "<tr{}><td>{}</td><td class=\"name\" title=\"{}\">{}</td>", t.failed ? " class=\"failed\"" : "",
                   k + 1, escape(t.name), escape(short_name(album, t.name)));
    if (!t.before && !t.after) {  // a failed or skipped track (a failure is under Problems)
      fmt::format_to(out, "<td class=\"text{}\" colspan=\"{}\">{}</td></tr>", t.failed ? " error" : "", tag_run ? 8 : 7,
                     escape(t.failed ? "failed (see Problems above)" : !t.tag.empty() ? t.tag : "no measurements in the report"));
      continue;
    }
    if (master) {
      fmt::format_to(out, "<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>",
                     before_after(t.before, t.after, &LevelsView::integrated_lufs), shown_number(t.gain_db, 2),
                     before_after(t.before, t.after, &LevelsView::loudness_range_lu),
                     before_after(t.before, t.after, &LevelsView::true_peak_dbtp),
                     before_after(t.before, t.after, &LevelsView::plr_db), shown_number(t.limiter_max_db, 2));
    } else {
      const LevelsView& l = t.before ? *t.before : *t.after;
      fmt::format_to(out, "<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>",
                     shown_number(l.integrated_lufs), shown_number(t.deviation_lu), shown_number(l.loudness_range_lu),
                     shown_number(l.true_peak_dbtp), shown_number(l.sample_peak_dbfs), shown_number(l.plr_db));
    }
    fmt::format_to(out, "<td class=\"text\">{}{}</td>", t.failed ? "<span class=\"status-failed\">failed</span> " : "",
                   flag_badges(t.flags));
    if (tag_run) fmt::format_to(out, "<td class=\"text{}\">{}</td>", t.tag_failed ? " error" : "", escape(t.tag));
    fmt::format_to(out, "</tr>");
  }
  fmt::format_to(out, "</table>");
}

// Tonal balance of each track against its album, for one stage (input or delivered).
std::vector<BandValues> album_deviations(const AlbumView& album, std::optional<LevelsView> TrackView::*stage) {
  std::vector<BandValues> balances;
  for (const TrackView& t : album.tracks) balances.push_back((t.*stage) ? band_balance(*(t.*stage)) : BandValues{});
  std::vector<BandValues> present;
  for (const BandValues& b : balances)
    for (const auto& v : b)
      if (v) {
        present.push_back(b);
        break;
      }
  const BandValues mean = mean_balance(present);
  for (BandValues& b : balances)
    for (std::size_t i = 0; i < b.size(); ++i)
      if (b[i] && mean[i]) b[i] = *b[i] - *mean[i];
  return balances;
}

bool has_series(const LevelsView* l) { return l && !l->short_term_lufs.empty(); }

// Whether the report carries band levels (a silent track has them, all -inf).
bool has_bands(const LevelsView* l) {
  if (!l) return false;
  for (const auto& b : l->octave_bands_db)
    if (b) return true;
  return false;
}

void write_track(Out out, const ReportView& r, const AlbumView& album, std::size_t a, std::size_t k,
                 const LoudnessRange& range, const std::vector<BandValues>& tonal,
                 const std::vector<BandValues>& tonal_before) {
  const TrackView& t = album.tracks[k];
  const std::string id = track_anchor(a, k);
  fmt::format_to(out, "<article class=\"track{}{}\" id=\"{}\"><h3 title=\"{}\"><span class=\"num\">{}</span>{}</h3>",
                 t.failed ? " failed" : "", t.flags.empty() ? "" : " flagged", id, escape(t.name), k + 1,
                 escape(short_name(album, t.name)));
  if (!t.output.empty()) fmt::format_to(out, "<p class=\"meta\">→ {}</p>", escape(t.output));
  if (t.failed)
    fmt::format_to(out, "<p><span class=\"status-failed\">failed</span> <span class=\"error\">{}</span></p>", escape(t.error));
  if (!t.flags.empty()) fmt::format_to(out, "<p>{}</p>", flag_badges(t.flags));
  const LevelsView* before = t.before ? &*t.before : nullptr;
  const LevelsView* after = t.after ? &*t.after : nullptr;
  if (before || after) {
    if (r.master)
      fmt::format_to(out, "<p class=\"meta\">{} LUFS · LRA {} LU · true peak {} dBTP · PLR {} dB</p>",
                     before_after(t.before, t.after, &LevelsView::integrated_lufs),
                     before_after(t.before, t.after, &LevelsView::loudness_range_lu),
                     before_after(t.before, t.after, &LevelsView::true_peak_dbtp),
                     before_after(t.before, t.after, &LevelsView::plr_db));
    else
      fmt::format_to(out, "<p class=\"meta\">{} · LRA {} · true peak {} · PLR {}</p>",
                     with_unit(before->integrated_lufs, "LUFS"), with_unit(before->loudness_range_lu, "LU"),
                     with_unit(before->true_peak_dbtp, "dBTP"), with_unit(before->plr_db, "dB"));
    // A chart only for data the document has: a levels-only report shows the numbers alone.
    const bool series = has_series(before) || has_series(after);
    const bool bands = has_bands(before) || has_bands(after);
    if (series || bands) fmt::format_to(out, "<div class=\"charts\">");
    if (series)
      fmt::format_to(out, "{}", loudness_chart_svg(id + "-loudness",
                     "Short-term loudness over time of " + t.name + (r.master ? ", input and delivered" : ""), before,
                     after, range, r.master ? r.target_lufs : album.lufs_before));
    if (bands)
      fmt::format_to(out, "{}", tonal_chart_svg(id + "-tonal",
                     "Octave-band balance of " + t.name + " against the album mean (dB)", tonal[k],
                     r.master && after && has_bands(before) ? &tonal_before[k] : nullptr));
    if (series || bands) fmt::format_to(out, "</div>");
  }
  fmt::format_to(out, "</article>");
}

void write_album(Out out, const ReportView& r, std::size_t a) {
  const AlbumView& album = r.albums[a];
  const std::string anchor = album_anchor(a);
  fmt::format_to(out, "<section class=\"album\" id=\"{}\"><h2><span class=\"num\">{}</span>{}</h2>", anchor, a + 1,
                 escape(album.path));
  std::string meta = fmt::format("{} track{}", album.tracks.size(), album.tracks.size() == 1 ? "" : "s");
  if (const std::size_t f = failed_count(album)) meta += fmt::format(", {} failed", f);
  if (!album.album_id.empty()) meta += " · album id " + escape(album.album_id);
  if (r.master) {
    meta += fmt::format(" · album {} → {} LUFS", shown_number(album.lufs_before), shown_number(album.lufs_after));
    if (!album.output_folder.empty()) meta += " · written to " + escape(album.output_folder);
  } else {
    meta += fmt::format(" · album {} · LRA {} · true peak {}", with_unit(album.lufs_before, "LUFS"),
                        with_unit(album.loudness_range_lu, "LU"), with_unit(album.true_peak_dbtp, "dBTP"));
  }
  fmt::format_to(out, "<p class=\"meta\">{} · <a href=\"#summary\">back to the summary</a></p>", meta);
  if (!album.flags.empty()) fmt::format_to(out, "<p>{}</p>", flag_badges(album.flags));
  write_problems(out, album, a);

  const std::optional<double> reference = r.master ? r.target_lufs : album.lufs_before;
  const double ceiling = r.master && r.ceiling_dbtp && std::isfinite(*r.ceiling_dbtp) ? *r.ceiling_dbtp : -1.0;
  fmt::format_to(out, "{}", levels_chart_svg(anchor + "-levels",
                 "Integrated loudness and true peak of each track of " + album.path, album, r.master, reference, ceiling));
  write_legend(out, r.master);
  write_table(out, album, r.master, r.tag_run);

  const LoudnessRange range = loudness_range(album.tracks);
  const std::vector<BandValues> tonal = album_deviations(album, r.master ? &TrackView::after : &TrackView::before);
  const std::vector<BandValues> tonal_before = album_deviations(album, &TrackView::before);
  fmt::format_to(out, "<div class=\"tracks\">");
  for (std::size_t k = 0; k < album.tracks.size(); ++k) write_track(out, r, album, a, k, range, tonal, tonal_before);
  fmt::format_to(out, "</div></section>");
}

}  // namespace

std::string render_html_report(const nlohmann::ordered_json& report) {
  const ReportView r = read_report_view(report);
  const char* kind = r.master ? "mastering report" : "consistency report";
  std::string page;
  Out out = std::back_inserter(page);
  fmt::format_to(out,
                 "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                 "<title>gloss {}</title>\n<style>{}</style>\n</head>\n<body>\n",
                 kind, kReportCss);
  fmt::format_to(out, "<header><h1>gloss {}</h1><p class=\"meta\">schema {}{}{}</p></header>\n", kind,
                 escape(r.schema.empty() ? "unknown" : r.schema),
                 r.gloss_version.empty() ? "" : " · written by gloss ", escape(r.gloss_version));
  write_summary(out, r);
  page += "\n";
  for (std::size_t a = 0; a < r.albums.size(); ++a) {
    write_album(out, r, a);
    page += "\n";
  }
  page += "</body>\n</html>\n";
  return page;
}

}  // namespace gloss::cli
