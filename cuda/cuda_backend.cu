// The CUDA backend. Device-specific code only: memory, launches and copies. The arithmetic
// is core/kernels/, the same source the CPU runs, compiled with -fmad=false.
#include "cuda_backend.hpp"

#include <cuda_runtime.h>

#include <cstdint>
#include <string>

#include "cuda_check.hpp"
#include "device_buffer.hpp"
#include "kernels/block_tile.hpp"
#include "kernels/true_peak.hpp"
#include "meter_work.hpp"

namespace gloss {

namespace {

// Where each track's data sits inside the batch's concatenated device buffers.
struct TrackOffsets {
  std::int64_t samples = 0;
  std::int64_t energy = 0;
  std::int64_t tiles = 0;
  std::int64_t true_peak = 0;
};

struct ItemRef {
  std::int32_t track;
  std::int64_t index;
};

__global__ void block_tile_kernel(const kernels::MeterPlan* plans, const TrackOffsets* offsets,
                                  const ItemRef* items, std::int64_t count, const float* samples,
                                  double* energy, double* mono, kernels::TileStats* tiles) {
  const std::int64_t n = static_cast<std::int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (n >= count) return;
  const ItemRef item = items[n];
  const kernels::MeterPlan& p = plans[item.track];
  const TrackOffsets& o = offsets[item.track];
  kernels::meter_block_tile(p, samples + o.samples, item.index, energy + o.energy,
                            p.stereo ? mono + o.energy : nullptr, tiles[o.tiles + item.index]);
}

__global__ void true_peak_kernel(const kernels::MeterPlan* plans, const kernels::TruePeakFilter* filters,
                                 const TrackOffsets* offsets, const ItemRef* items, std::int64_t count,
                                 const float* samples, double* peaks) {
  const std::int64_t n = static_cast<std::int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (n >= count) return;
  const ItemRef item = items[n];
  const kernels::MeterPlan& p = plans[item.track];
  const TrackOffsets& o = offsets[item.track];
  const std::int64_t channel = item.index / p.true_peak_segments;
  const std::int64_t segment = item.index % p.true_peak_segments;
  peaks[o.true_peak + item.index] =
      kernels::true_peak_segment(filters[item.track], samples + o.samples + channel * p.frames, p.frames, segment);
}

unsigned int grid_for(std::int64_t count, unsigned int block) {
  return static_cast<unsigned int>((count + block - 1) / block);
}

}  // namespace

namespace {

// Empty when this build's kernels load on device d; otherwise why not (a GPU older than the
// architectures this gloss was compiled for, most often: CUDA 13 starts at compute 7.5).
std::string unusable_reason(int d) {
  if (const cudaError_t s = cudaSetDevice(d); s != cudaSuccess) {
    static_cast<void>(cudaGetLastError());
    return std::string("cannot select the device: ") + cudaGetErrorString(s);
  }
  cudaFuncAttributes attributes{};
  for (const void* kernel : {reinterpret_cast<const void*>(&block_tile_kernel), reinterpret_cast<const void*>(&true_peak_kernel)})
    if (const cudaError_t s = cudaFuncGetAttributes(&attributes, kernel); s != cudaSuccess) {
      static_cast<void>(cudaGetLastError());
      return std::string(cudaGetErrorString(s)) + " (this gloss was built for compute capability 7.5 and newer)";
    }
  return {};
}

int raw_device_count() {
  int count = 0;
  if (cudaGetDeviceCount(&count) != cudaSuccess) {
    static_cast<void>(cudaGetLastError());  // no driver or no device: not an error for us
    return 0;
  }
  return count;
}

}  // namespace

int cuda_device_count() { return raw_device_count(); }

std::string cuda_device_problem(int device) {
  if (device < 0 || device >= raw_device_count()) return "no such CUDA device";
  return unusable_reason(device);
}

std::vector<int> usable_cuda_devices() {
  std::vector<int> out;
  for (int d = 0; d < raw_device_count(); ++d)
    if (unusable_reason(d).empty()) out.push_back(d);
  return out;
}

std::vector<BackendInfo> cuda_backend_infos() {
  int count = 0;
  const cudaError_t status = cudaGetDeviceCount(&count);
  if (status != cudaSuccess || count == 0) {
    static_cast<void>(cudaGetLastError());
    const std::string why = status != cudaSuccess ? cudaGetErrorString(status) : "no CUDA device found";
    return {{"cuda", "unavailable: " + why, false}};
  }
  std::vector<BackendInfo> out;
  for (int d = 0; d < count; ++d) {
    const std::string name = "cuda:" + std::to_string(d);
    cudaDeviceProp prop{};
    if (const cudaError_t s = cudaGetDeviceProperties(&prop, d); s != cudaSuccess) {
      static_cast<void>(cudaGetLastError());
      out.push_back({name, std::string("unavailable: ") + cudaGetErrorString(s), false});
      continue;
    }
    std::string description = std::string(prop.name) + ", compute " + std::to_string(prop.major) + "." +
                              std::to_string(prop.minor) + ", " + std::to_string(prop.totalGlobalMem >> 20) + " MiB";
    int watchdog = 0;
    if (cudaDeviceGetAttribute(&watchdog, cudaDevAttrKernelExecTimeout, d) == cudaSuccess && watchdog != 0)
      description += ", display watchdog on (long tracks may time out)";
    const std::string why = unusable_reason(d);
    out.push_back({name, why.empty() ? description : description + ": unavailable: " + why, why.empty()});
  }
  return out;
}

CudaBackend::CudaBackend(int device) : device_(device) {
  const int count = cuda_device_count();
  if (device < 0 || device >= count)
    throw Error("cuda:" + std::to_string(device) + " is not available: this machine has " + std::to_string(count) +
                " CUDA device(s). Run `gloss devices` to list them, or use --device cpu.");
  if (const std::string why = unusable_reason(device_); !why.empty())
    throw Error(name() + " cannot run gloss: " + why + ". Use --device cpu.");
  cudaDeviceProp prop{};
  GLOSS_CUDA_CHECK(cudaGetDeviceProperties(&prop, device_));
  description_ = std::string(prop.name) + ", compute " + std::to_string(prop.major) + "." + std::to_string(prop.minor);
}

std::string CudaBackend::name() const { return "cuda:" + std::to_string(device_); }

std::string CudaBackend::description() const { return description_; }

namespace {

// Device memory one track needs inside a chunk (samples, outputs, plan, work lists).
std::size_t device_bytes(const MeterWork& w) {
  const kernels::MeterPlan& p = w.plan;
  return w.track->samples.size() * sizeof(float) + static_cast<std::size_t>(p.subblocks) * 2 * sizeof(double) +
         static_cast<std::size_t>(p.tiles) * (sizeof(kernels::TileStats) + sizeof(ItemRef)) +
         w.true_peak.size() * (sizeof(double) + sizeof(ItemRef)) + sizeof(kernels::MeterPlan) +
         sizeof(kernels::TruePeakFilter) + sizeof(TrackOffsets);
}

// Errors after which the device's context is unusable for the rest of the process.
bool is_sticky(cudaError_t s) {
  switch (s) {
    case cudaErrorIllegalAddress:
    case cudaErrorLaunchFailure:
    case cudaErrorLaunchTimeout:
    case cudaErrorHardwareStackError:
    case cudaErrorIllegalInstruction:
    case cudaErrorMisalignedAddress:
    case cudaErrorInvalidAddressSpace:
    case cudaErrorInvalidPc:
    case cudaErrorAssert:
    case cudaErrorECCUncorrectable:
      return true;
    default:
      return false;
  }
}

}  // namespace

void CudaBackend::run_meter(const std::vector<MeterWork*>& batch) {
  if (batch.empty()) return;
  if (!broken_.empty())
    throw Error(name() + " failed earlier in this run (" + broken_ + "); restart gloss or use --device cpu");
  GLOSS_CUDA_CHECK(cudaSetDevice(device_));
  static_cast<void>(cudaGetLastError());  // nothing is in flight between calls: only a stale status
  std::size_t free_bytes = 0, total_bytes = 0;
  GLOSS_CUDA_CHECK(cudaMemGetInfo(&free_bytes, &total_bytes));
  // Tracks are independent, so cutting a batch into chunks that fit changes no result.
  const std::size_t budget = free_bytes / 10 * 8;
  std::vector<MeterWork*> chunk;
  std::size_t used = 0;
  for (MeterWork* w : batch) {
    const std::size_t need = device_bytes(*w);
    if (need > budget)
      throw Error(w->track->name + ": needs " + std::to_string(need >> 20) + " MiB of device memory, " + name() +
                  " has " + std::to_string(free_bytes >> 20) + " MiB free; use --device cpu for this track");
    if (!chunk.empty() && used + need > budget) {
      run_chunk(chunk);
      chunk.clear();
      used = 0;
    }
    chunk.push_back(w);
    used += need;
  }
  run_chunk(chunk);
}

void CudaBackend::run_chunk(const std::vector<MeterWork*>& batch) {

  std::vector<kernels::MeterPlan> plans;
  std::vector<kernels::TruePeakFilter> filters;
  std::vector<TrackOffsets> offsets;
  TrackOffsets next;
  for (const MeterWork* w : batch) {
    plans.push_back(w->plan);
    filters.push_back(w->true_peak_filter);
    offsets.push_back(next);
    next.samples += static_cast<std::int64_t>(w->track->samples.size());
    next.energy += w->plan.subblocks;
    next.tiles += w->plan.tiles;
    next.true_peak += static_cast<std::int64_t>(w->true_peak.size());
  }
  std::vector<ItemRef> tile_items, peak_items;
  for (const MeterWorkItem& item : list_work_items(batch))
    (item.true_peak ? peak_items : tile_items).push_back({static_cast<std::int32_t>(item.track), item.index});

  DeviceBuffer<float> samples(static_cast<std::size_t>(next.samples));
  for (std::size_t t = 0; t < batch.size(); ++t)
    samples.upload(batch[t]->track->samples.data(), batch[t]->track->samples.size(),
                   static_cast<std::size_t>(offsets[t].samples));
  DeviceBuffer<kernels::MeterPlan> d_plans(plans);
  DeviceBuffer<kernels::TruePeakFilter> d_filters(filters);
  DeviceBuffer<TrackOffsets> d_offsets(offsets);
  DeviceBuffer<ItemRef> d_tile_items(tile_items);
  DeviceBuffer<ItemRef> d_peak_items(peak_items);
  DeviceBuffer<double> energy(static_cast<std::size_t>(next.energy));
  bool any_stereo = false;
  for (const MeterWork* w : batch) any_stereo = any_stereo || w->plan.stereo;
  DeviceBuffer<double> mono(any_stereo ? static_cast<std::size_t>(next.energy) : 0);
  DeviceBuffer<kernels::TileStats> tiles(static_cast<std::size_t>(next.tiles));
  DeviceBuffer<double> peaks(static_cast<std::size_t>(next.true_peak));

  constexpr unsigned int kBlock = 128;
  const auto tile_count = static_cast<std::int64_t>(tile_items.size());
  const auto peak_count = static_cast<std::int64_t>(peak_items.size());
  if (tile_count > 0) {
    block_tile_kernel<<<grid_for(tile_count, kBlock), kBlock>>>(d_plans.data(), d_offsets.data(), d_tile_items.data(),
                                                                tile_count, samples.data(), energy.data(), mono.data(),
                                                                tiles.data());
    GLOSS_CUDA_CHECK(cudaGetLastError());
  }
  if (peak_count > 0) {
    true_peak_kernel<<<grid_for(peak_count, kBlock), kBlock>>>(d_plans.data(), d_filters.data(), d_offsets.data(),
                                                               d_peak_items.data(), peak_count, samples.data(),
                                                               peaks.data());
    GLOSS_CUDA_CHECK(cudaGetLastError());
  }
  if (const cudaError_t status = cudaDeviceSynchronize(); status != cudaSuccess) {
    if (is_sticky(status)) broken_ = cudaGetErrorString(status);
    cuda_detail::throw_cuda_error(status, "cudaDeviceSynchronize() after the meter kernels", __func__, __FILE__,
                                  __LINE__);
  }

  for (std::size_t t = 0; t < batch.size(); ++t) {
    MeterWork& w = *batch[t];
    const TrackOffsets& o = offsets[t];
    energy.download(w.weighted_energy.data(), w.weighted_energy.size(), static_cast<std::size_t>(o.energy));
    mono.download(w.mono_energy.data(), w.mono_energy.size(), static_cast<std::size_t>(o.energy));
    tiles.download(w.tiles.data(), w.tiles.size(), static_cast<std::size_t>(o.tiles));
    peaks.download(w.true_peak.data(), w.true_peak.size(), static_cast<std::size_t>(o.true_peak));
  }
}

}  // namespace gloss
