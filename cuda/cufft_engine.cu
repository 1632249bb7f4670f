// cuFFT engine and the CUDA exact convolver. Device-specific code only: plans, memory,
// launches. The arithmetic is core/kernels/exact_conv.hpp, the same source the CPU runs.
#include "cufft_engine.hpp"

#include <cuda_runtime.h>
#include <cufft.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <map>
#include <utility>

#include "cuda_backend.hpp"
#include "cuda_check.hpp"
#include "device_buffer.hpp"
#include "kernels/exact_conv.hpp"

namespace gloss {

namespace {

const char* cufft_result_name(cufftResult r) {
  switch (r) {
    case CUFFT_SUCCESS: return "CUFFT_SUCCESS";
    case CUFFT_INVALID_PLAN: return "CUFFT_INVALID_PLAN";
    case CUFFT_ALLOC_FAILED: return "CUFFT_ALLOC_FAILED (out of device memory)";
    case CUFFT_INVALID_TYPE: return "CUFFT_INVALID_TYPE";
    case CUFFT_INVALID_VALUE: return "CUFFT_INVALID_VALUE";
    case CUFFT_INTERNAL_ERROR: return "CUFFT_INTERNAL_ERROR";
    case CUFFT_EXEC_FAILED: return "CUFFT_EXEC_FAILED";
    case CUFFT_SETUP_FAILED: return "CUFFT_SETUP_FAILED";
    case CUFFT_INVALID_SIZE: return "CUFFT_INVALID_SIZE";
    case CUFFT_UNALIGNED_DATA: return "CUFFT_UNALIGNED_DATA";
    case CUFFT_INVALID_DEVICE: return "CUFFT_INVALID_DEVICE";
    case CUFFT_NO_WORKSPACE: return "CUFFT_NO_WORKSPACE";
    case CUFFT_NOT_IMPLEMENTED: return "CUFFT_NOT_IMPLEMENTED";
    case CUFFT_NOT_SUPPORTED: return "CUFFT_NOT_SUPPORTED";
    default: return "unknown cufftResult";
  }
}

[[noreturn]] void throw_cufft_error(cufftResult status, const char* statement, const char* function,
                                    const char* file, int line) {
  throw Error(std::string("cuFFT error: ") + cufft_result_name(status) + " (" + std::to_string(static_cast<int>(status)) +
              ") in " + statement + " (" + function + ", " + file + ":" + std::to_string(line) + ")");
}

}  // namespace

#define GLOSS_CUFFT_CHECK(statement)                                                              \
  do {                                                                                            \
    const cufftResult gloss_cufft_status_ = (statement);                                          \
    if (gloss_cufft_status_ != CUFFT_SUCCESS)                                                     \
      throw_cufft_error(gloss_cufft_status_, #statement, __func__, __FILE__, __LINE__);           \
  } while (0)

// ---------------------------------------------------------------------------------------------
// CufftEngine
// ---------------------------------------------------------------------------------------------

struct CufftEngine::Impl {
  int device = 0;
  cudaStream_t stream = nullptr;
  // (size, batch, type) -> plan. All plans share one work area: they run on one stream, so
  // never at the same time.
  std::map<std::pair<std::pair<int, int>, int>, cufftHandle> plans;
  std::unique_ptr<DeviceBuffer<char>> work;

  ~Impl() {
    for (auto& entry : plans) cufftDestroy(entry.second);
    if (stream != nullptr) cudaStreamDestroy(stream);
  }

  cufftHandle plan(int n, int count, cufftType type) {
    const auto key = std::make_pair(std::make_pair(n, count), static_cast<int>(type));
    if (auto it = plans.find(key); it != plans.end()) return it->second;
    cufftHandle handle = 0;
    GLOSS_CUFFT_CHECK(cufftCreate(&handle));
    std::size_t bytes = 0;
    try {
      GLOSS_CUFFT_CHECK(cufftSetAutoAllocation(handle, 0));
      int dims[1] = {n};
      const int bins = n / 2 + 1;
      const bool forward = type == CUFFT_D2Z;
      // Packed layout: reals n apart, spectra n/2+1 apart.
      GLOSS_CUFFT_CHECK(cufftMakePlanMany(handle, 1, dims, dims, 1, forward ? n : bins, dims, 1,
                                          forward ? bins : n, type, count, &bytes));
      GLOSS_CUFFT_CHECK(cufftSetStream(handle, stream));
    } catch (...) {
      cufftDestroy(handle);
      throw;
    }
    plans.emplace(key, handle);
    if (!work || bytes > work->size()) {
      GLOSS_CUDA_CHECK(cudaStreamSynchronize(stream));  // the old area may still be in use
      work = std::make_unique<DeviceBuffer<char>>(std::max<std::size_t>(bytes, 1));
      for (auto& entry : plans) GLOSS_CUFFT_CHECK(cufftSetWorkArea(entry.second, work->data()));
    } else {
      GLOSS_CUFFT_CHECK(cufftSetWorkArea(handle, work->data()));
    }
    return handle;
  }
};

CufftEngine::CufftEngine(int device) : impl_(std::make_unique<Impl>()) {
  impl_->device = device;
  GLOSS_CUDA_CHECK(cudaSetDevice(device));
  // A blocking stream: DeviceBuffer's synchronous copies (legacy default stream) order with it.
  GLOSS_CUDA_CHECK(cudaStreamCreate(&impl_->stream));
}

CufftEngine::~CufftEngine() = default;

std::string CufftEngine::name() const {
  int version = 0;
  cufftGetVersion(&version);
  return "cufft " + std::to_string(version) + " on cuda:" + std::to_string(impl_->device);
}

void CufftEngine::forward(int n, int count, const double* real, double* spectra) {
  const cufftHandle p = impl_->plan(n, count, CUFFT_D2Z);
  GLOSS_CUFFT_CHECK(cufftExecD2Z(p, const_cast<cufftDoubleReal*>(real), reinterpret_cast<cufftDoubleComplex*>(spectra)));
}

void CufftEngine::inverse(int n, int count, double* spectra, double* real) {
  const cufftHandle p = impl_->plan(n, count, CUFFT_Z2D);
  GLOSS_CUFFT_CHECK(cufftExecZ2D(p, reinterpret_cast<cufftDoubleComplex*>(spectra), real));
}

void* CufftEngine::stream() const { return impl_->stream; }

void CufftEngine::synchronize() const { GLOSS_CUDA_CHECK(cudaStreamSynchronize(impl_->stream)); }

// ---------------------------------------------------------------------------------------------
// Kernels: one thread per element, each calling the shared GLOSS_HD function.
// ---------------------------------------------------------------------------------------------

namespace {

struct ChannelRef {
  std::int64_t offset;  // into the concatenated samples and outputs
  std::int64_t frames;
};

struct BlockRef {
  std::int32_t channel;
  std::int64_t block;
};

constexpr unsigned kThreads = 256;

unsigned grid_for(std::int64_t count) { return static_cast<unsigned>((count + kThreads - 1) / kThreads); }

__global__ void scale_kernel(double* data, std::int64_t count, double factor) {
  const std::int64_t i = static_cast<std::int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i < count) data[i] *= factor;  // a power of two: exact
}

__global__ void split_kernel(kernels::ExactConvShape s, const BlockRef* blocks, std::int64_t count,
                             const ChannelRef* channels, const std::int32_t* x, double* signal) {
  const std::int64_t i = static_cast<std::int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i >= count * s.fft_size) return;
  const std::int64_t b = i / s.fft_size;
  const BlockRef ref = blocks[b];
  const ChannelRef ch = channels[ref.channel];
  kernels::split_signal_position(s, x + ch.offset, ch.frames, ref.block, static_cast<std::int32_t>(i % s.fft_size),
                                 signal + b * s.signal_limbs * s.fft_size);
}

__global__ void multiply_kernel(kernels::ExactConvShape s, std::int64_t count, const double* spectra,
                                const double* filter, double* products) {
  const std::int64_t bins = s.fft_size / 2 + 1;
  const std::int64_t i = static_cast<std::int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i >= count * bins) return;
  const std::int64_t b = i / bins;
  kernels::multiply_bin(s, spectra + 2 * b * s.signal_limbs * bins, filter, products + 2 * b * s.weights * bins, bins,
                        i % bins);
}

// The largest distance per channel as an integer max of the (non-negative) double's bits:
// exact and order-free, like the CPU's max.
__global__ void finish_kernel(kernels::ExactConvShape s, const BlockRef* blocks, std::int64_t count,
                              const ChannelRef* channels, const double* result, float* out,
                              unsigned long long* distance) {
  const std::int64_t i = static_cast<std::int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i >= count * s.hop) return;
  const std::int64_t b = i / s.hop;
  const BlockRef ref = blocks[b];
  const ChannelRef ch = channels[ref.channel];
  const double d = kernels::finish_position(s, result + b * s.weights * s.fft_size, ch.frames, ref.block,
                                            static_cast<std::int32_t>(i % s.hop), out + ch.offset);
  if (d > 0) atomicMax(distance + ref.channel, static_cast<unsigned long long>(__double_as_longlong(d)));
}

void check_launch() { GLOSS_CUDA_CHECK(cudaGetLastError()); }

// Device memory per block of a chunk: signal limbs, their spectra, products, inverse results.
std::size_t bytes_per_block(const kernels::ExactConvShape& s) {
  const std::size_t n = static_cast<std::size_t>(s.fft_size);
  const std::size_t bins = n / 2 + 1;
  return sizeof(double) * (static_cast<std::size_t>(s.signal_limbs) * (n + 2 * bins) +
                           static_cast<std::size_t>(s.weights) * (n + 2 * bins));
}

constexpr std::size_t kChunkBytes = std::size_t{256} << 20;

}  // namespace

// ---------------------------------------------------------------------------------------------
// CudaExactConvolver
// ---------------------------------------------------------------------------------------------

struct CudaExactConvolver::Impl {
  int device;
  std::shared_ptr<const ExactFir> fir;
  CufftEngine engine;
  std::unique_ptr<DeviceBuffer<double>> filter;  // tap-limb spectra, scaled by 1/N

  Impl(int d, std::shared_ptr<const ExactFir> f) : device(d), fir(std::move(f)), engine(d) {
    const kernels::ExactConvShape& s = fir->shape();
    const std::size_t n = static_cast<std::size_t>(s.fft_size);
    std::vector<double> limbs;
    for (int j = 0; j < s.tap_limbs; ++j) {
      const std::vector<double> l = fir->padded_tap_limb(j);
      limbs.insert(limbs.end(), l.begin(), l.end());
    }
    DeviceBuffer<double> d_limbs(limbs);
    const std::int64_t spectrum_values = 2 * static_cast<std::int64_t>(n / 2 + 1) * s.tap_limbs;
    filter = std::make_unique<DeviceBuffer<double>>(static_cast<std::size_t>(spectrum_values));
    engine.forward(s.fft_size, s.tap_limbs, d_limbs.data(), filter->data());
    const auto stream = static_cast<cudaStream_t>(engine.stream());
    scale_kernel<<<grid_for(spectrum_values), kThreads, 0, stream>>>(filter->data(), spectrum_values,
                                                                     1.0 / static_cast<double>(s.fft_size));
    check_launch();
    engine.synchronize();  // d_limbs is freed on return
  }
};

CudaExactConvolver::CudaExactConvolver(int device, std::shared_ptr<const ExactFir> fir) {
  const int count = cuda_device_count();
  if (device < 0 || device >= count)
    throw Error("cuda:" + std::to_string(device) + " is not available: this machine has " + std::to_string(count) +
                " CUDA device(s)");
  if (const std::string why = cuda_device_problem(device); !why.empty())
    throw Error("cuda:" + std::to_string(device) + " cannot run gloss: " + why);
  impl_ = std::make_unique<Impl>(device, std::move(fir));
}

CudaExactConvolver::~CudaExactConvolver() = default;

std::vector<ExactConvolutionResult> CudaExactConvolver::run(std::span<const AudioTrack* const> tracks) {
  GLOSS_CUDA_CHECK(cudaSetDevice(impl_->device));
  const kernels::ExactConvShape& s = impl_->fir->shape();
  const auto stream = static_cast<cudaStream_t>(impl_->engine.stream());
  std::vector<ExactConvolutionResult> results(tracks.size());

  // Quantise on the host (the same kernel), lay channels out back to back, list the blocks.
  std::vector<std::int32_t> samples;
  std::vector<ChannelRef> channels;
  std::vector<std::size_t> channel_track;
  std::vector<BlockRef> blocks;
  for (std::size_t t = 0; t < tracks.size(); ++t) {
    const AudioTrack& track = *tracks[t];
    std::vector<std::vector<std::int32_t>> q;
    try {
      for (int c = 0; c < track.channels; ++c) q.push_back(quantize_channel(track, c));
    } catch (const Error& e) {
      results[t].error = e.what();
      continue;
    }
    results[t].output = empty_like(track);
    for (const std::vector<std::int32_t>& ch : q) {
      const auto index = static_cast<std::int32_t>(channels.size());
      channels.push_back({static_cast<std::int64_t>(samples.size()), track.frames});
      channel_track.push_back(t);
      samples.insert(samples.end(), ch.begin(), ch.end());
      for (std::int64_t b = 0; b < exact_blocks(s, track.frames); ++b) blocks.push_back({index, b});
    }
  }

  DeviceBuffer<std::int32_t> d_samples(samples);
  DeviceBuffer<float> d_out(samples.size());
  DeviceBuffer<ChannelRef> d_channels(channels);
  DeviceBuffer<BlockRef> d_blocks(blocks);
  DeviceBuffer<unsigned long long> d_distance(channels.size());
  if (!channels.empty())
    GLOSS_CUDA_CHECK(cudaMemsetAsync(d_distance.data(), 0, channels.size() * sizeof(unsigned long long), stream));

  const std::int64_t chunk = std::max<std::int64_t>(1, static_cast<std::int64_t>(kChunkBytes / bytes_per_block(s)));
  const std::int64_t per_chunk = std::min<std::int64_t>(chunk, static_cast<std::int64_t>(blocks.size()));
  const std::size_t n = static_cast<std::size_t>(s.fft_size);
  const std::size_t bins = n / 2 + 1;
  const std::size_t rows = static_cast<std::size_t>(std::max<std::int64_t>(per_chunk, 0));
  DeviceBuffer<double> signal(rows * n * static_cast<std::size_t>(s.signal_limbs));
  DeviceBuffer<double> spectra(rows * 2 * bins * static_cast<std::size_t>(s.signal_limbs));
  DeviceBuffer<double> products(rows * 2 * bins * static_cast<std::size_t>(s.weights));
  DeviceBuffer<double> result(rows * n * static_cast<std::size_t>(s.weights));

  for (std::int64_t first = 0; first < static_cast<std::int64_t>(blocks.size()); first += per_chunk) {
    const std::int64_t count = std::min<std::int64_t>(per_chunk, static_cast<std::int64_t>(blocks.size()) - first);
    const BlockRef* refs = d_blocks.data() + first;
    split_kernel<<<grid_for(count * s.fft_size), kThreads, 0, stream>>>(s, refs, count, d_channels.data(),
                                                                        d_samples.data(), signal.data());
    check_launch();
    impl_->engine.forward(s.fft_size, static_cast<int>(count * s.signal_limbs), signal.data(), spectra.data());
    multiply_kernel<<<grid_for(count * static_cast<std::int64_t>(bins)), kThreads, 0, stream>>>(
        s, count, spectra.data(), impl_->filter->data(), products.data());
    check_launch();
    // Z2D destroys its input: `products` is scratch, the filter spectra stay pristine.
    impl_->engine.inverse(s.fft_size, static_cast<int>(count * s.weights), products.data(), result.data());
    finish_kernel<<<grid_for(count * s.hop), kThreads, 0, stream>>>(s, refs, count, d_channels.data(), result.data(),
                                                                    d_out.data(), d_distance.data());
    check_launch();
  }
  impl_->engine.synchronize();

  std::vector<float> out(samples.size());
  d_out.download(out.data(), out.size(), 0);
  std::vector<unsigned long long> bits(channels.size());
  d_distance.download(bits.data(), bits.size(), 0);
  std::vector<double> worst(tracks.size(), 0.0);
  for (std::size_t c = 0; c < channels.size(); ++c) {
    double d = 0;
    std::memcpy(&d, &bits[c], sizeof d);
    std::size_t t = channel_track[c];
    worst[t] = std::max(worst[t], d);
  }
  std::size_t c = 0;
  for (std::size_t t = 0; t < tracks.size(); ++t) {
    if (!results[t].error.empty()) continue;
    AudioTrack& y = results[t].output;
    for (int ch = 0; ch < y.channels; ++ch, ++c)
      std::copy_n(out.begin() + channels[c].offset, y.frames, y.channel(ch).begin());
    results[t].max_distance = worst[t];
    try {
      check_exactness(*impl_->fir, *tracks[t], worst[t]);
    } catch (const Error& e) {
      results[t].error = e.what();
      results[t].output = AudioTrack{};
    }
  }
  return results;
}

}  // namespace gloss
