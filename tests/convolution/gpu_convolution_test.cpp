// The cuFFT path equals the FFTW path bit for bit (label gpu). Skips with a message when no
// usable CUDA device is present; the missing-device error is checked everywhere.
#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <iostream>
#include <memory>
#include <string>

#include "../../cpu/fftw_engine.hpp"
#include "../../cuda/cuda_backend.hpp"
#include "../../cuda/cufft_engine.hpp"
#include "fir_cases.hpp"
#include "gloss/error.hpp"

namespace gloss {
namespace {

std::vector<AudioTrack> cases() {
  std::vector<AudioTrack> out;
  out.push_back(test::random_track(2, 100000, 21));
  out.push_back(test::random_track(1, 1, 22));
  out.push_back(test::random_track(6, 5000, 23, 4.0f, 8000));
  out.push_back(test::planar_track(2, 0, 48000, "empty"));
  AudioTrack top = test::planar_track(1, 30000, 384000, "alternating max");
  for (std::size_t i = 0; i < top.samples.size(); ++i) top.samples[i] = (i % 2 ? -1 : 1) * std::nextafter(128.0f, 0.0f);
  out.push_back(top);
  return out;
}

void expect_same_bits(const ExactConvolutionResult& cpu, const ExactConvolutionResult& gpu, const std::string& what) {
  ASSERT_EQ(cpu.error, gpu.error) << what;
  ASSERT_EQ(cpu.output.samples.size(), gpu.output.samples.size()) << what;
  for (std::size_t i = 0; i < cpu.output.samples.size(); ++i)
    if (std::bit_cast<std::uint32_t>(cpu.output.samples[i]) != std::bit_cast<std::uint32_t>(gpu.output.samples[i])) {
      ADD_FAILURE() << what << ": first difference at sample " << i << ": cpu " << cpu.output.samples[i] << ", gpu "
                    << gpu.output.samples[i];
      return;
    }
}

TEST(GpuConvolution, CufftEqualsFftwBitForBit) {
  if (cuda_device_count() == 0)
    GTEST_SKIP() << "no CUDA device on this machine: the cuFFT convolution was built but cannot be tested here";
  const std::vector<AudioTrack> tracks = cases();
  std::vector<const AudioTrack*> batch;
  for (const AudioTrack& t : tracks) batch.push_back(&t);
  FftwEngine fftw;
  const std::vector<int> devices = usable_cuda_devices();
  if (devices.empty()) GTEST_SKIP() << "no CUDA device here can run this build's kernels";
  for (int d : devices) {
    for (const std::vector<double>& h : {test::eq_like_fir(8191), test::random_fir(255, 9), std::vector<double>{1.0}}) {
      const auto fir = std::make_shared<const ExactFir>(h);
      const auto cpu = convolve_exact_cpu(ExactConvolver(fir, fftw), batch, 2);
      CudaExactConvolver gpu_conv(d, fir);
      const auto gpu = gpu_conv.run(batch);
      for (std::size_t t = 0; t < tracks.size(); ++t)
        expect_same_bits(cpu[t], gpu[t], "cuda:" + std::to_string(d) + ", " + fir->describe() + ", track " + std::to_string(t));
      // Alone equals in a batch.
      const AudioTrack* one[] = {batch[0]};
      expect_same_bits(cpu[0], gpu_conv.run(one).at(0), "alone, " + fir->describe());
    }
  }
}

TEST(GpuConvolution, MissingDeviceIsAClearError) {
  const auto fir = std::make_shared<const ExactFir>(std::vector<double>{1.0});
  try {
    CudaExactConvolver conv(cuda_device_count() + 2, fir);
    FAIL() << "expected an error for a missing device";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("not available"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace gloss
