// Album statistics from analysed tracks, in track order (so the result never depends on
// which worker finished first).
#include <algorithm>
#include <limits>

#include "gloss/analysis.hpp"
#include "loudness_stats.hpp"

namespace gloss {

namespace {
const double kInf = std::numeric_limits<double>::infinity();

double album_loudness(const std::vector<const TrackAnalysis*>& tracks, AlbumLoudnessRule rule) {
  switch (rule) {
    case AlbumLoudnessRule::Pooled: {
      std::vector<double> blocks;
      for (const TrackAnalysis* t : tracks) blocks.insert(blocks.end(), t->block_energies.begin(), t->block_energies.end());
      return gated_loudness(blocks);
    }
    case AlbumLoudnessRule::LoudestTrack: {
      double best = -kInf;
      for (const TrackAnalysis* t : tracks) best = std::max(best, t->integrated_lufs);
      return best;
    }
    case AlbumLoudnessRule::Mean: {
      double sum = 0;
      int count = 0;
      for (const TrackAnalysis* t : tracks)
        if (t->integrated_lufs > -kInf) {
          sum += lufs_to_energy(t->integrated_lufs);
          ++count;
        }
      return count == 0 ? -kInf : energy_to_lufs(sum / count);
    }
  }
  return -kInf;
}
}  // namespace

AlbumAnalysis analyze_album(const std::vector<const TrackAnalysis*>& tracks, AlbumLoudnessRule rule) {
  AlbumAnalysis a;
  a.rule = rule;
  a.integrated_lufs = album_loudness(tracks, rule);
  std::vector<double> short_term;
  a.true_peak_dbtp = -kInf;
  a.sample_peak_dbfs = -kInf;
  for (const TrackAnalysis* t : tracks) {
    short_term.insert(short_term.end(), t->lra_energies.begin(), t->lra_energies.end());
    a.true_peak_dbtp = std::max(a.true_peak_dbtp, t->true_peak_dbtp);
    a.sample_peak_dbfs = std::max(a.sample_peak_dbfs, t->sample_peak_dbfs);
  }
  a.loudness_range_lu = loudness_range(short_term);
  for (const TrackAnalysis* t : tracks) {
    const bool defined = t->integrated_lufs > -kInf && a.integrated_lufs > -kInf;
    if (defined) a.track_deviation_lu.push_back(t->integrated_lufs - a.integrated_lufs);
    else a.track_deviation_lu.push_back(std::nullopt);
  }
  return a;
}

std::string to_string(TruePeakMode mode) { return mode == TruePeakMode::Precise ? "precise" : "itu"; }

std::string to_string(AlbumLoudnessRule rule) {
  switch (rule) {
    case AlbumLoudnessRule::Pooled: return "pooled";
    case AlbumLoudnessRule::LoudestTrack: return "loudest";
    case AlbumLoudnessRule::Mean: return "mean";
  }
  return "pooled";
}

}  // namespace gloss
