// The render chain's verification: the delivered track's true peak as the meters people check
// masters with would read it, and where it is over a limit, so the limiter can be told to
// lower the gain there and render again.
//
// Three readings, the largest counts:
//   precise    gloss's `--true-peak precise` detector (16x windowed sinc, peak refinement)
//   ebur128    an interpolator of libebur128's published design (49-tap Hann-windowed sinc,
//              4x below 96 kHz, 2x below 192 kHz): its window lets images through, so it reads
//              up to ~0.15 dB above the precise detector on material rich near Nyquist
//   swr        the shape FFmpeg's ebur128 filter reads through when it upsamples to 192 kHz with
//              swresample's defaults (32 taps, Kaiser beta 9, sinc at Nyquist), taken at
//              16x with the between-instants allowance so it bounds any grid's reading; at both
//              ends of the track the signal is mirrored past the edge, as swresample pads (a
//              loud first sample reads up to ~0.5 dB higher there than with zeros). Its sharper
//              cutoff reads near-Nyquist material higher than the precise detector does.
// An over is any reading above `limit`.
#pragma once

#include <cstdint>
#include <vector>

#include "gloss/audio.hpp"
#include "kernels/true_peak.hpp"

namespace gloss {

struct PeakOver {
  std::int64_t frame = 0;  // the delivered frame nearest the over
  double level = 0;        // an upper bound of the reading there (linear)
};

struct TruePeakScan {
  double precise = 0;           // gloss's precise true peak over all channels (linear)
  double highest = 0;           // the largest of the three readings (linear)
  std::vector<PeakOver> overs;  // empty when highest <= limit
};

// Positions are examined one by one only inside segments that are over `limit`, so material
// under it costs one measurement per detector.
TruePeakScan scan_true_peak(const AudioTrack& track, double limit);

struct SegmentResult;
enum class Detector;

// The same scan across the render passes of one track: a segment whose samples are bit for
// bit those of the previous scan keeps its result, so a pass that lowered the gain in a few
// places is re-read only around them. Same results as scan_true_peak, by construction.
class TruePeakScanner {
 public:
  TruePeakScanner();
  ~TruePeakScanner();
  TruePeakScan scan(const AudioTrack& track, double limit);

 private:
  struct Task;
  bool unchanged(const Task& task, const AudioTrack& track) const;
  AudioTrack previous_;
  double previous_limit_ = -1;
  std::vector<SegmentResult> previous_results_;
};

// libebur128's interpolator design at this rate (phases 0: none, 192 kHz and up).
kernels::TruePeakFilter design_ebur128_style_true_peak(int sample_rate);

// The swresample-shaped detector: 16 phases x 32 taps, normalised like swresample's.
kernels::TruePeakFilter design_swr_style_true_peak();

}  // namespace gloss
