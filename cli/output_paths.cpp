#include "output_paths.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <string_view>
#include <system_error>

namespace gloss::cli {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kMaxComponentBytes = 200;

bool forbidden(unsigned char c) {
  if (c < 0x20 || c == 0x7f) return true;
  constexpr std::string_view kReserved = "<>:\"\\|?*";
  return kReserved.find(static_cast<char>(c)) != std::string_view::npos;
}

char upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

// CON, PRN, AUX, NUL, COM1-9, LPT1-9, alone or before an extension ("nul.txt"), any case.
bool windows_device_name(const std::string& component) {
  std::string stem = component.substr(0, component.find('.'));
  for (char& c : stem) c = upper(c);
  static constexpr std::array<std::string_view, 4> kNames = {"CON", "PRN", "AUX", "NUL"};
  for (std::string_view name : kNames)
    if (stem == name) return true;
  return stem.size() == 4 && (stem.starts_with("COM") || stem.starts_with("LPT")) && stem[3] >= '1' && stem[3] <= '9';
}

void strip_trailing_dots_and_spaces(std::string& s) {
  while (!s.empty() && (s.back() == '.' || s.back() == ' ')) s.pop_back();
}

// Cuts at most kMaxComponentBytes, never inside a UTF-8 sequence (continuation bytes are
// 10xxxxxx), so the result stays valid UTF-8 when the input was.
void limit_length(std::string& s) {
  if (s.size() <= kMaxComponentBytes) return;
  std::size_t end = kMaxComponentBytes;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  s.resize(end);
}

std::string safe_component(std::string_view raw) {
  std::string s;
  s.reserve(raw.size());
  for (char c : raw) s.push_back(forbidden(static_cast<unsigned char>(c)) ? '_' : c);
  strip_trailing_dots_and_spaces(s);
  if (!s.empty() && windows_device_name(s)) s.insert(std::min(s.find('.'), s.size()), 1, '_');  // nul.txt -> nul_.txt
  limit_length(s);
  strip_trailing_dots_and_spaces(s);
  return s;
}

}  // namespace

fs::path sanitize_relative(const std::string& text) {
  fs::path out;
  std::size_t begin = 0;
  while (begin <= text.size()) {
    std::size_t end = text.find('/', begin);
    if (end == std::string::npos) end = text.size();
    const std::string component = safe_component(std::string_view(text).substr(begin, end - begin));
    if (!component.empty()) out /= component;
    begin = end + 1;
  }
  return out;
}

bool stays_inside(const fs::path& candidate, const fs::path& root) {
  std::error_code ec;
  const fs::path real_root = fs::weakly_canonical(fs::absolute(root, ec), ec);
  if (ec) return false;
  const fs::path real = fs::weakly_canonical(fs::absolute(candidate, ec), ec);
  if (ec) return false;
  const fs::path rel = real.lexically_relative(real_root);
  if (rel.empty()) return false;  // different roots, nothing in common
  for (const fs::path& part : rel)
    if (part == "..") return false;
  return true;
}

}  // namespace gloss::cli
