// Album tone match through the preset and `gloss master`: the [eq] keys and their errors, and
// an album where one track has a +8 dB low shelf: the report's tonal spread falls, the odd
// track's low bands move toward the album, a one-track album is untouched, and with tone
// match off the report says null.
#include <gtest/gtest.h>
#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <numbers>
#include <stdexcept>
#include <string>
#include <vector>

#include "preset.hpp"
#include "support/run_program.hpp"
#include "support/temp_folder.hpp"

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;
using gloss::cli::parse_preset;
using gloss::cli::PresetError;

std::string preset_error(const std::string& text) {
  try {
    parse_preset(text, "tone.toml");
  } catch (const PresetError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(ToneMatchPreset, KeysDefaultsAndErrors) {
  EXPECT_FALSE(parse_preset("[eq]\n", "p.toml").tone_match.enabled);
  const auto on = parse_preset("[eq]\ntone_match = \"album\"\n", "p.toml").tone_match;
  EXPECT_TRUE(on.enabled);
  EXPECT_EQ(on.strength, 0.5);
  EXPECT_EQ(on.max_db, 3.0);
  const auto tuned =
      parse_preset("[eq]\ntone_match = \"album\"\ntone_match_strength = 1\ntone_match_max = 1.5\n", "p.toml").tone_match;
  EXPECT_EQ(tuned.strength, 1.0);
  EXPECT_EQ(tuned.max_db, 1.5);
  EXPECT_FALSE(parse_preset("[eq]\ntone_match = \"off\"\n", "p.toml").tone_match.enabled);

  EXPECT_EQ(preset_error("[eq]\ntone_match = \"track\"\n"),
            "tone.toml:2:14: eq.tone_match: \"track\" is not allowed; allowed: off, album");
  EXPECT_EQ(preset_error("[eq]\ntone_match = true\n"), "tone.toml:2:14: eq.tone_match: must be a string, got a boolean");
  EXPECT_EQ(preset_error("[eq]\ntone_match_strength = 1.5\n"),
            "tone.toml:2:23: eq.tone_match_strength: must be 0..1, got 1.5");
  EXPECT_EQ(preset_error("[eq]\ntone_match_max = 20\n"), "tone.toml:2:18: eq.tone_match_max: must be 0..12 dB, got 20");
  EXPECT_NE(preset_error("[eq]\ntone_match_maximum = 2\n").find("eq.tone_match_maximum: unknown key in [eq]; allowed: "
                                                                 "taps, band, tone_match, tone_match_strength, tone_match_max"),
            std::string::npos);
}

// Pink-ish noise, statistically the same spectrum for every seed: what an album of
// consistently mixed tracks looks like to the octave-band meter.
std::vector<float> pinkish(int rate, double seconds, std::uint64_t seed) {
  const auto frames = static_cast<std::size_t>(seconds * rate);
  std::vector<float> out(frames * 2);
  std::uint64_t state = seed * 0x9E3779B97F4A7C15ULL + 1;
  auto uniform = [&] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(state >> 11) / 4503599627370496.0 - 1;  // -1..1
  };
  for (int c = 0; c < 2; ++c) {
    double slow = 0, medium = 0;
    for (std::size_t i = 0; i < frames; ++i) {
      slow = 0.995 * slow + 0.005 * uniform();
      medium = 0.9 * medium + 0.1 * uniform();
      out[i * 2 + c] = static_cast<float>(0.05 * uniform() + 0.25 * medium + 1.5 * slow);
    }
  }
  return out;
}

// An RBJ cookbook low shelf (S = 1), applied to each channel of interleaved stereo.
void low_shelf(std::vector<float>& x, int rate, double hz, double gain_db) {
  const double a = std::pow(10.0, gain_db / 40), w0 = 2 * std::numbers::pi * hz / rate;
  const double cw = std::cos(w0), alpha = std::sin(w0) / 2 * std::sqrt(2.0), sa = 2 * std::sqrt(a) * alpha;
  const double b0 = a * ((a + 1) - (a - 1) * cw + sa), b1 = 2 * a * ((a - 1) - (a + 1) * cw),
               b2 = a * ((a + 1) - (a - 1) * cw - sa), a0 = (a + 1) + (a - 1) * cw + sa,
               a1 = -2 * ((a - 1) + (a + 1) * cw), a2 = (a + 1) + (a - 1) * cw - sa;
  for (int c = 0; c < 2; ++c) {
    double x1 = 0, x2 = 0, y1 = 0, y2 = 0;
    for (std::size_t i = c; i < x.size(); i += 2) {
      const double in = x[i];
      const double y = (b0 * in + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2) / a0;
      x2 = x1, x1 = in, y2 = y1, y1 = y;
      x[i] = static_cast<float>(y);
    }
  }
}

void write_wav(const fs::path& path, const std::vector<float>& interleaved, int rate, double gain_db) {
  fs::create_directories(path.parent_path());
  SF_INFO info{};
  info.samplerate = rate;
  info.channels = 2;
  info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_24;
  SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
  ASSERT_NE(f, nullptr) << path;
  std::vector<float> scaled(interleaved);
  const double g = std::pow(10.0, gain_db / 20);
  for (float& v : scaled) v = static_cast<float>(std::clamp(v * g, -0.99, 0.99));
  sf_writef_float(f, scaled.data(), static_cast<sf_count_t>(scaled.size() / 2));
  sf_close(f);
}

std::string file_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

// A measured track's octave bands 62.5 Hz .. 8 kHz relative to their median (the tone
// match's own reference), by key.
std::map<std::string, double> relative_bands(const Json& measured) {
  const std::vector<std::string> keys = {"62.5", "125", "250", "500", "1000", "2000", "4000", "8000"};
  std::vector<double> levels;
  for (const std::string& k : keys) levels.push_back(measured.at("octave_bands_db").at(k).get<double>());
  std::vector<double> sorted = levels;
  std::sort(sorted.begin(), sorted.end());
  const double median = (sorted[3] + sorted[4]) / 2;
  std::map<std::string, double> out;
  for (std::size_t i = 0; i < keys.size(); ++i) out[keys[i]] = levels[i] - median;
  return out;
}

class ToneMatchCli : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(scratch_);
    constexpr int kRate = 48000;
    constexpr double kSeconds = 5;
    // Four consistent tracks at different loudness, one of them with +8 dB below ~150 Hz.
    const double gains[] = {-6, -2, -4, 0};
    for (int t = 0; t < 4; ++t) {
      std::vector<float> x = pinkish(kRate, kSeconds, static_cast<std::uint64_t>(t + 1));
      if (t == kOdd) low_shelf(x, kRate, 150, 8);
      write_wav(root_ / "in" / "Album" / (std::to_string(t + 1) + " track.wav"), x, kRate, gains[t]);
    }
    write_wav(root_ / "in" / "Single" / "1 alone.wav", pinkish(kRate, kSeconds, 9), kRate, -3);
    std::ofstream(root_ / "tone.toml") << "[loudness]\ntarget = -18.0\n\n[eq]\ntone_match = \"album\"\n"
                                          "tone_match_strength = 0.5\ntone_match_max = 3\n";
    std::ofstream(root_ / "plain.toml") << "[loudness]\ntarget = -18.0\n";
  }
  gloss::test::Outcome master(const std::string& preset, const std::string& out, const std::string& report) {
    return gloss::test::run_program(GLOSS_EXE, {"master", "in", "-o", out, "--preset", preset, "--json", report},
                                    root_, scratch_);
  }
  static const Json& album(const Json& report, const std::string& name) {
    for (const Json& a : report.at("albums"))
      if (a.at("path").get<std::string>().ends_with(name)) return a;
    throw std::runtime_error("no album " + name + " in the report");
  }
  static constexpr int kOdd = 2;
  gloss::test::TempFolder folder_{"gloss-tone"};
  fs::path root_ = folder_.path();
  fs::path scratch_ = root_ / ".scratch";
};

TEST_F(ToneMatchCli, TheOddTrackMovesTowardTheAlbumAndTheSpreadFalls) {
  const auto on = master("tone.toml", "out", "tone.json");
  ASSERT_EQ(on.status, 0) << on.err;
  EXPECT_NE(on.out.find("tone match: spread "), std::string::npos) << on.out;
  const Json report = Json::parse(file_bytes(root_ / "tone.json"));
  EXPECT_EQ(report.at("settings").at("tone_match"), (Json{{"strength", 0.5}, {"max_db", 3.0}}));

  const Json& a = album(report, "Album");
  const Json& tone = a.at("tone_match");
  const double before = tone.at("spread_before_db").get<double>(), after = tone.at("spread_after_db").get<double>();
  EXPECT_GT(before, 1.0);
  EXPECT_LT(after, 0.75 * before) << tone.dump();

  const Json& tracks = a.at("tracks");
  ASSERT_EQ(tracks.size(), 4u);
  const Json& odd = tracks.at(kOdd);
  EXPECT_LT(odd.at("tone_match_db").at("62.5").get<double>(), -2.0) << odd.at("tone_match_db").dump();
  EXPECT_LT(odd.at("tone_match_db").at("125").get<double>(), -1.0) << odd.at("tone_match_db").dump();
  EXPECT_NEAR(odd.at("tone_match_db").at("4000").get<double>(), 0.0, 0.5);
  for (int t = 0; t < 4; ++t) {
    if (t == kOdd) continue;
    for (const auto& [hz, db] : tracks.at(t).at("tone_match_db").items())
      EXPECT_LT(std::fabs(db.get<double>()), 1.0) << "track " << t << " at " << hz;
  }
  // The odd track's low bands, relative to its own level, against the others' mean: closer after.
  for (const std::string band : {"62.5", "125"}) {
    double others_before = 0, others_after = 0;
    for (int t = 0; t < 4; ++t)
      if (t != kOdd) {
        others_before += relative_bands(tracks.at(t).at("before"))[band] / 3;
        others_after += relative_bands(tracks.at(t).at("after"))[band] / 3;
      }
    const double gap_before = relative_bands(odd.at("before"))[band] - others_before;
    const double gap_after = relative_bands(odd.at("after"))[band] - others_after;
    EXPECT_GT(gap_before, 3.0) << band;
    EXPECT_LT(gap_after, gap_before - 1.0) << band;  // measured: 7.0 -> 5.3 and 5.2 -> 3.4 dB
  }

  // A one-track album: nothing to match, no spread, and the same audio as without tone match.
  const Json& single = album(report, "Single");
  EXPECT_TRUE(single.at("tone_match").at("spread_before_db").is_null());
  for (const auto& [hz, db] : single.at("tracks").at(0).at("tone_match_db").items()) EXPECT_EQ(db, 0.0) << hz;

  const auto off = master("plain.toml", "plain", "plain.json");
  ASSERT_EQ(off.status, 0) << off.err;
  EXPECT_EQ(off.out.find("tone match"), std::string::npos);
  const Json plain = Json::parse(file_bytes(root_ / "plain.json"));
  EXPECT_TRUE(plain.at("settings").at("tone_match").is_null());
  EXPECT_TRUE(album(plain, "Album").at("tone_match").is_null());
  EXPECT_TRUE(album(plain, "Album").at("tracks").at(0).at("tone_match_db").is_null());
  const std::string matched = file_bytes(root_ / single.at("tracks").at(0).at("output").get<std::string>());
  const std::string unmatched =
      file_bytes(root_ / album(plain, "Single").at("tracks").at(0).at("output").get<std::string>());
  EXPECT_GT(matched.size(), 100000u);
  EXPECT_EQ(matched, unmatched);
}

}  // namespace
