// What a --device word names, parsed once for both registries (meter backends and render
// stages): auto, cpu, reference, reference:SEED, cuda (= cuda:0) or cuda:N.
#pragma once

#include <cstdint>
#include <string_view>

namespace gloss {

struct DeviceSpec {
  enum class Kind { Auto, Cpu, Reference, Cuda };
  Kind kind = Kind::Auto;
  int cuda_device = 0;           // Cuda
  bool shuffled = false;         // Reference: reference:SEED
  std::uint64_t shuffle_seed = 0;
};

// Throws gloss::Error naming the word and what is accepted.
DeviceSpec parse_device_spec(std::string_view spec);

// The message for a CUDA device asked of a build without CUDA.
inline constexpr const char* kBuiltWithoutCuda =
    "this gloss was built without CUDA (no nvcc/cuFFT at build time); use --device cpu, "
    "or rebuild with -DGLOSS_CUDA=ON on a machine with the CUDA Toolkit";

}  // namespace gloss
