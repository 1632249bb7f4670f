// End-to-end tests of the `gloss` program: each test writes its own small catalog with
// libsndfile into a fresh temporary folder, runs the built binary and checks what a user
// sees: exit codes, the stdout table, the stderr messages and the JSON/CSV reports.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sndfile.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <numbers>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "support/run_program.hpp"
#include "support/temp_folder.hpp"


namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

using gloss::test::Outcome;
using gloss::test::read_text;

Outcome run_gloss(const std::vector<std::string>& args, const fs::path& cwd, const fs::path& scratch) {
  return gloss::test::run_program(GLOSS_EXE, args, cwd, scratch);
}

// Planar generator output, interleaved for libsndfile.
struct Signal {
  int rate = 48000;
  int channels = 2;
  std::vector<float> interleaved;
};

Signal sine(int rate, int channels, double seconds, double dbfs, double hz = 1000) {
  Signal s{rate, channels, {}};
  const auto frames = static_cast<std::size_t>(std::llround(seconds * rate));
  const double amplitude = std::pow(10.0, dbfs / 20.0);
  s.interleaved.resize(frames * static_cast<std::size_t>(channels));
  for (std::size_t i = 0; i < frames; ++i) {
    const auto v = static_cast<float>(amplitude * std::sin(2 * std::numbers::pi * hz * static_cast<double>(i) / rate));
    for (int c = 0; c < channels; ++c) s.interleaved[i * static_cast<std::size_t>(channels) + static_cast<std::size_t>(c)] = v;
  }
  return s;
}

Signal silence(int rate, int channels, double seconds) { return sine(rate, channels, seconds, -1000); }

void write_audio(const fs::path& path, const Signal& s, int format = SF_FORMAT_WAV | SF_FORMAT_FLOAT) {
  fs::create_directories(path.parent_path());
  SF_INFO info{};
  info.samplerate = s.rate;
  info.channels = s.channels;
  info.format = format;
  SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
  ASSERT_NE(f, nullptr) << path << ": " << sf_strerror(nullptr);
  const sf_count_t frames = static_cast<sf_count_t>(s.interleaved.size()) / s.channels;
  ASSERT_EQ(sf_writef_float(f, s.interleaved.data(), frames), frames);
  sf_close(f);
}

// libsndfile 1.2 does not write WAVEX channel masks (SFC_SET_CHANNEL_MAP_INFO fails for
// WAV), so the test patches dwChannelMask in the 40-byte WAVE_FORMAT_EXTENSIBLE fmt chunk.
void set_wavex_channel_mask(const fs::path& path, std::uint32_t mask) {
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  char tag[2] = {};
  f.seekg(20);
  f.read(tag, 2);
  ASSERT_EQ(static_cast<unsigned char>(tag[0]), 0xFE) << "not WAVE_FORMAT_EXTENSIBLE";
  ASSERT_EQ(static_cast<unsigned char>(tag[1]), 0xFF) << "not WAVE_FORMAT_EXTENSIBLE";
  const char bytes[4] = {static_cast<char>(mask & 0xFF), static_cast<char>((mask >> 8) & 0xFF),
                         static_cast<char>((mask >> 16) & 0xFF), static_cast<char>(mask >> 24)};
  f.seekp(40);
  f.write(bytes, 4);
}

void write_text(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

double expected_pooled(const std::vector<std::pair<double, double>>& seconds_and_lufs) {
  double energy = 0, total = 0;
  for (auto [seconds, lufs] : seconds_and_lufs) {
    energy += seconds * std::pow(10.0, lufs / 10.0);
    total += seconds;
  }
  return 10 * std::log10(energy / total);
}

class GlossCli : public ::testing::Test {
 protected:
  void SetUp() override { fs::create_directories(scratch_); }

  Outcome gloss(const std::vector<std::string>& args) { return run_gloss(args, root_, scratch_); }

  Json analyze_json(std::vector<std::string> args, int expected_status, const std::string& name = "report.json") {
    args.insert(args.begin(), "analyze");
    args.insert(args.end(), {"--json", name, "--quiet"});
    const Outcome r = gloss(args);
    EXPECT_EQ(r.status, expected_status) << r.out << r.err;
    return Json::parse(read_text(root_ / name));
  }

  gloss::test::TempFolder folder_{"gloss-cli"};
  fs::path root_ = folder_.path();
  fs::path scratch_ = root_ / ".scratch";
};

const Json& track_named(const Json& report, const std::string& file) {
  for (const Json& album : report["albums"])
    for (const Json& t : album["tracks"])
      if (t["file"] == file) return t;
  static const Json none;
  ADD_FAILURE() << "no track " << file << " in the report";
  return none;
}

// ---------------------------------------------------------------------------------------
// Help, version and usage errors
// ---------------------------------------------------------------------------------------

TEST_F(GlossCli, HelpMentionsEverySubcommandAndExitCodes) {
  const Outcome r = gloss({"--help"});
  EXPECT_EQ(r.status, 0);
  for (const char* word : {"analyze", "devices", "selftest", "demo", "Exit status", "gloss analyze ~/Music/Album --json report.json",
                           "--device cuda:0"})
    EXPECT_NE(r.out.find(word), std::string::npos) << word << "\n" << r.out;
  const Outcome analyze = gloss({"analyze", "--help"});
  EXPECT_EQ(analyze.status, 0);
  for (const char* word : {"--json", "--csv", "--device", "--threads", "--true-peak", "--album-rule", "--quiet"})
    EXPECT_NE(analyze.out.find(word), std::string::npos) << word;
  EXPECT_EQ(gloss({"--version"}).status, 0);
}

TEST_F(GlossCli, BadFlagsAndValuesAreUsageErrors) {
  write_audio(root_ / "a" / "tone.wav", sine(48000, 2, 3, -20));
  EXPECT_EQ(gloss({}).status, 2);
  EXPECT_EQ(gloss({"analyze", "a", "--bogus"}).status, 2);
  EXPECT_EQ(gloss({"analyze", "a", "--threads", "-1"}).status, 2);
  EXPECT_EQ(gloss({"analyze", "a", "--threads", "many"}).status, 2);
  EXPECT_EQ(gloss({"analyze", "a", "--device", "gpu"}).status, 2);
  EXPECT_EQ(gloss({"analyze", "a", "--true-peak", "fast"}).status, 2);
  EXPECT_EQ(gloss({"analyze", "a", "--album-rule", "median"}).status, 2);
  EXPECT_EQ(gloss({"analyze"}).status, 2);
  EXPECT_EQ(gloss({"frobnicate"}).status, 2);
  // A --json destination whose folder does not exist fails before any work, and writes nothing.
  const Outcome r = gloss({"analyze", "a", "--json", "missing/report.json"});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("missing"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(root_ / "missing"));
}

// ---------------------------------------------------------------------------------------
// Measurement values
// ---------------------------------------------------------------------------------------

TEST_F(GlossCli, StereoSineAtMinus23DbfsReadsMinus23Lufs) {
  write_audio(root_ / "cat" / "sine.wav", sine(48000, 2, 10, -23));
  const Json report = analyze_json({"cat"}, 0);
  EXPECT_EQ(report["schema"], "gloss.analysis");
  EXPECT_EQ(report["schema_version"], 2);
  const Json& t = track_named(report, "cat/sine.wav");
  EXPECT_EQ(t["status"], "ok");
  EXPECT_NEAR(t["integrated_lufs"].get<double>(), -23.0, 0.1);
  EXPECT_NEAR(t["true_peak_dbtp"].get<double>(), -23.0, 0.2);
  EXPECT_NEAR(t["sample_peak_dbfs"].get<double>(), -23.0, 0.01);
  // Steady tone: only the Tech 3342 silent tail (1.5 s) spreads the short-term values.
  EXPECT_LT(t["loudness_range_lu"].get<double>(), 1.5);
  EXPECT_NEAR(t["stereo_correlation"].get<double>(), 1.0, 1e-6);
  EXPECT_EQ(t["sample_rate"], 48000);
  EXPECT_EQ(t["channels"], 2);
  EXPECT_EQ(t["frames"], 480000);
  EXPECT_EQ(t["channel_layout"], Json::parse(R"(["L","R"])"));
  EXPECT_EQ(t["dc_offset"].size(), 2u);
  EXPECT_EQ(t["octave_bands_db"].size(), 10u);
  EXPECT_TRUE(t["octave_bands_db"].contains("31.25"));
  EXPECT_TRUE(t["octave_bands_db"].contains("1000"));
  EXPECT_NEAR(t["short_term_lufs"].back().get<double>(), -23.0, 0.1);
  EXPECT_EQ(report["summary"]["tracks"], 1);
  EXPECT_EQ(report["summary"]["measured"], 1);
  EXPECT_EQ(report["summary"]["failed"], 0);
}

TEST_F(GlossCli, AlbumLoudnessFollowsTheRule) {
  // 10 s at -13 LUFS and 20 s at -23 LUFS: pooled weights by duration, mean does not.
  write_audio(root_ / "album" / "1-loud.wav", sine(48000, 2, 10, -13));
  write_audio(root_ / "album" / "2-quiet.wav", sine(48000, 2, 20, -23));
  const double pooled = expected_pooled({{10, -13}, {20, -23}});
  const double mean = expected_pooled({{1, -13}, {1, -23}});

  const Json p = analyze_json({"album"}, 0, "pooled.json");
  const Json& album = p["albums"][0]["album"];
  EXPECT_EQ(album["rule"], "pooled");
  EXPECT_NEAR(album["integrated_lufs"].get<double>(), pooled, 0.1);
  EXPECT_NEAR(album["true_peak_dbtp"].get<double>(), -13.0, 0.2);
  ASSERT_EQ(album["track_deviation_lu"].size(), 2u);
  EXPECT_NEAR(album["track_deviation_lu"][0].get<double>(), -13.0 - pooled, 0.1);
  EXPECT_NEAR(album["track_deviation_lu"][1].get<double>(), -23.0 - pooled, 0.1);

  const Json m = analyze_json({"album", "--album-rule", "mean"}, 0, "mean.json");
  EXPECT_NEAR(m["albums"][0]["album"]["integrated_lufs"].get<double>(), mean, 0.1);
  EXPECT_EQ(m["settings"]["album_rule"], "mean");
  const Json l = analyze_json({"album", "--album-rule", "loudest"}, 0, "loudest.json");
  EXPECT_NEAR(l["albums"][0]["album"]["integrated_lufs"].get<double>(), -13.0, 0.1);
}

TEST_F(GlossCli, ChannelMapFromTheFileDecidesTheWeights) {
  // L and R at -23 dBFS plus a loud LFE: the LFE does not count (BS.1770), so -23 LUFS.
  // Without the map, channel 3 would be a centre and make it much louder.
  Signal s = sine(48000, 3, 10, -23);
  for (std::size_t i = 2; i < s.interleaved.size(); i += 3) s.interleaved[i] *= 10.0f;
  write_audio(root_ / "mapped" / "lfe.wav", s, SF_FORMAT_WAVEX | SF_FORMAT_FLOAT);
  set_wavex_channel_mask(root_ / "mapped" / "lfe.wav", 0x1 | 0x2 | 0x8);  // FL FR LFE
  const Json report = analyze_json({"mapped"}, 0);
  const Json& t = track_named(report, "mapped/lfe.wav");
  EXPECT_EQ(t["channel_layout"], Json::parse(R"(["L","R","LFE"])"));
  EXPECT_NEAR(t["integrated_lufs"].get<double>(), -23.0, 0.1);
}

TEST_F(GlossCli, RearPairIsTheSurroundPairUnlessSidesExist) {
  // 5.1 with the classic WAVE mask (FL FR FC LFE BL BR): the rear pair is the surround pair
  // (weight 1.41), exactly as for an unmapped 6-channel file. 7.1 (… BL BR SL SR): backs.
  write_audio(root_ / "surround" / "1-mask.wav", sine(48000, 6, 5, -23), SF_FORMAT_WAVEX | SF_FORMAT_FLOAT);
  set_wavex_channel_mask(root_ / "surround" / "1-mask.wav", 0x3F);
  write_audio(root_ / "surround" / "2-plain.wav", sine(48000, 6, 5, -23));
  write_audio(root_ / "surround" / "3-seven.wav", sine(48000, 8, 5, -23), SF_FORMAT_WAVEX | SF_FORMAT_FLOAT);
  set_wavex_channel_mask(root_ / "surround" / "3-seven.wav", 0x63F);
  const Json report = analyze_json({"surround"}, 0);
  const Json& mask = track_named(report, "surround/1-mask.wav");
  const Json& plain = track_named(report, "surround/2-plain.wav");
  EXPECT_EQ(mask["channel_layout"], Json::parse(R"(["L","R","C","LFE","Ls","Rs"])"));
  EXPECT_EQ(plain["channel_layout"], mask["channel_layout"]);
  EXPECT_EQ(mask["integrated_lufs"], plain["integrated_lufs"]);
  EXPECT_EQ(track_named(report, "surround/3-seven.wav")["channel_layout"],
            Json::parse(R"(["L","R","C","LFE","Lb","Rb","Ls","Rs"])"));
}

// ---------------------------------------------------------------------------------------
// Exit codes and bad input
// ---------------------------------------------------------------------------------------

TEST_F(GlossCli, NoAudioAndUnavailableDeviceExitWith3) {
  fs::create_directories(root_ / "empty");
  const Outcome empty = gloss({"analyze", "empty"});
  EXPECT_EQ(empty.status, 3);
  EXPECT_NE(empty.err.find("no audio files"), std::string::npos) << empty.err;
  write_text(root_ / "docs" / "notes.txt", "not audio");
  EXPECT_EQ(gloss({"analyze", "docs"}).status, 3);

  write_audio(root_ / "a" / "tone.wav", sine(48000, 2, 3, -20));
  const Outcome cuda = gloss({"analyze", "a", "--device", "cuda:7", "--json", "r.json"});
  EXPECT_EQ(cuda.status, 3);
  EXPECT_NE(cuda.err.find("cuda:7"), std::string::npos) << cuda.err;
  EXPECT_TRUE(cuda.out.empty()) << "never falls back to the CPU:\n" << cuda.out;
  EXPECT_FALSE(fs::exists(root_ / "r.json"));
}

TEST_F(GlossCli, BrokenFileFailsOnlyItselfAndSetsExit1) {
  write_audio(root_ / "album" / "01-good.wav", sine(44100, 2, 5, -20));
  EXPECT_EQ(gloss({"analyze", "album", "-q"}).status, 0);
  write_text(root_ / "album" / "02-broken.wav", std::string("RIFF\x24\x10\0\0WAVEfmt ", 16));
  const Outcome r = gloss({"analyze", "album", "--json", "r.json"});
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_NE(r.out.find("FAILED: album/02-broken.wav"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("1 track measured, 1 failed"), std::string::npos) << r.err;
  const Json report = Json::parse(read_text(root_ / "r.json"));
  EXPECT_EQ(track_named(report, "album/01-good.wav")["status"], "ok");
  EXPECT_EQ(track_named(report, "album/02-broken.wav")["status"], "failed");
  EXPECT_EQ(report["summary"]["failed"], 1);
  EXPECT_NEAR(report["albums"][0]["album"]["integrated_lufs"].get<double>(), -20.0, 0.1);
}

TEST_F(GlossCli, EveryBadInputGetsAMessageNamingFileAndProblem) {
  const fs::path dir = root_ / "bad";
  write_audio(dir / "00-good.wav", sine(48000, 2, 5, -18));

  // Truncated: a complete WAV and FLAC cut short.
  write_audio(dir / "01-truncated.wav", sine(48000, 2, 10, -18), SF_FORMAT_WAV | SF_FORMAT_PCM_16);
  fs::resize_file(dir / "01-truncated.wav", fs::file_size(dir / "01-truncated.wav") / 2);
  write_audio(dir / "02-truncated.flac", sine(48000, 2, 10, -18, 997), SF_FORMAT_FLAC | SF_FORMAT_PCM_24);
  fs::resize_file(dir / "02-truncated.flac", fs::file_size(dir / "02-truncated.flac") / 2);
  // Zero frames (a valid header) and zero bytes.
  write_audio(dir / "03-no-frames.wav", Signal{48000, 2, {}});
  write_text(dir / "04-empty.wav", "");
  // NaN and Inf in float files.
  Signal nan = sine(48000, 2, 2, -18);
  nan.interleaved[1000 * 2 + 1] = std::numeric_limits<float>::quiet_NaN();
  write_audio(dir / "05-nan.wav", nan);
  Signal inf = sine(48000, 2, 2, -18);
  inf.interleaved[77 * 2] = -std::numeric_limits<float>::infinity();
  write_audio(dir / "06-inf.wav", inf);
  // Not audio at all, too many channels, a rate outside 8..384 kHz, silence, a dangling link.
  write_text(dir / "07-text.wav", "This is a text file with a .wav name.\n");
  write_audio(dir / "08-ten-channels.wav", sine(48000, 10, 1, -18), SF_FORMAT_WAVEX | SF_FORMAT_FLOAT);
  write_audio(dir / "09-low-rate.wav", sine(4000, 1, 2, -18, 440));
  write_audio(dir / "10-silence.wav", silence(48000, 2, 3));
  fs::create_symlink("nowhere.wav", dir / "11-dangling.wav");
  write_audio(dir / "12-unreadable.wav", sine(48000, 2, 2, -18));
  fs::permissions(dir / "12-unreadable.wav", fs::perms::none);
  const bool root_reads_anything = geteuid() == 0;

  const Outcome r = gloss({"analyze", "bad", "--json", "r.json", "--csv", "r.csv"});
  EXPECT_EQ(r.status, 1) << r.err;
  const Json report = Json::parse(read_text(root_ / "r.json"));

  auto expect_failed = [&](const std::string& name, std::vector<std::string> phrases) {
    const Json& t = track_named(report, "bad/" + name);
    ASSERT_EQ(t["status"], "failed") << name;
    const std::string error = t["error"];
    phrases.push_back("bad/" + name);  // every message names its file
    phrases.push_back(";");            // ... and says what to do after the problem
    for (const std::string& p : phrases) EXPECT_NE(error.find(p), std::string::npos) << "'" << p << "' not in: " << error;
    EXPECT_FALSE(t.contains("integrated_lufs"));
    EXPECT_NE(r.out.find("FAILED: bad/" + name), std::string::npos);
    EXPECT_NE(r.err.find("bad/" + name), std::string::npos);
  };
  EXPECT_EQ(track_named(report, "bad/00-good.wav")["status"], "ok");
  expect_failed("01-truncated.wav", {"truncated", "480000 frames", "copy or download it again"});
  expect_failed("02-truncated.flac", {"truncated", "480000 frames"});
  expect_failed("03-no-frames.wav", {"no audio frames"});
  expect_failed("04-empty.wav", {"empty"});
  expect_failed("05-nan.wav", {"NaN", "frame 1000", "channel 2"});
  expect_failed("06-inf.wav", {"Inf", "frame 77", "channel 1"});
  expect_failed("07-text.wav", {"cannot decode", "libsndfile"});
  expect_failed("08-ten-channels.wav", {"10 channels", "1 to 8"});
  expect_failed("09-low-rate.wav", {"4000 Hz", "8000..384000"});
  expect_failed("11-dangling.wav", {"does not exist"});
  if (!root_reads_anything) expect_failed("12-unreadable.wav", {"cannot decode", "ermission"});

  // Silence is measured, not failed: -inf as a string, not-applicable values as null.
  const Json& quiet = track_named(report, "bad/10-silence.wav");
  EXPECT_EQ(quiet["status"], "ok");
  EXPECT_EQ(quiet["integrated_lufs"], "-inf");
  EXPECT_EQ(quiet["true_peak_dbtp"], "-inf");
  EXPECT_TRUE(quiet["plr_db"].is_null());
  EXPECT_TRUE(quiet["stereo_correlation"].is_null());
  EXPECT_EQ(quiet["notes"][0], "silent: integrated loudness is -inf");
  EXPECT_NE(r.out.find("silent: integrated loudness is -inf"), std::string::npos) << r.out;
  // The album deviation of a silent track is undefined, not zero.
  const Json& album = report["albums"][0]["album"];
  EXPECT_TRUE(album["track_deviation_lu"][10].is_null());
  EXPECT_NEAR(album["integrated_lufs"].get<double>(), -18.0, 0.1);
}

TEST_F(GlossCli, LyingHeaderIsRefusedWithoutAllocating) {
  // A 44-byte WAV header claiming 2^31 bytes of 8-channel float audio.
  std::string header("RIFF\xff\xff\xff\x7f" "WAVEfmt \x10\0\0\0\x03\0\x08\0\x80\xbb\0\0\0\xdc\x05\0\x20\0\x20\0"
                     "data\xf0\xff\xff\x7f", 44);
  write_text(root_ / "lie" / "huge.wav", header);
  const Json report = analyze_json({"lie"}, 1);
  const Json& t = track_named(report, "lie/huge.wav");
  EXPECT_EQ(t["status"], "failed");
  EXPECT_NE(t["error"].get<std::string>().find("truncated"), std::string::npos) << t["error"];
}

TEST_F(GlossCli, ImplausibleFrameCountIsRefusedBeforeAllocating) {
  // A real FLAC whose STREAMINFO claims 2^36 - 1 frames (half a terabyte as float): gloss
  // must refuse it from the header, not try to allocate it.
  const fs::path path = root_ / "lie" / "huge.flac";
  write_audio(path, sine(48000, 2, 2, -20), SF_FORMAT_FLAC | SF_FORMAT_PCM_16);
  {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    char b21 = 0;
    f.seekg(21);
    f.read(&b21, 1);
    const char patch[5] = {static_cast<char>((b21 & 0xF0) | 0x0F), '\xff', '\xff', '\xff', '\xff'};
    f.seekp(21);
    f.write(patch, 5);
  }
  const Json report = analyze_json({"lie"}, 1, "flac.json");
  const std::string error = track_named(report, "lie/huge.flac")["error"];
  EXPECT_NE(error.find("header claims 68719476735 frames"), std::string::npos) << error;
}

// ---------------------------------------------------------------------------------------
// Catalog scanning
// ---------------------------------------------------------------------------------------

TEST_F(GlossCli, AlbumsAndTracksInNaturalOrder) {
  for (const char* name : {"10-ten.wav", "2-two.wav", "1-one.WAV"}) write_audio(root_ / "cat" / "Disc 2" / name, sine(8000, 1, 1, -20));
  write_audio(root_ / "cat" / "Disc 10" / "1.flac", sine(8000, 1, 1, -20), SF_FORMAT_FLAC | SF_FORMAT_PCM_16);
  write_text(root_ / "cat" / "Disc 2" / "cover.jpg", "jpeg");
  write_text(root_ / "cat" / "Disc 2" / "._2-two.wav", "AppleDouble junk");
  const Json report = analyze_json({"cat"}, 0);
  ASSERT_EQ(report["albums"].size(), 2u);
  EXPECT_EQ(report["albums"][0]["path"], "cat/Disc 2");
  EXPECT_EQ(report["albums"][1]["path"], "cat/Disc 10");
  const Json& tracks = report["albums"][0]["tracks"];
  ASSERT_EQ(tracks.size(), 3u);
  EXPECT_EQ(tracks[0]["file"], "cat/Disc 2/1-one.WAV");
  EXPECT_EQ(tracks[1]["file"], "cat/Disc 2/2-two.wav");
  EXPECT_EQ(tracks[2]["file"], "cat/Disc 2/10-ten.wav");
  EXPECT_EQ(report["summary"]["skipped_files"], 2);
}

TEST_F(GlossCli, FilesGivenDirectlyFormAnAlbumPerFolderWithRelativePaths) {
  write_audio(root_ / "x" / "b.wav", sine(48000, 2, 3, -20));
  write_audio(root_ / "x" / "a.wav", sine(48000, 2, 3, -26));
  write_audio(root_ / "y" / "c.wav", sine(48000, 2, 3, -20));
  const Json report = analyze_json({"x/b.wav", "y/c.wav", "x/a.wav"}, 0);
  ASSERT_EQ(report["albums"].size(), 2u);
  EXPECT_EQ(report["albums"][0]["path"], "x");
  EXPECT_EQ(report["albums"][0]["tracks"][0]["file"], "x/a.wav");
  EXPECT_EQ(report["albums"][0]["tracks"][1]["file"], "x/b.wav");
  EXPECT_EQ(report["albums"][1]["path"], "y");
}

TEST_F(GlossCli, MissingPathsAndSymlinkLoopsAreReportedNotFatal) {
  write_audio(root_ / "cat" / "a" / "t.wav", sine(48000, 2, 3, -20));
  fs::create_directory_symlink("..", root_ / "cat" / "a" / "loop");
  const Outcome loop = gloss({"analyze", "cat", "--json", "loop.json"});
  EXPECT_EQ(loop.status, 0) << "a loop hides no audio:\n" << loop.err;
  EXPECT_NE(loop.err.find("symlink loop"), std::string::npos) << loop.err;
  const Json report = Json::parse(read_text(root_ / "loop.json"));
  EXPECT_EQ(report["summary"]["measured"], 1);
  EXPECT_EQ(report["problems"].size(), 1u);

  const Outcome missing = gloss({"analyze", "cat", "nope", "-q"});
  EXPECT_EQ(missing.status, 1);
  EXPECT_NE(missing.err.find("nope: does not exist"), std::string::npos) << missing.err;
  EXPECT_NE(missing.out.find("t.wav"), std::string::npos);

  if (geteuid() != 0) {
    write_audio(root_ / "locked" / "inner" / "t.wav", sine(48000, 2, 3, -20));
    fs::permissions(root_ / "locked" / "inner", fs::perms::none);
    const Outcome locked = gloss({"analyze", "cat", "locked", "-q"});
    EXPECT_EQ(locked.status, 1);
    EXPECT_NE(locked.err.find("cannot read folder"), std::string::npos) << locked.err;
  }
}

// ---------------------------------------------------------------------------------------
// Reports: determinism, CSV, atomic writes
// ---------------------------------------------------------------------------------------

TEST_F(GlossCli, JsonIsByteIdenticalAcrossThreadsAndDevices) {
  ASSERT_EQ(gloss({"demo", "cat"}).status, 0);
  write_audio(root_ / "cat" / "Extra" / "sine.flac", sine(96000, 2, 6, -23), SF_FORMAT_FLAC | SF_FORMAT_PCM_24);
  std::vector<std::string> reports;
  for (const std::vector<std::string>& extra : std::vector<std::vector<std::string>>{
           {"--threads", "1"}, {"--threads", "2"}, {"--threads", "8"}, {"--device", "reference"},
           {"--device", "reference:7"}, {"--device", "reference:12345"}, {"--device", "cpu"}}) {  // reference:SEED shuffles the tile order
    std::vector<std::string> args = {"analyze", "cat", "-q", "--json", "r.json", "--true-peak", "precise"};
    args.insert(args.end(), extra.begin(), extra.end());
    const Outcome r = gloss(args);
    EXPECT_EQ(r.status, 1) << r.err;  // the demo's broken file
    reports.push_back(read_text(root_ / "r.json"));
  }
  for (std::size_t i = 1; i < reports.size(); ++i) EXPECT_EQ(reports[i], reports[0]) << "run " << i;
  EXPECT_EQ(reports[0].find("cpu"), std::string::npos) << "no backend name inside the JSON";
  EXPECT_EQ(reports[0].find("thread"), std::string::npos) << "no thread count inside the JSON";
  EXPECT_EQ(Json::parse(reports[0])["settings"]["true_peak"], "precise");
}

TEST_F(GlossCli, CsvHasATrackRowPerTrackAndAnAlbumRowPerAlbum) {
  write_audio(root_ / "cat" / "1-sine.wav", sine(48000, 2, 10, -23));
  write_text(root_ / "cat" / "2-bad, \"quoted\".wav", "text");
  const Outcome r = gloss({"analyze", "cat", "-q", "--csv", "r.csv"});
  EXPECT_EQ(r.status, 1);
  std::istringstream csv(read_text(root_ / "r.csv"));
  std::vector<std::string> lines;
  for (std::string line; std::getline(csv, line);) lines.push_back(line);
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_TRUE(lines[0].starts_with("kind,album,file,status,error,sample_rate,channels,frames,duration_s,integrated_lufs"));
  EXPECT_TRUE(lines[1].starts_with("track,cat,cat/1-sine.wav,ok,,48000,2,480000,10.0000,-2")) << lines[1];
  EXPECT_NEAR(std::stod(lines[1].substr(std::string("track,cat,cat/1-sine.wav,ok,,48000,2,480000,10.0000,").size())), -23.0, 0.1);
  EXPECT_TRUE(lines[2].starts_with("track,cat,\"cat/2-bad, \"\"quoted\"\".wav\",failed,\"cat/2-bad")) << lines[2];
  EXPECT_TRUE(lines[3].starts_with("album,cat,,ok,,,,,,-2")) << lines[3];
  EXPECT_NEAR(std::stod(lines[3].substr(std::string("album,cat,,ok,,,,,,").size())), -23.0, 0.1);
  // Fixed precision: four decimals for levels, six for correlation.
  EXPECT_NE(lines[1].find(",10.0000,"), std::string::npos);
  EXPECT_NE(lines[1].find(",1.000000,"), std::string::npos) << lines[1];
  EXPECT_NE(lines[3].find("rule: pooled"), std::string::npos);
}

TEST_F(GlossCli, ReportsAreWrittenWholeWithNoTemporaryFilesLeft) {
  write_audio(root_ / "cat" / "t.wav", sine(48000, 2, 3, -20));
  fs::create_directories(root_ / "out");
  write_text(root_ / "out" / "r.json", "old contents");
  const Outcome r = gloss({"analyze", "cat", "-q", "--json", "out/r.json", "--csv", "out/r.csv"});
  EXPECT_EQ(r.status, 0) << r.err;
  std::set<std::string> names;
  for (const auto& e : fs::directory_iterator(root_ / "out")) names.insert(e.path().filename().string());
  EXPECT_EQ(names, (std::set<std::string>{"r.json", "r.csv"}));
  EXPECT_TRUE(Json::accept(read_text(root_ / "out" / "r.json")));
  EXPECT_EQ(read_text(root_ / "out" / "r.json").back(), '\n');

  // A destination that cannot be replaced (a folder) fails before the run, leaving nothing.
  fs::create_directories(root_ / "out" / "dir.json");
  EXPECT_EQ(gloss({"analyze", "cat", "-q", "--json", "out/dir.json"}).status, 2);
  names.clear();
  for (const auto& e : fs::directory_iterator(root_ / "out")) names.insert(e.path().filename().string());
  EXPECT_EQ(names, (std::set<std::string>{"r.json", "r.csv", "dir.json"}));
}

// ---------------------------------------------------------------------------------------
// devices, selftest, demo
// ---------------------------------------------------------------------------------------

TEST_F(GlossCli, DevicesListsTheBackends) {
  const Outcome r = gloss({"devices"});
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("reference"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("cpu"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("cuda"), std::string::npos) << r.out;
}

TEST_F(GlossCli, SelftestFindsEveryBackendIdentical) {
  const Outcome r = gloss({"selftest", "--seconds", "2"});
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("identical"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("DIFFERENT"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("cpu (1 thread)"), std::string::npos) << r.out;
  EXPECT_EQ(gloss({"selftest", "--seconds", "0"}).status, 2);
}

TEST_F(GlossCli, DemoCatalogShowsSuccessSilenceAndFailure) {
  const Outcome demo = gloss({"demo", "demo"});
  EXPECT_EQ(demo.status, 0) << demo.err;
  EXPECT_NE(demo.out.find("gloss analyze demo"), std::string::npos) << demo.out;
  EXPECT_TRUE(fs::exists(root_ / "demo" / "Album Two" / "05-broken.wav"));

  const Json report = analyze_json({"demo"}, 1);
  ASSERT_EQ(report["albums"].size(), 2u);
  EXPECT_EQ(report["albums"][0]["tracks"].size(), 3u);
  EXPECT_EQ(report["albums"][1]["tracks"].size(), 4u);
  EXPECT_EQ(track_named(report, "demo/Album Two/05-broken.wav")["status"], "failed");
  EXPECT_EQ(track_named(report, "demo/Album Two/03-silence.wav")["integrated_lufs"], "-inf");
  const double ballad = track_named(report, "demo/Album One/02 - Slow Ballad.flac")["integrated_lufs"];
  const double finale = track_named(report, "demo/Album One/03 - Finale.flac")["integrated_lufs"];
  EXPECT_LT(ballad, finale - 6) << "the ballad is the quiet one";
  EXPECT_EQ(report["summary"]["measured"], 6) << "five music tracks and the silent one";

  // No overwriting without --force; the existing files stay as they are.
  const auto before = fs::last_write_time(root_ / "demo" / "Album One" / "01 - Sunrise.wav");
  const Outcome again = gloss({"demo", "demo"});
  EXPECT_EQ(again.status, 4);
  EXPECT_NE(again.err.find("--force"), std::string::npos) << again.err;
  EXPECT_EQ(fs::last_write_time(root_ / "demo" / "Album One" / "01 - Sunrise.wav"), before);
  EXPECT_EQ(gloss({"demo", "demo", "--force"}).status, 0);
}

}  // namespace
