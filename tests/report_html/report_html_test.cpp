// The HTML report from documents built here: both schemas, hostile names, one chart per
// track, deterministic bytes, nothing fetched from anywhere, and documents with fields
// missing (older reports, partial merges) still render.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "html_text.hpp"
#include "report_charts.hpp"
#include "report_html.hpp"

namespace {

using Json = nlohmann::ordered_json;
using gloss::cli::render_html_report;

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

// A short-term series of `seconds` at `lufs` with a swell, starting with two silent values.
Json series(double seconds, double lufs) {
  Json s = Json::array({"-inf", "-inf"});
  const auto n = static_cast<int>(seconds * 10);
  for (int i = 0; i < n; ++i) s.push_back(std::round((lufs + 3 * std::sin(i / 40.0)) * 1e4) / 1e4);
  return s;
}

Json bands(double tilt) {
  Json b = Json::object();
  const char* keys[] = {"31.25", "62.5", "125", "250", "500", "1000", "2000", "4000", "8000", "16000"};
  for (int i = 0; i < 10; ++i) b[keys[i]] = -20.0 - 2.0 * i + tilt * (i - 4.5);
  b["16000"] = "-inf";
  return b;
}

Json measured(const std::string& file, double lufs, double tilt, double seconds = 200) {
  Json t;
  t["file"] = file;
  t["status"] = "ok";
  t["duration_s"] = seconds;
  t["integrated_lufs"] = lufs;
  t["loudness_range_lu"] = 6.5;
  t["sample_peak_dbfs"] = lufs + 12;
  t["true_peak_dbtp"] = lufs + 12.4;
  t["plr_db"] = 12.4;
  t["octave_bands_db"] = bands(tilt);
  t["head_silence_s"] = 0.2;
  t["tail_silence_s"] = 1.5;
  t["short_term_lufs"] = series(seconds, lufs);
  return t;
}

Json flag(const std::string& kind, const std::string& message) {
  return Json{{"flag", kind}, {"value", 3.2}, {"threshold", 2.0}, {"message", message}};
}

Json analysis_document() {
  Json doc;
  doc["schema"] = "gloss.analysis";
  doc["schema_version"] = 1;
  doc["gloss_version"] = "0.1.0";
  doc["settings"] = Json{{"true_peak", "itu"}, {"album_rule", "pooled"},
                         {"thresholds", Json{{"loudness_spread_lu", 2.0}, {"true_peak_dbtp", -1.0}}}};
  Json first;
  first["path"] = "Artist/First Album";
  first["album_id"] = "first-1";
  first["tracks"] = Json::array({measured("Artist/First Album/01 Intro.flac", -14, 0.5),
                                 measured("Artist/First Album/02 Song.flac", -10, -0.5)});
  first["tracks"][1]["flags"] = Json::array({flag("loudness_outlier", "3.2 LU louder than the album")});
  first["tracks"].push_back(Json{{"file", "Artist/First Album/03 Broken.flac"}, {"status", "failed"},
                                 {"error", "03 Broken.flac: truncated: header claims 100 frames, 20 readable"}});
  first["album"] = Json{{"rule", "pooled"}, {"tracks_measured", 2}, {"integrated_lufs", -11.8},
                        {"loudness_range_lu", 7.0}, {"true_peak_dbtp", 2.4}, {"sample_peak_dbfs", 2.0},
                        {"track_deviation_lu", Json::array({-2.2, 1.8, nullptr})}};
  first["flags"] = Json::array({flag("loudness_spread", "tracks spread over 4 LU")});
  Json second;
  second["path"] = "Other";
  second["tracks"] = Json::array({measured("Other/a.wav", -20, 0, 30)});
  second["album"] = Json{{"rule", "pooled"}, {"integrated_lufs", -20}, {"track_deviation_lu", Json::array({0.0})}};
  doc["albums"] = Json::array({first, second});
  doc["problems"] = Json::array({Json{{"path", "missing/"}, {"error", "missing/: no such folder"}, {"missed_input", true}}});
  doc["summary"] = Json{{"tracks", 4}, {"measured", 3}, {"failed", 1}, {"skipped_files", 2}};
  return doc;
}

Json master_track(const std::string& input, double in_lufs, double out_lufs) {
  Json t;
  t["input"] = input;
  t["output"] = "out/" + input;
  t["error"] = nullptr;
  t["before"] = measured(input, in_lufs, 1.0);
  t["gain"] = Json{{"planned_gain_db", out_lufs - in_lufs}, {"applied_gain_db", out_lufs - in_lufs}};
  t["limiter"] = Json{{"max_reduction_db", 1.25}};
  t["after"] = measured(input, out_lufs, 0.2);
  t["flags_before"] = Json::array({flag("true_peak_over", "input true peak above -1 dBTP")});
  t["flags_after"] = Json::array();
  return t;
}

Json master_document() {
  Json doc;
  doc["schema"] = "gloss.master";
  doc["schema_version"] = 1;
  doc["settings"] = Json{{"preset", "streaming"}, {"target_lufs", -14.0}, {"ceiling_dbtp", -1.0}, {"mode", "album"}};
  Json album;
  album["path"] = "in/Album";
  album["output_folder"] = "out/Album";
  album["integrated_lufs_before"] = -18.3;
  album["integrated_lufs_after"] = -14.0;
  album["tracks"] = Json::array({master_track("in/Album/1.wav", -18, -14), master_track("in/Album/2.wav", -19, -14.2)});
  album["tracks"].push_back(Json{{"input", "in/Album/3.wav"}, {"output", nullptr}, {"error", "in/Album/3.wav: not audio"},
                                 {"before", nullptr}, {"after", nullptr}});
  album["flags_after"] = Json::array({flag("loudness_spread", "delivered tracks spread over 0.2 LU")});
  doc["albums"] = Json::array({album});
  return doc;
}

// No reference to anything outside the page: no URLs, imports, fetched resources or scripts.
void expect_self_contained(const std::string& page) {
  EXPECT_EQ(page.find("http://"), std::string::npos);
  EXPECT_EQ(page.find("https://"), std::string::npos);
  EXPECT_EQ(page.find("@import"), std::string::npos);
  EXPECT_EQ(page.find("url("), std::string::npos);
  EXPECT_EQ(page.find(" src="), std::string::npos);
  EXPECT_EQ(page.find("<script"), std::string::npos);
  EXPECT_EQ(page.find("<link"), std::string::npos);
  for (std::size_t at = page.find("href=\""); at != std::string::npos; at = page.find("href=\"", at + 1))
    EXPECT_EQ(page[at + 6], '#') << "only in-page anchors: " << page.substr(at, 40);
}

TEST(ReportHtml, AnalysisPageHasSummaryAnchorsChartsAndProblems) {
  const std::string page = render_html_report(analysis_document());
  EXPECT_EQ(page.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(page.find("</html>"), std::string::npos);
  // One loudness-over-time chart and one tonal chart per measured track, one levels chart per album.
  EXPECT_EQ(count(page, "<svg class=\"chart loudness\""), 3u);
  EXPECT_EQ(count(page, "<svg class=\"chart tonal\""), 3u);
  EXPECT_EQ(count(page, "<svg class=\"chart levels\""), 2u);
  EXPECT_EQ(count(page, "<path class=\"series main\""), 3u);
  // Every chart has an accessible name.
  EXPECT_EQ(count(page, "<svg "), count(page, "role=\"img\" aria-labelledby="));
  EXPECT_NE(page.find("<a href=\"#album-1\">Artist/First Album</a>"), std::string::npos);
  EXPECT_NE(page.find("<a href=\"#album-2\">Other</a>"), std::string::npos);
  EXPECT_NE(page.find("id=\"album-1\""), std::string::npos);
  EXPECT_NE(page.find("id=\"album-2\""), std::string::npos);
  // The failed track and its message, the flags, the catalog problem, the thresholds.
  EXPECT_NE(page.find("truncated: header claims 100 frames, 20 readable"), std::string::npos);
  EXPECT_NE(page.find(">loudness_outlier</span>"), std::string::npos);
  EXPECT_NE(page.find("3.2 LU louder than the album"), std::string::npos);
  EXPECT_NE(page.find(">loudness_spread</span>"), std::string::npos);
  EXPECT_NE(page.find("missing/: no such folder"), std::string::npos);
  EXPECT_NE(page.find("threshold loudness_spread_lu"), std::string::npos);
  EXPECT_NE(page.find("album id first-1"), std::string::npos);
  EXPECT_NE(page.find("<div class=\"card bad\"><b>1</b>failed</div>"), std::string::npos);
  // Values in the table: integrated loudness and deviation from the album.
  EXPECT_NE(page.find("<td>-10.0</td><td>1.8</td>"), std::string::npos);
  expect_self_contained(page);
}

TEST(ReportHtml, MasterPageOverlaysInputAndDeliveredAndCountsFlagsByStage) {
  const std::string page = render_html_report(master_document());
  EXPECT_NE(page.find("gloss mastering report"), std::string::npos);
  EXPECT_EQ(count(page, "<svg class=\"chart loudness\""), 2u);
  EXPECT_EQ(count(page, "<svg class=\"chart tonal\""), 2u);
  EXPECT_EQ(count(page, "<path class=\"series before\""), 2u);
  EXPECT_EQ(count(page, "<path class=\"series after\""), 2u);
  EXPECT_EQ(count(page, "<line class=\"tick before\""), 18u);  // 9 bands with energy, 2 tracks
  EXPECT_NE(page.find("<td>-18.0 → -14.0</td><td>4.00</td>"), std::string::npos);
  EXPECT_NE(page.find("in/Album/3.wav: not audio"), std::string::npos);
  EXPECT_NE(page.find("in · true_peak_over"), std::string::npos);
  EXPECT_NE(page.find("out · loudness_spread"), std::string::npos);
  // Flags by kind: true_peak_over twice on the input, loudness_spread once delivered.
  EXPECT_NE(page.find("<td class=\"text\">true_peak_over</td><td>2</td><td>0</td>"), std::string::npos);
  EXPECT_NE(page.find("<td class=\"text\">loudness_spread</td><td>0</td><td>1</td>"), std::string::npos);
  EXPECT_NE(page.find("written to out/Album"), std::string::npos);
  expect_self_contained(page);
}

TEST(ReportHtml, TodaysMasterShapeWithLevelsOnlyStillRenders) {
  Json doc = master_document();
  for (Json& t : doc["albums"][0]["tracks"]) {
    for (const char* stage : {"before", "after"}) {
      if (t[stage].is_null()) continue;
      Json levels;
      for (const char* key : {"integrated_lufs", "loudness_range_lu", "true_peak_dbtp", "sample_peak_dbfs", "plr_db"})
        levels[key] = t[stage][key];
      t[stage] = levels;
    }
    t.erase("flags_before");
    t.erase("flags_after");
  }
  const std::string page = render_html_report(doc);
  // No per-track chart without its data: the numbers and the album's levels chart remain.
  EXPECT_EQ(count(page, "<svg class=\"chart loudness\""), 0u);
  EXPECT_EQ(count(page, "<svg class=\"chart tonal\""), 0u);
  EXPECT_EQ(count(page, "<svg class=\"chart levels\""), 1u);
  EXPECT_EQ(count(page, "<article class=\"track"), 3u);
  EXPECT_NE(page.find("<td>-19.0 → -14.2</td>"), std::string::npos);
  expect_self_contained(page);
}

TEST(ReportHtml, SilentTrackSaysSoInsteadOfAnEmptyChart) {
  Json doc = analysis_document();
  Json& t = doc["albums"][1]["tracks"][0];
  t["integrated_lufs"] = "-inf";
  t["plr_db"] = nullptr;
  for (Json& v : t["short_term_lufs"]) v = "-inf";
  for (Json& v : t["octave_bands_db"]) v = "-inf";
  const std::string page = render_html_report(doc);
  EXPECT_EQ(count(page, "silent throughout"), 1u);
  EXPECT_EQ(count(page, "no band levels"), 1u);
  EXPECT_EQ(count(page, "<path class=\"series main\""), 2u);
  EXPECT_NE(page.find("<td>-inf</td><td>0.0</td>"), std::string::npos);  // integrated -inf, deviation 0.0 as given
}

TEST(ReportHtml, OddDocumentsRenderWithoutThrowing) {
  for (const char* text : {"{}", "[]", "null", R"({"albums": "x"})", R"({"albums": [{}]})",
                           R"({"albums": [{"tracks": [{}, 3, {"file": 7, "status": "ok", "short_term_lufs": "x"}]}]})",
                           R"({"schema": "gloss.master", "albums": [{"tracks": [{"before": 1, "after": {"octave_bands_db": []}}]}]})"}) {
    std::string page;
    EXPECT_NO_THROW(page = render_html_report(Json::parse(text))) << text;
    EXPECT_NE(page.find("</html>"), std::string::npos) << text;
  }
}

TEST(ReportHtml, HostileNamesAreEscapedAndInvalidUtf8Replaced) {
  Json doc = analysis_document();
  const std::string hostile = "<script>alert(\"x\")</script> & 'q' \xff\xfe\xc3 caf\xc3\xa9";
  doc["albums"][0]["path"] = hostile;
  doc["albums"][0]["tracks"][0]["file"] = hostile + ".flac";
  doc["albums"][0]["tracks"][2]["error"] = hostile + ": broken";
  doc["albums"][0]["tracks"][1]["flags"][0]["message"] = hostile;
  const std::string page = render_html_report(doc);
  EXPECT_EQ(page.find("<script"), std::string::npos);
  EXPECT_EQ(page.find("alert(\"x\")"), std::string::npos);
  EXPECT_NE(page.find("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39; "
                      "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD caf\xc3\xa9"),
            std::string::npos);
  EXPECT_EQ(gloss::cli::valid_utf8(page), page) << "the page is well-formed UTF-8";
  expect_self_contained(page);
}

TEST(ReportHtml, SameDocumentSameBytesAlsoAfterAJsonRoundTrip) {
  const Json doc = analysis_document();
  const std::string page = render_html_report(doc);
  EXPECT_EQ(render_html_report(doc), page);
  EXPECT_EQ(render_html_report(Json::parse(doc.dump(2))), page) << "a merged or re-read document renders the same";
  const Json master = master_document();
  EXPECT_EQ(render_html_report(Json::parse(master.dump())), render_html_report(master));
}

TEST(ReportHtml, LongCatalogsStaySmallPerTrack) {
  Json doc = analysis_document();
  Json album;
  album["path"] = "big";
  album["tracks"] = Json::array();
  for (int i = 0; i < 300; ++i) album["tracks"].push_back(measured("big/" + std::to_string(i) + ".flac", -14, 0, 600));
  doc["albums"] = Json::array({album});
  const std::string page = render_html_report(doc);
  EXPECT_EQ(count(page, "<svg class=\"chart loudness\""), 300u);
  // Ten-minute tracks: at most 160 points each; under 12 kB per track keeps 10,000 tracks near 100 MB.
  EXPECT_LT(page.size(), 300u * 12000u) << page.size() / 300 << " bytes per track";
}

TEST(ReportHtml, AlbumsNeedingALookComeFirstAndALongIndexFolds) {
  Json doc = analysis_document();
  for (int i = 0; i < 38; ++i) doc["albums"].push_back(doc["albums"][1]);  // 40 albums, only the first flagged
  const std::string page = render_html_report(doc);
  const std::size_t attention = page.find("<h2>Albums with failures or flags</h2>");
  const std::size_t folded = page.find("<details><summary><b>All 40 albums</b></summary>");
  ASSERT_NE(attention, std::string::npos);
  ASSERT_NE(folded, std::string::npos);
  EXPECT_LT(attention, folded);
  EXPECT_EQ(count(page.substr(attention, folded - attention), "<a href=\"#album-"), 1u);
  EXPECT_NE(page.find("<a href=\"#album-40\">Other</a>"), std::string::npos);
  EXPECT_NE(page.find("id=\"album-40\""), std::string::npos);
}

TEST(HtmlText, Utf8RepairKeepsValidSequencesAndReplacesEachBadByte) {
  using gloss::cli::valid_utf8;
  EXPECT_EQ(valid_utf8("plain"), "plain");
  EXPECT_EQ(valid_utf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"), "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
  EXPECT_EQ(valid_utf8("\xc0\xaf"), "\xEF\xBF\xBD\xEF\xBF\xBD");              // overlong '/'
  EXPECT_EQ(valid_utf8("\xed\xa0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
  EXPECT_EQ(valid_utf8("a\xe2\x82"), "a\xEF\xBF\xBD\xEF\xBF\xBD");             // truncated
  EXPECT_EQ(valid_utf8(std::string("a\0b\x1b", 4)), "a\xEF\xBF\xBD" "b\xEF\xBF\xBD");
  EXPECT_EQ(valid_utf8("tab\tnewline\n"), "tab\tnewline\n");
}

TEST(HtmlText, NumbersHaveFixedDecimalsAndNoNegativeZero) {
  using gloss::cli::shown_number;
  EXPECT_EQ(shown_number(-14.04), "-14.0");
  EXPECT_EQ(shown_number(-0.04), "0.0");
  EXPECT_EQ(shown_number(-INFINITY), "-inf");
  EXPECT_EQ(shown_number(std::nullopt), "–");
  EXPECT_EQ(shown_number(1.005, 2), "1.00");  // binary 1.00499..., printed as stored
}

TEST(ReportCharts, DownsamplingKeepsAtMostTheLimitAndAveragesEnergy) {
  using gloss::cli::downsampled_loudness;
  const std::vector<double> flat(2400, -20.0);  // four minutes
  const auto points = downsampled_loudness(flat);
  EXPECT_LE(points.size(), gloss::cli::kMaxSeriesPoints);
  EXPECT_GE(points.size(), 150u);
  for (const auto& p : points) EXPECT_NEAR(p.second, -20.0, 1e-9);
  // A short series keeps one point per second; an all-silent second stays -inf.
  std::vector<double> mixed(20, -INFINITY);
  for (int i = 10; i < 20; ++i) mixed[i] = -10 * std::log10(2.0) - 20;  // half of -20 LUFS's energy
  const auto two = downsampled_loudness(mixed);
  ASSERT_EQ(two.size(), 2u);
  EXPECT_TRUE(std::isinf(two[0].second));
  EXPECT_NEAR(two[1].second, -23.0103, 1e-3);
  EXPECT_NEAR(two[0].first, 3.45, 1e-9);  // the centre of the first second of windows
}

TEST(ReportCharts, TonalDeviationIsBalanceMinusAlbumMean) {
  gloss::cli::LevelsView a, b;
  for (std::size_t i = 0; i < 10; ++i) {
    a.octave_bands_db[i] = -30.0;
    b.octave_bands_db[i] = -30.0 + (i == 0 ? 6.0 : 0.0);
  }
  const auto balance_a = gloss::cli::band_balance(a);
  ASSERT_TRUE(balance_a[3]);
  EXPECT_NEAR(*balance_a[3], -10.0, 1e-9);  // ten equal bands: each is a tenth of the total
  const auto mean = gloss::cli::mean_balance({balance_a, gloss::cli::band_balance(b)});
  ASSERT_TRUE(mean[0] && mean[5]);
  EXPECT_GT(*mean[0], *balance_a[0]);
  EXPECT_LT(*mean[5], *balance_a[5]);
}

}  // namespace
