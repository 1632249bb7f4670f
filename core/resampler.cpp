#include "resampler.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "detmath.hpp"
#include "gloss/error.hpp"

namespace gloss {

#if GLOSS_HAVE_AVX2_KERNELS
namespace kernels {
// core/resampler_avx2.cpp: resample_range() compiled for AVX2.
void resample_range_avx2(const ResampleShape& s, const double* coeff, const float* in, std::int64_t in_frames,
                         float* out, std::int64_t first, std::int64_t last);
}  // namespace kernels
#endif

namespace {

constexpr int kMaxTapsPerPhase = 1 << 20;  // keeps T and the table index inside int32

// f_p: see resampler.hpp. The 2.05 kHz keeps 20 kHz in the passband at 44.1 kHz with the
// same 4.1 kHz transition band as a 48 kHz design would have there.
double passband_edge(double nyquist) { return std::max(0.9 * nyquist, std::min(20000.0, nyquist - 2050.0)); }

// Kaiser's estimate of the window length (in input frames) for `attenuation_db` over a
// transition band of `transition_hz`, rounded up to whole lanes.
std::int64_t taps_per_phase(double attenuation_db, double transition_hz, int in_rate) {
  const double width = 2 * detmath::pi * transition_hz / in_rate;  // radians per input frame
  const double length = (attenuation_db - 7.95) / (2.285 * width);
  const auto lanes = static_cast<std::int64_t>(std::ceil(length / kernels::kResampleLanes));
  return std::max<std::int64_t>(1, lanes) * kernels::kResampleLanes;
}

double sinc(double t) {
  if (t == 0) return 1;
  const double x = detmath::pi * t;
  return detmath::sin(x) / x;
}

// Kaiser window at u in [-1, 1] (0 at the centre).
double kaiser(double u, double beta, double i0_beta) {
  const double s = std::max(0.0, 1 - u * u);
  return detmath::bessel_i0(beta * std::sqrt(s)) / i0_beta;
}

}  // namespace

Resampler::Resampler(int in_rate, int out_rate) : in_rate_(in_rate), out_rate_(out_rate) {
  if (in_rate <= 0 || out_rate <= 0)
    throw Error(fmt::format("sample-rate conversion {} -> {} Hz: sample rates must be positive", in_rate, out_rate));
  const int g = std::gcd(in_rate, out_rate);
  const int up = out_rate / g, down = in_rate / g;
  if (up == 1 && down == 1) return;  // equal rates: the kernel copies

  const double nyquist = std::min(in_rate, out_rate) / 2.0;
  passband_hz_ = passband_edge(nyquist);
  stopband_hz_ = 2 * nyquist - passband_hz_;
  const std::int64_t taps = taps_per_phase(kResampleDesignDb, stopband_hz_ - passband_hz_, in_rate);
  if (taps > kMaxTapsPerPhase || static_cast<std::int64_t>(up) * taps > kMaxResampleCoefficients)
    throw Error(fmt::format(
        "sample-rate conversion {} -> {} Hz is not supported: the ratio reduces to {}/{}, which needs a table of "
        "{} phases x {} taps (limit {} coefficients). Convert through a common rate (e.g. 44100 or 48000 Hz) "
        "or pick an output rate with a simpler ratio",
        in_rate, out_rate, up, down, up, taps, kMaxResampleCoefficients));
  shape_ = {up, down, static_cast<std::int32_t>(taps), static_cast<std::int32_t>(taps / 2 - 1)};

  // h(t) = rho sinc(rho t) w(t / half), t in input frames: a lowpass with its cutoff at the
  // lower Nyquist. Tap k of phase r lies t = T/2 - 1 - k + r/L from the output instant.
  const double rho = 2 * nyquist / in_rate;
  const double half = static_cast<double>(taps) / 2;
  const double beta = 0.1102 * (kResampleDesignDb - 8.7);
  const double i0_beta = detmath::bessel_i0(beta);
  coefficients_.resize(static_cast<std::size_t>(up) * static_cast<std::size_t>(taps));
  for (int r = 0; r < up; ++r) {
    double* row = coefficients_.data() + static_cast<std::size_t>(r) * static_cast<std::size_t>(taps);
    const double offset = static_cast<double>(r) / up;
    double dc = 0;  // unit gain at DC for every phase: a constant stays exactly constant
    for (std::int64_t k = 0; k < taps; ++k) {
      const double t = static_cast<double>(taps / 2 - 1 - k) + offset;
      row[k] = rho * sinc(rho * t) * kaiser(t / half, beta, i0_beta);
      dc += row[k];
    }
    for (std::int64_t k = 0; k < taps; ++k) row[k] /= dc;
  }
}

std::int64_t Resampler::output_frames(std::int64_t in_frames) const {
  if (in_frames < 0) throw Error(fmt::format("sample-rate conversion: negative frame count {}", in_frames));
  if (in_frames > std::numeric_limits<std::int64_t>::max() / shape_.up - shape_.down)
    throw Error(fmt::format("sample-rate conversion {} -> {} Hz: {} frames are too many to convert", in_rate_,
                            out_rate_, in_frames));
  return kernels::resample_output_frames(shape_, in_frames);
}

void Resampler::run(std::span<const float> in, std::span<float> out, std::int64_t first, std::int64_t last) const {
  run(in, out, first, last, best_kernel_isa());
}

void Resampler::run(std::span<const float> in, std::span<float> out, std::int64_t first, std::int64_t last,
                    KernelIsa isa) const {
  const auto in_frames = static_cast<std::int64_t>(in.size());
  const std::int64_t out_frames = output_frames(in_frames);
  if (static_cast<std::int64_t>(out.size()) != out_frames)
    throw Error(fmt::format("sample-rate conversion {} -> {} Hz: {} input frames give {} output frames, but the "
                            "output buffer holds {}",
                            in_rate_, out_rate_, in_frames, out_frames, out.size()));
  if (first < 0 || first > last || last > out_frames)
    throw Error(fmt::format("sample-rate conversion: output range [{}, {}) is not inside [0, {})", first, last,
                            out_frames));
  if (!kernel_isa_available(isa)) throw Error("sample-rate conversion: the " + to_string(isa) +
                                              " kernels are not available on this processor or build");
#if GLOSS_HAVE_AVX2_KERNELS
  if (isa == KernelIsa::Avx2) {
    kernels::resample_range_avx2(shape_, coefficients_.data(), in.data(), in_frames, out.data(), first, last);
    return;
  }
#endif
  kernels::resample_range(shape_, coefficients_.data(), in.data(), in_frames, out.data(), first, last);
}

AudioTrack Resampler::resample(const AudioTrack& track) const {
  if (track.sample_rate != in_rate_)
    throw Error(fmt::format("sample-rate conversion {} -> {} Hz was given track '{}' at {} Hz", in_rate_, out_rate_,
                            track.name, track.sample_rate));
  AudioTrack out;
  out.name = track.name;
  out.sample_rate = out_rate_;
  out.channels = track.channels;
  out.layout = track.layout;
  out.frames = output_frames(track.frames);
  out.samples.resize(static_cast<std::size_t>(out.channels) * static_cast<std::size_t>(out.frames));
  for (int c = 0; c < track.channels; ++c) run(track.channel(c), out.channel(c), 0, out.frames);
  return out;
}

std::string Resampler::describe() const {
  if (identity()) return fmt::format("{} -> {} Hz: equal rates, samples pass unchanged", in_rate_, out_rate_);
  return fmt::format("{} -> {} Hz: polyphase {}/{}, {} taps per phase ({} coefficients), passband to {:.0f} Hz, "
                     "stopband from {:.0f} Hz (Kaiser, {:.0f} dB design)",
                     in_rate_, out_rate_, shape_.up, shape_.down, shape_.taps, coefficients_.size(), passband_hz_,
                     stopband_hz_, kResampleDesignDb);
}

}  // namespace gloss
