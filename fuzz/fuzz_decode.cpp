// libFuzzer target: the decode front end. The bytes become an in-memory file (memfd) that
// gloss::cli::decode_file opens through /proc/self/fd, so the exact code path a catalog
// run takes (size checks, libsndfile open, header checks, reading) sees them. Decoding
// never throws and never crashes: it returns a track or an error message. Leaks and
// oversized allocations are caught by ASan and libFuzzer's -malloc_limit_mb / -rss_limit_mb.
//
// (libsndfile's virtual I/O would avoid the file, but decode_file takes a path; the memfd
// keeps the harness on the real entry point without touching the disk.)
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "decode.hpp"

namespace {

int memory_file() {
  static const int fd = [] {
    const int f = memfd_create("gloss-fuzz-input", 0);
    if (f < 0) {
      std::perror("memfd_create");
      std::abort();
    }
    return f;
  }();
  return fd;
}

void write_all(int fd, const std::uint8_t* data, std::size_t size) {
  if (ftruncate(fd, 0) != 0 || lseek(fd, 0, SEEK_SET) != 0) std::abort();
  while (size > 0) {
    const ssize_t n = write(fd, data, size);
    if (n <= 0) std::abort();
    data += n;
    size -= static_cast<std::size_t>(n);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const int fd = memory_file();
  write_all(fd, data, size);
  const std::string path = "/proc/self/fd/" + std::to_string(fd);
  const gloss::cli::DecodeResult result = gloss::cli::decode_file(path, "fuzz.wav");
  // Exactly one of track and error is set.
  if (result.ok() == !result.error.empty()) __builtin_trap();
  if (result.ok()) {
    const gloss::AudioTrack& t = *result.track;
    if (t.frames <= 0 || t.channels < 1 || t.layout.size() != static_cast<std::size_t>(t.channels) ||
        t.samples.size() != static_cast<std::size_t>(t.frames) * static_cast<std::size_t>(t.channels))
      __builtin_trap();
  }
  return 0;
}
