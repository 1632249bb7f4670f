#include "gloss/fingerprint.hpp"

#include <bit>
#include <cstdio>
#include <sstream>
#include <vector>

namespace gloss {

namespace {

std::string hex(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%016llx(%a)", static_cast<unsigned long long>(std::bit_cast<std::uint64_t>(v)), v);
  return buf;
}

void put(std::ostringstream& out, const std::string& name, double v) { out << name << '=' << hex(v) << '\n'; }
void put(std::ostringstream& out, const std::string& name, std::int64_t v) { out << name << '=' << v << '\n'; }
void put(std::ostringstream& out, const std::string& name, const std::optional<double>& v) {
  if (v) put(out, name, *v);
  else out << name << "=none\n";
}
void put(std::ostringstream& out, const std::string& name, const std::vector<double>& v) {
  for (std::size_t i = 0; i < v.size(); ++i) put(out, name + "[" + std::to_string(i) + "]", v[i]);
}

std::vector<std::string> lines(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

}  // namespace

std::string analysis_bits(const TrackAnalysis& a) {
  std::ostringstream out;
  put(out, "frames", a.frames);
  put(out, "integrated", a.integrated_lufs);
  put(out, "momentary_max", a.momentary_max_lufs);
  put(out, "short_term_max", a.short_term_max_lufs);
  put(out, "lra", a.loudness_range_lu);
  put(out, "short_term", a.short_term_lufs);
  put(out, "sample_peak", a.sample_peak_dbfs);
  put(out, "true_peak", a.true_peak_dbtp);
  put(out, "plr", a.plr_db);
  put(out, "crest", a.crest_factor_db);
  for (std::size_t c = 0; c < a.per_channel.size(); ++c) {
    const std::string p = "ch" + std::to_string(c) + ".";
    put(out, p + "sample_peak", a.per_channel[c].sample_peak);
    put(out, p + "true_peak", a.per_channel[c].true_peak);
    put(out, p + "dc", a.per_channel[c].dc_offset);
    put(out, p + "clipped_runs", a.per_channel[c].clipped_runs);
    put(out, p + "clipped_samples", a.per_channel[c].clipped_samples);
  }
  put(out, "max_dc", a.max_abs_dc_offset);
  put(out, "correlation", a.stereo_correlation);
  put(out, "mono_loss", a.mono_loss_lu);
  for (std::size_t b = 0; b < a.octave_band_db.size(); ++b) put(out, "band" + std::to_string(b), a.octave_band_db[b]);
  put(out, "head_silence", a.head_silence_s);
  put(out, "tail_silence", a.tail_silence_s);
  put(out, "blocks", a.block_energies);
  put(out, "lra_energies", a.lra_energies);
  return out.str();
}

std::string first_difference(const TrackAnalysis& a, const TrackAnalysis& b) {
  const std::vector<std::string> la = lines(analysis_bits(a)), lb = lines(analysis_bits(b));
  for (std::size_t i = 0; i < la.size() && i < lb.size(); ++i)
    if (la[i] != lb[i]) return "first difference: " + la[i] + " vs " + lb[i];
  if (la.size() != lb.size())
    return "different number of values: " + std::to_string(la.size()) + " vs " + std::to_string(lb.size());
  return {};
}

std::uint64_t fnv1a(const std::string& bytes) { return fnv1a(bytes.data(), bytes.size()); }

std::uint64_t fnv1a(const void* data, std::size_t size) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  const auto* p = static_cast<const unsigned char*>(data);
  for (std::size_t i = 0; i < size; ++i) {
    h ^= p[i];
    h *= 0x100000001b3ull;
  }
  return h;
}

std::uint64_t audio_identity(const AudioTrack& track) {
  const std::int64_t header[3] = {track.sample_rate, track.channels, track.frames};
  return fnv1a(header, sizeof header) ^ fnv1a(track.samples.data(), track.samples.size() * sizeof(float));
}

}  // namespace gloss
