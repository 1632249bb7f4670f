#include "tone_match.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "detmath.hpp"

namespace gloss {

namespace {

constexpr double kSqrt2 = 1.4142135623730951;
constexpr int kSolveIterations = 40;  // Jacobi: the bells' overlap (<= ~0.45 per row) shrinks the error each round
constexpr int kBoundIterations = 20;
constexpr double kCheckLowHz = 20;
constexpr int kCheckStepsPerOctave = 24;
constexpr int kCheckSteps = 10 * kCheckStepsPerOctave;  // 20 Hz .. 20.48 kHz

// A band of the tone range lies wholly below the track's Nyquist frequency.
bool below_nyquist(std::size_t band, int sample_rate) {
  return kOctaveCentresHz[band] * kSqrt2 < 0.5 * sample_rate;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// The track's band levels relative to the median of its used bands; nullopt where unused.
OctaveLevels relative_levels(const TrackAnalysis& a) {
  OctaveLevels out{};
  double loudest = -std::numeric_limits<double>::infinity();
  for (std::size_t b = kToneFirstBand; b <= kToneLastBand; ++b)
    if (below_nyquist(b, a.sample_rate) && a.octave_band_db[b] && std::isfinite(*a.octave_band_db[b]))
      loudest = std::max(loudest, *a.octave_band_db[b]);
  if (!std::isfinite(loudest)) return out;
  std::vector<double> used;
  for (std::size_t b = kToneFirstBand; b <= kToneLastBand; ++b) {
    const std::optional<double>& v = a.octave_band_db[b];
    if (below_nyquist(b, a.sample_rate) && v && std::isfinite(*v) && *v >= loudest - kToneFloorDb) {
      out[b] = *v;
      used.push_back(*v);
    }
  }
  const double reference = median(used);
  for (std::optional<double>& v : out)
    if (v) *v -= reference;
  return out;
}

double round_centi(double db) { return std::floor(db * 100 + 0.5) / 100; }

double response_db(const std::vector<EqBand>& bands, double hz) {
  EqSpec spec;
  spec.bands = bands;
  return target_db(spec, hz);
}

// The largest |response| in dB on the check grid.
double largest_excursion_db(const std::vector<EqBand>& bands) {
  double worst = 0;
  for (int k = 0; k <= kCheckSteps; ++k) {
    const double hz = kCheckLowHz * detmath::pow(2.0, static_cast<double>(k) / kCheckStepsPerOctave);
    worst = std::max(worst, std::fabs(response_db(bands, hz)));
  }
  return worst;
}

// Bells at `centres` whose summed response at each centre is `wanted`, kept within +-max_db.
std::vector<EqBand> realise(const std::vector<std::size_t>& centres, const std::vector<double>& wanted,
                            double max_db) {
  std::vector<EqBand> bells(centres.size());
  for (std::size_t k = 0; k < centres.size(); ++k) {
    bells[k].type = EqBandType::bell;
    bells[k].freq_hz = kOctaveCentresHz[centres[k]];
    bells[k].q = kToneBellQ;
    bells[k].gain_db = wanted[k];
  }
  for (int iteration = 0; iteration < kSolveIterations; ++iteration) {
    std::vector<double> error(centres.size());
    for (std::size_t k = 0; k < centres.size(); ++k)
      error[k] = wanted[k] - response_db(bells, kOctaveCentresHz[centres[k]]);
    for (std::size_t k = 0; k < centres.size(); ++k)
      bells[k].gain_db = std::clamp(bells[k].gain_db + error[k], -kEqMaxGainDb, kEqMaxGainDb);
  }
  for (int iteration = 0; iteration < kBoundIterations; ++iteration) {
    const double worst = largest_excursion_db(bells);
    if (worst <= max_db) break;
    const double scale = max_db / worst * 0.999;
    for (EqBand& b : bells) b.gain_db *= scale;
  }
  return bells;
}

}  // namespace

std::vector<ToneCorrection> tone_match_corrections(const std::vector<const TrackAnalysis*>& tracks,
                                                   const ToneMatchSettings& settings) {
  std::vector<ToneCorrection> out(tracks.size());
  if (tracks.size() < 2) return out;
  std::vector<OctaveLevels> relative;
  for (const TrackAnalysis* t : tracks) relative.push_back(relative_levels(*t));

  OctaveLevels album{};
  for (std::size_t b = kToneFirstBand; b <= kToneLastBand; ++b) {
    std::vector<double> levels;
    for (const OctaveLevels& r : relative)
      if (r[b]) levels.push_back(*r[b]);
    if (levels.size() >= 2) album[b] = median(levels);
  }

  for (std::size_t i = 0; i < tracks.size(); ++i) {
    std::array<double, kOctaveCentresHz.size()> raw{};
    for (std::size_t b = kToneFirstBand; b <= kToneLastBand; ++b)
      if (relative[i][b] && album[b]) raw[b] = (*album[b] - *relative[i][b]) * settings.strength;
    // Balance, not level: the median over the used bands is taken out (the gain plan sets level).
    std::vector<double> used;
    for (std::size_t b = kToneFirstBand; b <= kToneLastBand; ++b)
      if (relative[i][b] && album[b]) used.push_back(raw[b]);
    if (used.empty()) continue;
    const double level = median(used);
    for (std::size_t b = kToneFirstBand; b <= kToneLastBand; ++b)
      if (relative[i][b] && album[b]) raw[b] -= level;
    std::vector<std::size_t> centres;
    for (std::size_t b = kToneFirstBand; b <= kToneLastBand; ++b)
      if (below_nyquist(b, tracks[i]->sample_rate)) centres.push_back(b);
    if (centres.empty()) continue;

    std::vector<double> wanted(centres.size(), 0.0);
    bool any = false;
    for (std::size_t k = 0; k < centres.size(); ++k) {
      const std::size_t b = centres[k];
      if (!relative[i][b] || !album[b]) {
        out[i].wanted_db[b] = 0.0;
        continue;
      }
      double sum = 0.5 * raw[b], weight = 0.5;
      if (k > 0) sum += 0.25 * raw[centres[k - 1]], weight += 0.25;
      if (k + 1 < centres.size()) sum += 0.25 * raw[centres[k + 1]], weight += 0.25;
      wanted[k] = std::clamp(round_centi(sum / weight), -settings.max_db, settings.max_db);
      if (wanted[k] == 0) wanted[k] = 0.0;  // no -0 in reports
      out[i].wanted_db[b] = wanted[k];
      any = any || std::fabs(wanted[k]) >= kToneMinCorrectionDb;
    }
    if (any) out[i].bands = realise(centres, wanted, settings.max_db);
  }
  return out;
}

std::optional<double> tonal_spread_db(const std::vector<const TrackAnalysis*>& tracks) {
  std::vector<OctaveLevels> relative;
  for (const TrackAnalysis* t : tracks) relative.push_back(relative_levels(*t));
  double sum_of_variances = 0;
  int bands = 0;
  for (std::size_t b = kToneFirstBand; b <= kToneLastBand; ++b) {
    std::vector<double> levels;
    for (const OctaveLevels& r : relative)
      if (r[b]) levels.push_back(*r[b]);
    if (levels.size() < 2) continue;
    double mean = 0;
    for (double v : levels) mean += v;
    mean /= static_cast<double>(levels.size());
    double variance = 0;
    for (double v : levels) variance += (v - mean) * (v - mean);
    sum_of_variances += variance / static_cast<double>(levels.size());
    ++bands;
  }
  if (bands == 0) return std::nullopt;
  return std::sqrt(sum_of_variances / bands);
}

std::vector<std::pair<double, double>> tone_response_at_centres(const std::vector<EqBand>& bands, int sample_rate) {
  std::vector<std::pair<double, double>> out;
  for (std::size_t b = kToneFirstBand; b <= kToneLastBand; ++b)
    if (below_nyquist(b, sample_rate))
      out.emplace_back(kOctaveCentresHz[b], bands.empty() ? 0.0 : response_db(bands, kOctaveCentresHz[b]));
  return out;
}

}  // namespace gloss
