#include "device_spec.hpp"

#include <charconv>
#include <string>

#include "gloss/error.hpp"

namespace gloss {

namespace {

bool parse_number(std::string_view text, int& out) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc() && ptr == end && out >= 0;
}

}  // namespace

DeviceSpec parse_device_spec(std::string_view spec) {
  DeviceSpec d;
  if (spec == "auto") return d;
  if (spec == "cpu") {
    d.kind = DeviceSpec::Kind::Cpu;
    return d;
  }
  if (spec == "reference" || spec.starts_with("reference:")) {
    d.kind = DeviceSpec::Kind::Reference;
    if (spec == "reference") return d;
    int seed = 0;
    if (!parse_number(spec.substr(10), seed))
      throw Error("bad device '" + std::string(spec) + "': expected reference:SEED with SEED a number");
    d.shuffled = true;
    d.shuffle_seed = static_cast<std::uint64_t>(seed);
    return d;
  }
  if (spec == "cuda" || spec.starts_with("cuda:")) {
    d.kind = DeviceSpec::Kind::Cuda;
    if (spec != "cuda" && !parse_number(spec.substr(5), d.cuda_device))
      throw Error("bad device '" + std::string(spec) + "': expected cuda:N with N a device number");
    return d;
  }
  throw Error("unknown device '" + std::string(spec) + "': use auto, cpu, reference, reference:SEED, cuda or cuda:N");
}

}  // namespace gloss
