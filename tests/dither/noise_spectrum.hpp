// Spectra and small statistics for the dither tests: averaged periodograms (FFTW through the
// CPU engine), band averages and the designed noise-shaping curve.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "kernels/quantize.hpp"

namespace gloss::test {

enum class Window { rectangular, hann };

// Power per bin (bins 0..n/2) averaged over the consecutive whole blocks of n samples of x,
// normalised so that white noise of variance s^2 gives s^2 in every bin: |X_k|^2 / sum w^2.
std::vector<double> averaged_power(std::span<const double> x, int n, Window window);

// Mean of the bins whose centre frequency lies in [lo_hz, hi_hz).
double band_mean(std::span<const double> power, int n, int sample_rate, double lo_hz, double hi_hz);

// |NTF(f)|^2 = |1 - sum_k coeff[k] e^(-i 2 pi f (k + 1) / rate)|^2 of a shaping filter.
double shaping_gain(const kernels::ShapingFilter& f, double hz, int sample_rate);

// The designed error power in a band: 1/4 LSB^2 (TPDF + rounding) times the mean of
// shaping_gain over the same bins band_mean averages.
double designed_band_power(const kernels::ShapingFilter& f, int n, int sample_rate, double lo_hz, double hi_hz);

// q[i] - x[i] * 2^(bits-1): the total error in LSB.
std::vector<double> total_error(std::span<const float> x, std::span<const std::int32_t> q, int bits);

// Pearson correlation of two equally long sequences.
double correlation(std::span<const double> a, std::span<const double> b);

double mean(std::span<const double> x);
double variance(std::span<const double> x);  // about the mean

double db(double power_ratio);

}  // namespace gloss::test
