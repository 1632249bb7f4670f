#include "natural_order.hpp"

#include <cstddef>

namespace gloss::cli {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
char fold(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// Compares the digit runs starting at a[i] and b[j]; advances i and j past them.
// Returns <0, 0 or >0. Numeric value first (by length without leading zeros, then digits).
int compare_numbers(std::string_view a, std::size_t& i, std::string_view b, std::size_t& j) {
  auto run = [](std::string_view s, std::size_t& k, std::size_t& zeros) {
    const std::size_t start = k;
    while (k < s.size() && s[k] == '0') ++k;
    zeros = k - start;
    const std::size_t digits = k;
    while (k < s.size() && is_digit(s[k])) ++k;
    return s.substr(digits, k - digits);
  };
  std::size_t zeros_a = 0, zeros_b = 0;
  const std::string_view na = run(a, i, zeros_a), nb = run(b, j, zeros_b);
  if (na.size() != nb.size()) return na.size() < nb.size() ? -1 : 1;
  if (const int c = na.compare(nb); c != 0) return c;
  if (zeros_a != zeros_b) return zeros_a < zeros_b ? -1 : 1;
  return 0;
}

}  // namespace

bool natural_less(std::string_view a, std::string_view b) {
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (is_digit(a[i]) && is_digit(b[j])) {
      if (const int c = compare_numbers(a, i, b, j); c != 0) return c < 0;
      continue;
    }
    const char ca = fold(a[i]), cb = fold(b[j]);
    if (ca != cb) return static_cast<unsigned char>(ca) < static_cast<unsigned char>(cb);
    ++i;
    ++j;
  }
  if ((i < a.size()) != (j < b.size())) return j < b.size();  // the prefix sorts first
  return a < b;
}

}  // namespace gloss::cli
