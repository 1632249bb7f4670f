// Writing an output file so that it either appears complete or not at all: the text goes to
// a temporary file in the destination folder, is flushed to disk, then renamed over the
// destination. A failure removes the temporary file.
#pragma once

#include <filesystem>
#include <string>

namespace gloss::cli {

// Empty on success, else a message naming the file and the system error.
std::string write_file_atomically(const std::filesystem::path& destination, const std::string& contents);

// Empty when `destination` can be created later (its folder exists), else why not; checked
// before a long run so a typo in --json does not throw away hours of work.
std::string check_output_destination(const std::filesystem::path& destination);

}  // namespace gloss::cli
