#include "source_format.hpp"

#include <sndfile.h>

namespace gloss::cli {

namespace {

std::string container_name(int major) {
  switch (major) {
    case SF_FORMAT_WAV:
    case SF_FORMAT_WAVEX: return "wav";
    case SF_FORMAT_RF64: return "rf64";
    case SF_FORMAT_W64: return "w64";
    case SF_FORMAT_AIFF: return "aiff";
    case SF_FORMAT_FLAC: return "flac";
    case SF_FORMAT_OGG: return "ogg";
    case SF_FORMAT_MPEG: return "mp3";
    case SF_FORMAT_CAF: return "caf";
    case SF_FORMAT_AU: return "au";
    default: return "other";
  }
}

std::string sample_format_name(int sub) {
  switch (sub) {
    case SF_FORMAT_PCM_S8:
    case SF_FORMAT_PCM_U8: return "pcm_8";
    case SF_FORMAT_PCM_16: return "pcm_16";
    case SF_FORMAT_PCM_24: return "pcm_24";
    case SF_FORMAT_PCM_32: return "pcm_32";
    case SF_FORMAT_FLOAT: return "float";
    case SF_FORMAT_DOUBLE: return "double";
    case SF_FORMAT_VORBIS: return "vorbis";
    case SF_FORMAT_OPUS: return "opus";
    case SF_FORMAT_MPEG_LAYER_I:
    case SF_FORMAT_MPEG_LAYER_II:
    case SF_FORMAT_MPEG_LAYER_III: return "mpeg";
    case SF_FORMAT_ALAC_16: return "alac_16";
    case SF_FORMAT_ALAC_20: return "alac_20";
    case SF_FORMAT_ALAC_24: return "alac_24";
    case SF_FORMAT_ALAC_32: return "alac_32";
    case SF_FORMAT_ULAW: return "ulaw";
    case SF_FORMAT_ALAW: return "alaw";
    default: return "other";
  }
}

}  // namespace

SourceFormat describe_sndfile_format(int format) {
  return {container_name(format & SF_FORMAT_TYPEMASK), sample_format_name(format & SF_FORMAT_SUBMASK)};
}

}  // namespace gloss::cli
