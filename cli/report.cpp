#include "report.hpp"

#include <cmath>
#include <fmt/format.h>

#include "number_format.hpp"

namespace gloss::cli {

std::size_t RunReport::track_count() const {
  std::size_t n = 0;
  for (const AlbumReport& a : albums) n += a.tracks.size();
  return n;
}

std::size_t RunReport::measured_count() const {
  std::size_t n = 0;
  for (const AlbumReport& a : albums)
    for (const TrackReport& t : a.tracks) n += t.measured() ? 1 : 0;
  return n;
}

std::vector<std::string> track_notes(const TrackAnalysis& a) {
  std::vector<std::string> notes;
  if (std::isinf(a.integrated_lufs)) notes.emplace_back(kSilentNote);
  if (a.clipped_runs > 0)
    notes.push_back(fmt::format("clipping: {} run{} ({} samples)", a.clipped_runs, a.clipped_runs == 1 ? "" : "s",
                                a.clipped_samples));
  if (a.max_abs_dc_offset > kDcNoteThreshold)
    notes.push_back(fmt::format("DC offset {}", fixed(a.max_abs_dc_offset, kCorrelationDecimals)));
  if (a.true_peak_dbtp > kTruePeakNoteDbtp)
    notes.push_back(fmt::format("true peak above {:.0f} dBTP", kTruePeakNoteDbtp));
  return notes;
}

}  // namespace gloss::cli
