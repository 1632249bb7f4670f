// Which backends this build has, and how --device names them.
#include <charconv>
#include <string>

#include "../cpu/cpu_backend.hpp"
#include "../cpu/reference_backend.hpp"
#include "gloss/backend.hpp"
#include "gloss/error.hpp"
#if GLOSS_HAVE_CUDA
#include "../cuda/cuda_backend.hpp"
#endif

namespace gloss {

namespace {

bool parse_index(std::string_view text, int& out) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc() && ptr == end && out >= 0;
}

std::unique_ptr<Backend> make_cuda(int device) {
#if GLOSS_HAVE_CUDA
  return std::make_unique<CudaBackend>(device);
#else
  (void)device;
  throw Error("this gloss was built without CUDA (no nvcc/cuFFT at build time); use --device cpu, "
              "or rebuild with -DGLOSS_CUDA=ON on a machine with the CUDA Toolkit");
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
  if (spec == "cpu") return std::make_unique<CpuBackend>(threads);
  if (spec == "reference") return std::make_unique<ReferenceBackend>();
  if (spec.starts_with("reference:")) {  // shuffled work order, for determinism checks
    int seed = 0;
    if (!parse_index(spec.substr(10), seed))
      throw Error("bad device '" + std::string(spec) + "': expected reference:SEED with SEED a number");
    return std::make_unique<ReferenceBackend>(static_cast<std::uint64_t>(seed));
  }
  if (spec == "auto") {
#if GLOSS_HAVE_CUDA
    if (const std::vector<int> usable = usable_cuda_devices(); !usable.empty()) return make_cuda(usable.front());
#endif
    return std::make_unique<CpuBackend>(threads);
  }
  if (spec == "cuda") return make_cuda(0);
  if (spec.starts_with("cuda:")) {
    int device = 0;
    if (!parse_index(spec.substr(5), device))
      throw Error("bad device '" + std::string(spec) + "': expected cuda:N with N a device number");
    return make_cuda(device);
  }
  throw Error("unknown device '" + std::string(spec) + "': use auto, cpu, reference, reference:SEED, cuda or cuda:N");
}

}  // namespace gloss
