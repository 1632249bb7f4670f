// `gloss tag` end to end: the built binary on albums this test writes itself (libsndfile;
// M4A through FFmpeg). Tags are read back with TagLib (gloss's own reader) and FFmpeg's
// decoder checks that the audio never changed; loudgain, when installed, is the oracle.
#include <gtest/gtest.h>
#include <sndfile.h>
#include <sys/stat.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "decode.hpp"
#include "gloss/backend.hpp"
#include "gloss/meter.hpp"
#include "support/run_program.hpp"
#include "support/signals.hpp"
#include "support/temp_folder.hpp"
#include "tag_writer.hpp"

namespace {

namespace fs = std::filesystem;
using Tags = std::map<std::string, std::string>;

// A program on PATH, or empty.
std::string find_program(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');)
    if (!dir.empty() && ::access((fs::path(dir) / name).c_str(), X_OK) == 0) return (fs::path(dir) / name).string();
  return {};
}

struct Format {
  std::string ext;
  int sf_format;  // 0: written by FFmpeg from the WAV
};

// Every container gloss tags that libsndfile can write here.
const std::vector<Format> kFormats = {
    {"wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16},         {"aiff", SF_FORMAT_AIFF | SF_FORMAT_PCM_24},
    {"flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16},       {"ogg", SF_FORMAT_OGG | SF_FORMAT_VORBIS},
    {"opus", SF_FORMAT_OGG | SF_FORMAT_OPUS},          {"mp3", SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III},
};

// Writes a planar track; false when libsndfile cannot write this format on this machine.
bool write_track(const fs::path& path, const gloss::AudioTrack& track, int format) {
  SF_INFO info{};
  info.samplerate = track.sample_rate;
  info.channels = track.channels;
  info.format = format;
  if (!sf_format_check(&info)) return false;
  SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
  if (f == nullptr) return false;
  sf_set_string(f, SF_STR_TITLE, path.stem().c_str());
  std::vector<float> interleaved(track.samples.size());
  for (int c = 0; c < track.channels; ++c)
    for (std::int64_t n = 0; n < track.frames; ++n)
      interleaved[n * track.channels + c] = static_cast<float>(track.channel(c)[n]);
  sf_writef_float(f, interleaved.data(), track.frames);
  sf_close(f);
  return true;
}

std::string file_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

// The bytes after "OpusHead" (version, channels, pre-skip, rate, output gain, mapping).
std::string opus_head(const fs::path& p) {
  const std::string bytes = file_bytes(p);
  const std::size_t at = bytes.find("OpusHead");
  return at == std::string::npos ? std::string() : bytes.substr(at, 19);
}

std::string value_of(const Tags& tags, const std::string& name) {
  const auto it = tags.find(name);
  return it == tags.end() ? std::string("<absent>") : it->second;
}

class TagCli : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(scratch_);
    ffmpeg_ = find_program("ffmpeg");
  }

  gloss::test::Outcome gloss(std::vector<std::string> args) {
    args.insert(args.begin(), "tag");
    args.push_back("--device=cpu");
    return gloss::test::run_program(GLOSS_EXE, args, root_, scratch_);
  }

  // An album folder with one file per format (the same two signals alternate), named
  // "<n>.<ext>"; returns the files written.
  std::vector<fs::path> make_album(const std::string& name, double level_db = 0) {
    const fs::path dir = root_ / name;
    fs::create_directories(dir);
    std::vector<fs::path> files;
    int n = 0;
    for (const Format& f : kFormats) {
      gloss::AudioTrack t = gloss::test::programme(48000, 2, 6.0, 17 + static_cast<std::uint64_t>(n));
      const double g = std::pow(10.0, (level_db - 3.0 * (n % 3)) / 20);
      for (float& s : t.samples) s = static_cast<float>(s * g);
      const fs::path p = dir / (std::to_string(++n) + "." + f.ext);
      if (write_track(p, t, f.sf_format)) files.push_back(p);
    }
    return files;
  }

  // What gloss's own meter says: the expected tags of every file of one album.
  std::map<fs::path, gloss::cli::GainTags> expected(const std::vector<fs::path>& files, double reference = -18) {
    std::vector<gloss::AudioTrack> tracks;
    for (const fs::path& p : files) {
      auto d = gloss::cli::decode_file(p, p.string());
      EXPECT_TRUE(d.ok()) << d.error;
      tracks.push_back(std::move(*d.track));
    }
    std::vector<const gloss::AudioTrack*> batch;
    for (const auto& t : tracks) batch.push_back(&t);
    auto backend = gloss::make_backend("cpu");
    const auto results = gloss::analyze_tracks(*backend, batch, gloss::MeterOptions{});
    std::vector<const gloss::TrackAnalysis*> measured;
    for (const auto& r : results) measured.push_back(&r);
    const auto album = gloss::analyze_album(measured, gloss::AlbumLoudnessRule::Pooled);
    auto peak = [](const gloss::TrackAnalysis& a) {
      double p = 0;
      for (const auto& c : a.per_channel) p = std::max(p, c.true_peak);
      return p;
    };
    double album_peak = 0;
    for (const auto& r : results) album_peak = std::max(album_peak, peak(r));
    std::map<fs::path, gloss::cli::GainTags> out;
    for (std::size_t i = 0; i < files.size(); ++i) {
      gloss::cli::GainTags g;
      g.reference_lufs = reference;
      g.track_gain_db = reference - results[i].integrated_lufs;
      g.track_peak = peak(results[i]);
      g.album_gain_db = reference - album.integrated_lufs;
      g.album_peak = album_peak;
      out[files[i]] = g;
    }
    return out;
  }

  // A hash of the decoded audio (FFmpeg's md5 muxer over the decoded PCM).
  std::string decoded_hash(const fs::path& p) {
    const auto r = gloss::test::run_program(ffmpeg_, {"-v", "error", "-i", p.string(), "-map", "0:a", "-f", "md5", "-"},
                                            root_, scratch_);
    EXPECT_EQ(r.status, 0) << r.err;
    return r.out;
  }

  gloss::test::TempFolder temp_{"gloss-tag"};
  fs::path root_ = temp_.path();
  fs::path scratch_ = temp_.path() / ".scratch";
  std::string ffmpeg_;
};

TEST_F(TagCli, WritesGlossOwnAnalysisToEveryFormat) {
  const auto files = make_album("album");
  // Debian 12's libsndfile writes all six (Vorbis, Opus and MP3 through libvorbis, libopus, LAME).
  ASSERT_EQ(files.size(), kFormats.size()) << "libsndfile could not write every format";
  const auto want = expected(files);
  const auto r = gloss({"album"});
  ASSERT_EQ(r.status, 0) << r.err;
  for (const fs::path& p : files) {
    SCOPED_TRACE(p.string());
    const Tags tags = gloss::cli::read_gain_tags(p);
    const gloss::cli::GainTags& w = want.at(p);
    if (p.extension() == ".opus") {
      EXPECT_EQ(value_of(tags, "R128_TRACK_GAIN"), std::to_string(gloss::cli::r128_gain_q78(w.track_gain_db)));
      EXPECT_EQ(value_of(tags, "R128_ALBUM_GAIN"), std::to_string(gloss::cli::r128_gain_q78(*w.album_gain_db)));
      EXPECT_EQ(tags.count("REPLAYGAIN_TRACK_GAIN"), 0u);
      EXPECT_EQ(tags.size(), 3u);
      continue;
    }
    EXPECT_EQ(value_of(tags, "REPLAYGAIN_TRACK_GAIN"), gloss::cli::format_gain(w.track_gain_db));
    EXPECT_EQ(value_of(tags, "REPLAYGAIN_TRACK_PEAK"), gloss::cli::format_peak(w.track_peak));
    EXPECT_EQ(value_of(tags, "REPLAYGAIN_ALBUM_GAIN"), gloss::cli::format_gain(*w.album_gain_db));
    EXPECT_EQ(value_of(tags, "REPLAYGAIN_ALBUM_PEAK"), gloss::cli::format_peak(*w.album_peak));
    EXPECT_EQ(value_of(tags, "REPLAYGAIN_REFERENCE_LOUDNESS"), "-18.00 LUFS");
    EXPECT_TRUE(value_of(tags, gloss::cli::kSettingsTag).starts_with("gloss ")) << value_of(tags, gloss::cli::kSettingsTag);
    EXPECT_EQ(tags.size(), 6u);
  }
}

TEST_F(TagCli, GainFormatting) {
  EXPECT_EQ(gloss::cli::format_gain(-6.524), "-6.52 dB");
  EXPECT_EQ(gloss::cli::format_gain(-0.001), "0.00 dB");
  EXPECT_EQ(gloss::cli::format_gain(3.005), "3.01 dB");
  EXPECT_EQ(gloss::cli::format_peak(0.9885531), "0.988553");
  EXPECT_EQ(gloss::cli::r128_gain_q78(-18 + 23.0), 0);  // a -23 LUFS track needs no R128 gain
  EXPECT_EQ(gloss::cli::r128_gain_q78(6.0), 256);
  EXPECT_EQ(gloss::cli::r128_gain_q78(500.0), 32767);
}

TEST_F(TagCli, AudioIsUntouchedAndExistingTagsAreReplaced) {
  if (ffmpeg_.empty()) GTEST_SKIP() << "ffmpeg is not installed; it decodes the files for the hash";
  const auto files = make_album("album");
  std::map<fs::path, std::string> hashes, heads;
  for (const fs::path& p : files) hashes[p] = decoded_hash(p);
  for (const fs::path& p : files) heads[p] = opus_head(p);
  // Twice, the second time with other settings and lowercase names: one value per tag remains.
  ASSERT_EQ(gloss({"album"}).status, 0);
  const auto r = gloss({"album", "--reference", "-23", "--case", "lower", "--peak", "sample"});
  ASSERT_EQ(r.status, 0) << r.err;
  for (const fs::path& p : files) {
    SCOPED_TRACE(p.string());
    EXPECT_EQ(decoded_hash(p), hashes[p]);
    EXPECT_EQ(opus_head(p), heads[p]);  // the Opus header output gain is left alone
    const Tags tags = gloss::cli::read_gain_tags(p);
    for (const auto& [name, value] : tags) EXPECT_EQ(value.find('\n'), std::string::npos) << name << " is duplicated";
    const bool id3 = p.extension() == ".mp3" || p.extension() == ".wav" || p.extension() == ".aiff";
    if (p.extension() == ".opus") continue;
    const std::string ref = id3 ? "replaygain_reference_loudness" : "REPLAYGAIN_REFERENCE_LOUDNESS";
    EXPECT_EQ(value_of(tags, ref), "-23.00 LUFS");
    EXPECT_EQ(tags.size(), 6u);
  }
  // The tagged copies replaced the files with their modes kept.
  for (const fs::path& p : files) EXPECT_EQ(fs::status(p).permissions(), fs::status(files[0]).permissions());
}

TEST_F(TagCli, M4aRoundTripWithoutTouchingTheAudio) {
  if (ffmpeg_.empty()) GTEST_SKIP() << "ffmpeg is not installed; it writes the M4A file";
  fs::create_directories(root_ / "m4a");
  const fs::path wav = root_ / "m4a" / "source.wav", m4a = root_ / "m4a" / "song.m4a";
  ASSERT_TRUE(write_track(wav, gloss::test::programme(44100, 2, 4.0, 5), SF_FORMAT_WAV | SF_FORMAT_PCM_16));
  const auto enc = gloss::test::run_program(ffmpeg_, {"-v", "error", "-i", wav.string(), "-c:a", "aac", m4a.string()},
                                            root_, scratch_);
  ASSERT_EQ(enc.status, 0) << enc.err;
  const std::string before = decoded_hash(m4a);
  gloss::cli::GainTags g;
  g.track_gain_db = -6.524;
  g.track_peak = 0.98;
  g.album_gain_db = -7.0;
  g.album_peak = 0.99;
  g.settings = "gloss test";
  ASSERT_EQ(gloss::cli::write_gain_tags(m4a, "song.m4a", g, gloss::cli::TagCase::Lower), "");
  g.track_gain_db = -5.0;
  ASSERT_EQ(gloss::cli::write_gain_tags(m4a, "song.m4a", g, gloss::cli::TagCase::Upper), "");
  const Tags tags = gloss::cli::read_gain_tags(m4a);
  EXPECT_EQ(value_of(tags, "REPLAYGAIN_TRACK_GAIN"), "-5.00 dB");
  EXPECT_EQ(value_of(tags, "REPLAYGAIN_ALBUM_PEAK"), "0.990000");
  EXPECT_EQ(tags.size(), 6u) << "the lowercase atoms of the first write must be gone";
  EXPECT_EQ(decoded_hash(m4a), before);
}

TEST_F(TagCli, DryRunWritesNothing) {
  const auto files = make_album("album");
  std::map<fs::path, std::string> bytes;
  for (const fs::path& p : files) bytes[p] = file_bytes(p);
  const auto r = gloss({"album", "--dry-run"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("REPLAYGAIN_TRACK_GAIN=") , std::string::npos) << r.out;
  for (const fs::path& p : files) EXPECT_EQ(file_bytes(p), bytes[p]) << p;
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(root_ / "album")) ++entries;
  EXPECT_EQ(entries, files.size()) << "no temporary file may be left behind";
}

TEST_F(TagCli, ReadOnlyFileFailsAloneAndStaysUnchanged) {
  const auto files = make_album("album");
  const fs::path locked = files[0];
  const std::string before = file_bytes(locked);
  fs::permissions(locked, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
  const auto r = gloss({"album"});
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_NE(r.err.find(("album" / locked.filename()).string() + ": the file is read-only"), std::string::npos) << r.err;
  EXPECT_EQ(file_bytes(locked), before);
  for (std::size_t i = 1; i < files.size(); ++i)
    EXPECT_FALSE(gloss::cli::read_gain_tags(files[i]).empty()) << files[i] << " should be tagged";
}

TEST_F(TagCli, SkipTaggedSkipsOnlyAlbumsTaggedWithTheSameSettings) {
  const auto same = make_album("same"), other = make_album("other"), fresh = make_album("fresh");
  ASSERT_EQ(gloss({"same"}).status, 0);
  ASSERT_EQ(gloss({"other", "--reference", "-20"}).status, 0);
  std::map<fs::path, std::string> bytes;
  for (const fs::path& p : same) bytes[p] = file_bytes(p);
  const auto r = gloss({"same", "other", "fresh", "--skip-tagged"});
  ASSERT_EQ(r.status, 0) << r.err;
  for (const fs::path& p : same) EXPECT_EQ(file_bytes(p), bytes[p]) << p << " was rewritten";
  EXPECT_NE(r.err.find(std::to_string(same.size()) + " skipped"), std::string::npos) << r.err;
  for (const auto* album : {&other, &fresh})
    for (const fs::path& p : *album) {
      if (p.extension() == ".opus") continue;
      EXPECT_EQ(value_of(gloss::cli::read_gain_tags(p), "REPLAYGAIN_REFERENCE_LOUDNESS"), "-18.00 LUFS") << p;
    }
}

TEST_F(TagCli, UnsupportedFileIsReportedAndTheRunGoesOn) {
  const auto files = make_album("album");
  const fs::path caf = root_ / "album" / "z.caf";
  ASSERT_TRUE(write_track(caf, gloss::test::programme(48000, 2, 3.0, 9), SF_FORMAT_CAF | SF_FORMAT_PCM_16));
  const std::string before = file_bytes(caf);
  const auto r = gloss({"album"});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("album/z.caf: TagLib cannot write tags"), std::string::npos) << r.err;
  EXPECT_EQ(file_bytes(caf), before);
  EXPECT_FALSE(gloss::cli::read_gain_tags(files[0]).empty());
}

// loudgain (Debian package) on the same files: gains agree within 0.01 dB.
TEST_F(TagCli, AgreesWithLoudgain) {
  const std::string loudgain = find_program("loudgain");
  if (loudgain.empty()) GTEST_SKIP() << "loudgain is not installed (apt-get install loudgain); agreement not checked";
  for (const Format& f : kFormats) {
    SCOPED_TRACE(f.ext);
    // An album of three files of one format (loudgain refuses albums of mixed types).
    const fs::path dir = root_ / ("lg-" + f.ext);
    fs::create_directories(dir);
    std::vector<std::string> args = {"-a", "-s", "s", "-q", "-O"};
    std::vector<fs::path> files;
    for (int n = 0; n < 3; ++n) {
      gloss::AudioTrack t = gloss::test::programme(48000, 2, 8.0, 40 + static_cast<std::uint64_t>(n));
      for (float& s : t.samples) s = static_cast<float>(s * std::pow(10.0, -4.0 * n / 20));
      const fs::path p = dir / (std::to_string(n) + "." + f.ext);
      if (!write_track(p, t, f.sf_format)) break;
      files.push_back(p);
      args.push_back(p.string());
    }
    ASSERT_EQ(files.size(), 3u) << "libsndfile could not write " << f.ext;
    const auto lg = gloss::test::run_program(loudgain, args, root_, scratch_);
    ASSERT_EQ(lg.status, 0) << lg.err;
    // Tab-separated: File Loudness Range True_Peak True_Peak_dBTP Reference Will_clip Clip_prevent Gain ...
    std::map<std::string, double> gains;
    std::istringstream lines(lg.out);
    for (std::string line; std::getline(lines, line);) {
      std::vector<std::string> cols;
      std::istringstream cells(line);
      for (std::string c; std::getline(cells, c, '\t');) cols.push_back(c);
      if (cols.size() > 8 && cols[0] != "File") gains[cols[0]] = std::stod(cols[8]);
    }
    ASSERT_EQ(gloss({dir.filename().string()}).status, 0);
    for (const fs::path& p : files) {
      ASSERT_TRUE(gains.count(p.string())) << lg.out;
      const Tags tags = gloss::cli::read_gain_tags(p);
      double ours = 0, album = 0;
      if (f.ext == "opus") {  // R128 is relative to -23 LUFS: loudgain prints that gain too
        ours = std::stod(value_of(tags, "R128_TRACK_GAIN")) / 256;
        album = std::stod(value_of(tags, "R128_ALBUM_GAIN")) / 256;
      } else {
        ours = std::stod(value_of(tags, "REPLAYGAIN_TRACK_GAIN"));
        album = std::stod(value_of(tags, "REPLAYGAIN_ALBUM_GAIN"));
      }
      // Both sides write 1/100 dB (R128: 1/256 dB, one more rounding step of up to 0.002 dB).
      const double tolerance = (f.ext == "opus" ? 0.012 : 0.01) + 1e-9;
      EXPECT_NEAR(ours, gains[p.string()], tolerance) << p;
      ASSERT_TRUE(gains.count("Album")) << lg.out;
      EXPECT_NEAR(album, gains["Album"], tolerance) << p;
    }
  }
}

}  // namespace

namespace {

// The --json/--csv/--html reports of a tag run say what was written to each file: the tags
// in the report are the tags in the files, the gains follow from the report's own loudness
// numbers, and a file that could not be tagged is there with its reason.
TEST_F(TagCli, ReportsRecordWhatWasWritten) {
  const auto files = make_album("album");
  const fs::path locked = files[1];
  fs::permissions(locked, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
  const auto r = gloss({"album", "--json", "tag.json", "--csv", "tag.csv", "--html", "tag.html"});
  EXPECT_EQ(r.status, 1) << r.err;
  const auto doc = nlohmann::json::parse(file_bytes(root_ / "tag.json"));
  EXPECT_EQ(doc.at("schema"), "gloss.analysis");
  EXPECT_EQ(doc.at("settings").at("tag").at("reference_lufs"), -18.0);
  const auto& tracks = doc.at("albums").at(0).at("tracks");
  ASSERT_EQ(tracks.size(), files.size());
  for (std::size_t i = 0; i < files.size(); ++i) {
    SCOPED_TRACE(files[i].string());
    const auto& t = tracks[i];
    ASSERT_EQ(t.at("status"), "ok");
    const auto& tag = t.at("tag");
    if (files[i] == locked) {
      EXPECT_EQ(tag.at("status"), "failed");
      EXPECT_NE(tag.at("error").get<std::string>().find("read-only"), std::string::npos) << tag;
      continue;
    }
    EXPECT_EQ(tag.at("status"), "written");
    EXPECT_NEAR(tag.at("track_gain_db").get<double>(), -18.0 - t.at("integrated_lufs").get<double>(), 1e-3);
    const Tags in_file = gloss::cli::read_gain_tags(files[i]);
    std::size_t compared = 0;
    for (const auto& [name, value] : tag.at("tags").items()) {
      EXPECT_EQ(value_of(in_file, name), value.get<std::string>()) << name;
      ++compared;
    }
    EXPECT_EQ(compared, in_file.size());
  }
  const std::string csv = file_bytes(root_ / "tag.csv");
  EXPECT_NE(csv.find(",tag_status,track_gain_db,track_peak,album_gain_db,album_peak,tag_error\n"), std::string::npos);
  EXPECT_NE(csv.find(",written,"), std::string::npos) << csv;
  const std::string html = file_bytes(root_ / "tag.html");
  EXPECT_NE(html.find("written: track "), std::string::npos);
  EXPECT_NE(html.find("not tagged: "), std::string::npos);

  // Dry run: planned, nothing written; --skip-tagged: the tagged album is reported skipped.
  fs::permissions(locked, fs::perms::owner_read | fs::perms::owner_write);
  ASSERT_EQ(gloss({"album"}).status, 0);
  const auto dry = gloss({"album", "--dry-run", "--json", "dry.json"});
  ASSERT_EQ(dry.status, 0) << dry.err;
  const auto planned = nlohmann::json::parse(file_bytes(root_ / "dry.json"));
  for (const auto& t : planned.at("albums").at(0).at("tracks")) EXPECT_EQ(t.at("tag").at("status"), "planned");
  const auto skip = gloss({"album", "--skip-tagged", "--json", "skip.json"});
  ASSERT_EQ(skip.status, 0) << skip.err;
  const auto skipped = nlohmann::json::parse(file_bytes(root_ / "skip.json"));
  for (const auto& t : skipped.at("albums").at(0).at("tracks")) EXPECT_EQ(t.at("status"), "skipped");
  EXPECT_EQ(skipped.at("summary").at("failed"), 0);
}

// A report that can't be written is a usage error before any file is touched.
TEST_F(TagCli, AnUnwritableReportStopsBeforeTagging) {
  const auto files = make_album("album");
  const std::string before = file_bytes(files[0]);
  const auto r = gloss({"album", "--json", "no-such-folder/tag.json"});
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_NE(r.err.find("no-such-folder"), std::string::npos) << r.err;
  EXPECT_EQ(file_bytes(files[0]), before);
}

}  // namespace
