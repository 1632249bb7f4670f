// Exact FIR convolution by double-precision FFT (DESIGN.md rule 4, issue 3).
//
// Formats
//   samples  x_q = round_half_even(x * 2^24), |x| < 128 (+42.1 dBFS): 24 fractional bits and
//            7 bits of headroom in a signed 32-bit integer. NaN, Inf and |x| >= 128 fail the
//            track with a gloss::Error naming the channel and sample.
//   taps     h_q = round_half_even(h * 2^f), 20 <= f <= 30 chosen by the planner (see "Tap
//            quantisation" below); every |h_q| < 2^31. 1.0 is exact at every f.
//   output   y_q = sum h_q[k] x_q[n + D - k] exactly (128-bit), D = (M - 1) / 2, then ONE
//            rounding: to the nearest float32 that is a multiple of 2^-24, ties to even
//            (kernels::requantize). Hence a unit impulse returns every input that is a multiple
//            of 2^-24 with |x| < 128 bit for bit (all 16/24-bit PCM, and every float32 with
//            |x| >= 0.5); other inputs come back rounded to the 2^-24 grid; -0.0 becomes +0.0.
//
// Method: overlap-save with blocks of N = 2^n samples. x_q is split into Lx = ceil(32 / b) limbs
// of b bits and h_q into Lh limbs in the same base (x_q = sum x_i 2^(b i), h_q = sum h_j 2^(b j)):
// every limb but the top one has |limb| <= 2^(b-1); the top limb of x is at most
// 2^(31 - b (Lx - 1)) + 1; the top tap limb takes the rest of h_q, so Lh = 1 is h_q itself, as
// wide as it is (kernels::split_sample rounds to nearest, balanced_limbs rounds ties down,
// either meets these sizes). Per block: Lx forward r2c transforms, products of equal weight
// w = i + j summed in the frequency domain (filter spectra precomputed, scaled by 1/N, which is
// exact), W = Lx + Lh - 1 inverse c2r transforms, each output rounded to the nearest integer,
// limbs recombined exactly, requantised. The recombination is 128-bit integer arithmetic in
// general (kernels::finish_position); where the block's peak |x_q| times sum |h_q| is below
// 2^61 it is exact double arithmetic instead (kernels::finish_narrow_lanes, vectorised on the
// CPU): the same integers and the same float. The CPU's loops are compiled per shape (Lx 2..4,
// Lh 1..4, W 2..7).
//
// Error bound (Percival 2003, in the form of gpu-determinism.md §1.2): an FFT convolution of
// integer vectors u, v is off by at most E = (14 log2 N + 15) 2^-53 ||u||_2 ||v||_2. For weight
// w we add the bounds of its terms:
//     E_w = (14 n + 15) 2^-53 sqrt(N) sum_{i+j=w} X_i ||h_j||_2,
// with the signal at its worst case (every sample of the block at its limb maximum X_i) and
// the filter's actual limb norms (summed exactly in integers). The plan picks the lowest
// estimated cost among the candidates with max_w E_w <= 1/4 (kBoundLimit); rounding is then
// exact, since it needs E < 1/2. Every exact partial sum also stays below 2^50 (checked:
// sum X_i ||h_j||_1), as round_half_even needs |v| < 2^51. Cost model per output sample:
// ((Lx + W) n + 2 Lx Lh) N / hop.
//
// Tap quantisation. With f = 30 the taps need two 16-bit limbs (2x2: 2 forward + 3 inverse
// transforms per block, the plain float path needs 2). With fewer fraction bits the whole
// h_q can be ONE limb (2x1: 2 forward + 2 inverse, and a 2-weight finish) whenever
//     E = (14 n + 15) 2^-53 sqrt(N) (2^15 + 1) ||h_q||_2 <= 1/4,
// i.e. ||h_q||_2 <= 1.69e6 (2^20.7) at N=2^15, 1.12e6 at 2^16, 2.54e6 at 2^14. An EQ filter has
// ||h||_2 ~ 1 (its centre tap ~ 1), so Q20 fits at N=2^15. The planner searches:
//   * f_max, the most fraction bits <= 30 with every |h_q| < 2^31, with every shape;
//   * each f from f_max - 1 down to f_min with the 2x1 shape only (16-bit signal limbs, one
//     tap limb): the only shape with 4 transforms, which no f_max plan reaches;
// and keeps the cheapest safe candidate; ties go to the most fraction bits, so each filter keeps
// the most precision its cheapest shape allows. f_min = 20, raised until the peak tap keeps at
// least 21 significant bits (|peak h_q| >= 2^20), never above f_max. Why 20: tap errors of at
// most 2^-21 move the response of real EQ designs by at most 0.004 dB over 20 Hz..20 kHz
// (measured in tests/convolution, TapQuantisationKeepsTheEqResponse: mastering curves incl.
// +-24 dB bells at 44.1/48/96 kHz; typically 1e-5..5e-4 dB, the most for long low-frequency
// bells and shelves at Q20; Q30 moves them by <= 2.3e-5 dB), a tenth of the EQ's 0.05 dB
// tolerance. Q21 would not reach 2x1 at N=2^15 for an 8191-tap EQ (bound ~0.35).
// f depends on the taps alone: it comes from the free search even when a test forces N or b,
// which then only picks the shape for those same integers (so every plan gives the same bits).
//
// Bounds for 16-bit limbs, worst-case signal:
//     N      c    2x2, M = 255 / 8191 / 16383 (*)   2x1, Q20 EQ, ||h_q||_2 = 2^20
//     2^12  183   0.014  -      -                   0.045
//     2^14  211   0.031  0.17   0.24                0.103
//     2^15  225   0.047  0.26   0.36                0.155
//     2^16  239   0.071  0.39   0.54                0.233
// (*) a filter whose low tap limb is full-scale random (the worst real case: every |tap| >
// 2^-15); E_1 for ||h_0||_2 = 2^15 sqrt(M / 3), ||h_1||_2 = 2^14. Above 1/4 the planner takes
// narrower limbs (15..8 bits, 3 signal limbs) or a smaller N. Measured plans: the 8191-tap
// EQ-like test filter (a +6 dB low shelf) gets 2x1 at N=2^15, Q20, bound 0.177 (before: 2x2,
// Q30, bound 0.208); full-scale random 8191 taps keep Q30 with 15-bit limbs (3x2) at N=2^16,
// bound 0.19; EQ designs of 255..2641 taps get 2x1 at Q20..Q23; the longest low-frequency
// designs (14000..32767 taps) mostly keep Q30 with 2x2 or 3x2. (See tests/convolution for the
// measured distances, typically 1e-5..1e-4.)
//
// Why two real limbs are not packed into one complex transform (z = x_0 + i x_1, or two
// weights recovered from one complex inverse): Percival's bound holds for complex vectors, so
// a packed transform is bounded with the packed norm, sqrt(||x_0||^2 + ||x_1||^2), in place of
// each limb's own: up to sqrt(2) more. For the 8191-tap EQ-like filter at N=2^15 that is
// 0.177 * sqrt(2) = 0.2503 > 1/4 (0.208 * sqrt(2) = 0.29 for its former 2x2 Q30 plan):
// packing would force N=2^14 or narrower limbs. And it saves no time: measured on the build VM with FFTW_MEASURE plans, one c2c transform of 32768 takes
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
  // "8191 taps, N=32768, hop 24578, 16-bit limbs (2 signal x 1 tap, 2 inverse FFTs), taps Q20,
  // bound 0.177"
  std::string describe() const;

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
