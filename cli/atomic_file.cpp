#include "atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fmt/format.h>
#include <system_error>

#include "interrupt.hpp"

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

std::string open_temp_beside(const fs::path& destination, TempFile& temp) {
  temp.path = (folder_of(destination) / fmt::format(".{}.tmp-XXXXXX", destination.filename().string())).string();
  temp.fd = ::mkstemp(temp.path.data());
  if (temp.fd < 0) return fmt::format("{}: cannot create a temporary file beside it: {}", destination.string(), errno_text());
  temp.slot = register_temporary(temp.path);
  // mkstemp creates 0600; outputs are ordinary files, so give them the usual permissions.
  const mode_t mask = ::umask(0);
  ::umask(mask);
  ::fchmod(temp.fd, static_cast<mode_t>(0666 & ~mask));
  return {};
}

void discard_temp(TempFile& temp) {
  if (temp.fd >= 0) ::close(temp.fd);
  if (!temp.path.empty()) ::unlink(temp.path.c_str());
  unregister_temporary(temp.slot);
  temp = {};
}

std::string commit_temp(TempFile& temp, const fs::path& destination) {
  const bool synced = ::fsync(temp.fd) == 0;
  const std::string sync_error = synced ? "" : errno_text();
  const bool closed = ::close(temp.fd) == 0;
  temp.fd = -1;
  if (!synced || !closed) {
    const std::string why = synced ? errno_text() : sync_error;
    discard_temp(temp);
    return fmt::format("{}: cannot write: {}", destination.string(), why);
  }
  if (std::rename(temp.path.c_str(), destination.c_str()) != 0) {
    const std::string why = errno_text();
    discard_temp(temp);
    return fmt::format("{}: cannot put the file in place: {}", destination.string(), why);
  }
  unregister_temporary(temp.slot);
  temp = {};
  return {};
}

bool is_temp_name(const std::string& name) {
  const std::size_t at = name.rfind(".tmp-");
  return name.size() > 1 && name.front() == '.' && at != std::string::npos && name.size() == at + 11;
}

std::string write_file_atomically(const fs::path& destination, const std::string& contents) {
  TempFile temp;
  if (std::string why = open_temp_beside(destination, temp); !why.empty()) return why;
  if (!write_all(temp.fd, contents)) {
    const std::string why = errno_text();
    discard_temp(temp);
    return fmt::format("{}: cannot write: {}", destination.string(), why);
  }
  return commit_temp(temp, destination);
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

namespace gloss::cli {

void remove_stale_temps(const fs::path& destination) {
  // Built piecewise: GCC 12 warns falsely (-Wrestrict) on "." + string + ".tmp-".
  std::string prefix(1, '.');
  prefix.append(destination.filename().string()).append(".tmp-");
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator(folder_of(destination), ec)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with(prefix) && is_temp_name(name)) fs::remove(entry.path(), ec);
  }
}

}  // namespace gloss::cli
