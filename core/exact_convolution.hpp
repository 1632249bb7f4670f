// Exact FIR convolution by double-precision FFT (DESIGN.md rule 4, issue 3).
//
// Formats
//   samples  x_q = round_half_even(x * 2^24), |x| < 128 (+42.1 dBFS): 24 fractional bits and
//            7 bits of headroom in a signed 32-bit integer. NaN, Inf and |x| >= 128 fail the
//            track with a gloss::Error naming the channel and sample.
//   taps     h_q = round_half_even(h * 2^f), f = 30 unless a tap needs more integer bits
//            (f is the largest value <= 30 with every |h_q| < 2^31). 1.0 is exact.
//   output   y_q = sum h_q[k] x_q[n + D - k] exactly (128-bit), D = (M - 1) / 2, then ONE
//            rounding: to the nearest float32 that is a multiple of 2^-24, ties to even
//            (kernels::requantize). Hence a unit impulse returns every input that is a multiple
//            of 2^-24 with |x| < 128 bit for bit (all 16/24-bit PCM, and every float32 with
//            |x| >= 0.5); other inputs come back rounded to the 2^-24 grid; -0.0 becomes +0.0.
//
// Method: overlap-save with blocks of N = 2^n samples. x_q and h_q are split into limbs of b
// bits (x_q = sum x_i 2^(b i), h_q = sum h_j 2^(b j), |limb| <= 2^(b-1), the top limb of x at
// most 2^(31 - b (Lx - 1)) + 1; kernels::split_sample rounds to nearest, balanced_limbs rounds
// ties down, either meets these sizes). Per block: Lx forward r2c transforms, products of equal
// weight w = i + j summed in the frequency domain (filter spectra precomputed, scaled by 1/N,
// which is exact), Lx + Lh - 1 inverse c2r transforms, each output rounded to the nearest
// integer, limbs recombined exactly, requantised. The recombination is 128-bit integer
// arithmetic in general (kernels::finish_position); where the block's peak |x_q| times
// sum |h_q| is below 2^61 it is exact double arithmetic instead (kernels::finish_narrow_lanes,
// vectorised on the CPU): the same integers and the same float.
//
// Error bound (Percival 2003, in the form of gpu-determinism.md §1.2): an FFT convolution of
// integer vectors u, v is off by at most E = (14 log2 N + 15) 2^-53 ||u||_2 ||v||_2. For weight
// w we add the bounds of its terms:
//     E_w = (14 n + 15) 2^-53 sqrt(N) sum_{i+j=w} X_i ||h_j||_2,
// with the signal at its worst case (every sample of the block at its limb maximum X_i) and
// the filter's actual limb norms. The plan picks (b, N) with the lowest estimated cost among
// those with max_w E_w <= 1/4 (kBoundLimit); rounding is then exact, since it needs E < 1/2.
// Every exact partial sum also stays below 2^50 (checked: sum X_i ||h_j||_1), as
// round_half_even needs |v| < 2^51.
//
// Numbers for 16-bit limbs (Lx = Lh = 2, 5 transforms per block), worst-case signal, and a
// filter whose low tap limb is full-scale random (the worst real case: every |tap| > 2^-15):
//     N      c    M = 255   M = 8191   M = 16383
//     2^12  183   0.014     -          -
//     2^14  211   0.031     0.17       0.24
//     2^15  225   0.047     0.26 (x)   0.36 (x)
//     2^16  239   0.071     0.39 (x)   0.54 (x)
// (x: above 1/4, so such a filter gets narrower limbs (15..8 bits, 3 signal limbs) or a
// smaller N.) Measured plans: the 8191-tap EQ-like test filter gets 16-bit limbs at N=2^15,
// bound 0.208; full-scale random 8191 taps get 15-bit limbs at N=2^16, bound 0.19.
// (E_1 for ||h_0||_2 = 2^15 sqrt(M / 3), ||h_1||_2 = 2^14; see tests/convolution for the
// measured distances, typically 1e-5..1e-4.) Real EQ filters have most tail taps below 2^-15,
// so their ||h_0||_2 is far smaller.
//
// Why two real limbs are not packed into one complex transform (z = x_0 + i x_1, or two
// weights recovered from one complex inverse): Percival's bound holds for complex vectors, so
// a packed transform is bounded with the packed norm, sqrt(||x_0||^2 + ||x_1||^2), in place of
// each limb's own: up to sqrt(2) more. For the 8191-tap EQ-like filter at N=2^15 that is
// 0.208 * sqrt(2) = 0.29 > 1/4, so packing would force N=2^14 or narrower limbs. And it saves
// no time: measured on the build VM with FFTW_MEASURE plans, one c2c transform of 32768 takes
// 119 us, as long as one r2c plus one c2r (59 + 59 us). (With FFTW_ESTIMATE plans the c2c is
// about 20 % faster than two real transforms, but measured plans are 1.5x faster still.)
//
// Runtime guard: every output's largest distance to the nearest integer (over all weights) is
// measured; a track whose maximum exceeds kGuardLimit = 1/16 fails with a gloss::Error. Measured
// distances sit around 2^-13, so 1/16 is far above anything an exact run shows yet well below
// the 1/2 where rounding becomes ambiguous. The guard is a safety net for a broken FFT or a
// wrong bound, not the proof.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "gloss/audio.hpp"
#include "kernel_isa.hpp"
#include "kernels/exact_conv.hpp"

namespace gloss {

inline constexpr double kBoundLimit = 0.25;
inline constexpr double kGuardLimit = 1.0 / 16;
inline constexpr int kMaxExactTaps = (1 << 19) - 1;
inline constexpr int kMaxExactFftSize = 1 << 20;

struct ExactConvolutionOptions {
  int fft_size = 0;   // 0: chosen from the bound and a cost model; else a power of two >= taps
  int limb_bits = 0;  // 0: chosen; else 8..26
  // Tests only: accept a (b, N) whose bound exceeds 1/4, so that the runtime guard can be
  // seen to fire. Never set this in production code.
  bool skip_bound_check = false;
};

// A FIR quantised and planned for exact convolution. Immutable; share it between threads.
class ExactFir {
 public:
  // taps: odd length, linear phase expected (centre tap at (len - 1) / 2 is the delay that is
  // compensated). Throws gloss::Error when no safe plan exists or the taps are unusable.
  explicit ExactFir(std::span<const double> taps, const ExactConvolutionOptions& options = {});

  const kernels::ExactConvShape& shape() const { return shape_; }
  int taps() const { return shape_.taps; }
  int fft_size() const { return shape_.fft_size; }
  double error_bound() const { return bound_; }  // max over weights of E_w
  std::span<const std::int64_t> quantized_taps() const { return quantized_; }
  std::int64_t tap_abs_sum() const { return tap_abs_sum_; }  // sum |h_q| (< 2^50)
  // Tap limb j padded with zeros to fft_size (the input of the filter spectra).
  std::vector<double> padded_tap_limb(int j) const;
  std::string describe() const;  // "N=32768, 16-bit limbs (2x2), bound 0.063, taps Q30"

 private:
  kernels::ExactConvShape shape_{};
  double bound_ = 0;
  std::vector<std::int64_t> quantized_;
  std::int64_t tap_abs_sum_ = 0;
  std::vector<double> tap_limbs_;  // tap_limbs x taps
};

// Raw FFTs, batched: `count` real sequences of length n stored back to back become `count`
// half spectra of n / 2 + 1 complex values (interleaved re, im), back to back, and back.
// Pointers live in the engine's memory space (host for FFTW, device for cuFFT). Transforms
// are unnormalised. inverse() may destroy its input.
class FftEngine {
 public:
  virtual ~FftEngine() = default;
  virtual std::string name() const = 0;
  virtual void forward(int n, int count, const double* real, double* spectra) = 0;
  virtual void inverse(int n, int count, double* spectra, double* real) = 0;
};

// The result for one track of a batch: the filtered track, or why it failed.
struct ExactConvolutionResult {
  AudioTrack output;         // same rate, channels, frames and layout as the input
  std::string error;         // empty on success
  double max_distance = 0;   // largest distance to an integer seen (the guard's measure)
};

// Quantises channel `c` of a track into x_q; throws gloss::Error naming the first bad sample.
std::vector<std::int32_t> quantize_channel(const AudioTrack& track, int c);
// The same check without the copy (the CPU quantises inside its block loops).
void check_channel(const AudioTrack& track, int c);
std::int64_t exact_blocks(const kernels::ExactConvShape& s, std::int64_t frames);
// The guard, shared by both backends: throws when the measured distance exceeds kGuardLimit.
void check_exactness(const ExactFir& fir, const AudioTrack& track, double max_distance);
std::string track_label(const AudioTrack& track);

// Host driver over an FftEngine working on host memory: the filter's spectra, computed once,
// and the per-block steps (their loops compiled for `isa`: the same bits on every copy). One
// ExactConvolver may serve many threads; each thread brings its own Scratch.
class ExactConvolver {
 public:
  ExactConvolver(std::shared_ptr<const ExactFir> fir, FftEngine& engine, KernelIsa isa = best_kernel_isa());

  // One block's buffers, each reused in place: the signal limbs are dead once transformed and
  // their spectra once multiplied (a smaller working set for the caches).
  struct Scratch {
    std::vector<double> time;       // max(Lx, W) x N: signal limbs, then inverse results
    std::vector<double> frequency;  // max(Lx, W) x (N/2+1) complex: spectra, then products
  };
  Scratch make_scratch() const;

  const ExactFir& fir() const { return *fir_; }
  // Blocks [first, last) of one channel whose samples passed check_channel; returns the
  // largest distance seen.
  double run_blocks(std::span<const float> x, std::span<float> out, std::int64_t first, std::int64_t last,
                    Scratch& scratch) const;
  // A whole track on the calling thread; throws gloss::Error on failure.
  AudioTrack convolve(const AudioTrack& track) const;
  const std::vector<double>& filter_spectra() const { return spectra_; }

 private:
  struct BlockSteps;

  std::shared_ptr<const ExactFir> fir_;
  FftEngine& engine_;
  std::shared_ptr<const BlockSteps> steps_;  // the per-block loops for this shape
  std::vector<double> spectra_;              // Lh x (N/2+1) complex, scaled by 1/N
};

// An output track shaped like the input, samples zeroed.
AudioTrack empty_like(const AudioTrack& track);

}  // namespace gloss
