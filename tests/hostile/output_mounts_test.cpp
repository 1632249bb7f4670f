// `gloss master` into a 2 MiB tmpfs (ENOSPC), a read-only album folder and a read-only -o.
// Root writes through permission bits, so as root these use mounts (a tmpfs, a read-only
// bind mount) and are skipped, with the reason, where this process may not mount; as
// another user, permission bits make the folders read-only.
#include <sys/mount.h>
#include <unistd.h>

#include <optional>

#include "output_fault_fixture.hpp"

namespace {

namespace fs = std::filesystem;
using gloss::test::Mount;
using gloss::test::OutputFaults;
using gloss::test::outputs_under;

TEST_F(OutputFaults, ASmallTmpfsFillsUpAndTheTrackThatDoesNotFitFailsCleanly) {
  fs::create_directories(root() / "small");
  const Mount tmpfs("gloss-test", root() / "small", "tmpfs", 0, "size=2m");
  if (!tmpfs.ok) GTEST_SKIP() << "cannot mount a 2 MiB tmpfs here (" << tmpfs.why << "): needs root or CAP_SYS_ADMIN";
  const gloss::test::ChildResult r = master(root() / "small" / "out", "tmpfs");
  expect_failed_cleanly(r, root() / "small" / "out", "No space left on device", 1);
}

TEST_F(OutputFaults, AReadOnlyAlbumFolderFailsEachTrackCleanly) {
  const fs::path album = root() / "out" / "catalog" / "Album";  // where the album's masters go
  fs::create_directories(album);
  std::optional<Mount> bind, read_only;
  if (::geteuid() == 0) {
    // Root writes through permission bits: only a read-only mount stops it.
    bind.emplace(album.string(), album, nullptr, MS_BIND, nullptr);
    if (!bind->ok) GTEST_SKIP() << "running as root and cannot bind-mount (" << bind->why << ")";
    read_only.emplace("", album, nullptr, MS_REMOUNT | MS_BIND | MS_RDONLY, nullptr);
    if (!read_only->ok) GTEST_SKIP() << "cannot remount read-only (" << read_only->why << ")";
    read_only->ok = false;  // the bind mount's unmount undoes both
  } else {
    fs::permissions(album, fs::perms::owner_read | fs::perms::owner_exec);
  }
  const gloss::test::ChildResult r = master("out", "read-only");
  expect_failed_cleanly(r, root() / "out", ::geteuid() == 0 ? "Read-only file system" : "Permission denied", 2);
}

TEST_F(OutputFaults, AReadOnlyOutputFolderIsRefusedBeforeAnyWork) {
  const fs::path out = root() / "out";
  fs::create_directories(out);
  std::optional<Mount> tmpfs;
  if (::geteuid() == 0) {
    tmpfs.emplace("gloss-test", out, "tmpfs", MS_RDONLY, "size=1m");
    if (!tmpfs->ok) GTEST_SKIP() << "running as root and cannot mount a read-only tmpfs (" << tmpfs->why << ")";
  } else {
    fs::permissions(out, fs::perms::owner_read | fs::perms::owner_exec);
  }
  const gloss::test::ChildResult r = master("out", "read-only-root");
  // The journal folder cannot be made: the job stops before reading anything, naming the
  // folder and the cause, and writes no report (there is no work to report).
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_NE(r.err.find("out/.gloss: cannot create the journal folder"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(::geteuid() == 0 ? "Read-only file system" : "Permission denied"), std::string::npos) << r.err;
  EXPECT_TRUE(outputs_under(out).empty());
}

}  // namespace
