#include "selftest_command.hpp"

#include <tbb/info.h>

#include <fmt/format.h>
#include <functional>
#include <memory>

#include "exit_codes.hpp"
#include "gloss/fingerprint.hpp"
#include "gloss/meter.hpp"
#include "signals.hpp"

namespace gloss::cli {

namespace {

struct Case {
  std::string name;
  TruePeakMode mode;
  std::function<AudioTrack(double seconds)> make;
};

// Rates 44.1/48/96 kHz, mono/stereo/5.1, both true-peak modes, sines, noise and music,
// plus a clipped master so the clip counters are exercised too.
std::vector<Case> cases() {
  return {
      {"sine 997 Hz, 44.1 kHz stereo, itu", TruePeakMode::Itu,
       [](double s) { return make_sine(44100, 2, s, 997, 0.5); }},
      {"noise, 48 kHz mono, itu", TruePeakMode::Itu, [](double s) { return make_noise(48000, 1, s, 0.3, 1); }},
      {"music, 48 kHz 5.1, itu", TruePeakMode::Itu, [](double s) { return make_music(48000, 6, s, 0.6, 1.0, 2); }},
      {"music clipped, 48 kHz stereo, itu", TruePeakMode::Itu,
       [](double s) {
         AudioTrack t = make_music(48000, 2, s, 2.5, 1.0, 3);
         for (float& x : t.samples) x = x > 1.0f ? 1.0f : (x < -1.0f ? -1.0f : x);
         return t;
       }},
      {"music, 44.1 kHz stereo, precise", TruePeakMode::Precise,
       [](double s) { return make_music(44100, 2, s, 0.8, 0.6, 4); }},
      {"noise, 96 kHz 5.1, precise", TruePeakMode::Precise, [](double s) { return make_noise(96000, 6, s, 0.2, 5); }},
      {"sine 1 kHz, 96 kHz mono, precise", TruePeakMode::Precise,
       [](double s) { return make_sine(96000, 1, s, 1000, 0.9); }},
  };
}

struct Candidate {
  std::string label;
  std::string spec;
  int threads;
};

// reference, cpu with 1 thread and with all, then every usable CUDA device.
std::vector<Candidate> candidates(std::vector<std::string>& skipped) {
  const int all = static_cast<int>(tbb::info::default_concurrency());
  std::vector<Candidate> out = {{"reference", "reference", 0},
                                {"cpu (1 thread)", "cpu", 1},
                                {fmt::format("cpu ({} threads)", all), "cpu", all}};
  for (const BackendInfo& b : list_backends()) {
    if (!b.name.starts_with("cuda")) continue;
    if (b.available) out.push_back({b.name, b.name, 0});
    else skipped.push_back(fmt::format("{}: skipped ({})", b.name, b.description));
  }
  return out;
}

// Each case's analysis on one backend, or the error that stopped it.
struct Outcome {
  std::vector<std::optional<TrackAnalysis>> results;
  std::string error;
};

Outcome run_on(const Candidate& c, const std::vector<Case>& all, const std::vector<AudioTrack>& signals) {
  Outcome out;
  out.results.resize(all.size());
  try {
    std::unique_ptr<Backend> backend = make_backend(c.spec, c.threads);
    for (const TruePeakMode mode : {TruePeakMode::Itu, TruePeakMode::Precise}) {
      std::vector<const AudioTrack*> batch;  // one batch per mode: batching must not change bits
      std::vector<std::size_t> index;
      for (std::size_t i = 0; i < all.size(); ++i)
        if (all[i].mode == mode) {
          batch.push_back(&signals[i]);
          index.push_back(i);
        }
      MeterOptions options;
      options.true_peak = mode;
      std::vector<TrackAnalysis> results = analyze_tracks(*backend, batch, options);
      for (std::size_t k = 0; k < results.size(); ++k) out.results[index[k]] = std::move(results[k]);
    }
  } catch (const std::exception& e) {
    out.error = e.what();
  }
  return out;
}

std::string hash_of(const TrackAnalysis& a) { return fmt::format("{:016x}", fnv1a(analysis_bits(a))); }

}  // namespace

CLI::App* add_selftest_command(CLI::App& app, SelftestOptions& o) {
  CLI::App* cmd = app.add_subcommand(
      "selftest",
      "Check bit-identity on this machine: generate test signals (44.1/48/96 kHz; mono, stereo,\n"
      "5.1; sines, noise, music; itu and precise true peak), measure them on the reference\n"
      "executor, the cpu backend with 1 thread and with all threads, and every CUDA device, and\n"
      "compare fingerprints bit for bit. Exit 0 when all are identical, 1 otherwise.");
  cmd->add_option("--seconds", o.seconds, "Length of each generated signal in seconds")
      ->check(CLI::Range(1, 600))
      ->capture_default_str();
  cmd->footer("Examples:\n  gloss selftest\n  gloss selftest --seconds 30");
  return cmd;
}

int run_selftest(const SelftestOptions& o) {
  const std::vector<Case> all = cases();
  std::vector<AudioTrack> signals;
  for (const Case& c : all) signals.push_back(c.make(o.seconds));
  std::vector<std::string> skipped;
  const std::vector<Candidate> backends = candidates(skipped);
  std::vector<Outcome> outcomes;
  for (const Candidate& c : backends) outcomes.push_back(run_on(c, all, signals));

  bool identical = true;
  for (std::size_t b = 0; b < backends.size(); ++b)
    if (!outcomes[b].error.empty()) {
      fmt::print("{}: FAILED: {}\n", backends[b].label, outcomes[b].error);
      identical = false;
    }
  const Outcome& reference = outcomes.front();
  for (std::size_t i = 0; i < all.size(); ++i) {
    fmt::print("{}\n", all[i].name);
    for (std::size_t b = 0; b < backends.size(); ++b) {
      const std::optional<TrackAnalysis>& r = outcomes[b].results[i];
      if (!r) continue;
      std::string verdict = "reference";
      if (b > 0) {
        const std::string diff = reference.results[i] ? first_difference(*reference.results[i], *r) : "no reference result";
        verdict = diff.empty() ? "identical" : "DIFFERENT: " + diff;
        identical = identical && diff.empty();
      }
      fmt::print("  {:<20} {}  {}\n", backends[b].label, hash_of(*r), verdict);
    }
  }
  for (const std::string& s : skipped) fmt::print("{}\n", s);
  fmt::print("{}\n", identical ? "selftest: all backends identical to the reference"
                               : "selftest: DIFFERENT results; please report this with the output above");
  return identical ? kExitOk : kExitSomeFailed;
}

}  // namespace gloss::cli
