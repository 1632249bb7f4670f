// Splitting a catalog between machines (issue 5): shard K of N takes the albums whose
// identity hashes to K-1 modulo N, so every album lands in exactly one shard, the split does
// not depend on the order or the set of the other albums, and a rerun picks the same albums.
#pragma once

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>

namespace gloss::cli {

struct Shard {
  int index = 1;  // 1-based: K of K/N
  int count = 1;  // N
};

// A --shard value that cannot be used; the message says what is wrong and what to do.
class ShardError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Accepts:
//   K/N     1 <= K <= N <= 100000
//   auto    from the environment: a Slurm job array (SLURM_ARRAY_TASK_ID, _COUNT and _MIN:
//           K = ID - MIN + 1, N = COUNT; the array must have no step or holes, checked with
//           SLURM_ARRAY_TASK_MAX when it is set) or a Kubernetes Indexed Job
//           (JOB_COMPLETION_INDEX, 0-based, with N from GLOSS_SHARD_COUNT)
//   auto/N  N given, K from either environment (a count there must agree with N)
// `getenv` returns the variable's value or nullptr (std::getenv in the program; a map in tests).
Shard parse_shard(const std::string& spec, const std::function<const char*(const char*)>& getenv);

// "K/N", as parse_shard accepts it back.
std::string to_string(Shard shard);

// The album's 64-bit hash: FNV-1a of the identity's bytes, then the splitmix64 finalizer so
// that identities differing in one character spread over all shards.
std::uint64_t shard_hash(const std::string& album_identity);

bool in_shard(const std::string& album_identity, Shard shard);

}  // namespace gloss::cli

#include <vector>

#include "catalog.hpp"
#include "report_json.hpp"  // Json

namespace gloss::cli {

// Catalog positions of the albums in `shard`, in catalog order.
std::vector<std::size_t> albums_in_shard(const Catalog& catalog, Shard shard);

// What a report says about its shard: null for a whole job (1/1), {"index": K, "count": N}.
Json shard_json(Shard shard);

}  // namespace gloss::cli
