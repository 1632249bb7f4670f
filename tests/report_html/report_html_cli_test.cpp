// `gloss analyze --html FILE` end to end: the page is the rendering of the run's own JSON
// document (so a merged report renders the same), the same run gives the same bytes, and a
// destination in a missing folder is refused before anything is measured.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "report_html.hpp"
#include "support/run_program.hpp"
#include "support/temp_folder.hpp"

namespace {

namespace fs = std::filesystem;
using gloss::test::Outcome;
using gloss::test::read_text;

Outcome run_gloss(const std::vector<std::string>& args, const fs::path& cwd) {
  return gloss::test::run_program(GLOSS_EXE, args, cwd, cwd);
}

TEST(ReportHtmlCli, PageIsTheRenderingOfTheJsonReportAndIsReproducible) {
  gloss::test::TempFolder tmp("gloss-report-html-cli");
  const fs::path work = tmp.path();
  ASSERT_EQ(run_gloss({"demo", "catalog"}, work).status, 0);
  const Outcome first = run_gloss({"analyze", "catalog", "--json", "r.json", "--html", "r.html", "-q"}, work);
  ASSERT_TRUE(first.status == 0 || first.status == 1) << first.err;  // the demo holds a broken file on purpose
  const std::string page = read_text(work / "r.html");
  ASSERT_FALSE(page.empty());
  EXPECT_EQ(page, gloss::cli::render_html_report(nlohmann::ordered_json::parse(read_text(work / "r.json"))));
  // Without --json the series are still kept for the page, and the bytes do not change.
  const Outcome second = run_gloss({"analyze", "catalog", "--html", "again.html", "--threads", "1", "-q"}, work);
  ASSERT_EQ(second.status, first.status) << second.err;
  EXPECT_EQ(read_text(work / "again.html"), page);
  EXPECT_NE(page.find("<svg class=\"chart loudness\""), std::string::npos);
}

TEST(ReportHtmlCli, DestinationInAMissingFolderIsRefusedBeforeTheRun) {
  gloss::test::TempFolder tmp("gloss-report-html-cli");
  const fs::path work = tmp.path();
  ASSERT_EQ(run_gloss({"demo", "catalog"}, work).status, 0);
  const Outcome run = run_gloss({"analyze", "catalog", "--html", "no/such/folder/r.html", "-q"}, work);
  EXPECT_EQ(run.status, 2) << run.err;
  EXPECT_NE(run.err.find("no/such/folder"), std::string::npos) << run.err;
  EXPECT_EQ(run.out, "") << "nothing was measured";
  EXPECT_FALSE(fs::exists(work / "no"));
}

}  // namespace
