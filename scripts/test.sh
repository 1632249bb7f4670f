#!/usr/bin/env bash
# The whole test suite from a fresh Debian 12: install dependencies, build (with CUDA when
# nvcc is present, warnings as errors), run every CTest test except the benchmark smoke runs.
# GPU tests (label gpu) skip with a message when no device is present.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
BUILD_DIR=${BUILD_DIR:-build} bash scripts/build.sh -DGLOSS_WERROR=ON
cd "${BUILD_DIR:-build}"
ctest --output-on-failure --timeout 900 -LE bench -j "$(nproc)"
