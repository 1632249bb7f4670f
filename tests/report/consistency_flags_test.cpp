// flag_album on hand-built measured-track objects: every flag on and off around its
// threshold, the album references (median loudness, median tonal balance), mismatches,
// failed and silent tracks, and the threshold names and values `--flag` accepts.
#include <gtest/gtest.h>

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "consistency_flags.hpp"

namespace {

using gloss::cli::AlbumFlags;
using gloss::cli::FlagThresholds;
using gloss::cli::Json;
using gloss::cli::flag_album;

// A clean, ordinary measured track (the fields flag_album reads, as gloss.analysis has them).
Json track(double lufs = -14.0) {
  return Json{{"file", "a/t.wav"},
              {"container", "wav"},
              {"sample_format", "pcm_16"},
              {"sample_rate", 44100},
              {"duration_s", 200.0},
              {"integrated_lufs", lufs},
              {"true_peak_dbtp", -3.0},
              {"dc_offset", Json::array({0.00001, -0.00002})},
              {"clipped_runs", 0},
              {"clipped_samples", 0},
              {"stereo_correlation", 0.5},
              {"mono_loss_lu", 1.2},
              {"octave_bands_db",
               Json{{"31.25", -30.0}, {"62.5", -24.0}, {"125", -22.0}, {"250", -23.0}, {"500", -24.0},
                    {"1000", -26.0}, {"2000", -28.0}, {"4000", -31.0}, {"8000", -35.0}, {"16000", -42.0}}},
              {"head_silence_s", 0.1},
              {"tail_silence_s", 0.8}};
}

std::vector<Json> album(std::size_t n) { return std::vector<Json>(n, track()); }

AlbumFlags run(const std::vector<Json>& tracks, const FlagThresholds& th = {}) {
  std::vector<const Json*> pointers;
  for (const Json& t : tracks) pointers.push_back(t.is_null() ? nullptr : &t);
  return flag_album(pointers, th);
}

std::set<std::string> names(const Json& flags) {
  std::set<std::string> out;
  for (const Json& f : flags) out.insert(f["flag"].get<std::string>());
  return out;
}

// Flags of track `i` when it alone is changed by `change`, in an album of five.
Json flags_of_changed(const std::function<void(Json&)>& change, const FlagThresholds& th = {}, std::size_t i = 2) {
  std::vector<Json> tracks = album(5);
  change(tracks[i]);
  const AlbumFlags f = run(tracks, th);
  for (std::size_t k = 0; k < tracks.size(); ++k) {
    if (k != i) {
      EXPECT_TRUE(f.tracks[k].empty()) << "track " << k << ": " << f.tracks[k].dump();
    }
  }
  return f.tracks[i];
}

TEST(ConsistencyFlags, AnOrdinaryAlbumHasNoFlags) {
  const AlbumFlags f = run(album(6));
  ASSERT_EQ(f.tracks.size(), 6u);
  for (const Json& t : f.tracks) EXPECT_TRUE(t.is_array() && t.empty()) << t.dump();
  EXPECT_TRUE(f.album.is_array() && f.album.empty());
}

TEST(ConsistencyFlags, LoudnessOutlierAgainstTheMedianTrack) {
  // The median ignores the outlier itself: the value is its full distance from the others.
  const Json over = flags_of_changed([](Json& t) { t["integrated_lufs"] = -14.0 + 4.1; });
  ASSERT_EQ(names(over), std::set<std::string>{"loudness_outlier"});
  EXPECT_NEAR(over[0]["value"].get<double>(), 4.1, 1e-9);
  EXPECT_EQ(over[0]["threshold"], 4.0);
  EXPECT_NE(over[0]["message"].get<std::string>().find("4.1 LU louder"), std::string::npos) << over[0]["message"];
  EXPECT_TRUE(flags_of_changed([](Json& t) { t["integrated_lufs"] = -14.0 + 3.9; }).empty());
  const Json quiet = flags_of_changed([](Json& t) { t["integrated_lufs"] = -14.0 - 4.5; });
  ASSERT_EQ(names(quiet), std::set<std::string>{"loudness_outlier"});
  EXPECT_NEAR(quiet[0]["value"].get<double>(), -4.5, 1e-9);
  EXPECT_NE(quiet[0]["message"].get<std::string>().find("quieter"), std::string::npos);
  FlagThresholds strict;
  strict.loudness_outlier_lu = 2;
  EXPECT_EQ(names(flags_of_changed([](Json& t) { t["integrated_lufs"] = -14.0 + 2.5; }, strict)),
            std::set<std::string>{"loudness_outlier"});
}

TEST(ConsistencyFlags, TonalOutlierNamesTheBand) {
  // Raising one of the nine compared bands by d moves the track's mean band level by d/9, so
  // the band stands d * 8/9 above the album's balance.
  auto raise_bass = [](double d) {
    return [d](Json& t) { t["octave_bands_db"]["62.5"] = t["octave_bands_db"]["62.5"].get<double>() + d; };
  };
  const Json over = flags_of_changed(raise_bass(7.0));
  ASSERT_EQ(names(over), std::set<std::string>{"tonal_outlier"});
  EXPECT_NEAR(over[0]["value"].get<double>(), 7.0 * 8 / 9, 1e-4);
  EXPECT_EQ(over[0]["band_hz"], "62.5");
  EXPECT_NE(over[0]["message"].get<std::string>().find("62.5 Hz octave is 6.2 dB above"), std::string::npos)
      << over[0]["message"];
  EXPECT_TRUE(flags_of_changed(raise_bass(6.5)).empty());  // 5.8 dB
  // A dull track: the 16 kHz octave 8 dB down.
  const Json dull = flags_of_changed([](Json& t) { t["octave_bands_db"]["16000"] = -50.0; });
  ASSERT_EQ(names(dull), std::set<std::string>{"tonal_outlier"});
  EXPECT_LT(dull[0]["value"].get<double>(), -6.0);
  EXPECT_EQ(dull[0]["band_hz"], "16000");
  // 31.25 Hz is not compared; a louder or quieter track with the same balance is not tonal.
  EXPECT_TRUE(flags_of_changed([](Json& t) { t["octave_bands_db"]["31.25"] = -10.0; }).empty());
  EXPECT_TRUE(flags_of_changed([](Json& t) {
                for (auto& [band, level] : t["octave_bands_db"].items()) level = level.get<double>() - 3.0;
              }).empty());
}

TEST(ConsistencyFlags, TruePeakClippingAndDcAroundTheirThresholds) {
  EXPECT_TRUE(flags_of_changed([](Json& t) { t["true_peak_dbtp"] = -1.0; }).empty());
  const Json peak = flags_of_changed([](Json& t) { t["true_peak_dbtp"] = -0.99; });
  ASSERT_EQ(names(peak), std::set<std::string>{"true_peak_over_ceiling"});
  EXPECT_EQ(peak[0]["threshold"], -1.0);

  const Json clip = flags_of_changed([](Json& t) {
    t["clipped_runs"] = 1;
    t["clipped_samples"] = 4;
  });
  ASSERT_EQ(names(clip), std::set<std::string>{"clipping"});
  EXPECT_EQ(clip[0]["value"], 1);
  EXPECT_NE(clip[0]["message"].get<std::string>().find("1 clipping run (4 samples"), std::string::npos) << clip[0];
  FlagThresholds tolerant;
  tolerant.clipped_runs = 5;
  EXPECT_TRUE(flags_of_changed([](Json& t) { t["clipped_runs"] = 4; }, tolerant).empty());
  EXPECT_EQ(names(flags_of_changed([](Json& t) { t["clipped_runs"] = 5; }, tolerant)), std::set<std::string>{"clipping"});

  EXPECT_TRUE(flags_of_changed([](Json& t) { t["dc_offset"] = Json::array({0.003, -0.0029}); }).empty());
  const Json dc = flags_of_changed([](Json& t) { t["dc_offset"] = Json::array({0.001, -0.0031}); });
  ASSERT_EQ(names(dc), std::set<std::string>{"dc_offset"});
  EXPECT_EQ(dc[0]["value"], 0.0031);
  EXPECT_NE(dc[0]["message"].get<std::string>().find("channel 2"), std::string::npos) << dc[0]["message"];
}

TEST(ConsistencyFlags, MonoCompatibilityByLossOrCorrelation) {
  const Json loss = flags_of_changed([](Json& t) { t["mono_loss_lu"] = 4.1; });
  ASSERT_EQ(names(loss), std::set<std::string>{"poor_mono_compatibility"});
  EXPECT_EQ(loss[0]["value"], 4.1);
  EXPECT_EQ(loss[0]["threshold"], 4.0);
  EXPECT_TRUE(flags_of_changed([](Json& t) {
                t["mono_loss_lu"] = 3.9;
                t["stereo_correlation"] = -0.19;
              }).empty());
  const Json phase = flags_of_changed([](Json& t) {
    t["mono_loss_lu"] = 3.9;
    t["stereo_correlation"] = -0.25;
  });
  ASSERT_EQ(names(phase), std::set<std::string>{"poor_mono_compatibility"});
  EXPECT_EQ(phase[0]["value"], -0.25);
  EXPECT_EQ(phase[0]["threshold"], -0.2);
  // Mono tracks have neither value: nothing to flag.
  EXPECT_TRUE(flags_of_changed([](Json& t) {
                t["mono_loss_lu"] = nullptr;
                t["stereo_correlation"] = nullptr;
              }).empty());
}

TEST(ConsistencyFlags, LongHeadAndTailSilence) {
  EXPECT_TRUE(flags_of_changed([](Json& t) { t["head_silence_s"] = 3.0; }).empty());
  EXPECT_EQ(names(flags_of_changed([](Json& t) { t["head_silence_s"] = 3.1; })),
            std::set<std::string>{"long_head_silence"});
  EXPECT_TRUE(flags_of_changed([](Json& t) { t["tail_silence_s"] = 5.0; }).empty());
  const Json tail = flags_of_changed([](Json& t) { t["tail_silence_s"] = 12.5; });
  ASSERT_EQ(names(tail), std::set<std::string>{"long_tail_silence"});
  EXPECT_EQ(tail[0]["value"], 12.5);
}

TEST(ConsistencyFlags, SampleRateAndBitDepthMismatchesFlagTheOddTracksAndTheAlbum) {
  std::vector<Json> tracks = album(5);
  for (std::size_t i = 0; i < tracks.size(); ++i) tracks[i]["file"] = "a/" + std::to_string(i + 1) + ".wav";
  tracks[3]["sample_rate"] = 48000;
  tracks[1]["sample_format"] = "pcm_24";
  const AlbumFlags f = run(tracks);
  EXPECT_TRUE(f.tracks[0].empty());
  ASSERT_EQ(names(f.tracks[1]), std::set<std::string>{"bit_depth_mismatch"});
  EXPECT_EQ(f.tracks[1][0]["value"], "pcm_24");
  EXPECT_EQ(f.tracks[1][0]["expected"], "pcm_16");
  ASSERT_EQ(names(f.tracks[3]), std::set<std::string>{"sample_rate_mismatch"});
  EXPECT_EQ(f.tracks[3][0]["value"], 48000);
  EXPECT_EQ(f.tracks[3][0]["expected"], 44100);
  ASSERT_EQ(f.album.size(), 2u);
  EXPECT_EQ(f.album[0]["flag"], "sample_rate_mismatch");
  EXPECT_EQ(f.album[0]["tracks"], Json::parse("[3]"));
  EXPECT_NE(f.album[0]["message"].get<std::string>().find("a/4.wav"), std::string::npos) << f.album[0];
  EXPECT_EQ(f.album[1]["flag"], "bit_depth_mismatch");
  EXPECT_EQ(f.album[1]["expected"], "pcm_16");
  EXPECT_EQ(f.album[1]["tracks"], Json::parse("[1]"));

  // A tie goes to the value met first in album order.
  std::vector<Json> two = album(2);
  two[1]["sample_rate"] = 96000;
  const AlbumFlags tie = run(two);
  EXPECT_TRUE(tie.tracks[0].empty());
  EXPECT_EQ(names(tie.tracks[1]), std::set<std::string>{"sample_rate_mismatch"});
}

TEST(ConsistencyFlags, FailedAndSilentTracksStayOutOfTheAlbumReferences) {
  std::vector<Json> tracks = album(4);
  tracks[1] = Json();  // failed
  Json silent = track();
  silent["integrated_lufs"] = "-inf";
  silent["true_peak_dbtp"] = "-inf";
  silent["head_silence_s"] = 200.0;
  silent["tail_silence_s"] = 200.0;
  for (auto& [band, level] : silent["octave_bands_db"].items()) level = "-inf";
  tracks.push_back(silent);
  const AlbumFlags f = run(tracks);
  ASSERT_EQ(f.tracks.size(), 5u);
  EXPECT_TRUE(f.tracks[1].empty());
  for (std::size_t i : {0u, 2u, 3u}) EXPECT_TRUE(f.tracks[i].empty()) << i << f.tracks[i].dump();
  EXPECT_EQ(names(f.tracks[4]), (std::set<std::string>{"long_head_silence", "long_tail_silence"}));
  EXPECT_NE(f.tracks[4][0]["message"].get<std::string>().find("whole track"), std::string::npos);
  // One measured track alone is its own album: nothing to be an outlier from.
  EXPECT_TRUE(run({track(-30.0)}).tracks[0].empty());
}

TEST(ConsistencyFlags, ShorterObjectsRaiseOnlyWhatTheirFieldsAllow) {
  // The shape of gloss.master's before/after objects: no bands, DC, clipping or silence.
  auto brief = [](double lufs, double peak, int rate) {
    return Json{{"sample_rate", rate}, {"integrated_lufs", lufs}, {"loudness_range_lu", 6.0},
                {"true_peak_dbtp", peak}, {"sample_peak_dbfs", peak}, {"plr_db", peak - lufs},
                {"clipped_runs", nullptr}};
  };
  const AlbumFlags f = run({brief(-14, -2, 44100), brief(-14, 0.5, 44100), brief(-8, -2, 44100), brief(-14, -2, 48000),
                            brief(-14, -2, 44100)});
  EXPECT_TRUE(f.tracks[0].empty());
  EXPECT_EQ(names(f.tracks[1]), std::set<std::string>{"true_peak_over_ceiling"});
  EXPECT_EQ(names(f.tracks[2]), std::set<std::string>{"loudness_outlier"});
  EXPECT_EQ(names(f.tracks[3]), std::set<std::string>{"sample_rate_mismatch"});
  EXPECT_EQ(names(f.album), std::set<std::string>{"sample_rate_mismatch"});
}

TEST(ConsistencyFlags, FlagsAreDeterministic) {
  std::vector<Json> tracks = album(7);
  for (std::size_t i = 0; i < tracks.size(); ++i) tracks[i]["integrated_lufs"] = -20.0 + 1.7 * static_cast<double>(i);
  tracks[2]["octave_bands_db"]["4000"] = -20.0;
  EXPECT_EQ(run(tracks).tracks, run(tracks).tracks);
}

TEST(FlagThresholds, NamesValuesAndErrors) {
  FlagThresholds th;
  EXPECT_EQ(gloss::cli::set_flag_threshold(th, "loudness_outlier_lu=2.5"), "");
  EXPECT_EQ(th.loudness_outlier_lu, 2.5);
  EXPECT_EQ(gloss::cli::set_flag_threshold(th, "clipped_runs=10"), "");
  EXPECT_EQ(th.clipped_runs, 10);
  EXPECT_EQ(gloss::cli::set_flag_threshold(th, "stereo_correlation=-0.5"), "");
  EXPECT_EQ(th.stereo_correlation, -0.5);
  EXPECT_EQ(gloss::cli::set_flag_threshold(th, "true_peak_ceiling_dbtp=-2"), "");
  EXPECT_EQ(th.true_peak_ceiling_dbtp, -2.0);

  const FlagThresholds before = th;
  const std::string unknown = gloss::cli::set_flag_threshold(th, "loudness=3");
  for (const char* name : {"loudness_outlier_lu", "tonal_outlier_db", "true_peak_ceiling_dbtp", "clipped_runs",
                           "dc_offset", "mono_loss_lu", "stereo_correlation", "head_silence_s", "tail_silence_s"})
    EXPECT_NE(unknown.find(name), std::string::npos) << name << " missing from: " << unknown;
  EXPECT_NE(gloss::cli::set_flag_threshold(th, "dc_offset"), "");        // no value
  EXPECT_NE(gloss::cli::set_flag_threshold(th, "dc_offset=abc"), "");    // not a number
  EXPECT_NE(gloss::cli::set_flag_threshold(th, "dc_offset=-0.1"), "");   // out of range
  EXPECT_NE(gloss::cli::set_flag_threshold(th, "dc_offset=0.1x"), "");   // trailing junk
  EXPECT_NE(gloss::cli::set_flag_threshold(th, "clipped_runs=2.5"), "");  // not whole
  EXPECT_NE(gloss::cli::set_flag_threshold(th, "clipped_runs=0"), "");
  EXPECT_NE(gloss::cli::set_flag_threshold(th, "stereo_correlation=2"), "");
  EXPECT_NE(gloss::cli::set_flag_threshold(th, "head_silence_s=nan"), "");
  EXPECT_EQ(th.loudness_outlier_lu, before.loudness_outlier_lu);
  EXPECT_EQ(th.dc_offset, before.dc_offset);
  EXPECT_EQ(th.clipped_runs, before.clipped_runs);

  const Json defaults = gloss::cli::thresholds_json(FlagThresholds{});
  EXPECT_EQ(defaults.dump(),
            R"({"loudness_outlier_lu":4.0,"tonal_outlier_db":6.0,"true_peak_ceiling_dbtp":-1.0,"clipped_runs":1,)"
            R"("dc_offset":0.003,"mono_loss_lu":4.0,"stereo_correlation":-0.2,"head_silence_s":3.0,"tail_silence_s":5.0})");
  EXPECT_EQ(gloss::cli::thresholds_text(FlagThresholds{}),
            "loudness_outlier_lu=4.0, tonal_outlier_db=6.0, true_peak_ceiling_dbtp=-1.0, clipped_runs=1, dc_offset=0.003, "
            "mono_loss_lu=4.0, stereo_correlation=-0.2, head_silence_s=3.0, tail_silence_s=5.0");
}

TEST(FlagThresholds, TableSummaries) {
  std::vector<Json> tracks = album(5);
  tracks[0]["integrated_lufs"] = -9.0;
  tracks[1]["dc_offset"] = Json::array({0.0123, 0.0});
  tracks[2]["octave_bands_db"]["125"] = -12.0;
  const AlbumFlags f = run(tracks);
  EXPECT_EQ(gloss::cli::flag_summary(f.tracks[0][0]), "loudness_outlier +5.0");
  EXPECT_EQ(gloss::cli::flag_summary(f.tracks[1][0]), "dc_offset 0.0123");
  EXPECT_EQ(gloss::cli::flag_summary(f.tracks[2][0]), "tonal_outlier +8.9 (125 Hz)");
}

}  // namespace
