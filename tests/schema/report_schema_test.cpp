// The JSON reports against their machine-readable schemas (cli/schema/, draft 2020-12):
// `gloss analyze --json` on a catalog with every kind of track and flag, its shards and
// their merge, and `gloss master --json` with a failed track and with a manifest's
// per-album settings. The schemas refuse undocumented fields, so a field added to a report
// fails here until cli/REPORT_SCHEMA.md and the schema describe it. Broken documents must
// fail, so the test is known to bite. Validation runs in Python's jsonschema (Debian:
// python3-jsonschema); without it the tests skip and say why.
#include <gtest/gtest.h>
#include <sndfile.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "support/run_program.hpp"
#include "support/signals.hpp"
#include "support/temp_folder.hpp"

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;
using gloss::test::run_program;

// Debian's interpreter first (where python3-jsonschema installs), then python3 on PATH.
std::vector<std::string> python_candidates() {
  std::vector<std::string> out{"/usr/bin/python3"};
  if (const char* path = std::getenv("PATH")) {
    std::string dirs = path;
    for (std::size_t start = 0; start <= dirs.size();) {
      const std::size_t end = std::min(dirs.find(':', start), dirs.size());
      if (end > start) out.push_back((fs::path(dirs.substr(start, end - start)) / "python3").string());
      start = end + 1;
    }
  }
  return out;
}

// A python3 with a jsonschema module that knows draft 2020-12, or the reason there is none.
struct Validator {
  std::string python;
  std::string missing;  // why the tests skip
};

const Validator& validator(const fs::path& scratch) {
  static const Validator found = [&] {
    Validator v;
    bool any_python = false;
    for (const std::string& candidate : python_candidates()) {
      if (access(candidate.c_str(), X_OK) != 0) continue;
      any_python = true;
      // Draft 2020-12 came with jsonschema 4.0 (Debian 12 has 4.10).
      const std::vector<std::string> probe{"-c", "import jsonschema; jsonschema.Draft202012Validator"};
      if (run_program(candidate, probe, scratch, scratch).status == 0) {
        v.python = candidate;
        return v;
      }
    }
    v.missing = any_python ? "python3 has no jsonschema module with draft 2020-12 (4.0 or later; Debian: apt-get "
                             "install python3-jsonschema)"
                           : "no python3 found (Debian: apt-get install python3 python3-jsonschema)";
    return v;
  }();
  return found;
}

enum class Sample { pcm16, pcm24, float32 };

void write_wav(const fs::path& path, const gloss::AudioTrack& track, Sample sample = Sample::pcm24) {
  fs::create_directories(path.parent_path());
  SF_INFO info{};
  info.samplerate = track.sample_rate;
  info.channels = track.channels;
  info.format = SF_FORMAT_WAV | (sample == Sample::pcm16   ? SF_FORMAT_PCM_16
                                 : sample == Sample::pcm24 ? SF_FORMAT_PCM_24
                                                           : SF_FORMAT_FLOAT);
  SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
  ASSERT_NE(f, nullptr) << path << ": " << sf_strerror(nullptr);
  std::vector<float> interleaved(track.samples.size());
  for (int c = 0; c < track.channels; ++c)
    for (std::int64_t n = 0; n < track.frames; ++n) interleaved[n * track.channels + c] = track.channel(c)[n];
  sf_writef_float(f, interleaved.data(), track.frames);
  sf_close(f);
}

void write_text(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

gloss::AudioTrack music(int rate, int channels, double seconds, std::uint64_t seed, double gain = 0.5) {
  gloss::AudioTrack t = gloss::test::programme(rate, channels, seconds, seed);
  for (float& s : t.samples) s *= static_cast<float>(gain);
  return t;
}

gloss::AudioTrack silence(int rate, double seconds) {
  return gloss::test::tone_sequence(rate, 2, 1000, {{seconds, gloss::test::kSilence}});
}

class ReportSchema : public ::testing::Test {
 protected:
  void SetUp() override {
    if (const Validator& v = validator(scratch()); !v.missing.empty()) GTEST_SKIP() << v.missing;
  }

  fs::path scratch() {
    fs::path p = folder_.path() / ("scratch" + std::to_string(++runs_));
    fs::create_directories(p);
    return p;
  }
  fs::path root() const { return folder_.path(); }

  gloss::test::Outcome run_gloss(const std::vector<std::string>& args) {
    return run_program(GLOSS_EXE, args, root(), scratch());
  }

  // Runs the validator on reports (relative to root()); returns its outcome.
  gloss::test::Outcome validate(const std::vector<std::string>& reports) {
    std::vector<std::string> args{GLOSS_SCHEMA_VALIDATOR, GLOSS_SCHEMA_DIR};
    args.insert(args.end(), reports.begin(), reports.end());
    return run_program(validator(root()).python, args, root(), scratch());
  }
  void expect_valid(const std::vector<std::string>& reports) {
    const auto r = validate(reports);
    EXPECT_EQ(r.status, 0) << r.out << r.err;
  }

  // A copy of a valid report with one change; the validator must refuse it and name `where`.
  void expect_refused(const std::string& report, const std::string& name, const std::function<void(Json&)>& change,
                      const std::string& where) {
    Json document = Json::parse(gloss::test::read_text(root() / report));
    change(document);
    write_text(root() / name, document.dump(2));
    const auto r = validate({name});
    EXPECT_EQ(r.status, 1) << name << " was not refused:\n" << r.out << r.err;
    EXPECT_NE(r.out.find(where), std::string::npos) << name << ": the refusal does not name " << where << ":\n"
                                                    << r.out;
  }

  gloss::test::TempFolder folder_{"gloss-report-schema"};
  int runs_ = 0;
};

// Four albums: plain music; one with every per-track flag; one with a failed file, a silent
// track, a 22.05 kHz mono file (octave bands not measured: null) and a 96 kHz float file
// (rate and bit-depth mismatches); one whose only file fails (no album statistics). A hidden
// file and a text file are skipped; a missing path is a problem. Short tracks keep the run
// to seconds.
void make_analysis_catalog(const fs::path& catalog) {
  for (int k = 0; k < 3; ++k)
    write_wav(catalog / "Artist/Plain" / ("0" + std::to_string(k + 1) + " song.wav"), music(44100, 2, 4, 10 + k));

  const fs::path flagged = catalog / "Artist/Flagged";
  write_wav(flagged / "01 reference.wav", music(48000, 2, 4, 20));
  write_wav(flagged / "02 reference.wav", music(48000, 2, 4, 21));
  write_wav(flagged / "03 quiet.wav", music(48000, 2, 4, 22, 0.05));  // loudness outlier
  gloss::AudioTrack hot = music(48000, 2, 4, 23, 4.0);                // clipped, over the ceiling
  for (float& s : hot.samples) s = std::clamp(s, -1.0f, 1.0f);
  write_wav(flagged / "04 hot.wav", hot);
  gloss::AudioTrack offset = music(48000, 2, 4, 24);  // DC offset, out of phase (poor mono)
  for (std::int64_t n = 0; n < offset.frames; ++n) offset.channel(1)[n] = -offset.channel(0)[n] + 0.02f;
  write_wav(flagged / "05 phase.wav", offset);
  gloss::AudioTrack dull = gloss::test::sine(48000, 2, 80, 0.3, 4);  // tonal outlier: bass only
  write_wav(flagged / "06 bass.wav", dull);
  gloss::AudioTrack gaps = gloss::test::concatenate({silence(48000, 4), music(48000, 2, 2, 25), silence(48000, 6)});
  write_wav(flagged / "07 gaps.wav", gaps);

  const fs::path mixed = catalog / "Artist/Mixed";
  write_wav(mixed / "01 stereo.wav", music(44100, 2, 4, 30), Sample::pcm16);
  write_wav(mixed / "02 stereo.wav", music(44100, 2, 4, 31), Sample::pcm16);
  write_text(mixed / "03 broken.wav", "RIFF, but not a WAVE file at all");
  write_wav(mixed / "04 silent.wav", silence(44100, 8), Sample::pcm16);
  write_wav(mixed / "05 mono.wav", music(22050, 1, 4, 32), Sample::pcm16);
  write_wav(mixed / "06 hires.wav", music(96000, 2, 4, 33), Sample::float32);
  write_text(mixed / ".hidden.wav", "skipped");
  write_text(mixed / "cover.txt", "skipped");

  write_text(catalog / "Other/Unreadable/01 empty.wav", "");
}

TEST_F(ReportSchema, AnalysisReportsAndTheirMergeAreValid) {
  make_analysis_catalog(root() / "catalog");
  const std::vector<std::string> inputs{"catalog", "missing-folder"};
  auto analyze = [&](const std::string& json, const std::vector<std::string>& extra) {
    std::vector<std::string> args{"analyze"};
    args.insert(args.end(), inputs.begin(), inputs.end());
    args.insert(args.end(), {"--json", json, "--threads", "2"});
    args.insert(args.end(), extra.begin(), extra.end());
    const auto r = run_gloss(args);
    EXPECT_EQ(r.status, 1) << json << ": failed tracks and a missing path give 1\n" << r.err;
  };
  analyze("whole.json", {});
  analyze("shard1.json", {"--shard", "1/2"});
  analyze("shard2.json", {"--shard", "2/2", "--true-peak", "precise", "--album-rule", "mean"});
  analyze("shard2-itu.json", {"--shard", "2/2"});
  const auto merged = run_gloss({"report", "merge", "shard1.json", "shard2-itu.json", "--json", "merged.json"});
  ASSERT_EQ(merged.status, 0) << merged.err;
  expect_valid({"whole.json", "shard1.json", "shard2.json", "shard2-itu.json", "merged.json"});
  for (const std::string shard : {"shard1.json", "shard2.json"})
    EXPECT_FALSE(Json::parse(gloss::test::read_text(root() / shard)).at("albums").empty()) << shard << " has no album";

  // The documents exercise what the schema describes: every per-track flag shape, album
  // flags, failed tracks, an album without statistics, problems and skipped files.
  const Json whole = Json::parse(gloss::test::read_text(root() / "whole.json"));
  std::set<std::string> flags, album_flags;
  bool failed = false, no_statistics = false, unmeasured_band = false;
  for (const Json& album : whole.at("albums")) {
    no_statistics = no_statistics || album.at("album").is_null();
    for (const Json& f : album.at("flags")) album_flags.insert(f.at("flag").get<std::string>());
    for (const Json& t : album.at("tracks")) {
      failed = failed || t.at("status") == "failed";
      if (t.at("status") == "failed") continue;
      for (const Json& f : t.at("flags")) flags.insert(f.at("flag").get<std::string>());
      unmeasured_band = unmeasured_band || t.at("octave_bands_db").at("16000").is_null();
    }
  }
  EXPECT_TRUE(failed);
  EXPECT_TRUE(no_statistics);
  EXPECT_TRUE(unmeasured_band);
  EXPECT_EQ(flags, (std::set<std::string>{"loudness_outlier", "tonal_outlier", "true_peak_over_ceiling", "clipping",
                                          "dc_offset", "sample_rate_mismatch", "bit_depth_mismatch",
                                          "poor_mono_compatibility", "long_head_silence", "long_tail_silence"}));
  EXPECT_EQ(album_flags, (std::set<std::string>{"sample_rate_mismatch", "bit_depth_mismatch"}));
  EXPECT_FALSE(whole.at("problems").empty());
  EXPECT_GT(whole.at("summary").at("skipped_files").get<int>(), 0);
}

// gloss tag writes gloss.analysis documents with its own settings and a tag object per
// measured track: written, planned (--dry-run), failed (a silent track), and tracks skipped
// by --skip-tagged; its shard reports merge like analyze's.
TEST_F(ReportSchema, TagReportsAndTheirMergeAreValid) {
  make_analysis_catalog(root() / "catalog");
  auto tag = [&](std::vector<std::string> extra) {
    std::vector<std::string> args{"tag", "catalog", "--threads", "2"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_gloss(args);
  };
  for (const std::string shard : {"1/2", "2/2"}) {  // exit 1 where a shard holds the broken files
    const auto r = tag({"--dry-run", "--shard", shard, "--json", "tag-shard" + shard.substr(0, 1) + ".json"});
    EXPECT_LE(r.status, 1) << r.err;
  }
  EXPECT_EQ(tag({"--json", "tag.json"}).status, 1);  // the broken, empty and silent files
  EXPECT_EQ(tag({"--skip-tagged", "--json", "tag-skip.json"}).status, 1);
  const auto merged = run_gloss({"report", "merge", "tag-shard1.json", "tag-shard2.json", "--json", "tag-merged.json"});
  ASSERT_EQ(merged.status, 0) << merged.err;
  expect_valid({"tag.json", "tag-skip.json", "tag-shard1.json", "tag-shard2.json", "tag-merged.json"});

  std::set<std::string> statuses;
  for (const std::string report : {"tag.json", "tag-skip.json", "tag-merged.json"}) {
    const Json document = Json::parse(gloss::test::read_text(root() / report));
    for (const Json& album : document.at("albums"))
      for (const Json& t : album.at("tracks")) {
        statuses.insert(t.at("status").get<std::string>());
        if (t.contains("tag")) statuses.insert("tag " + t.at("tag").at("status").get<std::string>());
      }
  }
  EXPECT_EQ(statuses, (std::set<std::string>{"ok", "failed", "skipped", "tag written", "tag planned", "tag failed"}));
}

// Masters a small album with a silent and a failed track, and (with a manifest) two albums
// of which one has its own target and mode.
class MasterSchema : public ReportSchema {
 protected:
  void make_album(const fs::path& album, std::uint64_t seed) {
    write_wav(album / "01 song.wav", music(44100, 2, 3, seed));
    write_wav(album / "02 song.wav", music(44100, 2, 3, seed + 1, 0.9));
  }
};

TEST_F(MasterSchema, MasterReportWithAFailedTrackIsValid) {
  make_album(root() / "catalog/Artist/Album", 40);
  write_wav(root() / "catalog/Artist/Album/03 silent.wav", silence(44100, 2));
  write_text(root() / "catalog/Artist/Album/04 broken.wav", "not audio");
  const auto r = run_gloss({"master", "catalog", "-o", "out", "--json", "master.json", "--threads", "2"});
  ASSERT_EQ(r.status, 1) << "the broken track makes the exit status 1\n" << r.err;
  // Run again: the album's entry now comes from the job's journal.
  const auto again = run_gloss({"master", "catalog", "-o", "out", "--json", "again.json", "--threads", "2"});
  ASSERT_EQ(again.status, 1) << again.err;
  expect_valid({"master.json", "again.json"});
  const Json report = Json::parse(gloss::test::read_text(root() / "master.json"));
  EXPECT_EQ(report.at("summary").at("failed"), 1);
  EXPECT_EQ(report.at("summary").at("written"), 3);
}

TEST_F(MasterSchema, ManifestAlbumSettingsAreValid) {
  make_album(root() / "catalog/Live", 50);
  make_album(root() / "catalog/Studio", 60);
  write_text(root() / "catalog/albums.json", R"({"albums": [
    {"id": "Band/Live", "tracks": ["Live/01 song.wav", "Live/02 song.wav"], "target_lufs": -16, "mode": "track"},
    {"id": "Band/Studio", "tracks": ["Studio/01 song.wav", "Studio/02 song.wav"]}]})");
  const auto r = run_gloss({"master", "--manifest", "catalog/albums.json", "-o", "out", "--json", "manifest.json",
                        "--threads", "2", "--format", "flac", "--bits", "16"});
  ASSERT_EQ(r.status, 0) << r.err;
  expect_valid({"manifest.json"});
  const Json report = Json::parse(gloss::test::read_text(root() / "manifest.json"));
  ASSERT_EQ(report.at("albums").size(), 2u);
  EXPECT_TRUE(report.at("albums")[0].at("settings").is_object());
  EXPECT_TRUE(report.at("albums")[1].at("settings").is_null());
}

TEST_F(MasterSchema, ShardReportsAndTheirMergeAreValid) {
  // Album 5 falls in shard 1/2, Albums 0 and 1 in 2/2 (shards are chosen by album id).
  for (int album : {0, 1, 5}) make_album(root() / "catalog" / ("Album " + std::to_string(album)), 70 + 10 * album);
  for (const std::string shard : {"1", "2"}) {
    const auto r = run_gloss({"master", "catalog", "-o", "out", "--json", "master" + shard + ".json", "--shard",
                          shard + "/2", "--threads", "2", "--rate", "48000"});
    ASSERT_EQ(r.status, 0) << r.err;
  }
  const auto merged = run_gloss({"report", "merge", "master1.json", "master2.json", "--json", "merged.json"});
  ASSERT_EQ(merged.status, 0) << merged.err;
  expect_valid({"master1.json", "master2.json", "merged.json"});
  for (const std::string shard : {"master1.json", "master2.json"})
    EXPECT_FALSE(Json::parse(gloss::test::read_text(root() / shard)).at("albums").empty()) << shard << " has no album";
}

// The schemas refuse what they must: a missing required field, a wrong type, an
// undocumented field, a value outside a closed set.
TEST_F(ReportSchema, BrokenDocumentsAreRefused) {
  write_wav(root() / "catalog/Album/01 song.wav", music(44100, 2, 3, 80));
  write_wav(root() / "catalog/Album/02 song.wav", music(44100, 2, 3, 81));
  ASSERT_EQ(run_gloss({"analyze", "catalog", "--json", "analysis.json"}).status, 0);
  ASSERT_EQ(run_gloss({"master", "catalog", "-o", "out", "--json", "master.json"}).status, 0);
  expect_valid({"analysis.json", "master.json"});

  expect_refused("analysis.json", "no-summary.json", [](Json& d) { d.erase("summary"); }, "'summary' is a required");
  expect_refused("analysis.json", "rate-as-text.json",
                 [](Json& d) { d["albums"][0]["tracks"][0]["sample_rate"] = "44100"; }, "/albums/0/tracks/0");
  expect_refused("analysis.json", "no-loudness.json",
                 [](Json& d) { d["albums"][0]["tracks"][1].erase("integrated_lufs"); }, "/albums/0/tracks/1");
  expect_refused("analysis.json", "undocumented.json", [](Json& d) { d["albums"][0]["tracks"][0]["bpm"] = 120; },
                 "/albums/0/tracks/0");
  expect_refused("analysis.json", "plus-inf.json",
                 [](Json& d) { d["albums"][0]["album"]["true_peak_dbtp"] = "+inf"; }, "/albums/0/album/true_peak_dbtp");
  expect_refused("analysis.json", "bad-rule.json", [](Json& d) { d["settings"]["album_rule"] = "median"; },
                 "/settings/album_rule");
  expect_refused("analysis.json", "version-3.json", [](Json& d) { d["schema_version"] = 3; },
                 "no schema gloss.analysis.v3");

  expect_refused("master.json", "no-provenance.json",
                 [](Json& d) { d["albums"][0]["tracks"][0].erase("provenance"); }, "'provenance' is a required");
  expect_refused("master.json", "short-sha.json",
                 [](Json& d) { d["albums"][0]["tracks"][0]["provenance"]["output_sha256"] = "abc123"; },
                 "/albums/0/tracks/0/provenance/output_sha256");
  expect_refused("master.json", "written-without-output.json",
                 [](Json& d) { d["albums"][0]["tracks"][0]["output"] = nullptr; }, "/albums/0/tracks/0/output");
  expect_refused("master.json", "bad-mode.json", [](Json& d) { d["settings"]["mode"] = "loudest"; }, "/settings/mode");
  expect_refused("master.json", "after-undocumented.json",
                 [](Json& d) { d["albums"][0]["tracks"][1]["after"]["flags"] = Json::array(); },
                 "/albums/0/tracks/1/after");
}

}  // namespace
