// The reference executor: one thread, every tile and segment in a fixed order, the baseline
// copy of the kernels. It defines the canonical bits that every other backend must match.
#pragma once

#include <cstdint>
#include <optional>

#include "gloss/backend.hpp"

namespace gloss {

class ReferenceBackend final : public Backend {
 public:
  // With a seed, work items run in a shuffled order: tests use it to show that order never
  // changes a result.
  explicit ReferenceBackend(std::optional<std::uint64_t> shuffle_seed = std::nullopt)
      : shuffle_seed_(shuffle_seed) {}
  std::string name() const override { return "reference"; }
  std::string description() const override;
  void run_meter(const std::vector<MeterWork*>& batch) override;

 private:
  std::optional<std::uint64_t> shuffle_seed_;
};

}  // namespace gloss
