// Real music for tests: ${GLOSS_SHARED_DIR}/corpus/get-corpus lays out Debian's
// wesnoth-1.16-music (installing the package when it can) as two albums under
// build/corpus: "wesnoth" (41 tracks) and "wesnoth-short" (6 tracks).
#pragma once

#include <filesystem>
#include <string>

namespace gloss::test {

// The corpus root, or an empty path with `why` saying what is missing. Safe to call from
// tests running in parallel (one get-corpus at a time, under a file lock).
std::filesystem::path prepare_corpus(std::string& why);

}  // namespace gloss::test
