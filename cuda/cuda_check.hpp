// GLOSS_CUDA_CHECK: turns a CUDA runtime error into a gloss::Error naming the call, the
// function, the file and the line. The library never aborts on a device error.
#pragma once

#include <cuda_runtime.h>

#include <string>

#include "gloss/error.hpp"

namespace gloss::cuda_detail {

[[noreturn]] inline void throw_cuda_error(cudaError_t status, const char* statement, const char* function,
                                          const char* file, int line) {
  // A failed call also sets the runtime's last-error slot. Consume it, so that a recoverable
  // failure (out of memory) is not reported again by the next album's launch check.
  static_cast<void>(cudaGetLastError());
  throw Error(std::string("CUDA error: ") + cudaGetErrorString(status) + " in " + statement + " (" + function +
              ", " + file + ":" + std::to_string(line) + ")");
}

}  // namespace gloss::cuda_detail

#define GLOSS_CUDA_CHECK(statement)                                                                   \
  do {                                                                                                \
    const cudaError_t gloss_status_ = (statement);                                                    \
    if (gloss_status_ != cudaSuccess)                                                                 \
      ::gloss::cuda_detail::throw_cuda_error(gloss_status_, #statement, __func__, __FILE__, __LINE__); \
  } while (0)
