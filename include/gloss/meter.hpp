// The meter's entry point: analyse a batch of decoded tracks on a backend.
#pragma once

#include <vector>

#include "gloss/analysis.hpp"
#include "gloss/audio.hpp"
#include "gloss/backend.hpp"
#include "gloss/error.hpp"

namespace gloss {

// Analyses every track (one batch on the backend) and returns results in input order.
// Throws gloss::Error if a track cannot be measured (rate or channel count out of range);
// callers that want per-track errors call it one track at a time or validate first.
std::vector<TrackAnalysis> analyze_tracks(Backend& backend, const std::vector<const AudioTrack*>& tracks,
                                          const MeterOptions& options = {});

// Why a track cannot be measured, or an empty string when it can.
std::string check_measurable(const AudioTrack& track);

}  // namespace gloss
