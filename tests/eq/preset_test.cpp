// The [eq] preset format (cli/preset): a valid file with every band type and the defaults,
// every kind of error with its message (file, line:column, key path, what is allowed), the
// shipped examples, and name resolution.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <string>

#include "eq_design.hpp"
#include "preset.hpp"

namespace {

namespace fs = std::filesystem;
using gloss::EqBandType;
using gloss::cli::parse_preset;
using gloss::cli::PresetError;

constexpr const char* kValid = R"(# a comment
[eq]
taps = 0

[[eq.band]]
type = "bell"
freq = 120.0
gain = -1.5
q = 0.9

[[eq.band]]
type = "bell"
freq = 1000
gain = 1

[[eq.band]]
type = "low_shelf"
freq = 80.0
gain = 2.0
s = 0.5

[[eq.band]]
type = "high_shelf"
freq = 10000.0
gain = 1.0
q = 0.7

[[eq.band]]
type = "high_pass"
freq = 25.0
slope = 24

[[eq.band]]
type = "low_pass"
freq = 19000.0
order = 3

[[eq.band]]
type = "high_pass"
freq = 20.0

[[eq.band]]
type = "tilt"
slope = -0.5
)";

TEST(EqPreset, ValidFileAndDefaults) {
  const gloss::cli::Preset p = parse_preset(kValid, "valid.toml");
  EXPECT_EQ(p.eq.taps, 0);
  ASSERT_EQ(p.eq.bands.size(), 8u);
  const auto& b = p.eq.bands;
  EXPECT_EQ(b[0].type, EqBandType::bell);
  EXPECT_EQ(b[0].freq_hz, 120.0);
  EXPECT_EQ(b[0].gain_db, -1.5);
  EXPECT_EQ(b[0].q, 0.9);
  EXPECT_EQ(b[1].freq_hz, 1000.0);  // integers are numbers too
  EXPECT_EQ(b[1].q, 1.0);           // bell default q
  EXPECT_EQ(b[2].type, EqBandType::low_shelf);
  EXPECT_EQ(b[2].shelf_slope, 0.5);
  EXPECT_EQ(b[2].q, 0.0);
  EXPECT_EQ(b[3].type, EqBandType::high_shelf);
  EXPECT_EQ(b[3].q, 0.7);
  EXPECT_EQ(b[3].shelf_slope, 1.0);  // default S
  EXPECT_EQ(b[4].type, EqBandType::high_pass);
  EXPECT_EQ(b[4].order, 4);  // 24 dB/oct
  EXPECT_EQ(b[5].type, EqBandType::low_pass);
  EXPECT_EQ(b[5].order, 3);
  EXPECT_EQ(b[6].order, 2);  // default order
  EXPECT_EQ(b[7].type, EqBandType::tilt);
  EXPECT_EQ(b[7].freq_hz, 1000.0);  // default pivot
  EXPECT_EQ(b[7].tilt_db_per_octave, -0.5);
  EXPECT_TRUE(gloss::check_eq(p.eq, 48000).empty());
  // No [eq] at all: a flat EQ.
  EXPECT_TRUE(parse_preset("", "empty.toml").eq.bands.empty());
}

// Parses `text` expecting an error whose message contains every one of `parts`.
void expect_error(const std::string& text, const std::vector<std::string>& parts) {
  try {
    parse_preset(text, "bad.toml");
    ADD_FAILURE() << "no error for:\n" << text;
  } catch (const PresetError& e) {
    const std::string m = e.what();
    for (const std::string& part : parts) EXPECT_NE(m.find(part), std::string::npos) << "'" << part << "' not in: " << m;
  }
}

const std::string kBell = "[eq]\n[[eq.band]]\ntype = \"bell\"\nfreq = 100.0\ngain = 1.0\n";

TEST(EqPreset, Errors) {
  expect_error("[eq\n", {"bad.toml:1:", "TOML syntax error"});
  expect_error("[eq]\ntaps = 0\n[master]\ngain = 1\n", {"bad.toml:3:", "master", "unknown key", "allowed: eq"});
  expect_error("[eq]\ntap = 3\n", {"bad.toml:2:1", "eq.tap", "unknown key", "allowed: taps, band"});
  expect_error(kBell + "qq = 3\n", {"bad.toml:6:1", "eq.band[1].qq", "unknown key for a bell band", "type, freq, gain, q"});
  expect_error(kBell + "order = 3\n", {"eq.band[1].order", "unknown key for a bell band"});
  expect_error(kBell + "[[eq.band]]\ntype = \"notch\"\nfreq = 1.0\n",
               {"bad.toml:7:", "eq.band[2].type", "unknown band type \"notch\"", "bell, low_shelf"});
  expect_error("[eq]\n[[eq.band]]\nfreq = 100.0\n", {"eq.band[1]", "missing key 'type'"});
  expect_error("[eq]\n[[eq.band]]\ntype = 3\n", {"eq.band[1].type", "must be a string, got an integer"});
  expect_error("[eq]\n[[eq.band]]\ntype = \"bell\"\ngain = 1.0\n", {"eq.band[1]", "missing key 'freq' (Hz)"});
  expect_error("[eq]\n[[eq.band]]\ntype = \"bell\"\nfreq = 100.0\n", {"missing key 'gain' (dB)"});
  expect_error("[eq]\n[[eq.band]]\ntype = \"tilt\"\n", {"missing key 'slope' (dB/octave)"});
  expect_error("[eq]\n[[eq.band]]\ntype = \"bell\"\nfreq = \"loud\"\ngain = 1.0\n",
               {"bad.toml:4:", "eq.band[1].freq", "must be a number in Hz, got a string"});
  expect_error("[eq]\n[[eq.band]]\ntype = \"bell\"\nfreq = 0.0\ngain = 1.0\n", {"eq.band[1].freq", "must be > 0 Hz"});
  expect_error("[eq]\n[[eq.band]]\ntype = \"bell\"\nfreq = -5\ngain = 1.0\n", {"must be > 0 Hz", "got -5"});
  expect_error("[eq]\n[[eq.band]]\ntype = \"bell\"\nfreq = 100.0\ngain = 25.0\n", {"eq.band[1].gain", "-24..24 dB", "got 25"});
  expect_error(kBell + "q = 0.0\n", {"eq.band[1].q", "must be > 0"});
  expect_error(kBell + "q = -1\n", {"eq.band[1].q", "must be > 0, got -1"});
  expect_error("[eq]\n[[eq.band]]\ntype = \"low_shelf\"\nfreq = 100.0\ngain = 1.0\ns = 1.5\n", {"eq.band[1].s", "> 0 and <= 1"});
  expect_error("[eq]\n[[eq.band]]\ntype = \"low_shelf\"\nfreq = 100.0\ngain = 1.0\ns = 0.5\nq = 1\n",
               {"either q or s"});
  expect_error("[eq]\n[[eq.band]]\ntype = \"high_pass\"\nfreq = 30.0\norder = 9\n", {"bad.toml:5:", "eq.band[1].order", "must be 1..8, got 9"});
  expect_error("[eq]\n[[eq.band]]\ntype = \"high_pass\"\nfreq = 30.0\norder = 0\n", {"eq.band[1].order", "1..8"});
  expect_error("[eq]\n[[eq.band]]\ntype = \"high_pass\"\nfreq = 30.0\norder = 2.0\n", {"eq.band[1].order", "must be an integer, got a float"});
  expect_error("[eq]\n[[eq.band]]\ntype = \"low_pass\"\nfreq = 30.0\nslope = 10\n", {"eq.band[1].slope", "6, 12, 18"});
  expect_error("[eq]\n[[eq.band]]\ntype = \"low_pass\"\nfreq = 30.0\nslope = 12\norder = 2\n", {"either order or slope"});
  expect_error("[eq]\n[[eq.band]]\ntype = \"tilt\"\nslope = 7.0\n", {"eq.band[1].slope", "-6..6 dB/octave"});
  expect_error("[eq]\n[[eq.band]]\ntype = \"tilt\"\nslope = 1.0\nfreq = 10\n", {"eq.band[1].freq", "pivot must be 20..20000 Hz"});
  expect_error("[eq]\ntaps = 1000\n", {"bad.toml:2:", "eq.taps", "odd count 1..32767"});
  expect_error("[eq]\ntaps = 40001\n", {"eq.taps", "odd count"});
  expect_error("[eq]\ntaps = \"auto\"\n", {"eq.taps", "must be an integer, got a string"});
  expect_error("[eq]\nband = 3\n", {"eq.band", "array of tables ([[eq.band]] sections)"});
  expect_error("eq = 3\n", {"eq", "must be a table ([eq])"});
}

// freq >= fs/2 depends on the rate: found at design time, reported with the key's position.
TEST(EqPreset, DesignTimeProblemsNameTheKey) {
  const gloss::cli::Preset p =
      parse_preset("[eq]\n[[eq.band]]\ntype = \"bell\"\nfreq = 100.0\ngain = 1.0\n[[eq.band]]\ntype = \"low_pass\"\n"
                   "freq = 30000.0\n",
                   "rate.toml");
  EXPECT_TRUE(gloss::check_eq(p.eq, 96000).empty());
  const auto problems = gloss::check_eq(p.eq, 48000);
  ASSERT_EQ(problems.size(), 1u);
  const std::string m = gloss::cli::describe_problem(p, problems[0]);
  EXPECT_NE(m.find("rate.toml:8:8: eq.band[2].freq: must be > 0 and below half the sample rate (24000 Hz at 48000 Hz), got 30000"),
            std::string::npos)
      << m;
}

TEST(EqPreset, MissingFileIsAPresetError) {
  try {
    gloss::cli::load_preset("/nonexistent/x.toml");
    ADD_FAILURE();
  } catch (const PresetError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/x.toml: cannot read the preset: no such file"), std::string::npos)
        << e.what();
  }
}

// Every shipped preset parses, resolves by its bare name, and designs within 0.05 dB; the EQ
// examples have bands (the delivery presets are flat).
TEST(EqPreset, ShippedExamples) {
  int count = 0;
  for (const fs::directory_entry& e : fs::recursive_directory_iterator(GLOSS_PRESETS_SOURCE_DIR)) {
    if (e.path().extension() != ".toml") continue;
    ++count;
    const gloss::cli::Preset p = gloss::cli::load_preset(e.path());
    if (e.path().parent_path().filename() == "eq-examples") {
      EXPECT_FALSE(p.eq.bands.empty()) << e.path();
    }
    EXPECT_EQ(fs::canonical(gloss::cli::resolve_preset(e.path().stem().string())), fs::canonical(e.path()));
    for (int rate : {44100, 48000, 96000}) {
      const gloss::FirDesign fir = gloss::design_eq_fir(p.eq, rate);
      const gloss::EqDeviation w = gloss::worst_deviation(p.eq, fir, 20, std::min(20000.0, 0.45 * rate));
      std::printf("  %-22s %6d Hz %6zu taps worst %+.4f dB at %.1f Hz\n", e.path().filename().c_str(), rate,
                  fir.taps.size(), w.worst_db, w.at_hz);
      EXPECT_LE(std::fabs(w.worst_db), 0.05) << e.path() << " at " << rate;
    }
  }
  EXPECT_GE(count, 2);
  EXPECT_EQ(gloss::cli::resolve_preset("some/file.toml"), fs::path("some/file.toml"));
  EXPECT_THROW(gloss::cli::resolve_preset("no-such-preset"), PresetError);
}

}  // namespace

// The delivery sections: values, defaults left unset, and strict errors with file:line:col.
TEST(MasterPreset, SectionsParseAndErrorsNameTheKey) {
  const gloss::cli::Preset p = gloss::cli::parse_preset(
      "[loudness]\ntarget = -16\nceiling = -1.5\nmode = \"track\"\n[limiter]\nrelease = 80\n"
      "[output]\nrate = 44100\nbits = 16\nnoise_shaping = \"f-weighted\"\n",
      "mine.toml");
  EXPECT_EQ(p.master.target_lufs, -16.0);
  EXPECT_EQ(p.master.ceiling_dbtp, -1.5);
  EXPECT_EQ(p.master.mode, gloss::GainMode::track);
  EXPECT_EQ(p.master.release_ms, 80.0);
  EXPECT_FALSE(p.master.lookahead_ms.has_value());
  EXPECT_EQ(p.master.rate, 44100);
  EXPECT_EQ(p.master.bits, 16);
  EXPECT_EQ(p.master.noise_shaping, gloss::NoiseShaping::f_weighted);
  EXPECT_FALSE(p.master.format.has_value());
  auto error_of = [](const std::string& text) {
    try {
      gloss::cli::parse_preset(text, "bad.toml");
    } catch (const PresetError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(error_of("[loudness]\ntarget = 3\n"), "bad.toml:2:10: loudness.target: must be -70..0 LUFS, got 3");
  EXPECT_NE(error_of("[loudness]\nmode = \"loud\"\n").find("loudness.mode: \"loud\" is not allowed; allowed: album, track"),
            std::string::npos);
  EXPECT_NE(error_of("[output]\nbits = 20\n").find("output.bits: must be 16, 24 or 32"), std::string::npos);
  EXPECT_NE(error_of("[limiter]\nattack = 5\n").find("limiter.attack: unknown key in [limiter]"), std::string::npos);
  EXPECT_NE(error_of("[output]\ndither = \"yes\"\n").find("output.dither: must be true or false"), std::string::npos);
}

TEST(MasterPreset, DeliveryPresetsSayWhatTheirNamesPromise) {
  auto load = [](const std::string& name) { return gloss::cli::load_preset(gloss::cli::resolve_preset(name)).master; };
  EXPECT_EQ(load("streaming").target_lufs, -14.0);
  EXPECT_EQ(load("apple").target_lufs, -16.0);
  EXPECT_EQ(load("ebu-r128").target_lufs, -23.0);
  EXPECT_EQ(load("atsc-a85").target_lufs, -24.0);
  EXPECT_EQ(load("atsc-a85").ceiling_dbtp, -2.0);
  EXPECT_EQ(load("podcast").mode, gloss::GainMode::track);
  const auto cd = load("cd");
  EXPECT_EQ(cd.rate, 44100);
  EXPECT_EQ(cd.bits, 16);
  EXPECT_EQ(cd.ceiling_dbtp, -0.3);
}
