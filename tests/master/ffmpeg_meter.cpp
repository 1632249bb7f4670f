#include "ffmpeg_meter.hpp"

#include <sndfile.h>

#include <algorithm>
#include <cstdlib>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "support/run_program.hpp"

namespace gloss::test {

bool have_ffmpeg() { return std::system("command -v ffmpeg > /dev/null 2>&1") == 0; }

void write_float_wav(const AudioTrack& track, const std::filesystem::path& path) {
  SF_INFO info{};
  info.samplerate = track.sample_rate;
  info.channels = track.channels;
  info.format = SF_FORMAT_WAV | SF_FORMAT_FLOAT;
  SNDFILE* file = sf_open(path.c_str(), SFM_WRITE, &info);
  if (file == nullptr) throw std::runtime_error("cannot write " + path.string());
  std::vector<float> interleaved(track.samples.size());
  for (int c = 0; c < track.channels; ++c)
    for (std::int64_t n = 0; n < track.frames; ++n) interleaved[n * track.channels + c] = track.channel(c)[n];
  sf_writef_float(file, interleaved.data(), track.frames);
  sf_close(file);
}

double ffmpeg_true_peak(const AudioTrack& track, const std::filesystem::path& scratch) {
  const auto wav = scratch / "ffmpeg-input.wav";
  write_float_wav(track, wav);
  const Outcome o = run_program("/usr/bin/env",
                                {"ffmpeg", "-hide_banner", "-nostats", "-i", wav.string(), "-af",
                                 "ebur128=peak=true:metadata=1,ametadata=mode=print:file=-", "-f", "null", "-"},
                                scratch, scratch);
  if (o.status != 0) throw std::runtime_error("ffmpeg failed: " + o.err);
  std::istringstream lines(o.out);
  double peak = -1;
  const std::string key = "lavfi.r128.true_peak=";
  for (std::string line; std::getline(lines, line);)
    if (line.rfind(key, 0) == 0) peak = std::max(peak, std::stod(line.substr(key.size())));
  if (peak < 0) throw std::runtime_error("ffmpeg printed no true peak:\n" + o.out.substr(0, 2000));
  return peak;
}

}  // namespace gloss::test
