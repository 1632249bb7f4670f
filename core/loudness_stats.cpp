#include "loudness_stats.hpp"

#include <algorithm>
#include <limits>

#include "detmath.hpp"
#include "kernels/meter_plan.hpp"

namespace gloss {

namespace {
constexpr double kOffset = -0.691;  // cancels the K-weighting gain at 997 Hz
const double kInf = std::numeric_limits<double>::infinity();
}  // namespace

double energy_to_lufs(double energy) {
  if (!(energy > 0)) return -kInf;
  return kOffset + detmath::power_to_db(energy);
}

double lufs_to_energy(double lufs) {
  if (lufs == -kInf) return 0;
  return detmath::db_to_power(lufs - kOffset);
}

std::vector<double> window_energies(std::span<const double> subblock_sums, int sample_rate,
                                    long long length, long long hop, long long tail) {
  std::vector<double> out;
  const auto n = static_cast<long long>(subblock_sums.size());
  for (long long start = 0; start + length <= n + tail; start += hop) {
    double sum = 0;
    const long long end = std::min(start + length, n);
    for (long long k = start; k < end; ++k) sum += subblock_sums[static_cast<std::size_t>(k)];
    const auto samples = kernels::subblock_start(start + length, sample_rate) -
                         kernels::subblock_start(start, sample_rate);
    out.push_back(sum / static_cast<double>(samples));
  }
  return out;
}

double gated_loudness(std::span<const double> block_energies) {
  const double absolute_gate = lufs_to_energy(-70.0);
  double sum = 0;
  long long count = 0;
  for (double e : block_energies)
    if (e > absolute_gate) {
      sum += e;
      ++count;
    }
  if (count == 0) return -kInf;
  const double relative_gate = sum / static_cast<double>(count) * detmath::db_to_power(-10.0);
  double gated_sum = 0;
  long long gated_count = 0;
  for (double e : block_energies)
    if (e > absolute_gate && e > relative_gate) {
      gated_sum += e;
      ++gated_count;
    }
  return energy_to_lufs(gated_sum / static_cast<double>(gated_count));
}

double loudness_range(std::span<const double> short_term_energies) {
  // Tech 3342's reference code compares with ">=" for both gates.
  const double absolute_gate = lufs_to_energy(-70.0);
  double sum = 0;
  long long count = 0;
  for (double e : short_term_energies)
    if (e >= absolute_gate) {
      sum += e;
      ++count;
    }
  if (count == 0) return 0;
  const double relative_gate = sum / static_cast<double>(count) * detmath::db_to_power(-20.0);
  std::vector<double> gated;
  for (double e : short_term_energies)
    if (e >= absolute_gate && e >= relative_gate) gated.push_back(e);
  if (gated.empty()) return 0;
  std::sort(gated.begin(), gated.end());
  const double last = static_cast<double>(gated.size() - 1);
  const auto low = static_cast<std::size_t>(last * 0.10 + 0.5);
  const auto high = static_cast<std::size_t>(last * 0.95 + 0.5);
  return energy_to_lufs(gated[high]) - energy_to_lufs(gated[low]);
}

double max_loudness(std::span<const double> energies) {
  double best = 0;
  for (double e : energies) best = std::max(best, e);
  return energies.empty() ? -kInf : energy_to_lufs(best);
}

}  // namespace gloss
