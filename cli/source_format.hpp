// What a decoded file was before it became float samples: its container and how its
// samples were stored. The consistency flags compare them inside an album (a 24-bit track
// among 16-bit ones usually means it came from a different master or export).
#pragma once

#include <string>

namespace gloss::cli {

struct SourceFormat {
  std::string container;      // wav, aiff, flac, ogg, mp3, caf, w64, rf64, au, ... ("other")
  std::string sample_format;  // pcm_8, pcm_16, pcm_24, pcm_32, float, double, vorbis, opus, mpeg, alac_16, ... ("other")
};

// Names libsndfile's SF_INFO::format (major type and SF_FORMAT_SUBMASK); never fails.
SourceFormat describe_sndfile_format(int format);

}  // namespace gloss::cli
