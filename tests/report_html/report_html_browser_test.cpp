// `gloss analyze --html` on the demo catalog (plus a file with a hostile name), opened in
// headless Chromium: the page loads without console errors, its DOM holds a chart per
// measured track, and a screenshot is a non-empty PNG (kept in BROWSER_OUTPUT_DIR so a
// person can look at it). Skipped when Chromium is not installed (Debian: apt-get install chromium).
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/run_program.hpp"
#include "support/temp_folder.hpp"

namespace {

namespace fs = std::filesystem;
using gloss::test::Outcome;
using gloss::test::read_text;

std::string find_chromium() {
  for (const char* path : {"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"})
    if (fs::exists(path)) return path;
  return {};
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

// Headless Chromium with a private profile, bounded by `timeout` so a hung browser fails the test.
Outcome run_chromium(const std::string& chromium, const fs::path& work, std::vector<std::string> args) {
  std::vector<std::string> all = {"120", chromium, "--headless=new", "--disable-gpu", "--no-sandbox",
                                  "--disable-dev-shm-usage", "--no-first-run", "--hide-scrollbars",
                                  "--enable-logging=stderr", "--v=0",
                                  "--user-data-dir=" + (work / "chromium-profile").string()};
  all.insert(all.end(), args.begin(), args.end());
  return gloss::test::run_program("/usr/bin/timeout", all, work, work);
}

// What Chromium logs for a page's own errors: script exceptions and console messages.
void expect_no_page_errors(const std::string& log) {
  EXPECT_EQ(log.find("Uncaught"), std::string::npos) << log;
  EXPECT_EQ(log.find("CONSOLE"), std::string::npos) << log;
  EXPECT_EQ(log.find("Refused to"), std::string::npos) << log;
  EXPECT_EQ(log.find("net::ERR_"), std::string::npos) << "the page fetched something:\n" << log;
}

TEST(ReportHtmlBrowser, AnalyzePageRendersInHeadlessChromium) {
  const std::string chromium = find_chromium();
  if (chromium.empty()) GTEST_SKIP() << "Chromium is not installed (Debian: apt-get install chromium); the browser check is skipped";
  gloss::test::TempFolder tmp("gloss-report-html");
  const fs::path work = tmp.path();

  Outcome demo = gloss::test::run_program(GLOSS_EXE, {"demo", "catalog"}, work, work);
  ASSERT_EQ(demo.status, 0) << demo.err;
  // A file whose name is markup: it must show as text and break nothing.
  fs::path first_audio;
  for (const auto& e : fs::recursive_directory_iterator(work / "catalog"))
    if (e.is_regular_file() && (e.path().extension() == ".wav" || e.path().extension() == ".flac") &&
        (first_audio.empty() || e.path() < first_audio))
      first_audio = e.path();
  ASSERT_FALSE(first_audio.empty()) << "gloss demo wrote no .wav or .flac";
  fs::copy_file(first_audio, first_audio.parent_path() / ("99 <b>&\"quoted' name" + first_audio.extension().string()));

  const Outcome run = gloss::test::run_program(
      GLOSS_EXE, {"analyze", "catalog", "--json", "report.json", "--html", "report.html", "-q"}, work, work);
  ASSERT_TRUE(run.status == 0 || run.status == 1) << run.err;  // the demo holds a broken file on purpose
  const auto report = nlohmann::json::parse(read_text(work / "report.json"));
  std::size_t measured = 0;
  for (const auto& album : report["albums"])
    for (const auto& track : album["tracks"]) measured += track["status"] == "ok" ? 1 : 0;
  ASSERT_GT(measured, 0u);
  const std::string page = read_text(work / "report.html");
  EXPECT_NE(page.find("99 &lt;b&gt;&amp;&quot;quoted&#39; name"), std::string::npos);

  const std::string url = "file://" + (work / "report.html").string();
  const Outcome dom = run_chromium(chromium, work, {"--dump-dom", url});
  ASSERT_EQ(dom.status, 0) << dom.err;
  expect_no_page_errors(dom.err);
  EXPECT_EQ(count(dom.out, "<svg class=\"chart loudness\""), measured) << "one loudness chart per measured track in the DOM";
  EXPECT_EQ(count(dom.out, "<svg class=\"chart tonal\""), measured);
  EXPECT_EQ(count(dom.out, "<svg class=\"chart levels\""), report["albums"].size());
  EXPECT_EQ(dom.out.find("<b>&amp;"), std::string::npos) << "the hostile name became markup";

  fs::create_directories(BROWSER_OUTPUT_DIR);
  const fs::path shot = fs::path(BROWSER_OUTPUT_DIR) / "analyze-report.png";
  fs::remove(shot);
  fs::copy_file(work / "report.html", fs::path(BROWSER_OUTPUT_DIR) / "analyze-report.html",
                fs::copy_options::overwrite_existing);
  const Outcome screenshot =
      run_chromium(chromium, work, {"--window-size=1280,2000", "--screenshot=" + shot.string(), url});
  ASSERT_EQ(screenshot.status, 0) << screenshot.err;
  expect_no_page_errors(screenshot.err);
  const std::string png = read_text(shot);
  ASSERT_GT(png.size(), 10000u) << shot << " is missing or too small to show the page";
  EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  // IHDR: width and height, big-endian, at bytes 16..23.
  auto be32 = [&](std::size_t at) {
    return (static_cast<unsigned>(static_cast<unsigned char>(png[at])) << 24) |
           (static_cast<unsigned>(static_cast<unsigned char>(png[at + 1])) << 16) |
           (static_cast<unsigned>(static_cast<unsigned char>(png[at + 2])) << 8) |
           static_cast<unsigned>(static_cast<unsigned char>(png[at + 3]));
  };
  EXPECT_EQ(be32(16), 1280u);
  EXPECT_EQ(be32(20), 2000u);
}

}  // namespace
