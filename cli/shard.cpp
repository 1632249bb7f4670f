#include "shard.hpp"

#include <charconv>
#include <fmt/format.h>
#include <optional>
#include <string_view>
#include <system_error>

#include "gloss/fingerprint.hpp"

namespace gloss::cli {

namespace {

constexpr long long kMaxShards = 100000;

// A plain decimal number (digits only: no sign, no spaces), or nullopt.
std::optional<long long> parse_number(std::string_view text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  long long value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.front() == '-' || text.front() == '+')
    return std::nullopt;
  return value;
}

// An environment variable that must be a number when it is set.
std::optional<long long> env_number(const std::function<const char*(const char*)>& getenv, const char* name) {
  const char* value = getenv(name);
  if (value == nullptr) return std::nullopt;
  const std::optional<long long> n = parse_number(value);
  if (!n) throw ShardError(fmt::format("--shard auto: {}='{}' is not a whole number; check the job's environment", name, value));
  return n;
}

void check_count(long long count, const std::string& where) {
  if (count < 1 || count > kMaxShards)
    throw ShardError(fmt::format("--shard: {} shards ({}) is out of range; use 1 to {}", count, where, kMaxShards));
}

struct EnvShard {
  long long index;                 // 1-based
  std::optional<long long> count;  // when the environment says
  std::string source;              // for messages
};

std::optional<EnvShard> from_slurm(const std::function<const char*(const char*)>& getenv) {
  const std::optional<long long> id = env_number(getenv, "SLURM_ARRAY_TASK_ID");
  if (!id) return std::nullopt;
  const std::optional<long long> min = env_number(getenv, "SLURM_ARRAY_TASK_MIN");
  const std::optional<long long> max = env_number(getenv, "SLURM_ARRAY_TASK_MAX");
  const std::optional<long long> count = env_number(getenv, "SLURM_ARRAY_TASK_COUNT");
  if (!min)
    throw ShardError(
        "--shard auto: SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_MIN is not, so the first task is unknown; "
        "run inside a Slurm job array (sbatch --array) or give --shard K/N");
  if (*id < *min)
    throw ShardError(fmt::format("--shard auto: SLURM_ARRAY_TASK_ID={} is below SLURM_ARRAY_TASK_MIN={}; check the job's environment",
                                 *id, *min));
  if (count && max && *max - *min + 1 != *count)
    throw ShardError(fmt::format(
        "--shard auto: the Slurm array {}-{} has {} tasks, not {} contiguous ones (a step or a list like 1,4,9); "
        "use a contiguous array (--array=1-N) or give --shard K/N in each task",
        *min, *max, *count, *max - *min + 1));
  return EnvShard{*id - *min + 1, count, fmt::format("SLURM_ARRAY_TASK_ID={} (first task {})", *id, *min)};
}

std::optional<EnvShard> from_kubernetes(const std::function<const char*(const char*)>& getenv) {
  const std::optional<long long> index = env_number(getenv, "JOB_COMPLETION_INDEX");
  if (!index) return std::nullopt;
  return EnvShard{*index + 1, env_number(getenv, "GLOSS_SHARD_COUNT"), fmt::format("JOB_COMPLETION_INDEX={}", *index)};
}

Shard from_environment(const std::optional<long long>& given_count,
                       const std::function<const char*(const char*)>& getenv) {
  const std::optional<EnvShard> slurm = from_slurm(getenv);
  const std::optional<EnvShard> kube = from_kubernetes(getenv);
  if (slurm && kube)
    throw ShardError(
        "--shard auto: both a Slurm array task (SLURM_ARRAY_TASK_ID) and a Kubernetes index (JOB_COMPLETION_INDEX) "
        "are set, so the shard is ambiguous; unset one or give --shard K/N");
  if (!slurm && !kube)
    throw ShardError(
        "--shard auto: no shard index in the environment (neither SLURM_ARRAY_TASK_ID of a Slurm job array nor "
        "JOB_COMPLETION_INDEX of a Kubernetes Indexed Job); give --shard K/N");
  const EnvShard& env = slurm ? *slurm : *kube;
  const char* count_name = slurm ? "SLURM_ARRAY_TASK_COUNT" : "GLOSS_SHARD_COUNT";
  long long count = 0;
  if (given_count) {
    if (env.count && *env.count != *given_count)
      throw ShardError(fmt::format("--shard auto/{}: {}={} disagrees with the {} shards asked for; fix one of them",
                                   *given_count, count_name, *env.count, *given_count));
    count = *given_count;
  } else if (env.count) {
    count = *env.count;
  } else {
    throw ShardError(fmt::format("--shard auto: {} is set but {} is not, so the number of shards is unknown; set {} or "
                                 "give --shard auto/N",
                                 env.source, count_name, count_name));
  }
  check_count(count, count_name);
  if (env.index > count)
    throw ShardError(fmt::format("--shard auto: {} is shard {} but there are only {} shards; check {} and the job's size",
                                 env.source, env.index, count, count_name));
  return Shard{static_cast<int>(env.index), static_cast<int>(count)};
}

}  // namespace

Shard parse_shard(const std::string& spec, const std::function<const char*(const char*)>& getenv) {
  const std::size_t slash = spec.find('/');
  const std::string_view first = std::string_view(spec).substr(0, slash);
  std::optional<long long> count;
  if (slash != std::string::npos) {
    count = parse_number(std::string_view(spec).substr(slash + 1));
    if (!count)
      throw ShardError(fmt::format("--shard {}: '{}' is not a number of shards; write K/N (like 2/8), auto or auto/N",
                                   spec, spec.substr(slash + 1)));
    check_count(*count, spec);
  }
  if (first == "auto") return from_environment(count, getenv);
  if (!count) throw ShardError(fmt::format("--shard {}: write K/N (like 2/8: the second of eight), auto or auto/N", spec));
  const std::optional<long long> index = parse_number(first);
  if (!index || *index < 1 || *index > *count)
    throw ShardError(fmt::format("--shard {}: the shard number must be 1 to {}", spec, *count));
  return Shard{static_cast<int>(*index), static_cast<int>(*count)};
}

std::string to_string(Shard shard) { return fmt::format("{}/{}", shard.index, shard.count); }

std::uint64_t shard_hash(const std::string& album_identity) {
  std::uint64_t z = fnv1a(album_identity);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

bool in_shard(const std::string& album_identity, Shard shard) {
  return shard_hash(album_identity) % static_cast<std::uint64_t>(shard.count) ==
         static_cast<std::uint64_t>(shard.index - 1);
}

}  // namespace gloss::cli

namespace gloss::cli {

std::vector<std::size_t> albums_in_shard(const Catalog& catalog, Shard shard) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < catalog.albums.size(); ++i)
    if (in_shard(catalog.albums[i].identity, shard)) out.push_back(i);
  return out;
}

Json shard_json(Shard shard) {
  if (shard.count == 1) return nullptr;
  return Json{{"index", shard.index}, {"count", shard.count}};
}

}  // namespace gloss::cli
