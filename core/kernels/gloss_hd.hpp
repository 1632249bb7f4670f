// GLOSS_HD marks arithmetic that both backends run from this one source
// (DESIGN.md rule 1): __host__ __device__ under nvcc, plain inline otherwise.
// Kernels may use only + - * / sqrt, min/max/abs, comparisons and integer ops.
#pragma once

#if defined(__CUDACC__)
#define GLOSS_HD __host__ __device__ inline
#else
#define GLOSS_HD inline
#endif

// GLOSS_SIMD asks the host compiler to vectorise the next loop across independent lanes
// (positions, bands). It never reorders the arithmetic inside a lane, so every lane's
// result is the same as in the scalar loop: it changes speed, not bits. Device code
// ignores it (each CUDA thread is one lane already).
#if defined(__CUDA_ARCH__)
#define GLOSS_SIMD
#else
#define GLOSS_SIMD _Pragma("omp simd")
#endif

// Kernel functions live in an inline namespace named after the instruction set they are
// compiled for. The CPU backend compiles them a second time for AVX2 (cpu/kernels_avx2.cpp)
// and picks a copy at run time; distinct names keep the linker from ever mixing the copies
// (an AVX2 copy of an inline function must never serve a baseline caller). Data types stay
// outside, shared by every copy. Without contraction (-ffp-contract=off) every copy gives
// the same bits, which the determinism tests check.
#ifndef GLOSS_KERNEL_ISA
#define GLOSS_KERNEL_ISA baseline
#endif
