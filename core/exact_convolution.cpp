#include "exact_convolution.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <utility>

#include "gloss/error.hpp"

namespace gloss {

namespace {

namespace k = kernels;

constexpr int kMaxTapFractionBits = 30;
// The fewest fraction bits a tap quantisation may use, and the fewest significant bits the
// largest tap must keep (|peak h_q| >= 2^20): see "Tap quantisation" in exact_convolution.hpp.
constexpr int kMinTapFractionBits = 20;
constexpr int kMinPeakTapBits = 20;
constexpr double kTapLimit = 2147483648.0;        // 2^31: |h_q| must stay below
constexpr int kMinFftSize = 1024;                 // smaller blocks only add per-block overhead

int log2_exact(std::int64_t n) {
  int e = 0;
  while ((std::int64_t{1} << e) < n) ++e;
  return e;
}

bool is_power_of_two(std::int64_t n) { return n > 0 && (n & (n - 1)) == 0; }

void check_taps(std::span<const double> taps) {
  if (taps.empty()) throw Error("exact convolution: the FIR has no taps");
  if (taps.size() % 2 == 0)
    throw Error(fmt::format("exact convolution: the FIR has {} taps; a linear-phase FIR with an odd length is "
                            "needed so that its delay (len - 1) / 2 is a whole number of samples",
                            taps.size()));
  if (taps.size() > static_cast<std::size_t>(kMaxExactTaps))
    throw Error(fmt::format("exact convolution: the FIR has {} taps; at most {} are supported", taps.size(),
                            kMaxExactTaps));
  for (std::size_t i = 0; i < taps.size(); ++i)
    if (!std::isfinite(taps[i])) throw Error(fmt::format("exact convolution: FIR tap {} is {}", i, taps[i]));
}

double peak_tap(std::span<const double> taps) {
  double peak = 0;
  for (double t : taps) peak = std::max(peak, std::abs(t));
  return peak;
}

// Largest f <= 30 with every round(h * 2^f) below 2^31 in magnitude.
int max_tap_fraction_bits(double peak) {
  int f = kMaxTapFractionBits;
  while (f >= 0 && peak * k::power_of_two(f) >= kTapLimit - 0.5) --f;
  if (f < 0)
    throw Error(fmt::format("exact convolution: FIR tap magnitude {} is too large (the limit is 2^31)", peak));
  return f;
}

// Smallest f the planner may use: at least 20, the peak tap at least 2^20 once quantised, and
// never above the largest f.
int min_tap_fraction_bits(double peak, int largest) {
  int f = kMinTapFractionBits;
  while (f < largest && peak * k::power_of_two(f) < k::power_of_two(kMinPeakTapBits)) ++f;
  return std::min(f, largest);
}

std::vector<std::int64_t> quantize_taps(std::span<const double> taps, int f) {
  std::vector<std::int64_t> q(taps.size());
  for (std::size_t t = 0; t < taps.size(); ++t)
    q[t] = static_cast<std::int64_t>(k::round_half_even(taps[t] * k::power_of_two(f)));
  return q;
}

// What one (tap fraction bits, limb width, tap limb count, FFT size) choice costs and how safe
// it is.
struct Candidate {
  int fraction_bits = 0;
  int bits = 0;
  int fft_size = 0;
  int signal_limbs = 0;
  int tap_limbs = 0;
  double bound = 0;
  double cost = 0;
  bool representable = false;
};

// The norms of the taps' limbs in base 2^bits, for every limb count: norms[c - 1] describes the
// split into c limbs (balanced_limbs: limbs 0..c-2 balanced, limb c-1 takes the rest, so c = 1
// is h_q itself). `natural` is the count of the full balanced split without its zero top limbs.
struct TapNorms {
  int natural = 0;
  double l2[k::kMaxLimbs][k::kMaxLimbs] = {};  // [c - 1][j]
  double l1[k::kMaxLimbs][k::kMaxLimbs] = {};
};

TapNorms tap_norms(const std::vector<std::int64_t>& q, int bits) {
  const int full = (32 + bits - 1) / bits;
  // Exact sums: every limb is an integer below 2^31 in magnitude, so its square is below 2^62
  // and M < 2^19 squares stay far inside 128 bits; the absolute sums stay below 2^50.
  k::ExactUInt sq[k::kMaxLimbs][k::kMaxLimbs] = {};
  std::int64_t abs_sum[k::kMaxLimbs][k::kMaxLimbs] = {};
  TapNorms out;
  out.natural = 1;
  double limb[k::kMaxLimbs];
  for (const std::int64_t v : q) {
    k::balanced_limbs(v, bits, full, limb, 1);
    std::int64_t top = 0;  // the top limb of the split into c limbs, c from `full` down to 1
    for (int c = full; c >= 1; --c) {
      top = (c == full) ? static_cast<std::int64_t>(limb[c - 1])
                        : static_cast<std::int64_t>(limb[c - 1]) + top * (std::int64_t{1} << bits);
      for (int j = 0; j < c; ++j) {
        const std::int64_t x = j == c - 1 ? top : static_cast<std::int64_t>(limb[j]);
        const std::int64_t a = x < 0 ? -x : x;
        sq[c - 1][j] += static_cast<k::ExactUInt>(a) * static_cast<k::ExactUInt>(a);
        abs_sum[c - 1][j] += a;
      }
    }
    for (int j = full - 1; j >= out.natural; --j)
      if (limb[j] != 0) out.natural = j + 1;
  }
  for (int c = 1; c <= full; ++c)
    for (int j = 0; j < c; ++j) {
      // 1 + 2^-40 covers the conversions to double and the square root.
      out.l2[c - 1][j] = std::sqrt(static_cast<double>(sq[c - 1][j])) * (1 + 0x1p-40);
      out.l1[c - 1][j] = static_cast<double>(abs_sum[c - 1][j]) * (1 + 0x1p-40);
    }
  return out;
}

// Worst-case magnitude of signal limb i (x_q in (-2^31, 2^31)).
double signal_limb_max(int bits, int limbs, int i) {
  if (i < limbs - 1) return k::power_of_two(bits - 1);
  return k::power_of_two(31 - bits * (limbs - 1)) + 1;
}

Candidate evaluate(const TapNorms& h, int fraction_bits, int bits, int tap_limbs, int n_size, int taps) {
  Candidate c;
  c.fraction_bits = fraction_bits;
  c.bits = bits;
  c.fft_size = n_size;
  c.signal_limbs = (32 + bits - 1) / bits;
  c.tap_limbs = tap_limbs;
  const double* l2 = h.l2[tap_limbs - 1];
  const double* l1 = h.l1[tap_limbs - 1];
  const int n = log2_exact(n_size);
  const int weights = c.signal_limbs + c.tap_limbs - 1;
  const double percival = (14.0 * n + 15.0) * 0x1p-53 * std::sqrt(static_cast<double>(n_size));
  c.representable = true;
  for (int w = 0; w < weights; ++w) {
    double e2 = 0;
    double e1 = 0;
    for (int i = 0; i < c.signal_limbs; ++i) {
      const int j = w - i;
      if (j < 0 || j >= c.tap_limbs) continue;
      e2 += signal_limb_max(bits, c.signal_limbs, i) * l2[j];
      e1 += signal_limb_max(bits, c.signal_limbs, i) * l1[j];
    }
    c.bound = std::max(c.bound, percival * e2);
    if (e1 >= k::kExactPartialLimit) c.representable = false;
  }
  // Transforms of n log n, plus the pointwise products, per output sample.
  const double hop = n_size - taps + 1;
  c.cost = ((c.signal_limbs + weights) * n + 2.0 * c.signal_limbs * c.tap_limbs) * n_size / hop;
  return c;
}

std::vector<int> candidate_sizes(int taps, const ExactConvolutionOptions& options) {
  if (options.fft_size != 0) {
    if (!is_power_of_two(options.fft_size) || options.fft_size < taps || options.fft_size > kMaxExactFftSize)
      throw Error(fmt::format("exact convolution: FFT size {} must be a power of two from the tap count {} to {}",
                              options.fft_size, taps, kMaxExactFftSize));
    return {options.fft_size};
  }
  std::vector<int> sizes;
  std::int64_t n = kMinFftSize;
  while (n < taps) n *= 2;
  const std::int64_t last = std::max<std::int64_t>(n * 8, 1 << 16);
  for (; n <= last && n <= kMaxExactFftSize; n *= 2) sizes.push_back(static_cast<int>(n));
  return sizes;
}

std::vector<int> candidate_bits(const ExactConvolutionOptions& options) {
  if (options.limb_bits != 0) {
    if (options.limb_bits < 8 || options.limb_bits > 26)
      throw Error(fmt::format("exact convolution: limb width {} bits is outside 8..26", options.limb_bits));
    return {options.limb_bits};
  }
  return {16, 15, 14, 13, 12, 11, 10, 9, 8};
}

// The cheapest safe candidate over the given tap quantisations (most fraction bits first),
// limb widths and FFT sizes: every shape for the first quantisation, the 2x1 shape for the
// others. Ties keep the first found: the most fraction bits, the widest limbs, the smallest
// N. `safest` is the lowest bound seen, for the error message.
struct Search {
  bool found = false;
  Candidate best;
  Candidate safest;
};

Search search_plans(std::span<const double> taps, std::span<const int> fractions, std::span<const int> bits_list,
                    std::span<const int> sizes, bool skip_bound_check) {
  const int m = static_cast<int>(taps.size());
  Search out;
  for (const int f : fractions) {
    const std::vector<std::int64_t> q = quantize_taps(taps, f);
    for (const int bits : bits_list) {
      const TapNorms norms = tap_norms(q, bits);
      // Fewer fraction bits than the most the taps allow only for the 2x1 shape (16-bit signal
      // limbs, the taps whole in one limb: 2 forward + 2 inverse transforms per block, which no
      // other shape reaches). A bigger N or a 3x1 shape alone is not worth the precision.
      const bool most_fraction_bits = f == fractions.front();
      if (!most_fraction_bits && (32 + bits - 1) / bits != 2) continue;
      const int most_tap_limbs = most_fraction_bits ? norms.natural : 1;
      for (int tap_limbs = 1; tap_limbs <= most_tap_limbs; ++tap_limbs) {
        for (const int n : sizes) {
          const Candidate c = evaluate(norms, f, bits, tap_limbs, n, m);
          if (out.safest.bits == 0 || c.bound < out.safest.bound) out.safest = c;
          const bool safe = c.representable && c.bound <= kBoundLimit;
          if (!safe && !skip_bound_check) continue;
          if (!out.found || c.cost < out.best.cost) {
            out.best = c;
            out.found = true;
          }
        }
      }
    }
  }
  return out;
}

}  // namespace

ExactFir::ExactFir(std::span<const double> taps, const ExactConvolutionOptions& options) {
  check_taps(taps);
  const int m = static_cast<int>(taps.size());
  const double peak = peak_tap(taps);
  const int f_max = max_tap_fraction_bits(peak);
  const int f_min = min_tap_fraction_bits(peak, f_max);
  // The tap quantisation comes from the free search (every allowed f, limb width and size), so
  // that it depends on the taps alone: a forced FFT size or limb width then only changes how the
  // same integers are convolved, never which integers (the same output bits for any plan).
  std::vector<int> fractions;
  for (int f = f_max; f >= f_min; --f) fractions.push_back(f);
  const std::vector<int> free_bits = candidate_bits({});
  const std::vector<int> free_sizes = candidate_sizes(m, {});
  const Search free = search_plans(taps, fractions, free_bits, free_sizes, false);
  const int f = free.found ? free.best.fraction_bits : f_max;
  const bool forced = options.fft_size != 0 || options.limb_bits != 0 || options.skip_bound_check;
  const std::vector<int> chosen_f = {f};
  const std::vector<int> bits_list = candidate_bits(options);
  const std::vector<int> sizes = candidate_sizes(m, options);
  const Search search = forced ? search_plans(taps, chosen_f, bits_list, sizes, options.skip_bound_check) : free;
  if (!search.found)
    throw Error(fmt::format("exact convolution: no limb width and FFT size keep this {}-tap FIR's rounding error "
                            "bound below {} (best: {}-bit limbs ({} tap), N={}, taps Q{}, bound {:.3g}); shorten or "
                            "rescale the FIR",
                            m, kBoundLimit, search.safest.bits, search.safest.tap_limbs, search.safest.fft_size,
                            search.safest.fraction_bits, search.safest.bound));
  const Candidate& best = search.best;
  quantized_ = quantize_taps(taps, f);
  for (const std::int64_t q : quantized_) tap_abs_sum_ += q < 0 ? -q : q;
  shape_.fft_size = best.fft_size;
  shape_.taps = m;
  shape_.hop = best.fft_size - m + 1;
  shape_.delay = (m - 1) / 2;
  shape_.limb_bits = best.bits;
  shape_.signal_limbs = best.signal_limbs;
  shape_.tap_limbs = best.tap_limbs;
  shape_.weights = best.signal_limbs + best.tap_limbs - 1;
  shape_.tap_fraction_bits = f;
  bound_ = best.bound;
  tap_limbs_.assign(static_cast<std::size_t>(best.tap_limbs) * taps.size(), 0.0);
  for (std::size_t t = 0; t < taps.size(); ++t)
    k::balanced_limbs(quantized_[t], best.bits, best.tap_limbs, tap_limbs_.data() + t,
                      static_cast<std::int64_t>(taps.size()));
}

std::vector<double> ExactFir::padded_tap_limb(int j) const {
  std::vector<double> out(static_cast<std::size_t>(shape_.fft_size), 0.0);
  const std::size_t m = static_cast<std::size_t>(shape_.taps);
  std::copy_n(tap_limbs_.begin() + static_cast<std::ptrdiff_t>(j * m), m, out.begin());
  return out;
}

std::string ExactFir::describe() const {
  return fmt::format("{} taps, N={}, hop {}, {}-bit limbs ({} signal x {} tap, {} inverse FFTs), taps Q{}, bound {:.3g}",
                     shape_.taps, shape_.fft_size, shape_.hop, shape_.limb_bits, shape_.signal_limbs,
                     shape_.tap_limbs, shape_.weights, shape_.tap_fraction_bits, bound_);
}

std::string track_label(const AudioTrack& track) { return track.name.empty() ? "track" : track.name; }

namespace {

[[noreturn]] void throw_bad_sample(const AudioTrack& track, int c, std::size_t i) {
  throw Error(fmt::format("{}: channel {} sample {} is {}; exact convolution takes finite samples with |x| < 128 "
                          "(+42.1 dBFS)",
                          track_label(track), c, i, track.channel(c)[i]));
}

}  // namespace

std::vector<std::int32_t> quantize_channel(const AudioTrack& track, int c) {
  const std::span<const float> x = track.channel(c);
  std::vector<std::int32_t> q(x.size());
  for (std::size_t i = 0; i < x.size(); ++i)
    if (!k::quantize_sample(x[i], &q[i])) throw_bad_sample(track, c, i);
  return q;
}

void check_channel(const AudioTrack& track, int c) {
  const std::span<const float> x = track.channel(c);
  const float* v = x.data();
  const std::size_t count = x.size();
  int bad = 0;
  _Pragma("omp simd reduction(| : bad)")
  for (std::size_t i = 0; i < count; ++i) bad |= k::sample_in_range(v[i]) ? 0 : 1;
  if (bad == 0) return;
  for (std::size_t i = 0; i < count; ++i)
    if (!k::sample_in_range(v[i])) throw_bad_sample(track, c, i);
}

std::int64_t exact_blocks(const k::ExactConvShape& s, std::int64_t frames) { return (frames + s.hop - 1) / s.hop; }

void check_exactness(const ExactFir& fir, const AudioTrack& track, double max_distance) {
  if (max_distance <= kGuardLimit) return;
  throw Error(fmt::format("{}: exact convolution failed its check: an FFT output lay {:.3g} from the nearest "
                          "integer (guard {}; {}). The FFT did not deliver the accuracy the error bound "
                          "assumes, so the output was discarded",
                          track_label(track), max_distance, kGuardLimit, fir.describe()));
}

AudioTrack empty_like(const AudioTrack& track) {
  AudioTrack out;
  out.name = track.name;
  out.sample_rate = track.sample_rate;
  out.channels = track.channels;
  out.frames = track.frames;
  out.layout = track.layout;
  out.samples.assign(track.samples.size(), 0.0f);
  return out;
}

ExactConvolver::ExactConvolver(std::shared_ptr<const ExactFir> fir, FftEngine& engine, KernelIsa isa)
    : fir_(std::move(fir)), engine_(engine), steps_(std::make_shared<const BlockSteps>(fir_->shape(), isa)) {
  if (!kernel_isa_available(isa))
    throw Error("exact convolution: the " + to_string(isa) + " loops are not available on this processor or build");
  const k::ExactConvShape& s = fir_->shape();
  const std::size_t bins = static_cast<std::size_t>(s.fft_size / 2 + 1);
  spectra_.assign(2 * bins * static_cast<std::size_t>(s.tap_limbs), 0.0);
  const double scale = k::power_of_two(-log2_exact(s.fft_size));  // 1/N, exact
  for (int j = 0; j < s.tap_limbs; ++j) {
    const std::vector<double> limb = fir_->padded_tap_limb(j);
    double* out = spectra_.data() + 2 * bins * static_cast<std::size_t>(j);
    engine_.forward(s.fft_size, 1, limb.data(), out);
    for (std::size_t i = 0; i < 2 * bins; ++i) out[i] *= scale;
  }
}

ExactConvolver::Scratch ExactConvolver::make_scratch() const {
  const k::ExactConvShape& s = fir_->shape();
  const std::size_t n = static_cast<std::size_t>(s.fft_size);
  const std::size_t bins = n / 2 + 1;
  Scratch out;
  const auto rows = static_cast<std::size_t>(std::max(s.signal_limbs, s.weights));
  out.time.resize(n * rows);
  out.frequency.resize(2 * bins * rows);
  return out;
}

namespace {

// Track index of position 0 of overlap-save block `block`.
std::int64_t block_start(const k::ExactConvShape& s, std::int64_t block) {
  return block * s.hop + s.delay - (s.taps - 1);
}

// The limbs of one block (L of them, a compile-time constant so that the loop vectorises):
// positions inside the track from x_q, the rest zero. The in-track run is found once so that
// the loop over it has no bounds checks. Returns the block's largest |x_q| (x_q = round(x 2^24)
// is monotone in |x|, so it is the quantised largest |x|).
template <int L>
double split_block(const k::ExactConvShape& s, std::span<const float> x, std::int64_t block, double* limbs) {
  const std::int64_t n = s.fft_size;
  const std::int64_t start = block_start(s, block);
  const std::int64_t frames = static_cast<std::int64_t>(x.size());
  const std::int64_t first = std::clamp<std::int64_t>(-start, 0, n);
  const std::int64_t last = std::clamp<std::int64_t>(frames - start, first, n);
  for (int i = 0; i < L; ++i) {
    double* limb = limbs + i * n;
    std::fill(limb, limb + first, 0.0);
    std::fill(limb + last, limb + n, 0.0);
  }
  const float* in = x.data() + (start + first);
  double* out = limbs + first;
  const std::int64_t count = last - first;
  const int bits = s.limb_bits;
  float peak = 0;
  _Pragma("omp simd reduction(max : peak)")
  for (std::int64_t p = 0; p < count; ++p) {
    k::split_sample(k::quantized_value(in[p]), bits, L, out + p, n);
    const float a = in[p] < 0 ? -in[p] : in[p];
    peak = a > peak ? a : peak;
  }
  return k::quantized_value(peak);
}

// Every bin's products, limb counts fixed at compile time so that the loop vectorises.
template <int Lx, int Lh>
void multiply_block(const double* x, const double* h, double* p, std::int64_t bins) {
  GLOSS_SIMD
  for (std::int64_t i = 0; i < bins; ++i) k::multiply_bin_limbs(Lx, Lh, x, h, p, bins, i);
}

// Outputs a vector at a time (GCC vector extension: 2 doubles in an SSE2 register): the
// kernels' lane-generic functions then compile to straight-line vector code. (A 4-double AVX2
// form measured twice as slow: GCC lowers the generic vectors inside the kernel templates,
// which are compiled for the baseline, before it inlines them into an AVX2 function.)
typedef double DoubleLanes2 __attribute__((vector_size(2 * sizeof(double))));
typedef float FloatLanes2 __attribute__((vector_size(2 * sizeof(float))));

// kernels::finish_narrow_lanes over `count` outputs, a vector at a time (limbs of >= 10 bits),
// the rest one by one. Returns the largest distance to an integer.
template <int W, typename Lanes, typename FloatLanes>
double finish_block_lanes(const k::ExactConvShape& s, const double* r, float* o, std::int32_t count) {
  constexpr auto kLanes = static_cast<std::int32_t>(sizeof(Lanes) / sizeof(double));
  const std::int64_t stride = s.fft_size;
  Lanes worst = {};
  const std::int32_t whole = count - count % kLanes;
  for (std::int32_t i = 0; i < whole; i += kLanes) {
    Lanes v[W];
    for (int w = 0; w < W; ++w) std::memcpy(&v[w], r + w * stride + i, sizeof v[w]);
    const Lanes y = k::finish_narrow_lanes<W>(v, s.limb_bits, s.tap_fraction_bits, worst);
    const FloatLanes y32 = __builtin_convertvector(y, FloatLanes);
    std::memcpy(o + i, &y32, sizeof y32);
  }
  double result = 0;
  for (std::int32_t lane = 0; lane < kLanes; ++lane) result = worst[lane] > result ? worst[lane] : result;
  for (std::int32_t i = whole; i < count; ++i) {
    double d = 0;
    o[i] = k::finish_narrow(s, r, stride, i, d);
    result = d > result ? d : result;
  }
  return result;
}

template <int W>
double finish_block_sse2(const k::ExactConvShape& s, const double* r, float* o, std::int32_t count) {
  return finish_block_lanes<W, DoubleLanes2, FloatLanes2>(s, r, o, count);
}

// kernels::finish_narrow one output at a time: any limb width.
double finish_block_scalar(const k::ExactConvShape& s, const double* r, float* o, std::int32_t count) {
  double result = 0;
  for (std::int32_t i = 0; i < count; ++i) {
    double d = 0;
    o[i] = k::finish_narrow(s, r, s.fft_size, i, d);
    result = d > result ? d : result;
  }
  return result;
}

#if GLOSS_HAVE_AVX2_KERNELS
// The split and multiply loops compiled for AVX2 (the loop vectoriser then uses 4 doubles per
// vector), chosen at run time where the processor has it. `flatten` inlines every kernel call,
// so no kernel function is compiled for AVX2 on its own; no FMA is enabled (target avx2 does
// not imply it) and contraction is off, so the arithmetic and its bits are those of the
// baseline loops. The finish keeps its SSE2 vectors (see finish_block_lanes).

template <int L>
__attribute__((target("avx2"), flatten)) double split_block_avx2(const k::ExactConvShape& s, std::span<const float> x,
                                                                  std::int64_t block, double* limbs) {
  return split_block<L>(s, x, block, limbs);
}

template <int Lx, int Lh>
__attribute__((target("avx2"), flatten)) void multiply_block_avx2(const double* x, const double* h, double* p,
                                                                   std::int64_t bins) {
  multiply_block<Lx, Lh>(x, h, p, bins);
}

#endif

// Function tables over the compile-time limb counts: Lx = ceil(32 / b) is 2..4 for b in 8..26
// (ExactFir's range), Lh 1..4, W = Lx + Lh - 1 in 2..7.
using SplitFn = double (*)(const k::ExactConvShape&, std::span<const float>, std::int64_t, double*);
using MultiplyFn = void (*)(const double*, const double*, double*, std::int64_t);
using FinishFn = double (*)(const k::ExactConvShape&, const double*, float*, std::int32_t);

struct StepTables {
  SplitFn split[3];
  MultiplyFn multiply[3][4];
  FinishFn finish[6];
};

#define GLOSS_MULTIPLY_ROW(fn, lx) {&fn<lx, 1>, &fn<lx, 2>, &fn<lx, 3>, &fn<lx, 4>}
constexpr StepTables kBaselineSteps = {
    {&split_block<2>, &split_block<3>, &split_block<4>},
    {GLOSS_MULTIPLY_ROW(multiply_block, 2), GLOSS_MULTIPLY_ROW(multiply_block, 3),
     GLOSS_MULTIPLY_ROW(multiply_block, 4)},
    {&finish_block_sse2<2>, &finish_block_sse2<3>, &finish_block_sse2<4>, &finish_block_sse2<5>,
     &finish_block_sse2<6>, &finish_block_sse2<7>}};
#if GLOSS_HAVE_AVX2_KERNELS
constexpr StepTables kAvx2Steps = {
    {&split_block_avx2<2>, &split_block_avx2<3>, &split_block_avx2<4>},
    {GLOSS_MULTIPLY_ROW(multiply_block_avx2, 2), GLOSS_MULTIPLY_ROW(multiply_block_avx2, 3),
     GLOSS_MULTIPLY_ROW(multiply_block_avx2, 4)},
    {&finish_block_sse2<2>, &finish_block_sse2<3>, &finish_block_sse2<4>, &finish_block_sse2<5>,
     &finish_block_sse2<6>, &finish_block_sse2<7>}};
#endif
#undef GLOSS_MULTIPLY_ROW

const StepTables& step_tables(KernelIsa isa) {
#if GLOSS_HAVE_AVX2_KERNELS
  if (isa == KernelIsa::Avx2) return kAvx2Steps;
#endif
  return kBaselineSteps;
}

}  // namespace

// The per-block steps for one plan shape and instruction set, chosen once per convolver.
struct ExactConvolver::BlockSteps {
  SplitFn split = nullptr;
  MultiplyFn multiply = nullptr;
  FinishFn finish = nullptr;

  BlockSteps(const k::ExactConvShape& s, KernelIsa isa) {
    const StepTables& t = step_tables(isa);
    split = t.split[s.signal_limbs - 2];
    multiply = t.multiply[s.signal_limbs - 2][s.tap_limbs - 1];
    finish = s.limb_bits >= 10 ? t.finish[s.weights - 2] : &finish_block_scalar;
  }
};

double ExactConvolver::run_blocks(std::span<const float> x, std::span<float> out, std::int64_t first,
                                  std::int64_t last, Scratch& scratch) const {
  const k::ExactConvShape& s = fir_->shape();
  const std::int64_t frames = static_cast<std::int64_t>(x.size());
  const std::int64_t bins = s.fft_size / 2 + 1;
  const std::int64_t abs_sum = fir_->tap_abs_sum();
  double worst = 0;
  for (std::int64_t b = first; b < last; ++b) {
    const auto peak = static_cast<std::int64_t>(steps_->split(s, x, b, scratch.time.data()));
    engine_.forward(s.fft_size, s.signal_limbs, scratch.time.data(), scratch.frequency.data());
    steps_->multiply(scratch.frequency.data(), spectra_.data(), scratch.frequency.data(), bins);  // in place
    engine_.inverse(s.fft_size, s.weights, scratch.frequency.data(), scratch.time.data());
    // The block's peak |x_q| bounds every output: |y| <= peak * sum |h_q|. Below 2^61 the
    // double-only finish applies (the same bits as the 128-bit one, only faster).
    const bool narrow = static_cast<k::ExactInt>(peak) * abs_sum < k::kNarrowOutputLimit;
    double block_worst = 0;
    if (narrow) {
      const std::int64_t start = b * s.hop;
      const auto count = static_cast<std::int32_t>(std::min<std::int64_t>(s.hop, frames - start));
      block_worst = steps_->finish(s, scratch.time.data() + (s.taps - 1), out.data() + start, count);
    } else {
      for (std::int32_t i = 0; i < s.hop; ++i) {
        const double d = k::finish_position(s, scratch.time.data(), frames, b, i, out.data());
        block_worst = d <= block_worst ? block_worst : d;
      }
    }
    worst = block_worst <= worst ? worst : block_worst;
  }
  return worst;
}

AudioTrack ExactConvolver::convolve(const AudioTrack& track) const {
  AudioTrack out = empty_like(track);
  Scratch scratch = make_scratch();
  double worst = 0;
  for (int c = 0; c < track.channels; ++c) {
    check_channel(track, c);
    worst = std::max(worst, run_blocks(track.channel(c), out.channel(c), 0, exact_blocks(fir_->shape(), track.frames),
                                       scratch));
  }
  check_exactness(*fir_, track, worst);
  return out;
}

}  // namespace gloss
