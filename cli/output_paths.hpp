// Where a master may be written (issue 7): album output places come from manifest ids and
// tags, i.e. from text a user (or a stranger's file) wrote, so they are made safe before use.
#pragma once

#include <filesystem>
#include <string>

namespace gloss::cli {

// A relative path made of the usable parts of `text`, safe to join under an output root on
// Linux, macOS and Windows:
//  - '/' separates components, so an absolute root or a leading '/' just disappears;
//  - empty, "." and ".." components are dropped (trailing dots and spaces are stripped from
//    every component, so ".." is empty);
//  - control characters and <>:"\|?* become '_', so a backslash or a drive letter "C:" is
//    never a separator or a root;
//  - Windows device names (CON, NUL, COM1, ...) get a '_' after the name (nul.txt -> nul_.txt);
//  - each component is cut to 200 bytes at a UTF-8 character boundary.
// Returns an empty path when nothing usable remains ("../..", "").
std::filesystem::path sanitize_relative(const std::string& text);

// True when `candidate` is `root` or lies under it once the symlinks of the part of
// `candidate` that exists are resolved: a folder inside the root that links outside it is
// caught, a path that does not exist yet is judged by its text.
bool stays_inside(const std::filesystem::path& candidate, const std::filesystem::path& root);

}  // namespace gloss::cli
