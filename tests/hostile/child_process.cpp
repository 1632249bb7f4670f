#include "child_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

#include "support/run_program.hpp"  // read_text

namespace gloss::test {

namespace fs = std::filesystem;

namespace {

// Between fork and exec only async-signal-safe calls: no allocation, no stdio.
[[noreturn]] void exec_child(const char* exe, char* const* argv, const char* cwd, const char* out, const char* err,
                             const ChildLimits& limits) {
  if (::chdir(cwd) != 0) ::_exit(127);
  const int o = ::open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644), e = ::open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (o < 0 || e < 0 || ::dup2(o, STDOUT_FILENO) < 0 || ::dup2(e, STDERR_FILENO) < 0) ::_exit(127);
  if (limits.data_bytes > 0) {
    const rlimit r{limits.data_bytes, limits.data_bytes};
    if (::setrlimit(RLIMIT_DATA, &r) != 0) ::_exit(127);
  }
  if (limits.file_size_bytes > 0) {
    // Ignored signals stay ignored across exec: write() then fails with EFBIG instead of
    // the process being killed, as on a disk that is full for this process.
    ::signal(SIGXFSZ, SIG_IGN);
    const rlimit r{limits.file_size_bytes, limits.file_size_bytes};
    if (::setrlimit(RLIMIT_FSIZE, &r) != 0) ::_exit(127);
  }
  ::execv(exe, argv);
  ::_exit(127);
}

}  // namespace

Child::Child(const std::string& exe, const std::vector<std::string>& args, const fs::path& cwd, const fs::path& scratch,
             const ChildLimits& limits)
    : out_(scratch / "stdout.txt"), err_(scratch / "stderr.txt") {
  fs::create_directories(scratch);
  std::vector<std::string> strings{exe};
  strings.insert(strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& s : strings) argv.push_back(s.data());
  argv.push_back(nullptr);
  pid_ = ::fork();
  if (pid_ == 0) exec_child(exe.c_str(), argv.data(), cwd.c_str(), out_.c_str(), err_.c_str(), limits);
}

Child::~Child() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
}

bool Child::wait_for_stderr(const std::string& text, std::chrono::milliseconds timeout) {
  const auto end = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < end) {
    if (read_text(err_).find(text) != std::string::npos) return true;
    siginfo_t info{};
    if (pid_ > 0 && ::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid_)
      return false;  // ended (still waitable by finish)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

ChildResult Child::finish() {
  ChildResult r;
  if (pid_ > 0) {
    int status = 0;
    rusage usage{};
    if (::wait4(pid_, &status, 0, &usage) == pid_) {
      r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      r.max_rss_bytes = static_cast<std::uint64_t>(usage.ru_maxrss) * 1024;  // Linux reports KiB
    }
    pid_ = -1;
  }
  r.out = read_text(out_);
  r.err = read_text(err_);
  return r;
}

ChildResult run_child(const std::string& exe, const std::vector<std::string>& args, const fs::path& cwd,
                      const fs::path& scratch, const ChildLimits& limits) {
  Child child(exe, args, cwd, scratch, limits);
  return child.finish();
}

}  // namespace gloss::test
