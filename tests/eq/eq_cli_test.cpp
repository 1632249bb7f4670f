// `gloss eq` end to end: the built binary on shipped and hand-written presets: the CSV shape,
// the stderr summary (taps, length rule, worst deviation), --csv, and exit codes.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "support/run_program.hpp"
#include "support/temp_folder.hpp"


namespace {

namespace fs = std::filesystem;

using gloss::test::Outcome;
using gloss::test::read_text;

class EqCli : public ::testing::Test {
 protected:

  Outcome run(const std::vector<std::string>& args) { return gloss::test::run_program(GLOSS_EXE, args, dir_, dir_); }

  fs::path write(const std::string& name, const std::string& text) {
    const fs::path p = dir_ / name;
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }

  gloss::test::TempFolder folder_{"gloss-eq-cli"};
  fs::path dir_ = folder_.path();
};

std::vector<std::string> lines(const std::string& s) {
  std::vector<std::string> v;
  std::istringstream in(s);
  for (std::string l; std::getline(in, l);) v.push_back(l);
  return v;
}

std::vector<double> fields(const std::string& line) {
  std::vector<double> v;
  std::istringstream in(line);
  for (std::string f; std::getline(in, f, ',');) {
    std::size_t used = 0;
    v.push_back(std::stod(f, &used));
    EXPECT_EQ(used, f.size()) << line;
  }
  return v;
}

TEST_F(EqCli, CsvShapeAndSummary) {
  const Outcome r = run({"eq", "low-cut-and-tilt", "--rate", "48000", "--points", "31"});
  ASSERT_EQ(r.status, 0) << r.err;
  const std::vector<std::string> l = lines(r.out);
  ASSERT_EQ(l.size(), 32u);
  EXPECT_EQ(l[0], "hz,target_db,achieved_db");
  double previous = 0;
  for (std::size_t i = 1; i < l.size(); ++i) {
    const std::vector<double> f = fields(l[i]);
    ASSERT_EQ(f.size(), 3u) << l[i];
    EXPECT_GT(f[0], previous);
    previous = f[0];
    EXPECT_NEAR(f[1], f[2], 0.05) << l[i];
  }
  EXPECT_EQ(fields(l[1])[0], 20.0);
  EXPECT_EQ(fields(l.back())[0], 20000.0);
  EXPECT_NE(r.err.find("low-cut-and-tilt.toml at 48000 Hz: 2 bands"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("taps: 14401 (automatic"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("length rule: taps = smallest odd >= max over bands of max(3 * fs / W, 5.5 * fs / f)"), std::string::npos) << r.err;
  const std::size_t w = r.err.find("worst deviation 20 Hz..20000 Hz: ");
  ASSERT_NE(w, std::string::npos) << r.err;
  const double worst = std::stod(r.err.substr(w + 33));
  EXPECT_LE(std::abs(worst), 0.05);
  EXPECT_NE(r.err.find(" dB at ", w), std::string::npos);

  // Same bytes again; 44.1 kHz stops at 0.45 x rate; the default is 100 points.
  EXPECT_EQ(run({"eq", "low-cut-and-tilt", "--rate", "48000", "--points", "31"}).out, r.out);
  const Outcome r441 = run({"eq", "low-cut-and-tilt", "--rate", "44100"});
  ASSERT_EQ(r441.status, 0);
  const std::vector<std::string> l441 = lines(r441.out);
  ASSERT_EQ(l441.size(), 101u);
  EXPECT_EQ(fields(l441.back())[0], 19845.0);
  EXPECT_NE(r441.err.find("worst deviation 20 Hz..19845 Hz"), std::string::npos) << r441.err;
}

TEST_F(EqCli, CsvFileAndPaths) {
  const fs::path preset = write("mine.toml", "[eq]\ntaps = 2001\n[[eq.band]]\ntype = \"bell\"\nfreq = 1000\ngain = 0.1\nq = 2\n");
  const Outcome r = run({"eq", "mine.toml", "--csv", "out.csv", "--points", "5"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(r.out.empty());
  const std::vector<std::string> l = lines(read_text(dir_ / "out.csv"));
  ASSERT_EQ(l.size(), 6u);
  EXPECT_EQ(l[0], "hz,target_db,achieved_db");
  EXPECT_NE(r.err.find("taps: 2001 (set by eq.taps in the preset)"), std::string::npos) << r.err;

  const fs::path flat = write("flat.toml", "# nothing\n");
  const Outcome f = run({"eq", "flat.toml", "--points", "2"});
  ASSERT_EQ(f.status, 0) << f.err;
  EXPECT_EQ(f.out, "hz,target_db,achieved_db\n20.000,0.0000,0.0000\n20000.000,0.0000,0.0000\n");
  EXPECT_NE(f.err.find("taps: 1 (flat"), std::string::npos) << f.err;
}

TEST_F(EqCli, CappedDesignWarns) {
  write("steep.toml", "[eq]\n[[eq.band]]\ntype = \"high_pass\"\nfreq = 30\norder = 8\n");
  const Outcome r = run({"eq", "steep.toml", "--rate", "96000", "--points", "3"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.err.find("warning: the rule asks for"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("capped at 32767"), std::string::npos) << r.err;
}

TEST_F(EqCli, ErrorsExitTwo) {
  write("unknown.toml", "[eq]\n[[eq.band]]\ntype = \"bell\"\nfreq = 100\ngain = 1\nwidth = 2\n");
  Outcome r = run({"eq", "unknown.toml"});
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(r.out.empty());
  EXPECT_NE(r.err.find("unknown.toml:6:1: eq.band[1].width: unknown key for a bell band; allowed: type, freq, gain, q"),
            std::string::npos)
      << r.err;

  write("nyquist.toml", "[eq]\n[[eq.band]]\ntype = \"low_pass\"\nfreq = 20000\n");
  r = run({"eq", "nyquist.toml", "--rate", "32000"});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("nyquist.toml:4:8: eq.band[1].freq: must be > 0 and below half the sample rate (16000 Hz at 32000 Hz)"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(run({"eq", "nyquist.toml", "--rate", "48000", "--points", "2"}).status, 0);

  r = run({"eq", "no-such-preset"});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("no preset named \"no-such-preset\""), std::string::npos) << r.err;
  r = run({"eq", "missing.toml"});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("missing.toml: cannot read the preset: no such file"), std::string::npos) << r.err;
  EXPECT_EQ(run({"eq", "gentle-air", "--rate", "1000"}).status, 2);
  EXPECT_EQ(run({"eq", "gentle-air", "--points", "1"}).status, 2);
  EXPECT_EQ(run({"eq"}).status, 2);
  r = run({"eq", "gentle-air", "--csv", "no/such/folder/x.csv"});
  EXPECT_EQ(r.status, 2);
  EXPECT_FALSE(r.err.empty());
}

TEST_F(EqCli, HelpTeaches) {
  const Outcome r = run({"eq", "--help"});
  EXPECT_EQ(r.status, 0);
  for (const char* s : {"target_db", "achieved_db", "worst deviation", "Examples:", "gloss eq gentle-air", "--rate", "--csv",
                        "--points"})
    EXPECT_NE(r.out.find(s), std::string::npos) << s;
}

}  // namespace
