// The exit status of every gloss subcommand. Scripts rely on these; `gloss --help` lists them.
#pragma once

namespace gloss::cli {

enum ExitCode : int {
  kExitOk = 0,            // everything asked for was done (all files measured)
  kExitSomeFailed = 1,    // some inputs failed (the rest were measured and reported), or a selftest mismatch
  kExitUsage = 2,         // bad flag or value (CLI11 parse errors, unusable --json/--csv destination)
  kExitCannotStart = 3,   // no audio files found, or the requested backend is unavailable
  kExitOutputFailed = 4,  // a report or demo file could not be written
};

}  // namespace gloss::cli
