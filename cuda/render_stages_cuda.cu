// The render stages on a CUDA device. Device-specific code only: memory, launches, copies.
// The arithmetic is core/kernels/limiter.hpp, resample.hpp and quantize.hpp, the same source
// CpuRenderStages runs, compiled with -fmad=false. Each kernel below calls one shared kernel
// function on the same element ranges, in the same per-element order, as the CPU:
//   limiter_detect   per range of positions, channels in order inside the thread (a max)
//   limiter_require  per range of frames
//   limiter_gain_curve  one thread per track (the release is a recursion)
//   limiter_apply    per (channel, range of frames)
//   resample_range   per (channel, range of output frames)
//   quantize_range   per (channel, range of samples); quantize_shaped one thread per channel
// Every one of them gives the same bits for any range (their headers say why), so the range
// sizes here change speed only.
#include "render_stages_cuda.hpp"

#include <cuda_runtime.h>

#include <cstdint>
#include <exception>
#include <mutex>
#include <new>
#include <span>
#include <string>

#include "cuda_backend.hpp"
#include "cuda_check.hpp"
#include "device_buffer.hpp"
#include "kernels/limiter.hpp"
#include "kernels/quantize.hpp"
#include "kernels/resample.hpp"

namespace gloss {

namespace {

constexpr unsigned int kBlock = 128;
constexpr std::int64_t kDetectRange = 256;     // interpolator positions per thread
constexpr std::int64_t kRequireRange = 256;    // frames per thread
constexpr std::int64_t kApplyRange = 1024;     // frames per thread
constexpr std::int64_t kResampleRange = 256;   // output frames per thread
constexpr std::int64_t kQuantizeRange = kernels::kDitherChunk;  // one dither chunk per thread

__device__ std::int64_t thread_index() {
  return static_cast<std::int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
}

__device__ std::int64_t range_end(std::int64_t first, std::int64_t size, std::int64_t count) {
  return count - first < size ? count : first + size;
}

__global__ void limiter_detect_kernel(const kernels::LimiterShape* shape, const float* samples, int channels,
                                      std::int64_t frames, std::int64_t positions, float* m) {
  const std::int64_t first = thread_index() * kDetectRange;
  if (first >= positions) return;
  const std::int64_t last = range_end(first, kDetectRange, positions);
  for (std::int64_t i = first; i < last; ++i) m[i] = 0;  // run_limiter's zeroed vector
  for (int c = 0; c < channels; ++c) kernels::limiter_detect(*shape, samples + c * frames, frames, first, last, m);
}

__global__ void limiter_require_kernel(const kernels::LimiterShape* shape, const float* samples, int channels,
                                       std::int64_t frames, const float* m, std::int64_t positions,
                                       const std::int64_t* caps, std::int64_t* required) {
  const std::int64_t first = thread_index() * kRequireRange;
  if (first >= frames) return;
  kernels::limiter_require(*shape, samples, channels, frames, m, positions, caps, first,
                           range_end(first, kRequireRange, frames), required);
}

__global__ void limiter_gain_curve_kernel(const kernels::LimiterShape* shape, const std::int64_t* required,
                                          std::int64_t frames, std::int64_t* work, std::int64_t* gains) {
  if (thread_index() != 0) return;
  kernels::limiter_gain_curve(*shape, required, frames, work, gains);
}

__global__ void limiter_apply_kernel(const kernels::LimiterShape* shape, const float* samples, int channels,
                                     std::int64_t frames, const std::int64_t* gains, float* out) {
  const std::int64_t ranges = (frames + kApplyRange - 1) / kApplyRange;
  const std::int64_t k = thread_index();
  if (k >= ranges * channels) return;
  const std::int64_t c = k / ranges, first = (k % ranges) * kApplyRange;
  kernels::limiter_apply(*shape, samples + c * frames, gains, first, range_end(first, kApplyRange, frames),
                         out + c * frames);
}

__global__ void resample_kernel(kernels::ResampleShape shape, const double* coeff, const float* in, int channels,
                                std::int64_t in_frames, float* out, std::int64_t out_frames) {
  const std::int64_t ranges = (out_frames + kResampleRange - 1) / kResampleRange;
  const std::int64_t k = thread_index();
  if (k >= ranges * channels) return;
  const std::int64_t c = k / ranges, first = (k % ranges) * kResampleRange;
  kernels::resample_range(shape, coeff, in + c * in_frames, in_frames, out + c * out_frames, first,
                          range_end(first, kResampleRange, out_frames));
}

// quantize_range keeps a dither chunk on the stack (3 KB of local memory per thread); the
// driver grows the per-thread stack for the launch as needed.
__global__ void quantize_kernel(const kernels::QuantizeParams* params, const float* x, int channels,
                                std::int64_t frames, std::int32_t* out, std::int64_t* clipped) {
  const std::int64_t ranges = (frames + kQuantizeRange - 1) / kQuantizeRange;
  const std::int64_t k = thread_index();
  if (k >= ranges * channels) return;
  const std::int64_t c = k / ranges, first = (k % ranges) * kQuantizeRange;
  // quantize_range indexes x and out by the sample index: pass the channel's base pointers.
  clipped[k] = kernels::quantize_range(params[c], x + c * frames, first, range_end(first, kQuantizeRange, frames),
                                       out + c * frames);
}

__global__ void quantize_shaped_kernel(const kernels::QuantizeParams* params, kernels::ShapingFilter filter,
                                       const float* x, int channels, std::int64_t frames, std::int32_t* out,
                                       std::int64_t* clipped) {
  const std::int64_t c = thread_index();
  if (c >= channels) return;
  clipped[c] = kernels::quantize_shaped(params[c], filter, x + c * frames, frames, out + c * frames);
}

unsigned int grid_for(std::int64_t threads) { return static_cast<unsigned int>((threads + kBlock - 1) / kBlock); }

std::int64_t ranges_of(std::int64_t count, std::int64_t size) { return (count + size - 1) / size; }

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

// A track's metadata with room for `frames` frames per channel.
AudioTrack shaped_like(const AudioTrack& track, int sample_rate, std::int64_t frames) {
  AudioTrack out;
  out.name = track.name;
  out.sample_rate = sample_rate;
  out.channels = track.channels;
  out.layout = track.layout;
  out.frames = frames;
  out.samples.resize(static_cast<std::size_t>(track.channels) * static_cast<std::size_t>(frames));
  return out;
}

}  // namespace

struct CudaRenderStages::Impl {
  int device = 0;
  // One stage at a time on the device: render_track runs on many host threads, and a whole
  // track's buffers per thread at once could exhaust device memory. Host work (the verify
  // scan) still overlaps.
  std::mutex mutex;
  std::string broken;  // set after an error that leaves the device's context unusable

  std::string name() const { return "cuda:" + std::to_string(device); }

  // Runs one stage's device work under the mutex, with this device current on the calling
  // host thread. A failure names the track, the stage and the device (the master report lists
  // it as that track's error); the host checks before it keep the CPU stages' words.
  template <typename Work>
  void run(const AudioTrack& track, const char* stage, Work&& work) {
    std::lock_guard<std::mutex> lock(mutex);
    try {
      if (!broken.empty())
        throw Error(name() + " failed earlier in this run (" + broken + "); restart gloss or use --device cpu");
      GLOSS_CUDA_CHECK(cudaSetDevice(device));
      static_cast<void>(cudaGetLastError());  // nothing is in flight between calls: only a stale status
      work();
    } catch (const std::bad_alloc&) {
      throw;
    } catch (const std::exception& e) {
      throw Error(track.name + ": " + stage + " on " + name() + " failed: " + e.what());
    }
  }

  void launched(const char* what) {
    if (const cudaError_t status = cudaGetLastError(); status != cudaSuccess)
      cuda_detail::throw_cuda_error(status, what, __func__, __FILE__, __LINE__);
  }

  void finish(const char* what) {
    if (const cudaError_t status = cudaDeviceSynchronize(); status != cudaSuccess) {
      if (is_sticky(status)) broken = cudaGetErrorString(status);
      cuda_detail::throw_cuda_error(status, what, __func__, __FILE__, __LINE__);
    }
  }
};

CudaRenderStages::CudaRenderStages(int device) : impl_(std::make_unique<Impl>()) {
  impl_->device = device;
  const int count = cuda_device_count();
  if (device < 0 || device >= count)
    throw Error("cuda:" + std::to_string(device) + " is not available: this machine has " + std::to_string(count) +
                " CUDA device(s). Run `gloss devices` to list them, or use --device cpu.");
  if (const std::string why = cuda_device_problem(device); !why.empty())
    throw Error("cuda:" + std::to_string(device) + " cannot run gloss: " + why + ". Use --device cpu.");
  // The render kernels come from the same build as the meter's, but ask for them too: a
  // device that cannot load them must fail here, not in the middle of a catalog.
  GLOSS_CUDA_CHECK(cudaSetDevice(device));
  cudaFuncAttributes attributes{};
  if (const cudaError_t s = cudaFuncGetAttributes(&attributes, quantize_kernel); s != cudaSuccess) {
    static_cast<void>(cudaGetLastError());
    throw Error("cuda:" + std::to_string(device) + " cannot run gloss's render kernels: " + cudaGetErrorString(s) +
                " (this gloss was built for compute capability 7.5 and newer). Use --device cpu.");
  }
}

CudaRenderStages::~CudaRenderStages() = default;

std::string CudaRenderStages::name() const { return impl_->name(); }

AudioTrack CudaRenderStages::limit(const AudioTrack& input, const kernels::LimiterShape& shape,
                                   const std::vector<std::int64_t>& caps, std::vector<std::int64_t>& gains,
                                   LimiterStats& stats) {
  const std::int64_t frames = input.frames;
  const int channels = input.channels;
  if (!caps.empty() && static_cast<std::int64_t>(caps.size()) != frames)
    throw Error("internal error: " + std::to_string(caps.size()) + " limiter caps for " + std::to_string(frames) +
                " frames");
  const std::int64_t positions = kernels::limiter_positions(shape, frames);
  AudioTrack output = shaped_like(input, input.sample_rate, frames);
  gains.assign(static_cast<std::size_t>(frames), kernels::kUnityGain);
  impl_->run(input, "the limiter", [&] {
    DeviceBuffer<kernels::LimiterShape> d_shape(1);
    d_shape.upload(&shape, 1, 0);
    DeviceBuffer<float> samples(input.samples);
    DeviceBuffer<float> detected(static_cast<std::size_t>(positions));
    DeviceBuffer<std::int64_t> d_caps(caps);
    DeviceBuffer<std::int64_t> required(static_cast<std::size_t>(frames));
    DeviceBuffer<std::int64_t> work(static_cast<std::size_t>(frames));
    DeviceBuffer<std::int64_t> d_gains(static_cast<std::size_t>(frames));
    DeviceBuffer<float> limited(output.samples.size());
    if (positions > 0) {
      limiter_detect_kernel<<<grid_for(ranges_of(positions, kDetectRange)), kBlock>>>(
          d_shape.data(), samples.data(), channels, frames, positions, detected.data());
      impl_->launched("limiter_detect_kernel<<<>>>");
    }
    if (frames > 0) {
      limiter_require_kernel<<<grid_for(ranges_of(frames, kRequireRange)), kBlock>>>(
          d_shape.data(), samples.data(), channels, frames, detected.data(), positions,
          caps.empty() ? nullptr : d_caps.data(), required.data());
      impl_->launched("limiter_require_kernel<<<>>>");
      limiter_gain_curve_kernel<<<1, 1>>>(d_shape.data(), required.data(), frames, work.data(), d_gains.data());
      impl_->launched("limiter_gain_curve_kernel<<<>>>");
    }
    if (frames > 0 && channels > 0) {
      limiter_apply_kernel<<<grid_for(ranges_of(frames, kApplyRange) * channels), kBlock>>>(
          d_shape.data(), samples.data(), channels, frames, d_gains.data(), limited.data());
      impl_->launched("limiter_apply_kernel<<<>>>");
    }
    impl_->finish("cudaDeviceSynchronize() after the limiter kernels");
    d_gains.download(gains.data(), gains.size(), 0);
    limited.download(output.samples.data(), output.samples.size(), 0);
  });
  stats = limiter_stats(gains, input.sample_rate);
  return output;
}

AudioTrack CudaRenderStages::resample(const Resampler& src, const AudioTrack& track) {
  if (track.sample_rate != src.in_rate())
    throw Error("sample-rate conversion " + std::to_string(src.in_rate()) + " -> " + std::to_string(src.out_rate()) +
                " Hz was given track '" + track.name + "' at " + std::to_string(track.sample_rate) + " Hz");
  const std::int64_t out_frames = src.output_frames(track.frames);
  AudioTrack out = shaped_like(track, src.out_rate(), out_frames);
  const std::span<const double> coefficients = src.coefficients();
  impl_->run(track, "sample-rate conversion", [&] {
    DeviceBuffer<double> d_coeff(coefficients.size());
    d_coeff.upload(coefficients.data(), coefficients.size(), 0);
    DeviceBuffer<float> in(track.samples);
    DeviceBuffer<float> d_out(out.samples.size());
    const std::int64_t threads = ranges_of(out_frames, kResampleRange) * track.channels;
    if (threads > 0) {
      resample_kernel<<<grid_for(threads), kBlock>>>(src.shape(), d_coeff.data(), in.data(), track.channels,
                                                     track.frames, d_out.data(), out_frames);
      impl_->launched("resample_kernel<<<>>>");
    }
    impl_->finish("cudaDeviceSynchronize() after the resample kernel");
    d_out.download(out.samples.data(), out.samples.size(), 0);
  });
  return out;
}

std::vector<std::int32_t> CudaRenderStages::quantize(const AudioTrack& track, const QuantizeSpec& spec,
                                                     std::uint64_t track_key, QuantizeStats& stats) {
  check_quantize_input(track, spec);
  const std::int64_t frames = track.frames;
  const int channels = track.channels;
  std::vector<kernels::QuantizeParams> params;
  for (int c = 0; c < channels; ++c) params.push_back(quantize_params(spec, track_key, c));
  const bool shaped = spec.shaping != NoiseShaping::none;
  const kernels::ShapingFilter filter = shaping_filter(spec.shaping, track.sample_rate);
  const std::int64_t threads = shaped ? channels : ranges_of(frames, kQuantizeRange) * channels;
  std::vector<std::int32_t> pcm(track.samples.size());
  std::vector<std::int64_t> clipped(static_cast<std::size_t>(threads));
  impl_->run(track, "dither and quantization", [&] {
    DeviceBuffer<kernels::QuantizeParams> d_params(params);
    DeviceBuffer<float> x(track.samples);
    DeviceBuffer<std::int32_t> out(pcm.size());
    DeviceBuffer<std::int64_t> d_clipped(clipped.size());
    if (threads > 0) {
      if (shaped)
        quantize_shaped_kernel<<<grid_for(threads), kBlock>>>(d_params.data(), filter, x.data(), channels, frames,
                                                              out.data(), d_clipped.data());
      else
        quantize_kernel<<<grid_for(threads), kBlock>>>(d_params.data(), x.data(), channels, frames, out.data(),
                                                       d_clipped.data());
      impl_->launched(shaped ? "quantize_shaped_kernel<<<>>>" : "quantize_kernel<<<>>>");
    }
    impl_->finish("cudaDeviceSynchronize() after the quantize kernel");
    out.download(pcm.data(), pcm.size(), 0);
    d_clipped.download(clipped.data(), clipped.size(), 0);
  });
  for (const std::int64_t n : clipped) stats.clipped += n;  // integers: any order
  return pcm;
}

}  // namespace gloss
