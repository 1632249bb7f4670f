// The Backend interface: where the meter kernels run. A backend never decides what is
// computed, only where; every backend's output is bit-identical to the reference executor's.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace gloss {

struct MeterWork;  // core/meter_work.hpp

class Backend {
 public:
  virtual ~Backend() = default;
  // "reference", "cpu", "cuda:0", ...
  virtual std::string name() const = 0;
  // One line for `gloss devices`: threads, device model, memory.
  virtual std::string description() const = 0;
  // Fills the outputs of every MeterWork in the batch. Throws gloss::Error on failure
  // (device errors included); never falls back to another backend.
  virtual void run_meter(const std::vector<MeterWork*>& batch) = 0;
};

struct BackendInfo {
  std::string name;         // what --device accepts
  std::string description;  // details, or why it is unavailable
  bool available = false;
};

// Every backend this build knows about, available or not (CUDA devices one per line).
std::vector<BackendInfo> list_backends();

// "auto" (the first CUDA device when one is usable, else cpu), "cpu", "reference",
// "reference:SEED" (the reference executor with its work shuffled by SEED: a determinism
// check), "cuda" (= cuda:0) or "cuda:N". threads = 0 means all hardware threads (cpu only).
// Throws gloss::Error naming the problem when the backend is unknown or unavailable.
std::unique_ptr<Backend> make_backend(std::string_view spec, int threads = 0);

}  // namespace gloss
