// Shards (issue 5): which albums a machine takes, and --shard's K/N, auto and auto/N.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "shard.hpp"

namespace {

using gloss::cli::in_shard;
using gloss::cli::parse_shard;
using gloss::cli::Shard;
using gloss::cli::shard_hash;
using gloss::cli::ShardError;

using Env = std::map<std::string, std::string>;

Shard parse(const std::string& spec, const Env& env = {}) {
  return parse_shard(spec, [&env](const char* name) -> const char* {
    const auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  });
}

// The message of the ShardError `spec` must raise.
std::string error_of(const std::string& spec, const Env& env = {}) {
  try {
    const Shard s = parse(spec, env);
    ADD_FAILURE() << spec << " was accepted as " << gloss::cli::to_string(s);
  } catch (const ShardError& e) {
    return e.what();
  }
  return {};
}

int shard_of(const std::string& identity, int count) {
  int found = 0;
  for (int k = 1; k <= count; ++k)
    if (in_shard(identity, {k, count})) found = found == 0 ? k : -1;
  return found;
}

// A change of the hash would send albums of a running catalog job to other machines; these
// values were computed independently (Python: FNV-1a 64, then the splitmix64 finalizer).
TEST(Shard, AssignmentsAreStable) {
  EXPECT_EQ(shard_hash(""), 0xf52a15e9a9b5e89bULL);
  EXPECT_EQ(shard_hash("catalog/Artist/Album"), 0x49b3a1f3f9bb5e52ULL);
  EXPECT_EQ(shard_hash("Björk/Homogenic"), 0xf5b78f446dc2e1bcULL);
  EXPECT_EQ(shard_hash("Miles Davis/Kind of Blue"), 0x07021e98cffca7fdULL);
  EXPECT_EQ(shard_of("catalog/Artist/Album", 3), 3);
  EXPECT_EQ(shard_of("catalog/Artist/Album", 100), 79);
  EXPECT_EQ(shard_of("Björk/Homogenic", 7), 3);
  EXPECT_EQ(shard_of("Miles Davis/Kind of Blue", 7), 7);
  EXPECT_EQ(shard_of("a", 2), 1);
  EXPECT_EQ(shard_of("b", 2), 2);
}

TEST(Shard, EveryAlbumIsInExactlyOneShard) {
  for (int count = 1; count <= 7; ++count)
    for (int i = 0; i < 500; ++i) {
      const std::string id = "Artist " + std::to_string(i % 17) + "/Album " + std::to_string(i);
      const int k = shard_of(id, count);
      EXPECT_GE(k, 1) << id << " in " << count;
    }
}

TEST(Shard, TenThousandAlbumsSpreadEvenly) {
  for (const int count : {2, 3, 7, 16, 100}) {
    std::vector<int> sizes(static_cast<std::size_t>(count));
    for (int i = 0; i < 10000; ++i) {
      // Similar identities on purpose: a weak hash would cluster them.
      const std::string id = "catalog/Artist " + std::to_string(i / 10) + "/Album " + std::to_string(i % 10);
      for (int k = 1; k <= count; ++k)
        if (in_shard(id, {k, count})) ++sizes[static_cast<std::size_t>(k - 1)];
    }
    const double expected = 10000.0 / count;
    // A binomial count stays within 5 standard deviations of its mean unless the hash is biased.
    const double tolerance = 5 * std::sqrt(expected * (1 - 1.0 / count));
    for (int k = 0; k < count; ++k)
      EXPECT_NEAR(sizes[static_cast<std::size_t>(k)], expected, tolerance) << "shard " << k + 1 << "/" << count;
  }
}

TEST(Shard, ExplicitKOfN) {
  const Shard s = parse("2/8");
  EXPECT_EQ(s.index, 2);
  EXPECT_EQ(s.count, 8);
  EXPECT_EQ(parse("1/1").count, 1);
  EXPECT_EQ(parse("100000/100000").index, 100000);
  EXPECT_EQ(gloss::cli::to_string(parse("3/4")), "3/4");
  for (const char* bad : {"0/4", "5/4", "1/0", "1/100001", "-1/4", "+1/4", "1/+4", "a/4", "2", "", "/", "1/",
                          "/4", " 1/4", "1/4 ", "1.5/4", "99999999999999999999/4", "1/4/2"})
    EXPECT_NE(error_of(bad), "") << bad;
  EXPECT_NE(error_of("5/4").find("1 to 4"), std::string::npos);
}

TEST(Shard, SlurmArrays) {
  const Env one_based = {{"SLURM_ARRAY_TASK_ID", "3"}, {"SLURM_ARRAY_TASK_MIN", "1"},
                         {"SLURM_ARRAY_TASK_MAX", "8"}, {"SLURM_ARRAY_TASK_COUNT", "8"}};
  EXPECT_EQ(parse("auto", one_based).index, 3);
  EXPECT_EQ(parse("auto", one_based).count, 8);
  const Env zero_based = {{"SLURM_ARRAY_TASK_ID", "0"}, {"SLURM_ARRAY_TASK_MIN", "0"}, {"SLURM_ARRAY_TASK_COUNT", "4"}};
  EXPECT_EQ(parse("auto", zero_based).index, 1);
  EXPECT_EQ(parse("auto", zero_based).count, 4);
  const Env offset = {{"SLURM_ARRAY_TASK_ID", "17"}, {"SLURM_ARRAY_TASK_MIN", "10"}, {"SLURM_ARRAY_TASK_COUNT", "8"}};
  EXPECT_EQ(parse("auto", offset).index, 8);
  EXPECT_EQ(parse("auto/8", offset).index, 8);

  EXPECT_NE(error_of("auto/6", offset).find("disagrees"), std::string::npos);
  EXPECT_NE(error_of("auto", {{"SLURM_ARRAY_TASK_ID", "3"}, {"SLURM_ARRAY_TASK_COUNT", "8"}}).find("SLURM_ARRAY_TASK_MIN"),
            std::string::npos);
  EXPECT_NE(error_of("auto", {{"SLURM_ARRAY_TASK_ID", "3"}, {"SLURM_ARRAY_TASK_MIN", "1"}}).find("SLURM_ARRAY_TASK_COUNT"),
            std::string::npos);
  // --array=1-9:2 gives 5 tasks over 1..9: the IDs are not 1..5.
  EXPECT_NE(error_of("auto", {{"SLURM_ARRAY_TASK_ID", "3"}, {"SLURM_ARRAY_TASK_MIN", "1"},
                              {"SLURM_ARRAY_TASK_MAX", "9"}, {"SLURM_ARRAY_TASK_COUNT", "5"}})
                .find("contiguous"),
            std::string::npos);
  EXPECT_NE(error_of("auto", {{"SLURM_ARRAY_TASK_ID", "9"}, {"SLURM_ARRAY_TASK_MIN", "1"}, {"SLURM_ARRAY_TASK_COUNT", "4"}})
                .find("only 4 shards"),
            std::string::npos);
  EXPECT_NE(error_of("auto", {{"SLURM_ARRAY_TASK_ID", "x"}, {"SLURM_ARRAY_TASK_MIN", "1"}}).find("not a whole number"),
            std::string::npos);
  EXPECT_NE(error_of("auto", {{"SLURM_ARRAY_TASK_ID", "0"}, {"SLURM_ARRAY_TASK_MIN", "1"}, {"SLURM_ARRAY_TASK_COUNT", "4"}})
                .find("below"),
            std::string::npos);
}

TEST(Shard, KubernetesIndexedJobs) {
  EXPECT_EQ(parse("auto", {{"JOB_COMPLETION_INDEX", "0"}, {"GLOSS_SHARD_COUNT", "5"}}).index, 1);
  const Shard last = parse("auto", {{"JOB_COMPLETION_INDEX", "4"}, {"GLOSS_SHARD_COUNT", "5"}});
  EXPECT_EQ(last.index, 5);
  EXPECT_EQ(last.count, 5);
  EXPECT_EQ(parse("auto/5", {{"JOB_COMPLETION_INDEX", "2"}}).index, 3);
  EXPECT_NE(error_of("auto", {{"JOB_COMPLETION_INDEX", "2"}}).find("GLOSS_SHARD_COUNT"), std::string::npos);
  EXPECT_NE(error_of("auto", {{"JOB_COMPLETION_INDEX", "5"}, {"GLOSS_SHARD_COUNT", "5"}}).find("only 5 shards"),
            std::string::npos);
  EXPECT_NE(error_of("auto/4", {{"JOB_COMPLETION_INDEX", "1"}, {"GLOSS_SHARD_COUNT", "5"}}).find("disagrees"),
            std::string::npos);
  EXPECT_NE(error_of("auto", {{"JOB_COMPLETION_INDEX", "1"}, {"GLOSS_SHARD_COUNT", "0"}}).find("out of range"),
            std::string::npos);
}

TEST(Shard, AutoNeedsExactlyOneEnvironment) {
  EXPECT_NE(error_of("auto").find("no shard index"), std::string::npos);
  EXPECT_NE(error_of("auto/4").find("no shard index"), std::string::npos);
  EXPECT_NE(error_of("auto", {{"JOB_COMPLETION_INDEX", "0"}, {"GLOSS_SHARD_COUNT", "2"}, {"SLURM_ARRAY_TASK_ID", "1"},
                              {"SLURM_ARRAY_TASK_MIN", "1"}, {"SLURM_ARRAY_TASK_COUNT", "2"}})
                .find("ambiguous"),
            std::string::npos);
  EXPECT_NE(error_of("auto/x", {{"JOB_COMPLETION_INDEX", "0"}}), "");
  EXPECT_NE(error_of("automatic"), "");
}

}  // namespace
