#include "eq_design.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <limits>
#include <stdexcept>

#include "detmath.hpp"

namespace gloss {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Window: flat (1.0) over the central (1 - kTaperFraction) of each half, then the falling
// half of a Kaiser window (beta kKaiserBeta) over the outer kTaperFraction. The zero-phase
// impulse responses of the analog prototypes decay exponentially; a window that tapers from
// the centre (a plain Kaiser) would smear the narrow low-frequency features the taps are
// there to resolve, while the flat top keeps them and the Kaiser tail still gives the
// truncation low sidelobes once the response has decayed.
constexpr double kTaperFraction = 0.2;
constexpr double kKaiserBeta = 8.0;
// taps >= kLengthFactor * fs / W: the flat part of each half then spans 0.8 * 1.5 / W
// seconds, ~7.5 time constants 1/(2 pi W) of the slowest-ringing band. Measured: every
// curve of tests/eq whose rule stays under the cap is within 0.005 dB (factor 2 gives
// up to 0.08 dB on a 48 dB/oct high-pass at 30 Hz).
constexpr double kLengthFactor = 3.0;
// The tilt eases to flat over one octave below 20 Hz: its narrowest feature.
constexpr double kTiltLowHz = 20, kTiltHighHz = 20000;
constexpr double kTiltFeatureHz = 10;
constexpr double kOddHighPassFeatureHz = 8;
// ... and taps >= kLowestBandFactor * fs / f for every band's frequency f (the tilt: 20 Hz),
// so the lowest band always gets a few of its periods (>= 8191 taps for 20-30 Hz at 48 kHz).
constexpr double kLowestBandFactor = 5.5;

bool is_identity(const EqBand& b) {
  switch (b.type) {
    case EqBandType::bell:
    case EqBandType::low_shelf:
    case EqBandType::high_shelf: return b.gain_db == 0;
    case EqBandType::tilt: return b.tilt_db_per_octave == 0;
    case EqBandType::high_pass:
    case EqBandType::low_pass: return false;
  }
  return false;
}

double shelf_inverse_q(const EqBand& b, double a) {
  if (b.q > 0) return 1 / b.q;
  // RBJ: 1/Q = sqrt((A + 1/A) (1/S - 1) + 2)
  return std::sqrt((a + 1 / a) * (1 / b.shelf_slope - 1) + 2);
}

// w^(2n) for the Butterworth forms.
double power_2n(double w, int order) {
  double r = 1;
  for (int i = 0; i < order; ++i) r *= w * w;
  return r;
}

// |H(j 2 pi hz)|^2 of one non-tilt band (the RBJ analog prototypes, s normalised to the band
// frequency).
double band_power(const EqBand& b, double hz) {
  const double w = hz / b.freq_hz;
  switch (b.type) {
    case EqBandType::bell: {
      const double a = detmath::db_to_amplitude(b.gain_db / 2);  // A = 10^(gain/40)
      const double x = 1 - w * w;
      const double n = w * a / b.q, d = w / (a * b.q);
      return (x * x + n * n) / (x * x + d * d);
    }
    case EqBandType::low_shelf: {
      const double a = detmath::db_to_amplitude(b.gain_db / 2);
      const double sa = detmath::db_to_amplitude(b.gain_db / 4);  // sqrt(A)
      const double k = sa * shelf_inverse_q(b, a) * w;
      const double xn = a - w * w, xd = 1 - a * w * w;
      return a * a * (xn * xn + k * k) / (xd * xd + k * k);
    }
    case EqBandType::high_shelf: {
      const double a = detmath::db_to_amplitude(b.gain_db / 2);
      const double sa = detmath::db_to_amplitude(b.gain_db / 4);
      const double k = sa * shelf_inverse_q(b, a) * w;
      const double xn = 1 - a * w * w, xd = a - w * w;
      return a * a * (xn * xn + k * k) / (xd * xd + k * k);
    }
    case EqBandType::high_pass:
      if (w >= 1) return 1 / (1 + power_2n(1 / w, b.order));
      {
        const double p = power_2n(w, b.order);
        return p / (1 + p);
      }
    case EqBandType::low_pass:
      if (w >= 1) {
        const double p = power_2n(1 / w, b.order);
        return p / (1 + p);
      }
      return 1 / (1 + power_2n(w, b.order));
    case EqBandType::tilt: return 1;
  }
  return 1;
}

// The tilt in dB: slope * log2(f / pivot) between 20 Hz and 20 kHz; over the octave outside
// each end the log-frequency slope falls linearly to 0 (so the curve is continuous with a
// continuous slope), flat beyond.
double tilt_db(const EqBand& b, double hz) {
  const double s = b.tilt_db_per_octave;
  const double lo = detmath::log2(kTiltLowHz / b.freq_hz), hi = detmath::log2(kTiltHighHz / b.freq_hz);
  if (hz <= kTiltLowHz / 2) return s * (lo - 0.5);
  if (hz >= kTiltHighHz * 2) return s * (hi + 0.5);
  const double x = detmath::log2(hz / b.freq_hz);
  if (x < lo) {
    const double u = lo - x;  // 0..1 octaves below 20 Hz
    return s * (lo - u + 0.5 * u * u);
  }
  if (x > hi) {
    const double u = x - hi;
    return s * (hi + u - 0.5 * u * u);
  }
  return s * x;
}

// w(m) for m = 0..half (distance from the centre tap).
std::vector<double> window_half(int half) {
  std::vector<double> w(static_cast<std::size_t>(half) + 1, 1.0);
  if (half == 0) return w;
  const int flat = static_cast<int>(static_cast<double>(half) * (1 - kTaperFraction));
  const double i0_beta = detmath::bessel_i0(kKaiserBeta);
  const double span = half - flat;
  for (int m = flat + 1; m <= half; ++m) {
    const double u = (m - flat) / span;  // (0, 1]
    w[static_cast<std::size_t>(m)] = detmath::bessel_i0(kKaiserBeta * std::sqrt(1 - u * u)) / i0_beta;
  }
  return w;
}

// A small deterministic radix-2 complex FFT (forward, unscaled), twiddles from detmath.
class Fft {
 public:
  explicit Fft(std::size_t n) : n_(n), cos_(n / 2), sin_(n / 2) {
    for (std::size_t k = 0; k < n / 2; ++k) {
      const double a = 2 * detmath::pi * static_cast<double>(k) / static_cast<double>(n);
      cos_[k] = detmath::cos(a);
      sin_[k] = detmath::sin(a);
    }
  }
  void forward(std::vector<double>& re, std::vector<double>& im) const {
    const std::size_t n = n_;
    for (std::size_t i = 1, j = 0; i < n; ++i) {  // bit reversal
      std::size_t bit = n >> 1;
      for (; j & bit; bit >>= 1) j ^= bit;
      j ^= bit;
      if (i < j) {
        std::swap(re[i], re[j]);
        std::swap(im[i], im[j]);
      }
    }
    for (std::size_t len = 2; len <= n; len <<= 1) {
      const std::size_t step = n / len, half = len / 2;
      for (std::size_t s = 0; s < n; s += len) {
        for (std::size_t k = 0; k < half; ++k) {
          const double c = cos_[k * step], sn = -sin_[k * step];  // e^{-j 2 pi k / len}
          const std::size_t a = s + k, b = a + half;
          const double tr = re[b] * c - im[b] * sn;
          const double ti = re[b] * sn + im[b] * c;
          re[b] = re[a] - tr;
          im[b] = im[a] - ti;
          re[a] = re[a] + tr;
          im[a] = im[a] + ti;
        }
      }
    }
  }

 private:
  std::size_t n_;
  std::vector<double> cos_, sin_;
};

std::size_t grid_size_for(std::size_t taps) {
  std::size_t n = 1;
  while (n < 4 * taps) n <<= 1;
  return n;
}

// The zero-phase response of `taps` on the grid k * fs / n, k = 0..n/2.
std::vector<double> grid_response(const std::vector<double>& taps, std::size_t n) {
  const std::size_t c = (taps.size() - 1) / 2;
  std::vector<double> re(n, 0.0), im(n, 0.0);
  re[0] = taps[c];
  for (std::size_t m = 1; m <= c; ++m) re[m] = re[n - m] = taps[c + m];
  Fft(n).forward(re, im);
  re.resize(n / 2 + 1);
  return re;
}

}  // namespace

const char* to_string(EqBandType type) {
  switch (type) {
    case EqBandType::bell: return "bell";
    case EqBandType::low_shelf: return "low_shelf";
    case EqBandType::high_shelf: return "high_shelf";
    case EqBandType::high_pass: return "high_pass";
    case EqBandType::low_pass: return "low_pass";
    case EqBandType::tilt: return "tilt";
  }
  return "?";
}

std::vector<EqProblem> check_eq(const EqSpec& spec, int sample_rate) {
  std::vector<EqProblem> p;
  const double nyquist = sample_rate / 2.0;
  if (spec.taps != 0 && (spec.taps < 1 || spec.taps > kEqMaxTaps || spec.taps % 2 == 0))
    p.push_back({-1, "taps", fmt::format("must be 0 (automatic) or an odd count 1..{}, got {}", kEqMaxTaps, spec.taps)});
  for (std::size_t i = 0; i < spec.bands.size(); ++i) {
    const EqBand& b = spec.bands[i];
    const int bi = static_cast<int>(i);
    if (b.type == EqBandType::tilt) {
      if (!(b.freq_hz >= kTiltLowHz && b.freq_hz <= kTiltHighHz))
        p.push_back({bi, "freq", fmt::format("the tilt pivot must be 20..20000 Hz, got {}", b.freq_hz)});
      if (!(std::fabs(b.tilt_db_per_octave) <= kEqMaxTiltDbPerOctave))
        p.push_back({bi, "slope", fmt::format("must be -{0}..{0} dB/octave, got {1}", kEqMaxTiltDbPerOctave,
                                              b.tilt_db_per_octave)});
      continue;
    }
    if (!(b.freq_hz > 0 && b.freq_hz < nyquist))
      p.push_back({bi, "freq", fmt::format("must be > 0 and below half the sample rate ({} Hz at {} Hz), got {}",
                                           nyquist, sample_rate, b.freq_hz)});
    switch (b.type) {
      case EqBandType::bell:
      case EqBandType::low_shelf:
      case EqBandType::high_shelf:
        if (!(std::fabs(b.gain_db) <= kEqMaxGainDb))
          p.push_back({bi, "gain", fmt::format("must be -{0}..{0} dB, got {1}", kEqMaxGainDb, b.gain_db)});
        if (b.type == EqBandType::bell && !(b.q > 0 && std::isfinite(b.q)))
          p.push_back({bi, "q", fmt::format("must be > 0, got {}", b.q)});
        if (b.type != EqBandType::bell) {
          if (!(b.q >= 0 && std::isfinite(b.q))) p.push_back({bi, "q", fmt::format("must be > 0, got {}", b.q)});
          if (!(b.shelf_slope > 0 && b.shelf_slope <= 1))
            p.push_back({bi, "s", fmt::format("must be > 0 and <= 1, got {}", b.shelf_slope)});
        }
        break;
      case EqBandType::high_pass:
      case EqBandType::low_pass:
        if (b.order < 1 || b.order > 8)
          p.push_back({bi, "order", fmt::format("must be 1..8 (6..48 dB/octave), got {}", b.order)});
        break;
      case EqBandType::tilt: break;
    }
  }
  return p;
}

double band_feature_width_hz(const EqBand& b) {
  if (is_identity(b)) return kInf;
  switch (b.type) {
    case EqBandType::bell: {
      const double a = detmath::db_to_amplitude(b.gain_db / 2);
      return b.freq_hz / (2 * b.q) * std::min(a, 1 / a);  // poles 1/(2AQ), zeros A/(2Q)
    }
    case EqBandType::low_shelf:
    case EqBandType::high_shelf: {
      const double a = detmath::db_to_amplitude(b.gain_db / 2);
      const double sa = detmath::db_to_amplitude(b.gain_db / 4);
      return b.freq_hz * shelf_inverse_q(b, a) / 2 * std::min(sa, 1 / sa);
    }
    case EqBandType::high_pass:
    case EqBandType::low_pass: {  // the most lightly damped Butterworth pole pair
      const double w = b.freq_hz * detmath::sin(detmath::pi / (2 * b.order));
      // An odd-order high-pass is |f|^n near DC, not smooth there: its impulse response
      // decays by a power law, and only length helps (measured: 8 Hz keeps 20 Hz in 0.01 dB).
      if (b.type == EqBandType::high_pass && b.order % 2 == 1) return std::min(w, kOddHighPassFeatureHz);
      return w;
    }
    case EqBandType::tilt: return kTiltFeatureHz;
  }
  return kInf;
}

double band_wanted_taps(const EqBand& b, int sample_rate) {
  const double w = band_feature_width_hz(b);
  if (w == kInf) return 0;
  const double f = b.type == EqBandType::tilt ? kTiltLowHz : b.freq_hz;
  return std::max(kLengthFactor * sample_rate / w, kLowestBandFactor * sample_rate / f);
}

std::string length_rule_text() {
  return fmt::format(
      "taps = smallest odd >= max over bands of max({} * fs / W, {} * fs / f), at least {}, at most {}; "
      "f = the band frequency (tilt: 20 Hz), W = its narrowest feature in Hz: bell f/(2Q)*min(A,1/A), "
      "shelf f/(2Q)*min(sqrt A,1/sqrt A), high/low-pass f*sin(pi/(2*order)) (odd-order high-pass at most {} Hz), "
      "tilt {} Hz",
      kLengthFactor, kLowestBandFactor, kEqMinTaps, kEqMaxTaps, kOddHighPassFeatureHz, kTiltFeatureHz);
}

double target_db(const EqSpec& spec, double hz) {
  double db = 0;
  for (const EqBand& b : spec.bands) {
    if (is_identity(b)) continue;
    db += b.type == EqBandType::tilt ? tilt_db(b, hz) : detmath::power_to_db(band_power(b, hz));
  }
  return db;
}

double target_amplitude(const EqSpec& spec, double hz) {
  double power = 1, tilt = 0;
  bool any_tilt = false;
  for (const EqBand& b : spec.bands) {
    if (is_identity(b)) continue;
    if (b.type == EqBandType::tilt) {
      tilt += tilt_db(b, hz);
      any_tilt = true;
    } else {
      power *= band_power(b, hz);
    }
  }
  const double a = std::sqrt(power);
  return any_tilt ? a * detmath::db_to_amplitude(tilt) : a;
}

FirDesign design_eq_fir(const EqSpec& spec, int sample_rate) {
  const std::vector<EqProblem> problems = check_eq(spec, sample_rate);
  if (!problems.empty()) {
    const EqProblem& p = problems.front();
    throw std::invalid_argument(p.band < 0 ? fmt::format("eq.{}: {}", p.key, p.message)
                                           : fmt::format("eq band {} ({}): {}", p.band + 1, p.key, p.message));
  }
  FirDesign d;
  d.sample_rate = sample_rate;
  const double fs = sample_rate;

  double most = 0;
  for (std::size_t i = 0; i < spec.bands.size(); ++i) {
    const double t = band_wanted_taps(spec.bands[i], sample_rate);
    if (t > most) {
      most = t;
      d.narrowest_band = static_cast<int>(i);
      d.narrowest_hz = band_feature_width_hz(spec.bands[i]);
    }
  }
  if (most == 0) {  // flat: pass audio through bit-exactly
    d.taps = {1.0};
    d.automatic_length = spec.taps == 0;
    d.wanted_taps = 1;
    return d;
  }
  int length = 0;
  if (spec.taps != 0) {
    length = spec.taps;
    d.automatic_length = false;
    d.wanted_taps = length;
  } else {
    const double wanted = std::min(most, 1e9);
    int n = static_cast<int>(std::ceil(wanted));
    if (n % 2 == 0) ++n;
    d.wanted_taps = std::max(n, kEqMinTaps);
    length = std::min(d.wanted_taps, kEqMaxTaps);
  }

  const std::size_t n = grid_size_for(static_cast<std::size_t>(length));
  d.grid_size = static_cast<int>(n);
  std::vector<double> re(n, 0.0), im(n, 0.0);
  for (std::size_t k = 0; k <= n / 2; ++k) {
    const double t = target_amplitude(spec, fs * static_cast<double>(k) / static_cast<double>(n));
    re[k] = t;
    if (k != 0 && k != n / 2) re[n - k] = t;
  }
  // The spectrum is real and even, so its inverse DFT is its forward DFT / N.
  Fft(n).forward(re, im);

  const int half = (length - 1) / 2;
  const std::vector<double> w = window_half(half);
  d.taps.assign(static_cast<std::size_t>(length), 0.0);
  const double inv_n = 1.0 / static_cast<double>(n);  // exact: n is a power of two
  for (int m = 0; m <= half; ++m) {
    const double v = re[static_cast<std::size_t>(m)] * inv_n * w[static_cast<std::size_t>(m)];
    d.taps[static_cast<std::size_t>(half + m)] = v;
    d.taps[static_cast<std::size_t>(half - m)] = v;
  }
  return d;
}

double achieved_db(const FirDesign& fir, double hz) {
  const std::size_t c = (fir.taps.size() - 1) / 2;
  const double theta = 2 * detmath::pi * hz / fir.sample_rate;
  double sum = 0;
  for (std::size_t m = c; m >= 1; --m)  // smallest terms first
    sum += fir.taps[c + m] * detmath::cos(theta * static_cast<double>(m));
  const double h = fir.taps[c] + 2 * sum;
  return detmath::amplitude_to_db(std::fabs(h));
}

EqDeviation worst_deviation(const EqSpec& spec, const FirDesign& fir, double lo_hz, double hi_hz) {
  EqDeviation worst;
  auto consider = [&](double hz, double dev) {
    if (std::fabs(dev) > std::fabs(worst.worst_db) || worst.at_hz == 0) {
      worst.worst_db = dev;
      worst.at_hz = hz;
    }
  };
  auto direct = [&](double hz) { consider(hz, achieved_db(fir, hz) - target_db(spec, hz)); };
  direct(lo_hz);
  direct(hi_hz);
  if (fir.taps.size() == 1) return worst;
  const std::size_t n = static_cast<std::size_t>(fir.grid_size);
  const double fs = fir.sample_rate;
  const std::vector<double> g = grid_response(fir.taps, n);
  const double bin = fs / static_cast<double>(n);
  std::size_t worst_k = 0;
  double worst_grid = -1;
  for (std::size_t k = 1; k <= n / 2; ++k) {
    const double hz = bin * static_cast<double>(k);
    if (hz < lo_hz || hz > hi_hz) continue;
    const double dev = detmath::amplitude_to_db(std::fabs(g[k])) - target_db(spec, hz);
    if (std::fabs(dev) > worst_grid) {
      worst_grid = std::fabs(dev);
      worst_k = k;
    }
  }
  if (worst_k != 0) {  // refine between the neighbouring bins
    for (int j = -8; j <= 8; ++j) {
      const double hz = bin * (static_cast<double>(worst_k) + j / 8.0);
      if (hz >= lo_hz && hz <= hi_hz) direct(hz);
    }
  }
  return worst;
}

}  // namespace gloss
