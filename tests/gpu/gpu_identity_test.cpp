// The CUDA backend must reproduce the reference executor's bits for every track, alone and
// in a batch, in both true-peak modes. Skips with a message when no device is present.
#include <gtest/gtest.h>

#include <iostream>

#include "../../cpu/reference_backend.hpp"
#include "../../cuda/cuda_backend.hpp"
#include "gloss/fingerprint.hpp"
#include "gloss/meter.hpp"
#include "support/signals.hpp"

namespace gloss {
namespace {

class GpuIdentity : public ::testing::Test {
 protected:
  void SetUp() override {
    if (cuda_device_count() == 0)
      GTEST_SKIP() << "no CUDA device on this machine: the CUDA backend was built but cannot be tested here";
  }
};

std::vector<AudioTrack> tracks() {
  std::vector<AudioTrack> out;
  for (test::NamedTrack& t : test::identity_cases()) out.push_back(std::move(t.track));
  return out;
}

void expect_same(Backend& device, const std::vector<AudioTrack>& input, TruePeakMode mode) {
  MeterOptions options;
  options.true_peak = mode;
  std::vector<const AudioTrack*> batch;
  for (const AudioTrack& t : input) batch.push_back(&t);
  ReferenceBackend reference;
  const std::vector<TrackAnalysis> expected = analyze_tracks(reference, batch, options);
  const std::vector<TrackAnalysis> together = analyze_tracks(device, batch, options);
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const std::string diff = first_difference(expected[i], together[i]);
    EXPECT_TRUE(diff.empty()) << device.name() << ", track " << i << " in a batch, mode " << to_string(mode) << ": " << diff;
    const TrackAnalysis alone = analyze_tracks(device, {batch[i]}, options).at(0);
    const std::string diff_alone = first_difference(expected[i], alone);
    EXPECT_TRUE(diff_alone.empty()) << device.name() << ", track " << i << " alone: " << diff_alone;
  }
}

TEST_F(GpuIdentity, EveryDeviceMatchesTheReferenceBitForBit) {
  const std::vector<AudioTrack> input = tracks();
  const std::vector<int> devices = usable_cuda_devices();
  if (devices.empty()) GTEST_SKIP() << "no CUDA device here can run this build's kernels";
  for (int d : devices) {
    CudaBackend device(d);
    expect_same(device, input, TruePeakMode::Itu);
    expect_same(device, input, TruePeakMode::Precise);
  }
}

TEST_F(GpuIdentity, UnknownDeviceIsAClearError) {
  try {
    CudaBackend device(cuda_device_count() + 3);
    FAIL() << "expected an error for a missing device";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("not available"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace gloss

// Without a device, the error path still has to be right: checked outside the fixture.
TEST(GpuAbsent, MissingDeviceGivesAClearErrorNotAFallback) {
  if (gloss::cuda_device_count() > 0) GTEST_SKIP() << "a CUDA device is present";
  EXPECT_THROW(gloss::CudaBackend device(0), gloss::Error);
  try {
    auto backend = gloss::make_backend("cuda:0");
    FAIL() << "make_backend(cuda:0) must not succeed without a device";
  } catch (const gloss::Error& e) {
    EXPECT_NE(std::string(e.what()).find("--device cpu"), std::string::npos) << e.what();
  }
  // auto picks the CPU when there is no device, and says so by its name.
  EXPECT_EQ(gloss::make_backend("auto")->name(), "cpu");
}
