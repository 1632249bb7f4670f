// GLOSS_HD marks arithmetic that both backends run from this one source
// (DESIGN.md rule 1): __host__ __device__ under nvcc, plain inline otherwise.
// Kernels may use only + - * / sqrt, min/max/abs, comparisons and integer ops.
#pragma once

#if defined(__CUDACC__)
#define GLOSS_HD __host__ __device__ inline
#else
#define GLOSS_HD inline
#endif
