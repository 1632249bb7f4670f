// One track's meter work as handed to a backend: the plan (inputs) and the buffers the
// kernels fill (outputs). Backends only decide where each tile and segment runs.
#pragma once

#include <vector>

#include "gloss/analysis.hpp"
#include "gloss/audio.hpp"
#include "kernels/kernel_table.hpp"
#include "kernels/meter_plan.hpp"
#include "kernels/true_peak.hpp"

namespace gloss {

struct MeterWork {
  const AudioTrack* track = nullptr;
  kernels::MeterPlan plan;
  kernels::TruePeakFilter true_peak_filter;

  // Outputs, sized by make_meter_work().
  std::vector<double> weighted_energy;       // [plan.subblocks]
  std::vector<double> mono_energy;           // [plan.subblocks] when plan.stereo, else empty
  std::vector<kernels::TileStats> tiles;     // [plan.tiles]
  std::vector<double> true_peak;             // [channels * plan.true_peak_segments]
};

// Validates the track (rate, channels, layout) and builds its plan and output buffers.
// Throws gloss::Error with a message naming what is wrong.
MeterWork make_meter_work(const AudioTrack& track, const MeterOptions& options);

// Total number of block tiles and true-peak segments, for schedulers.
struct MeterWorkItem {
  std::size_t track;     // index into the batch
  std::int64_t index;    // tile index, or channel * segments + segment
  bool true_peak;        // false: block tile
};
std::vector<MeterWorkItem> list_work_items(const std::vector<MeterWork*>& batch);

// Runs one item with one compiled copy of the shared kernels (kernel_isa.hpp). Every CPU-side
// executor calls this.
void run_work_item(MeterWork& work, const MeterWorkItem& item, const kernels::KernelTable& kernels);

}  // namespace gloss
