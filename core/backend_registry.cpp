// Which backends this build has, and how --device names them.
#include <string>

#include "../cpu/cpu_backend.hpp"
#include "../cpu/reference_backend.hpp"
#include "device_spec.hpp"
#include "gloss/backend.hpp"
#include "gloss/error.hpp"
#if GLOSS_HAVE_CUDA
#include "../cuda/cuda_backend.hpp"
#endif

namespace gloss {

namespace {

std::unique_ptr<Backend> make_cuda(int device) {
#if GLOSS_HAVE_CUDA
  return std::make_unique<CudaBackend>(device);
#else
  (void)device;
  throw Error(kBuiltWithoutCuda);
#endif
}

}  // namespace

std::vector<BackendInfo> list_backends() {
  std::vector<BackendInfo> out;
  out.push_back({"reference", ReferenceBackend().description(), true});
  out.push_back({"cpu", CpuBackend().description(), true});
#if GLOSS_HAVE_CUDA
  for (BackendInfo& info : cuda_backend_infos()) out.push_back(std::move(info));
#else
  out.push_back({"cuda", "unavailable: built without CUDA", false});
#endif
  return out;
}

std::unique_ptr<Backend> make_backend(std::string_view spec, int threads) {
  const DeviceSpec d = parse_device_spec(spec);
  switch (d.kind) {
    case DeviceSpec::Kind::Cpu: return std::make_unique<CpuBackend>(threads);
    case DeviceSpec::Kind::Reference:  // reference:SEED shuffles the work order: a determinism check
      return d.shuffled ? std::make_unique<ReferenceBackend>(d.shuffle_seed) : std::make_unique<ReferenceBackend>();
    case DeviceSpec::Kind::Cuda: return make_cuda(d.cuda_device);
    case DeviceSpec::Kind::Auto: break;
  }
#if GLOSS_HAVE_CUDA
  if (const std::vector<int> usable = usable_cuda_devices(); !usable.empty()) return make_cuda(usable.front());
#endif
  return std::make_unique<CpuBackend>(threads);
}

}  // namespace gloss
