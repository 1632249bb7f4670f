#include "eq_command.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fmt/format.h>

#include "atomic_file.hpp"
#include "detmath.hpp"
#include "eq_design.hpp"
#include "exit_codes.hpp"
#include "preset.hpp"

namespace gloss::cli {

namespace {

std::string format_db(double db) {
  if (std::isinf(db)) return db < 0 ? "-inf" : "inf";
  return fmt::format("{:.4f}", db);
}

}  // namespace

CLI::App* add_eq_command(CLI::App& app, EqOptions& o) {
  CLI::App* cmd = app.add_subcommand(
      "eq",
      "Design a preset's linear-phase EQ (its [eq] bands) as one FIR at a sample rate and print the\n"
      "response: CSV on stdout with the columns\n"
      "  hz           frequency in Hz (log-spaced from 20 Hz to min(20 kHz, 0.45 x rate))\n"
      "  target_db    the bands' analog-prototype magnitude in dB (what was asked for)\n"
      "  achieved_db  the designed FIR's magnitude in dB (what the chain will apply)\n"
      "then on stderr the tap count, the length rule that chose it, and the worst deviation\n"
      "|achieved - target| over 20 Hz..20 kHz and where it is. The FIR is linear-phase: its\n"
      "latency, (taps - 1) / 2 samples, is compensated by the chain.");
  cmd->add_option("preset", o.preset,
                  "A shipped preset name (e.g. gentle-air, looked up in the preset folders) or a path ending in .toml")
      ->required();
  cmd->add_option("--rate", o.rate, "Sample rate in Hz to design for (default 48000)")
      ->check(CLI::Range(8000, 768000));
  cmd->add_option("--csv", o.csv, "Write the CSV to this file instead of stdout");
  cmd->add_option("--points", o.points, "Number of frequencies in the CSV (default 100)")
      ->check(CLI::Range(2, 100000));
  cmd->footer(
      "Examples:\n"
      "  gloss eq gentle-air                        response of a shipped example at 48 kHz\n"
      "  gloss eq my-master.toml --rate 44100 --csv eq.csv --points 400\n"
      "Output (stdout):\n"
      "  hz,target_db,achieved_db\n"
      "  20.000,-3.0103,-3.0101\n"
      "  ...\n"
      "Exit status: 0 designed; 2 bad flag, bad or missing preset, a band that cannot be designed\n"
      "at --rate (e.g. freq >= rate/2), or an unusable --csv destination; 4 the CSV could not be written.");
  return cmd;
}

int run_eq(const EqOptions& o) {
  if (!o.csv.empty()) {
    const std::string why = check_output_destination(o.csv);
    if (!why.empty()) {
      fmt::print(stderr, "gloss eq: {}\n", why);
      return kExitUsage;
    }
  }
  Preset preset;
  try {
    preset = load_preset(resolve_preset(o.preset));
  } catch (const PresetError& e) {
    fmt::print(stderr, "gloss eq: {}\n", e.what());
    return kExitUsage;
  }
  const std::vector<EqProblem> problems = check_eq(preset.eq, o.rate);
  if (!problems.empty()) {
    for (const EqProblem& p : problems) fmt::print(stderr, "gloss eq: {}\n", describe_problem(preset, p));
    return kExitUsage;
  }

  const auto t0 = std::chrono::steady_clock::now();
  const FirDesign fir = design_eq_fir(preset.eq, o.rate);
  const double design_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();

  const double lo = 20, hi = std::min(20000.0, 0.45 * o.rate);
  std::string csv = "hz,target_db,achieved_db\n";
  for (int i = 0; i < o.points; ++i) {
    // detmath, so the frequencies (and the CSV) are the same bytes on every machine.
    const double hz = i == o.points - 1 ? hi : lo * detmath::pow(hi / lo, static_cast<double>(i) / (o.points - 1));
    csv += fmt::format("{:.3f},{},{}\n", hz, format_db(target_db(preset.eq, hz)), format_db(achieved_db(fir, hz)));
  }
  const EqDeviation worst = worst_deviation(preset.eq, fir, lo, hi);

  if (o.csv.empty()) {
    fmt::print("{}", csv);
    std::fflush(stdout);
  } else {
    const std::string why = write_file_atomically(o.csv, csv);
    if (!why.empty()) {
      fmt::print(stderr, "gloss eq: {}\n", why);
      return kExitOutputFailed;
    }
  }

  const std::size_t taps = fir.taps.size();
  fmt::print(stderr, "gloss eq: {} at {} Hz: {} band{}\n", preset.source, o.rate, preset.eq.bands.size(),
             preset.eq.bands.size() == 1 ? "" : "s");
  if (fir.narrowest_band < 0) {
    fmt::print(stderr, "  taps: 1 (flat: no band changes the response, audio passes through bit-exactly)\n");
  } else if (!fir.automatic_length) {
    fmt::print(stderr, "  taps: {} (set by eq.taps in the preset), latency {} samples\n", taps, (taps - 1) / 2);
  } else {
    const EqBand& b = preset.eq.bands[static_cast<std::size_t>(fir.narrowest_band)];
    fmt::print(stderr, "  taps: {} (automatic, set by band {}: {} at {} Hz, feature width W = {:.2f} Hz), latency {} samples\n",
               taps, fir.narrowest_band + 1, to_string(b.type), b.freq_hz, fir.narrowest_hz, (taps - 1) / 2);
    if (fir.wanted_taps > static_cast<int>(taps))
      fmt::print(stderr, "  warning: the rule asks for {} taps, capped at {}: that band is not fully resolved at this rate\n",
                 fir.wanted_taps, taps);
  }
  fmt::print(stderr, "  length rule: {}\n", length_rule_text());
  fmt::print(stderr, "  worst deviation {} Hz..{} Hz: {:+.4f} dB at {:.1f} Hz (design {:.0f} ms)\n", lo, hi,
             worst.worst_db, worst.at_hz, design_ms);
  return kExitOk;
}

}  // namespace gloss::cli
