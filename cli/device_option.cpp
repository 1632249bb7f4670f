#include "device_option.hpp"

#include <fmt/format.h>

#include "device_spec.hpp"
#include "gloss/backend.hpp"
#include "gloss/error.hpp"

namespace gloss::cli {

namespace {

// "cuda:0,2" and "cuda:0,cuda:2" -> cuda:0, cuda:2; anything else -> itself.
std::vector<std::string> split_devices(const std::string& spec) {
  std::vector<std::string> out;
  std::size_t begin = 0;
  while (begin <= spec.size()) {
    const std::size_t end = std::min(spec.find(',', begin), spec.size());
    std::string item = spec.substr(begin, end - begin);
    if (!out.empty() && !item.empty() && item.find_first_not_of("0123456789") == std::string::npos) item = "cuda:" + item;
    out.push_back(item);
    begin = end + 1;
  }
  return out;
}

std::string validate_one(const std::string& spec) {
  try {
    parse_device_spec(spec);
    return {};
  } catch (const Error&) {
    return "expected auto, cpu, reference, reference:SEED, cuda, cuda:N or a list cuda:0,2 (N a device number)";
  }
}

std::vector<std::string> usable_gpus() {
  std::vector<std::string> out;
  for (const BackendInfo& b : list_backends())
    if (b.available && b.name.starts_with("cuda:")) out.push_back(b.name);
  return out;
}

}  // namespace

std::string validate_device(const std::string& spec) {
  const std::vector<std::string> items = split_devices(spec);
  for (const std::string& item : items) {
    if (std::string why = validate_one(item); !why.empty()) return why;
    if (items.size() > 1 && !item.starts_with("cuda:")) return "a device list names CUDA devices only: cuda:0,2";
  }
  return {};
}

std::vector<std::string> expand_devices(const std::string& spec, int cpu_workers) {
  std::vector<std::string> out;
  if (spec == "cpu" || spec.starts_with("reference")) return std::vector<std::string>(std::max(1, cpu_workers), spec);
  if (spec == "auto" || spec == "cuda") {
    out = usable_gpus();
    if (out.empty() && spec == "cuda")
      throw Error("no usable CUDA device here (run `gloss devices`); use --device cpu");
  } else {
    out = split_devices(spec);
  }
  for (int i = 0; i < cpu_workers || out.empty(); ++i) out.push_back("cpu");
  return out;
}

}  // namespace gloss::cli
