// Ctrl-C (SIGINT) and SIGTERM during a catalog job.
//
// The first signal asks the job to stop: no new album starts, the current one stops before
// its next track is written, finished tracks stay finished (they are in the journal) and the
// run exits with status 130 after writing its reports, so rerunning the same command
// resumes. A second signal stops at once: the temporary files being written are removed
// (they are registered here) and the process exits with 130, leaving nothing partial.
#pragma once

#include <string>

namespace gloss::cli {

inline constexpr int kExitInterrupted = 130;  // 128 + SIGINT, as shells report it

// Installs the handlers (idempotent). Commands that write files call it before their run.
void install_interrupt_handlers();

// True once the first SIGINT/SIGTERM has arrived.
bool interrupt_requested();

// For tests and for the job runner: behave as if the first signal had arrived.
void request_interrupt();

// A temporary file the second signal must remove. Registration is lock-free and safe to
// call from any thread; at most kMaxLiveTemporaries are tracked at once (more are still
// written correctly, they are just not removed by a second Ctrl-C).
inline constexpr int kMaxLiveTemporaries = 256;
int register_temporary(const std::string& path);  // returns a slot, or -1 when full
void unregister_temporary(int slot);

}  // namespace gloss::cli
