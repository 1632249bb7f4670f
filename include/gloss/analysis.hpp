// What the meter reports for a track and an album.
//
// Loudness values are LUFS (or LU for ranges and differences), peaks dBFS / dBTP.
// A value that has no meaning for the input (silence, shorter than a block) is -infinity
// (loudness) or std::nullopt (not applicable), never NaN.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gloss {

enum class TruePeakMode {
  Itu,      // BS.1770 Annex 2 interpolator (4x/2x/1x by rate) combined with the sample peak
  Precise,  // 16x windowed-sinc + peak refinement: within 0.01 dB of the reconstructed peak
};

enum class AlbumLoudnessRule {
  Pooled,        // gating over all tracks' blocks together (ReplayGain 2.0, libebur128 *_multiple)
  LoudestTrack,  // AES77: the loudest track's integrated loudness
  Mean,          // energy mean of the tracks' integrated loudness
};

struct MeterOptions {
  TruePeakMode true_peak = TruePeakMode::Itu;
  double silence_threshold_dbfs = -60.0;       // head/tail silence: all channels below this
  double clip_level = 32767.0 / 32768.0;       // |x| at or above this counts as clipped
  int min_clip_run = 3;                        // consecutive clipped samples that make a run
};

// Octave bands for tonal balance: centres 31.25 Hz ... 16 kHz (powers of two times 1 kHz).
inline constexpr std::array<double, 10> kOctaveCentresHz = {31.25, 62.5, 125,  250,  500,
                                                            1000,  2000, 4000, 8000, 16000};

struct ChannelMeasurement {
  double sample_peak = 0;  // linear, 1.0 = full scale
  double true_peak = 0;    // linear
  double dc_offset = 0;    // mean sample value
  std::int64_t clipped_runs = 0;
  std::int64_t clipped_samples = 0;
};

struct TrackAnalysis {
  int sample_rate = 0;
  int channels = 0;
  std::int64_t frames = 0;
  double duration_s = 0;

  double integrated_lufs = 0;      // gated (BS.1770-4); -inf when no block passes the gates
  double momentary_max_lufs = 0;   // 400 ms window, evaluated every 10 ms
  double short_term_max_lufs = 0;  // 3 s window, evaluated every 10 ms
  double loudness_range_lu = 0;    // EBU Tech 3342 (2023): short-term at 10 Hz
  std::vector<double> short_term_lufs;  // 3 s window every 100 ms (for plots)

  double sample_peak_dbfs = 0;
  double true_peak_dbtp = 0;
  std::optional<double> plr_db;           // true peak - integrated loudness (none for silence)
  std::optional<double> crest_factor_db;  // sample peak - RMS over all channels (none for silence)
  std::vector<ChannelMeasurement> per_channel;
  std::int64_t clipped_runs = 0;
  std::int64_t clipped_samples = 0;
  double max_abs_dc_offset = 0;

  std::optional<double> stereo_correlation;  // Pearson-like: sum(LR)/sqrt(sum(L^2) sum(R^2))
  std::optional<double> mono_loss_lu;        // stereo loudness - loudness of (L+R)/2 on both channels

  std::array<std::optional<double>, kOctaveCentresHz.size()> octave_band_db{};  // dBFS mean square
  double head_silence_s = 0;
  double tail_silence_s = 0;

  // Gating blocks (400 ms, 100 ms hop) as channel-weighted mean squares: what album
  // pooling needs. Not printed.
  std::vector<double> block_energies;
  // Short-term energies at 10 Hz including the Tech 3342 tail: what album LRA needs.
  std::vector<double> lra_energies;
};

struct AlbumAnalysis {
  AlbumLoudnessRule rule = AlbumLoudnessRule::Pooled;
  double integrated_lufs = 0;
  double loudness_range_lu = 0;
  double true_peak_dbtp = 0;
  double sample_peak_dbfs = 0;
  std::vector<std::optional<double>> track_deviation_lu;  // track - album integrated; none when either is -inf
};

// Album statistics from already analysed tracks, in track order.
AlbumAnalysis analyze_album(const std::vector<const TrackAnalysis*>& tracks, AlbumLoudnessRule rule);

std::string to_string(TruePeakMode mode);
std::string to_string(AlbumLoudnessRule rule);

}  // namespace gloss
