// ASCII-only case changes for names gloss compares or writes (extensions, manifest columns,
// tag names): locale-independent, bytes outside A-Z / a-z left alone (UTF-8 stays intact).
#pragma once

#include <string>

namespace gloss::cli {

inline std::string ascii_lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

inline std::string ascii_upper(std::string s) {
  for (char& c : s)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return s;
}

}  // namespace gloss::cli
