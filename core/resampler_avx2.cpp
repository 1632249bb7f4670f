// The sample-rate conversion kernel compiled a second time, for AVX2 (this file alone gets
// -mavx2 -mno-fma; see core/CMakeLists.txt). Like kernels_avx2.cpp it includes nothing but
// the kernel header, so every inline function it emits lives in gloss::kernels::avx2 and no
// AVX2 code can ever be handed to a baseline caller. Same bits as the baseline copy.
#include <type_traits>

#include "kernels/resample.hpp"

static_assert(std::is_trivially_default_constructible_v<gloss::kernels::ResampleShape>);

namespace gloss::kernels {

void resample_range_avx2(const ResampleShape& s, const double* coeff, const float* in, std::int64_t in_frames,
                         float* out, std::int64_t first, std::int64_t last) {
  resample_range(s, coeff, in, in_frames, out, first, last);
}

}  // namespace gloss::kernels
