#include "atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fmt/format.h>
#include <system_error>

namespace gloss::cli {

namespace fs = std::filesystem;

namespace {

std::string errno_text() { return std::strerror(errno); }

bool write_all(int fd, const std::string& contents) {
  std::size_t done = 0;
  while (done < contents.size()) {
    const ssize_t n = ::write(fd, contents.data() + done, contents.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  return true;
}

fs::path folder_of(const fs::path& destination) {
  const fs::path parent = destination.parent_path();
  return parent.empty() ? fs::path(".") : parent;
}

}  // namespace

std::string write_file_atomically(const fs::path& destination, const std::string& contents) {
  std::string temp = (folder_of(destination) / fmt::format(".{}.tmp-XXXXXX", destination.filename().string())).string();
  const int fd = ::mkstemp(temp.data());
  if (fd < 0) return fmt::format("{}: cannot create a temporary file beside it: {}", destination.string(), errno_text());
  // mkstemp creates 0600; reports are ordinary files, so give them the usual permissions.
  const mode_t mask = ::umask(0);
  ::umask(mask);
  ::fchmod(fd, static_cast<mode_t>(0666 & ~mask));
  const bool written = write_all(fd, contents) && ::fsync(fd) == 0;
  const std::string write_error = written ? "" : errno_text();
  if (::close(fd) != 0 || !written) {
    ::unlink(temp.c_str());
    return fmt::format("{}: cannot write: {}", destination.string(), write_error.empty() ? errno_text() : write_error);
  }
  if (std::rename(temp.c_str(), destination.c_str()) != 0) {
    const std::string why = errno_text();
    ::unlink(temp.c_str());
    return fmt::format("{}: cannot replace the file: {}", destination.string(), why);
  }
  return {};
}

std::string check_output_destination(const fs::path& destination) {
  std::error_code ec;
  const fs::path folder = folder_of(destination);
  if (!fs::is_directory(folder, ec))
    return fmt::format("{}: folder '{}' does not exist; create it first", destination.string(), folder.string());
  if (fs::is_directory(destination, ec))
    return fmt::format("{}: is a folder; give a file name", destination.string());
  if (::access(folder.c_str(), W_OK) != 0)
    return fmt::format("{}: cannot write into '{}': {}", destination.string(), folder.string(), errno_text());
  return {};
}

}  // namespace gloss::cli
