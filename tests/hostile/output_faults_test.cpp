// `gloss master` into an output folder it cannot fill: a disk that is full for this process
// (RLIMIT_FSIZE: writes fail with EFBIG, SIGXFSZ ignored). Each failed track is named with
// the cause, nothing partial or temporary is left, the journal does not count the track or
// its album as done (the rerun makes them), and the JSON report, written elsewhere, lists the
// failure. Read-only and small filesystems, which need mounts: output_mounts_test.cpp.
#include "output_fault_fixture.hpp"

namespace {

using gloss::test::OutputFaults;
using gloss::test::outputs_under;

TEST_F(OutputFaults, AFullDiskForThisProcessFailsEachTrackCleanlyAndTheRerunMakesThem) {
  // 1 MiB per file: too small for a master (1.4 MB), enough for the report and the journal.
  const gloss::test::ChildResult r = master("out", "full", {0, 1ull << 20});
  expect_failed_cleanly(r, root() / "out", "File too large", 2);
  const gloss::test::ChildResult again = master("out", "rerun");
  EXPECT_EQ(again.status, 0) << again.err;
  EXPECT_NE(again.err.find("0 albums already done"), std::string::npos) << again.err;
  EXPECT_EQ(outputs_under(root() / "out"), (std::vector<std::string>{"catalog/Album/1 song.wav", "catalog/Album/2 song.wav"}));
}

}  // namespace
