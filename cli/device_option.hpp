// The spelling of a --device value, shared by every subcommand that takes one. Whether the
// device exists here is checked when the run starts (exit status 3), never at parse time.
#pragma once

#include <string>

namespace gloss::cli {

// Empty when `spec` is auto, cpu, reference, reference:SEED, cuda or cuda:N; else what is
// accepted (CLI11 prints it as the usage error, exit status 2).
std::string validate_device(const std::string& spec);

}  // namespace gloss::cli
