#include "interrupt.hpp"

#include <unistd.h>

#include <array>
#include <atomic>
#include <csignal>
#include <cstring>

namespace gloss::cli {

namespace {

constexpr std::size_t kMaxPath = 4096;

// A slot is free (0), being filled (1) or holds a path the handler may unlink (2).
struct TemporarySlot {
  std::atomic<int> state{0};
  char path[kMaxPath];
};

std::array<TemporarySlot, kMaxLiveTemporaries> slots;
std::atomic<int> signals_seen{0};
std::atomic<bool> installed{false};

void say(const char* text) {
  // write(2) is async-signal-safe; the result is irrelevant (nothing else could be done).
  [[maybe_unused]] const ssize_t n = ::write(STDERR_FILENO, text, std::strlen(text));
}

extern "C" void on_signal(int) {
  if (signals_seen.fetch_add(1) == 0) {
    say("\ngloss: stopping after the current track (Ctrl-C again to stop at once; finished tracks are kept)\n");
    return;
  }
  for (TemporarySlot& slot : slots)
    if (slot.state.load() == 2) ::unlink(slot.path);
  say("\ngloss: stopped; unfinished files removed. Run the same command again to resume\n");
  ::_exit(kExitInterrupted);
}

}  // namespace

void install_interrupt_handlers() {
  if (installed.exchange(true)) return;
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

bool interrupt_requested() { return signals_seen.load() > 0; }

void request_interrupt() { signals_seen.fetch_add(1); }

int register_temporary(const std::string& path) {
  if (path.size() >= kMaxPath) return -1;
  for (int i = 0; i < kMaxLiveTemporaries; ++i) {
    int expected = 0;
    if (!slots[i].state.compare_exchange_strong(expected, 1)) continue;
    std::memcpy(slots[i].path, path.c_str(), path.size() + 1);
    slots[i].state.store(2);
    return i;
  }
  return -1;
}

void unregister_temporary(int slot) {
  if (slot >= 0 && slot < kMaxLiveTemporaries) slots[slot].state.store(0);
}

}  // namespace gloss::cli
