// ebur128-scan: the libebur128 baseline for side-by-side timing against `gloss analyze`.
//
//   ebur128-scan [--threads N] FILE...
//
// Decodes each file with libsndfile to float (interleaved, as libebur128 wants it) and
// measures integrated loudness, loudness range and true peak with
// EBUR128_MODE_I | EBUR128_MODE_LRA | EBUR128_MODE_TRUE_PEAK. Prints one line per file in
// input order:  I_LUFS  LRA_LU  TP_dBTP  SECONDS  FILE
// With --threads N, N files are processed at once (one file per thread), the fair
// comparison with a multi-threaded gloss run. Exit status: 0 when every file was measured,
// 1 when some failed, 2 on a usage error.
// --decode-only: decode and discard (what decoding alone costs; values printed are meaningless).
// --precise: the same columns with 6 decimals (scripts/bench/loudnorm-side-by-side.sh compares
// true peaks against a ceiling, where 2 decimals would hide small overs).
#include <ebur128.h>
#include <sndfile.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

struct Result {
  bool ok = false;
  std::string error;
  double integrated = 0, range = 0, true_peak_db = 0, seconds = 0;
};

bool g_decode_only = false;
bool g_precise = false;

Result measure(const char* path) {
  Result r;
  SF_INFO info{};
  SNDFILE* file = sf_open(path, SFM_READ, &info);
  if (file == nullptr) {
    r.error = sf_strerror(nullptr);
    return r;
  }
  // Same float handling as gloss: no clipping, no normalisation of float data.
  sf_command(file, SFC_SET_NORM_FLOAT, nullptr, SF_TRUE);
  sf_command(file, SFC_SET_CLIPPING, nullptr, SF_FALSE);
  ebur128_state* st = ebur128_init(static_cast<unsigned>(info.channels), static_cast<unsigned long>(info.samplerate),
                                   EBUR128_MODE_I | EBUR128_MODE_LRA | EBUR128_MODE_TRUE_PEAK);
  if (st == nullptr) {
    r.error = "ebur128_init failed (rate or channel count)";
    sf_close(file);
    return r;
  }
  constexpr sf_count_t kChunk = 16384;  // frames per read
  std::vector<float> buffer(static_cast<std::size_t>(kChunk * info.channels));
  sf_count_t total = 0;
  for (;;) {
    const sf_count_t n = sf_readf_float(file, buffer.data(), kChunk);
    if (n <= 0) break;
    if (!g_decode_only && ebur128_add_frames_float(st, buffer.data(), static_cast<std::size_t>(n)) != EBUR128_SUCCESS) {
      r.error = "ebur128_add_frames_float failed";
      break;
    }
    total += n;
  }
  sf_close(file);
  if (r.error.empty()) {
    double peak = 0;
    for (unsigned c = 0; c < static_cast<unsigned>(info.channels); ++c) {
      double p = 0;
      ebur128_true_peak(st, c, &p);
      peak = std::max(peak, p);
    }
    ebur128_loudness_global(st, &r.integrated);
    ebur128_loudness_range(st, &r.range);
    r.true_peak_db = peak > 0 ? 20 * std::log10(peak) : -HUGE_VAL;
    r.seconds = static_cast<double>(total) / info.samplerate;
    r.ok = true;
  }
  ebur128_destroy(&st);
  return r;
}

int usage() {
  std::fprintf(stderr, "usage: ebur128-scan [--threads N] [--decode-only] [--precise] FILE...\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  int threads = 1;
  std::vector<const char*> files;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--threads") == 0 || std::strcmp(argv[i], "-j") == 0) {
      if (i + 1 >= argc) return usage();
      threads = std::atoi(argv[++i]);
      if (threads < 1) return usage();
    } else if (std::strncmp(argv[i], "--threads=", 10) == 0) {
      threads = std::atoi(argv[i] + 10);
      if (threads < 1) return usage();
    } else if (std::strcmp(argv[i], "--decode-only") == 0) {
      g_decode_only = true;
    } else if (std::strcmp(argv[i], "--precise") == 0) {
      g_precise = true;
    } else if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
      usage();
      return 0;
    } else {
      files.push_back(argv[i]);
    }
  }
  if (files.empty()) return usage();

  std::vector<Result> results(files.size());
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i; (i = next.fetch_add(1)) < files.size();) results[i] = measure(files[i]);
  };
  const auto n = static_cast<std::size_t>(std::min<std::size_t>(static_cast<std::size_t>(threads), files.size()));
  std::vector<std::thread> pool;
  for (std::size_t t = 1; t < n; ++t) pool.emplace_back(worker);
  worker();
  for (std::thread& t : pool) t.join();

  int failed = 0;
  for (std::size_t i = 0; i < files.size(); ++i) {
    const Result& r = results[i];
    if (r.ok && g_precise)
      std::printf("%12.6f LUFS  %10.6f LU  %11.6f dBTP  %9.2f s  %s\n", r.integrated, r.range, r.true_peak_db,
                  r.seconds, files[i]);
    else if (r.ok)
      std::printf("%8.2f LUFS  %6.2f LU  %7.2f dBTP  %9.2f s  %s\n", r.integrated, r.range, r.true_peak_db,
                  r.seconds, files[i]);
    else {
      std::fprintf(stderr, "ebur128-scan: %s: %s\n", files[i], r.error.c_str());
      ++failed;
    }
  }
  return failed ? 1 : 0;
}
