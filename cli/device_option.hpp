// The spelling of a --device value, shared by every subcommand that takes one. Whether the
// device exists here is checked when the run starts (exit status 3), never at parse time.
#pragma once

#include <string>
#include <vector>

namespace gloss::cli {

// Empty when `spec` is auto, cpu, reference, reference:SEED, cuda or cuda:N; else what is
// accepted (CLI11 prints it as the usage error, exit status 2).
// Job commands (master) also take lists: cuda:0,2 or cuda:0,cuda:2 (one worker per device).
std::string validate_device(const std::string& spec);

// The backend name of every worker of a job: one per listed GPU ("cuda" = every usable one,
// "auto" = every usable one, else the CPU) plus `cpu_workers` CPU workers; cpu/reference
// specs give max(1, cpu_workers) workers. Throws gloss::Error when a listed GPU is missing.
std::vector<std::string> expand_devices(const std::string& spec, int cpu_workers);

}  // namespace gloss::cli
