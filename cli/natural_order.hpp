// Natural ordering of names: digit runs compare as numbers, so "2-x" sorts before "10-x".
#pragma once

#include <string_view>

namespace gloss::cli {

// Strict weak order: digit runs by value (leading zeros ignored, then fewer zeros first),
// other characters ASCII case-insensitively, and finally plain byte order so that distinct
// names never compare equal (the order is total and reproducible).
bool natural_less(std::string_view a, std::string_view b);

}  // namespace gloss::cli
