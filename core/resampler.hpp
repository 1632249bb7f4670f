// Sample-rate converter of the mastering chain (issue 4): a polyphase Kaiser-windowed sinc
// designed on the host with detmath only, run by the shared kernel core/kernels/resample.hpp.
//
// Alignment: output frame n is the instant n / out_rate; the filter's delay is compensated, so
// the track start stays the start. Output length = ceil(in_frames * out_rate / in_rate)
// (every output instant before the end of the input). Equal rates are an exact identity.
//
// Response, with f_N = the lower of the two Nyquist frequencies:
//   passband edge  f_p = max(0.9 f_N, min(20 kHz, f_N - 2.05 kHz))
//                  (20 kHz for 44.1 kHz; 0.9 f_N otherwise, e.g. 21.6 kHz at 48 kHz,
//                  14.4 kHz at 32 kHz, 3.6 kHz at 8 kHz, 43.2 kHz at 96 kHz)
//   stopband edge  f_s = 2 f_N - f_p (the cutoff f_N sits midway), so everything that would
//                  fold or image below f_p comes from above f_s and is rejected.
//   design         Kaiser window for kResampleDesignDb of stopband attenuation (beta
//                  0.1102 (A - 8.7)), length from Kaiser's formula rounded up to a multiple of
//                  kernels::kResampleLanes; every phase normalised to unit gain at DC, so a DC
//                  level is kept exactly (to float rounding).
//   measured       (tests/resample, sines) passband within 0.00001 dB up to f_p; a sine above
//                  f_s leaves at most -119.5 dB (downsampling), and a passband sine's images
//                  and aliases stay below -119.2 dB (upsampling) or -129 dB (downsampling),
//                  for 96k->44.1k, 44.1k->48k, 48k->44.1k, 44.1k->96k, 192k->48k, 88.2k->44.1k,
//                  8k<->384k, 11.025k<->352.8k, 8k->11.025k and 32k->44.1k.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "gloss/audio.hpp"
#include "kernel_isa.hpp"
#include "kernels/resample.hpp"

namespace gloss {

inline constexpr double kResampleDesignDb = 120;
// A reduced up factor L with a table of more coefficients than this (L x taps) is refused,
// e.g. 44100 -> 44101 Hz; every pair of the common rates 8 kHz .. 384 kHz stays far below.
inline constexpr std::int64_t kMaxResampleCoefficients = std::int64_t{1} << 22;

class Resampler {
 public:
  // Throws gloss::Error for rates <= 0 or a pair whose coefficient table would be too large.
  explicit Resampler(int in_rate, int out_rate);

  int in_rate() const { return in_rate_; }
  int out_rate() const { return out_rate_; }
  bool identity() const { return shape_.taps == 0; }
  double passband_hz() const { return passband_hz_; }  // f_p (0 for the identity)
  double stopband_hz() const { return stopband_hz_; }  // f_s (0 for the identity)

  // ceil(in_frames * out_rate / in_rate); throws gloss::Error when that overflows.
  std::int64_t output_frames(std::int64_t in_frames) const;

  // Output frames [first, last) of one channel: `in` is the whole input channel, `out` the
  // whole output channel (output_frames(in.size()) frames; only [first, last) is written).
  // Any range gives the same bits as the whole channel. Runs on the calling thread with the
  // fastest kernel copy this processor has (every copy gives the same bits).
  void run(std::span<const float> in, std::span<float> out, std::int64_t first, std::int64_t last) const;
  void run(std::span<const float> in, std::span<float> out, std::int64_t first, std::int64_t last,
           KernelIsa isa) const;

  // The whole track, channel by channel on the calling thread. Its rate must be in_rate().
  AudioTrack resample(const AudioTrack& track) const;

  // "96000 -> 44100 Hz: polyphase 147/320, 192 taps per phase, ..." for logs and reports.
  std::string describe() const;

  const kernels::ResampleShape& shape() const { return shape_; }
  // up x taps values, phase r's taps at [r * taps, (r + 1) * taps) (empty for the identity).
  std::span<const double> coefficients() const { return coefficients_; }

 private:
  int in_rate_ = 0;
  int out_rate_ = 0;
  double passband_hz_ = 0;
  double stopband_hz_ = 0;
  kernels::ResampleShape shape_{1, 1, 0, 0};
  std::vector<double> coefficients_;
};

}  // namespace gloss
