#include "filter_design.hpp"

#include <cmath>

#include "detmath.hpp"

namespace gloss {

namespace {

// BS.1770 Annex 2, Table: 48-tap, 4-phase interpolator; row k = tap, column p = phase.
// All values are exact multiples of 2^-13.
constexpr double kItuTable[12][4] = {
    {0.0017089843750, -0.0291748046875, -0.0189208984375, -0.0083007812500},
    {0.0109863281250, 0.0292968750000, 0.0330810546875, 0.0148925781250},
    {-0.0196533203125, -0.0517578125000, -0.0582275390625, -0.0266113281250},
    {0.0332031250000, 0.0891113281250, 0.1015625000000, 0.0476074218750},
    {-0.0594482421875, -0.1665039062500, -0.2003173828125, -0.1022949218750},
    {0.1373291015625, 0.4650878906250, 0.7797851562500, 0.9721679687500},
    {0.9721679687500, 0.7797851562500, 0.4650878906250, 0.1373291015625},
    {-0.1022949218750, -0.2003173828125, -0.1665039062500, -0.0594482421875},
    {0.0476074218750, 0.1015625000000, 0.0891113281250, 0.0332031250000},
    {-0.0266113281250, -0.0582275390625, -0.0517578125000, -0.0196533203125},
    {0.0148925781250, 0.0330810546875, 0.0292968750000, 0.0109863281250},
    {-0.0083007812500, -0.0189208984375, -0.0291748046875, 0.0017089843750},
};

double sinc(double t) {
  if (t == 0) return 1;
  const double x = detmath::pi * t;
  return detmath::sin(x) / x;
}

}  // namespace

KWeighting design_k_weighting(int sample_rate) {
  const double fs = sample_rate;
  KWeighting k;
  {  // stage 1: high shelf
    const double f0 = 1681.974450955533, gain_db = 3.999843853973347, q = 0.7071752369554196;
    const double kk = detmath::tan(detmath::pi * f0 / fs);
    const double vh = detmath::db_to_amplitude(gain_db);
    const double vb = detmath::pow(vh, 0.4996667741545416);
    const double a0 = 1 + kk / q + kk * kk;
    k.shelf.b0 = (vh + vb * kk / q + kk * kk) / a0;
    k.shelf.b1 = 2 * (kk * kk - vh) / a0;
    k.shelf.b2 = (vh - vb * kk / q + kk * kk) / a0;
    k.shelf.a1 = 2 * (kk * kk - 1) / a0;
    k.shelf.a2 = (1 - kk / q + kk * kk) / a0;
  }
  {  // stage 2: RLB high-pass, unnormalised numerator as in the ITU table
    const double f0 = 38.13547087602444, q = 0.5003270373238773;
    const double kk = detmath::tan(detmath::pi * f0 / fs);
    const double a0 = 1 + kk / q + kk * kk;
    k.rlb.b0 = 1;
    k.rlb.b1 = -2;
    k.rlb.b2 = 1;
    k.rlb.a1 = 2 * (kk * kk - 1) / a0;
    k.rlb.a2 = (1 - kk / q + kk * kk) / a0;
  }
  return k;
}

kernels::Biquad design_octave_band(int sample_rate, double centre_hz) {
  const double w0 = 2 * detmath::pi * centre_hz / sample_rate;
  const double sw = detmath::sin(w0), cw = detmath::cos(w0);
  // alpha = sin(w0) * sinh(ln2 / 2 * bandwidth * w0 / sin(w0)), bandwidth 1 octave
  const double arg = 0.5 * detmath::log(2.0) * w0 / sw;
  const double sinh_arg = 0.5 * (detmath::exp(arg) - detmath::exp(-arg));
  const double alpha = sw * sinh_arg;
  const double a0 = 1 + alpha;
  kernels::Biquad q;
  q.b0 = alpha / a0;
  q.b1 = 0;
  q.b2 = -alpha / a0;
  q.a1 = -2 * cw / a0;
  q.a2 = (1 - alpha) / a0;
  return q;
}

kernels::TruePeakFilter design_itu_true_peak(int sample_rate) {
  kernels::TruePeakFilter f;
  f.taps = 12;
  if (sample_rate < 88200) {
    f.phases = 4;
    for (int k = 0; k < 12; ++k)
      for (int p = 0; p < 4; ++p) f.coeff[k * 4 + p] = kItuTable[k][p];
  } else if (sample_rate < 176400) {
    f.phases = 2;  // phases 0 and 2 of the 4x table sit half a sample apart: a 2x interpolator
    for (int k = 0; k < 12; ++k) {
      f.coeff[k * 2 + 0] = kItuTable[k][0];
      f.coeff[k * 2 + 1] = kItuTable[k][2];
    }
  } else {
    f.phases = 0;
    f.taps = 0;
  }
  return f;
}

kernels::TruePeakFilter design_precise_true_peak() {
  constexpr int phases = 16, taps = 64, length = phases * taps;
  constexpr double beta = 8.6;  // Kaiser window: about 85 dB image rejection
  kernels::TruePeakFilter f;
  f.phases = phases;
  f.taps = taps;
  f.refine = true;
  const double centre = (length - 1) / 2.0;
  const double i0_beta = detmath::bessel_i0(beta);
  for (int p = 0; p < phases; ++p) {
    double dc = 0;
    for (int k = 0; k < taps; ++k) {
      const int n = k * phases + p;
      const double r = (n - centre) / centre;  // -1 .. 1 across the window
      const double w = detmath::bessel_i0(beta * std::sqrt(1 - r * r)) / i0_beta;
      const double h = sinc((n - centre) / phases) * w;
      f.coeff[k * phases + p] = h;
      dc += h;
    }
    for (int k = 0; k < taps; ++k) f.coeff[k * phases + p] /= dc;
  }
  return f;
}

}  // namespace gloss
