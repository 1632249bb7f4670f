// `gloss bench`: the mastering chain's throughput, stage by stage and as a whole, on
// generated audio, for every requested backend side by side (table, or JSON with --json).
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace gloss::cli {

struct BenchOptions {
  std::vector<std::string> devices{"cpu"};  // one column each: cpu, reference, cuda, cuda:N, auto
  double seconds = 30;                      // length of the generated stereo 48 kHz audio
  int threads = 0;                          // CPU threads (0 = all)
  int repeat = 3;                           // timed runs per stage; the median is reported
  bool json = false;                        // JSON on stdout instead of the table
};

CLI::App* add_bench_command(CLI::App& app, BenchOptions& options);

// Exit 0 when every stage ran; 3 when a requested device is unavailable; 1 when a stage failed.
int run_bench(const BenchOptions& options);

}  // namespace gloss::cli
