#include "number_format.hpp"

#include <cmath>
#include <fmt/format.h>

namespace gloss::cli {

namespace {
double power_of_ten(int decimals) {
  double p = 1;
  for (int i = 0; i < decimals; ++i) p *= 10;  // exact for the small powers used here
  return p;
}
}  // namespace

double round_to(double v, int decimals) {
  if (!std::isfinite(v)) return v;
  const double p = power_of_ten(decimals);
  const double r = std::round(v * p) / p;
  return r == 0 ? 0.0 : r;
}

std::string fixed(double v, int decimals) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v < 0 ? "-inf" : "inf";
  return fmt::format("{:.{}f}", round_to(v, decimals), decimals);
}

std::string fixed(const std::optional<double>& v, int decimals, const std::string& none) {
  return v ? fixed(*v, decimals) : none;
}

}  // namespace gloss::cli
