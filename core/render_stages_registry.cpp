// make_render_stages(): which render stages this build has, named like --device.
#include <string>

#include "device_spec.hpp"
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
  throw Error(kBuiltWithoutCuda);
#endif
}

}  // namespace

std::unique_ptr<RenderStages> make_render_stages(std::string_view spec) {
  const DeviceSpec d = parse_device_spec(spec);
  switch (d.kind) {
    case DeviceSpec::Kind::Cpu: return std::make_unique<CpuRenderStages>();
    case DeviceSpec::Kind::Cuda: return make_cuda_stages(d.cuda_device);
    case DeviceSpec::Kind::Reference:
      throw Error("unknown render device '" + std::string(spec) + "': use auto, cpu, cuda or cuda:N");
    case DeviceSpec::Kind::Auto: break;
  }
#if GLOSS_HAVE_CUDA
  if (const std::vector<int> usable = usable_cuda_devices(); !usable.empty()) return make_cuda_stages(usable.front());
#endif
  return std::make_unique<CpuRenderStages>();
}

}  // namespace gloss
