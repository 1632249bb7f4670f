#include "device_option.hpp"

namespace gloss::cli {

namespace {

// A number after "PREFIX:" (cuda:N, reference:SEED).
bool numbered(const std::string& spec, const std::string& prefix) {
  const std::size_t n = prefix.size();
  return spec.starts_with(prefix) && spec.size() > n && spec.size() < n + 10 &&
         spec.find_first_not_of("0123456789", n) == std::string::npos;
}

}  // namespace

std::string validate_device(const std::string& spec) {
  if (spec == "auto" || spec == "cpu" || spec == "reference" || spec == "cuda") return {};
  if (numbered(spec, "cuda:") || numbered(spec, "reference:")) return {};
  return "expected auto, cpu, reference, reference:SEED, cuda or cuda:N (N a device number)";
}

}  // namespace gloss::cli
