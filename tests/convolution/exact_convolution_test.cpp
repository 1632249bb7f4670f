// Exact convolution on the CPU: the FFT path equals the direct integer convolution bit for
// bit, whatever the FFT size, FFTW plan or thread count; the guard fires when exactness is
// lost; edge cases and bad input fail clearly. Seeds are printed with every case.
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <iostream>
#include <memory>
#include <string>

#include "../../cpu/fftw_engine.hpp"
#include "eq_design.hpp"
#include "fir_cases.hpp"
#include "gloss/error.hpp"
#include "support/bits.hpp"

namespace gloss {
namespace {

using test::expect_same_bits;

std::shared_ptr<const ExactFir> plan(const std::vector<double>& taps, ExactConvolutionOptions options = {}) {
  return std::make_shared<const ExactFir>(taps, options);
}

AudioTrack run(const ExactFir& fir, FftEngine& engine, const AudioTrack& track) {
  const ExactConvolver conv(std::shared_ptr<const ExactFir>(&fir, [](const ExactFir*) {}), engine);
  return conv.convolve(track);
}

void expect_direct(const ExactFir& fir, const AudioTrack& input, const AudioTrack& output, const std::string& what) {
  for (int c = 0; c < input.channels; ++c)
    expect_same_bits(test::direct_convolution(fir, input, c), output.channel(c), what + ", channel " + std::to_string(c));
}

// (1) Exactness against the direct integer convolution, many lengths and tap counts.
TEST(ExactConvolution, EqualsDirectIntegerConvolution) {
  FftwEngine engine;
  std::uint64_t seed = 1000;
  for (int taps : {1, 3, 255, 8191, 16383}) {
    for (int family = 0; family < 2; ++family) {
      const std::vector<double> h = family == 0 ? test::eq_like_fir(taps) : test::random_fir(taps, seed + 7);
      ExactConvolutionOptions options;
      if (taps == 16383) options.fft_size = 32768;  // keeps "several blocks" affordable for the direct loop
      const auto fir = plan(h, options);
      std::cout << (family == 0 ? "eq-like " : "random ") << fir->describe() << "\n";
      const std::int64_t hop = fir->shape().hop;
      for (std::int64_t frames : {std::int64_t{1}, std::int64_t{2}, std::int64_t{taps - 1}, std::int64_t{taps},
                                  std::int64_t{taps + 1}, std::int64_t{1001}, 3 * hop + 17}) {
        if (frames < 1) continue;
        ++seed;
        const AudioTrack x = test::random_track(1, frames, seed);
        const std::string what = "taps " + std::to_string(taps) + (family == 0 ? " eq-like" : " random") +
                                 ", frames " + std::to_string(frames) + ", seed " + std::to_string(seed);
        SCOPED_TRACE(what);
        expect_direct(*fir, x, run(*fir, engine, x), what);
      }
    }
  }
}

// The thread count and batch composition never change a bit.
TEST(ExactConvolution, ThreadsAndBatchesGiveTheSameBits) {
  FftwEngine engine;
  const auto fir = plan(test::eq_like_fir(255), {.fft_size = 1024});
  const ExactConvolver conv(fir, engine);
  std::vector<AudioTrack> tracks;
  for (int i = 0; i < 5; ++i) tracks.push_back(test::random_track(1 + i % 3, 3000 * (i + 1) + i, 77 + i));
  std::vector<const AudioTrack*> batch;
  for (const AudioTrack& t : tracks) batch.push_back(&t);
  const auto one = convolve_exact_cpu(conv, batch, 1);
  const auto many = convolve_exact_cpu(conv, batch, 4);
  for (std::size_t t = 0; t < tracks.size(); ++t) {
    ASSERT_TRUE(one[t].error.empty()) << one[t].error;
    ASSERT_TRUE(many[t].error.empty()) << many[t].error;
    const AudioTrack alone = conv.convolve(tracks[t]);
    expect_same_bits(alone.samples, one[t].output.samples, "1 thread, track " + std::to_string(t));
    expect_same_bits(alone.samples, many[t].output.samples, "4 threads, track " + std::to_string(t));
    EXPECT_GT(one[t].max_distance, 0.0);
    EXPECT_LT(one[t].max_distance, 1e-3) << "measured distance to an integer, far below the 1/16 guard";
  }
}

// (2) FFT size and FFTW plan change the raw doubles but not the result.
TEST(ExactConvolution, SameBitsForAnyFftSizeAndPlan) {
  const std::vector<double> h = test::random_fir(255, 4242);
  const AudioTrack x = test::random_track(2, 20000, 4243, 2.0f);
  FftwEngine estimate(FftwPlanning::Estimate);  // planned first: FFTW's wisdom would hand later estimates measured plans
  const auto base = plan(h, {.fft_size = 1024});
  const AudioTrack reference = run(*base, estimate, x);
  expect_direct(*base, x, reference, "N=1024 estimate, seed 4243");
  for (int n : {512, 2048, 8192, 65536}) {
    ExactConvolutionOptions options{.fft_size = n};
    const auto fir = plan(h, options);
    expect_same_bits(reference.samples, run(*fir, estimate, x).samples, "N=" + std::to_string(n) + ", " + fir->describe());
  }
  for (int bits : {8, 11, 13}) {
    const auto fir = plan(h, {.fft_size = 2048, .limb_bits = bits});
    expect_same_bits(reference.samples, run(*fir, estimate, x).samples, fir->describe());
  }
  FftwEngine measure(FftwPlanning::MeasureUnaligned);
  FftwEngine patient(FftwPlanning::Patient);
  expect_same_bits(reference.samples, run(*base, measure, x).samples, measure.name());
  expect_same_bits(reference.samples, run(*base, patient, x).samples, patient.name());

  // The raw transforms do differ between plans: the rounding is what makes them agree.
  const std::vector<double> limb = base->padded_tap_limb(0);
  std::vector<double> a(1026), b(1026);
  FftwEngine measured(FftwPlanning::Measure);
  estimate.forward(1024, 1, limb.data(), a.data());
  measured.forward(1024, 1, limb.data(), b.data());
  std::cout << "raw spectra of one tap limb, estimate vs measure: "
            << (std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0 ? "identical" : "differ") << "\n";
}

// Every compiled copy of the block loops (baseline SSE2, AVX2 where the processor has it) gives
// the same bits, for every limb layout and finish path: 16/13/11-bit limbs (vector finish) and
// 9/8-bit limbs (the scalar finish), loud float input (the 128-bit finish for wide blocks).
TEST(ExactConvolution, SameBitsOnEveryLoopCopy) {
  FftwEngine engine;
  const std::vector<double> h = test::random_fir(255, 31);
  AudioTrack x = test::random_track(2, 9000, 32, 3.0f);
  for (std::size_t i = 0; i < 300; ++i) x.samples[i * 7] = (i % 2 ? -1 : 1) * std::nextafter(128.0f, 0.0f);
  for (int bits : {16, 13, 11, 9, 8}) {
    const auto fir = plan(h, {.fft_size = 1024, .limb_bits = bits});
    const AudioTrack reference = ExactConvolver(fir, engine, KernelIsa::Baseline).convolve(x);
    expect_direct(*fir, x, reference, "baseline loops, " + fir->describe());
    if (!kernel_isa_available(KernelIsa::Avx2)) continue;
    expect_same_bits(reference.samples, ExactConvolver(fir, engine, KernelIsa::Avx2).convolve(x).samples,
                "avx2 loops, " + fir->describe());
  }
  if (!kernel_isa_available(KernelIsa::Avx2)) std::cout << "no AVX2 here: only the baseline loops were run\n";
}

// (3) The guard fires when the limbs are too wide for the FFT's precision.
TEST(ExactConvolution, GuardFiresOnTooWideLimbs) {
  const std::vector<double> h = test::random_fir(255, 99);
  try {
    ExactFir fir(h, {.fft_size = 4096, .limb_bits = 26});
    FAIL() << "a 26-bit limb plan must be refused at plan time: " << fir.describe();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("bound"), std::string::npos) << e.what();
  }
  FftwEngine engine;
  const auto fir = plan(h, {.fft_size = 4096, .limb_bits = 26, .skip_bound_check = true});
  AudioTrack x = test::random_track(1, 20000, 100, 100.0f);
  x.name = "wide.wav";
  try {
    run(*fir, engine, x);
    FAIL() << "the distance-to-integer guard did not fire: " << fir->describe();
  } catch (const Error& e) {
    const std::string msg = e.what();
    std::cout << "guard: " << msg << "\n";
    EXPECT_NE(msg.find("wide.wav"), std::string::npos) << msg;
    EXPECT_NE(msg.find("nearest integer"), std::string::npos) << msg;
  }
  const ExactConvolver conv(fir, engine);
  const AudioTrack* batch[] = {&x};
  const auto results = convolve_exact_cpu(conv, batch, 2);
  EXPECT_NE(results[0].error.find("failed its check"), std::string::npos) << results[0].error;
  EXPECT_GT(results[0].max_distance, kGuardLimit);
}

// (4) Adversarial signals and filters, against the direct convolution.
TEST(ExactConvolution, AdversarialInputs) {
  const float top = std::nextafter(128.0f, 0.0f);  // the largest representable sample
  struct Case {
    const char* name;
    float (*sample)(std::int64_t, float);
  };
  const Case cases[] = {
      {"all-max", [](std::int64_t, float m) { return m; }},
      {"all-min", [](std::int64_t, float m) { return -m; }},
      {"alternating max", [](std::int64_t i, float m) { return i % 2 ? -m : m; }},
      {"impulse", [](std::int64_t i, float m) { return i == 1234 ? m : 0.0f; }},
      {"dc 1.0", [](std::int64_t, float) { return 1.0f; }},
      {"nyquist 1.0", [](std::int64_t i, float) { return i % 2 ? -1.0f : 1.0f; }},
      {"float +-4.0", [](std::int64_t i, float) { return (i / 3) % 2 ? -4.0f : 4.0f; }},
  };
  FftwEngine engine;
  std::vector<std::vector<double>> filters = {test::eq_like_fir(255), test::eq_like_fir(8191),
                                              std::vector<double>(255, 1.0), test::random_fir(1023, 5, 1.0)};
  std::vector<double> alternating(511);
  for (std::size_t k = 0; k < alternating.size(); ++k) alternating[k] = k % 2 ? -1.0 : 1.0;
  filters.push_back(alternating);
  for (const auto& h : filters) {
    const auto fir = plan(h);
    for (const Case& c : cases) {
      AudioTrack x = test::planar_track(1, 40000, 48000);
      for (std::int64_t i = 0; i < x.frames; ++i) x.samples[static_cast<std::size_t>(i)] = c.sample(i, top);
      expect_direct(*fir, x, run(*fir, engine, x), std::string(c.name) + ", " + fir->describe());
    }
  }
}

// (5) A flat filter returns every input on the 2^-24 grid bit for bit.
TEST(ExactConvolution, FlatFilterIsBitExactPassthrough) {
  std::vector<double> centred(8191, 0.0);
  centred[4095] = 1.0;
  FftwEngine engine;
  std::mt19937_64 rng(555);
  AudioTrack x = test::planar_track(2, 50000, 96000);
  for (std::size_t i = 0; i < x.samples.size(); ++i) {
    const std::uint64_t r = rng();
    switch (i % 4) {
      case 0: x.samples[i] = static_cast<float>(static_cast<std::int32_t>(r >> 40) - (1 << 23)) * 0x1p-23f; break;  // 24-bit PCM
      case 1: x.samples[i] = static_cast<float>(static_cast<std::int32_t>(r >> 48) - (1 << 15)) * 0x1p-15f; break;  // 16-bit PCM
      case 2: x.samples[i] = std::bit_cast<float>(static_cast<std::uint32_t>(0x3f000000u + (r & 0x037fffffu)) |
                                                  static_cast<std::uint32_t>((r >> 32) & 0x80000000u)); break;  // [0.5, 64)
      default: x.samples[i] = (r & 1) ? -4.0f : 127.5f; break;
    }
  }
  for (const auto& h : {std::vector<double>{1.0}, centred}) {
    const auto fir = plan(h);
    expect_same_bits(x.samples, run(*fir, engine, x).samples, "flat " + fir->describe() + ", seed 555");
  }
  // Off-grid inputs come back rounded to the 2^-24 grid; -0.0 becomes +0.0.
  AudioTrack small = test::planar_track(1, 4, 48000);
  small.samples = {1e-9f, 3 * 0x1p-26f, -0.0f, 0x1p-25f};
  const AudioTrack y = run(*plan({1.0}), engine, small);
  expect_same_bits(std::vector<float>{0.0f, 0x1p-24f, 0.0f, 0.0f}, y.samples, "off-grid inputs");
}

// (7) Edge cases: empty, one sample, shorter than the FIR, silence, 8 kHz and 384 kHz, many channels.
TEST(ExactConvolution, EdgeCases) {
  FftwEngine engine;
  const auto fir = plan(test::eq_like_fir(8191));
  const ExactConvolver conv(fir, engine);
  std::vector<AudioTrack> tracks;
  tracks.push_back(test::planar_track(2, 0, 48000, "empty"));
  tracks.push_back(test::random_track(1, 1, 11));
  tracks.push_back(test::random_track(2, 100, 12, 1.0f, 8000));
  tracks.push_back(test::planar_track(6, 30000, 384000, "silence"));
  tracks.push_back(test::random_track(2, 100000, 13, 1.0f, 384000));
  tracks.push_back(test::random_track(8, 20000, 14, 4.0f, 8000));
  std::vector<const AudioTrack*> batch;
  for (const AudioTrack& t : tracks) batch.push_back(&t);
  const auto results = convolve_exact_cpu(conv, batch, 2);
  for (std::size_t t = 0; t < tracks.size(); ++t) {
    ASSERT_TRUE(results[t].error.empty()) << results[t].error;
    const AudioTrack& y = results[t].output;
    EXPECT_EQ(y.frames, tracks[t].frames);
    EXPECT_EQ(y.channels, tracks[t].channels);
    EXPECT_EQ(y.sample_rate, tracks[t].sample_rate);
    expect_direct(*fir, tracks[t], y, "edge track " + std::to_string(t));
  }
  for (float v : results[3].output.samples) ASSERT_EQ(std::bit_cast<std::uint32_t>(v), 0u) << "silence stays +0";
}

TEST(ExactConvolution, BadInputFailsTheTrackClearly) {
  FftwEngine engine;
  const auto fir = plan(test::eq_like_fir(255));
  const ExactConvolver conv(fir, engine);
  AudioTrack loud = test::random_track(2, 1000, 3);
  loud.name = "loud.wav";
  loud.samples[1000 + 17] = 200.0f;
  AudioTrack nan = test::random_track(1, 1000, 4);
  nan.name = "nan.wav";
  nan.samples[5] = std::numeric_limits<float>::quiet_NaN();
  const AudioTrack good = test::random_track(1, 1000, 5);
  const AudioTrack* batch[] = {&loud, &nan, &good};
  const auto results = convolve_exact_cpu(conv, batch, 2);
  EXPECT_NE(results[0].error.find("loud.wav: channel 1 sample 17 is 200"), std::string::npos) << results[0].error;
  EXPECT_NE(results[0].error.find("+42.1 dBFS"), std::string::npos) << results[0].error;
  EXPECT_NE(results[1].error.find("nan.wav: channel 0 sample 5"), std::string::npos) << results[1].error;
  EXPECT_TRUE(results[2].error.empty()) << results[2].error;
  EXPECT_THROW(conv.convolve(loud), Error);
}

TEST(ExactConvolution, BadFiltersAreRefused) {
  auto message = [](std::vector<double> h, ExactConvolutionOptions o = {}) {
    try {
      ExactFir fir(h, o);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message({1.0, 0.5}).find("odd length"), std::string::npos);
  EXPECT_NE(message({}).find("no taps"), std::string::npos);
  EXPECT_NE(message({std::nan("")}).find("tap 0"), std::string::npos);
  EXPECT_NE(message({1.0}, {.fft_size = 1000}).find("power of two"), std::string::npos);
  EXPECT_NE(message({1.0}, {.limb_bits = 30}).find("8..26"), std::string::npos);
}

// The planner may quantise taps with fewer fraction bits (down to Q20) when that buys the 2x1
// shape. What that costs a real EQ: the response of the quantised taps against the designed
// doubles, over 20 Hz..20 kHz, for mastering curves (including the +-24 dB extremes) at 44.1,
// 48 and 96 kHz. Measured: at most 0.004 dB (Q20, long low-frequency bells), typically
// 1e-5..5e-4 dB; Q30 would move them by at most 2.3e-5 dB. The designs stay within 0.05 dB.
TEST(ExactConvolution, TapQuantisationKeepsTheEqResponse) {
  using T = EqBandType;
  auto band = [](T type, double hz, double gain, double q, int order = 2, double tilt = 0) {
    EqBand b;
    b.type = type;
    b.freq_hz = hz;
    b.gain_db = gain;
    b.q = q;
    b.order = order;
    b.tilt_db_per_octave = tilt;
    return b;
  };
  const std::vector<std::pair<const char*, EqSpec>> curves = {
      {"master_mix",
       {0,
        {band(T::high_pass, 25, 0, 0, 2), band(T::low_shelf, 90, 1.5, 0), band(T::bell, 250, -1.2, 1),
         band(T::bell, 3200, 0.8, 2), band(T::high_shelf, 10000, 1.5, 0), band(T::tilt, 1000, 0, 0, 2, -0.5)}}},
      {"bell_30Hz_Q1_+6", {0, {band(T::bell, 30, 6, 1)}}},
      {"bell_100Hz_Q4_-6", {0, {band(T::bell, 100, -6, 4)}}},
      {"bell_1kHz_Q4_+0.1", {0, {band(T::bell, 1000, 0.1, 4)}}},
      {"high_pass_25Hz_24dB", {0, {band(T::high_pass, 25, 0, 0, 4)}}},
      {"low_pass_18kHz_48dB", {0, {band(T::low_pass, 18000, 0, 0, 8)}}},
      {"low_shelf_100Hz_+3", {0, {band(T::low_shelf, 100, 3, 0)}}},
      {"high_shelf_12kHz_-3", {0, {band(T::high_shelf, 12000, -3, 0)}}},
      {"tilt_-1", {0, {band(T::tilt, 1000, 0, 0, 2, -1)}}},
      {"bell_60Hz_Q2_-24", {0, {band(T::bell, 60, -24, 2)}}},
      {"bell_2kHz_Q1_+24", {0, {band(T::bell, 2000, 24, 1)}}},
  };
  double worst_change = 0;
  for (const int rate : {44100, 48000, 96000}) {
    const double top = std::min(20000.0, 0.45 * rate);
    for (const auto& [name, spec] : curves) {
      const FirDesign design = design_eq_fir(spec, rate);
      const ExactFir fir(design.taps);
      FirDesign quantised = design;
      const double step = kernels::power_of_two(-fir.shape().tap_fraction_bits);
      for (std::size_t t = 0; t < design.taps.size(); ++t)
        quantised.taps[t] = static_cast<double>(fir.quantized_taps()[t]) * step;
      FirDesign q30 = design;
      for (double& t : q30.taps) t = kernels::round_half_even(t * 0x1p30) * 0x1p-30;
      double change = 0;
      double change30 = 0;
      for (int i = 0; i < 200; ++i) {
        const double hz = 20 * std::pow(top / 20, i / 199.0);
        change = std::max(change, std::abs(achieved_db(quantised, hz) - achieved_db(design, hz)));
        change30 = std::max(change30, std::abs(achieved_db(q30, hz) - achieved_db(design, hz)));
      }
      const EqDeviation w = worst_deviation(spec, quantised, 20, top);
      std::printf("  %6d Hz  %-20s %s: response moved %.2g dB (Q30: %.2g dB), worst vs target %+.4f dB\n", rate,
                  name, fir.describe().c_str(), change, change30, w.worst_db);
      EXPECT_LE(std::abs(w.worst_db), 0.05) << name << " at " << rate;
      EXPECT_LE(change, 0.01) << name << " at " << rate << ": " << fir.describe();
      worst_change = std::max(worst_change, change);
    }
  }
  std::printf("  largest response change from tap quantisation: %.2g dB\n", worst_change);
}

// The plan documents itself: 16-bit limbs for a typical EQ, and a bound within the limit.
TEST(ExactConvolution, PlanChoiceIsWithinTheBound) {
  for (int taps : {1, 255, 8191, 16383}) {
    for (int family = 0; family < 2; ++family) {
      const ExactFir fir(family == 0 ? test::eq_like_fir(taps) : test::random_fir(taps, 3));
      std::cout << fir.describe() << "\n";
      EXPECT_LE(fir.error_bound(), kBoundLimit);
      EXPECT_GE(fir.fft_size(), fir.taps());
    }
  }
}

}  // namespace
}  // namespace gloss
