// Writing an output file so that it either appears complete or not at all: the text goes to
// a temporary file in the destination folder, is flushed to disk, then renamed over the
// destination. A failure removes the temporary file.
#pragma once

#include <filesystem>
#include <string>

namespace gloss::cli {

// A temporary file beside its destination (".NAME.tmp-XXXXXX", the usual permissions),
// registered so that a second Ctrl-C removes it (interrupt.hpp).
struct TempFile {
  int fd = -1;
  std::string path;
  int slot = -1;  // interrupt registration
};

// Empty on success, else a message naming the destination and the system error.
std::string open_temp_beside(const std::filesystem::path& destination, TempFile& temp);

// Flushes (fsync), closes and renames the temporary over `destination`. Empty on success;
// on failure the temporary is removed and the message names the destination.
std::string commit_temp(TempFile& temp, const std::filesystem::path& destination);

// Closes and removes the temporary (a failed write).
void discard_temp(TempFile& temp);

// True for names open_temp_beside makes: what a killed process may leave behind.
bool is_temp_name(const std::string& file_name);

// Empty on success, else a message naming the file and the system error.
std::string write_file_atomically(const std::filesystem::path& destination, const std::string& contents);

// Empty when `destination` can be created later (its folder exists), else why not; checked
// before a long run so a typo in --json does not throw away hours of work.
std::string check_output_destination(const std::filesystem::path& destination);

}  // namespace gloss::cli

namespace gloss::cli {

// Removes what a killed writer of `destination` left behind (its ".NAME.tmp-XXXXXX" files).
// Only for destinations this process owns: another process may be writing its own.
void remove_stale_temps(const std::filesystem::path& destination);

}  // namespace gloss::cli
