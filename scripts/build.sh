#!/usr/bin/env bash
# Configures and builds gloss into BUILD_DIR (default: build). CUDA is built whenever nvcc
# is found (PATH or /usr/local/cuda); extra arguments go to cmake.
#   scripts/build.sh                 # Release build with tests and benchmarks
#   BUILD_DIR=out scripts/build.sh -DGLOSS_BUILD_TESTS=OFF
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build}
cuda_args=()
if command -v nvcc >/dev/null 2>&1 || [ -x /usr/local/cuda/bin/nvcc ]; then
  # CI compiles one architecture (sm_75) to save time; release builds use the full list.
  cuda_args=(-DGLOSS_CUDA=ON "-DCMAKE_CUDA_ARCHITECTURES=${GLOSS_CUDA_ARCHS:-75}")
  echo "build: nvcc found, building the CUDA backend (architectures ${GLOSS_CUDA_ARCHS:-75})"
else
  cuda_args=(-DGLOSS_CUDA=OFF)
  echo "build: no nvcc, CPU backends only"
fi
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release "${cuda_args[@]}" "$@"
cmake --build "$build_dir" --parallel "$(nproc)"
