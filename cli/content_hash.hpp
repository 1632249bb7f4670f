// SHA-256 of a file's bytes (OpenSSL), for provenance: a label can check that a master in
// its archive is the file gloss wrote, made from the input it names.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace gloss::cli {

// Lower-case hex digest, or nothing when the file cannot be read (`error` says why).
std::optional<std::string> sha256_of_file(const std::filesystem::path& path, std::string& error);

}  // namespace gloss::cli

namespace gloss::cli {

// Lower-case hex SHA-256 of `bytes` (settings hashes: the journal's key).
std::string sha256_of_text(const std::string& bytes);

}  // namespace gloss::cli
