// make_render_stages(): which render stages this build has, named like --device.
#include <charconv>
#include <string>

#include "gloss/error.hpp"
#include "render_stages.hpp"
#if GLOSS_HAVE_CUDA
#include "../cuda/cuda_backend.hpp"
#include "../cuda/render_stages_cuda.hpp"
#endif

namespace gloss {

namespace {

std::unique_ptr<RenderStages> make_cuda_stages(int device) {
#if GLOSS_HAVE_CUDA
  return std::make_unique<CudaRenderStages>(device);
#else
  (void)device;
  throw Error("this gloss was built without CUDA (no nvcc/cuFFT at build time); use --device cpu, "
              "or rebuild with -DGLOSS_CUDA=ON on a machine with the CUDA Toolkit");
#endif
}

}  // namespace

std::unique_ptr<RenderStages> make_render_stages(std::string_view spec) {
  if (spec == "cpu") return std::make_unique<CpuRenderStages>();
  if (spec == "auto") {
#if GLOSS_HAVE_CUDA
    if (const std::vector<int> usable = usable_cuda_devices(); !usable.empty()) return make_cuda_stages(usable.front());
#endif
    return std::make_unique<CpuRenderStages>();
  }
  if (spec == "cuda") return make_cuda_stages(0);
  if (spec.starts_with("cuda:")) {
    const std::string_view index = spec.substr(5);
    int device = -1;
    const auto [ptr, ec] = std::from_chars(index.data(), index.data() + index.size(), device);
    if (ec != std::errc() || ptr != index.data() + index.size() || device < 0)
      throw Error("bad device '" + std::string(spec) + "': expected cuda:N with N a device number");
    return make_cuda_stages(device);
  }
  throw Error("unknown render device '" + std::string(spec) + "': use auto, cpu, cuda or cuda:N");
}

}  // namespace gloss
