// Loudness statistics from per-sub-block energies, on the host, in fixed order:
// gating (BS.1770-4), momentary/short-term windows (EBU Mode) and loudness range (Tech 3342).
// Energies are channel-weighted mean squares; loudness = -0.691 + 10 log10(energy).
#pragma once

#include <span>
#include <vector>

namespace gloss {

double energy_to_lufs(double energy);  // -inf for energy <= 0
double lufs_to_energy(double lufs);

// Mean-square energies of windows of `length` sub-blocks every `hop` sub-blocks, for every
// window that ends within `subblocks + tail` (sub-blocks past the end count as silence).
// `subblock_sums` are sums of squares; each window divides by its length in samples.
std::vector<double> window_energies(std::span<const double> subblock_sums, int sample_rate,
                                    long long length, long long hop, long long tail = 0);

// BS.1770-4 gated loudness over 400 ms block energies (absolute -70 LUFS, relative -10 LU).
double gated_loudness(std::span<const double> block_energies);

// EBU Tech 3342 loudness range over short-term energies (absolute -70, relative -20 LU,
// 10th to 95th percentile, nearest rank).
double loudness_range(std::span<const double> short_term_energies);

double max_loudness(std::span<const double> energies);  // -inf when empty

}  // namespace gloss
