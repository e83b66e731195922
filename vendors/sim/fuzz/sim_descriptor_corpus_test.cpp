// Corpus replay of the simulator-descriptor fuzz target: the shipped descriptors, hostile
// texts and a few hundred deterministic mutants, each read without a crash.
#include <gtest/gtest.h>

#include "interfaces/common/testing/yaml_corpus.h"
#include "vendors/sim/fuzz/sim_descriptor_fuzz.h"

namespace plugfest::sim::fuzz {
namespace {

TEST(SimDescriptorCorpus, ReplaysWithoutCrashing) {
  auto seeds = testing::yaml_files_under(std::string(PLUGFEST_SOURCE_DIR) + "/vendors/descriptors");
  ASSERT_FALSE(seeds.empty());
  seeds.push_back(
      "name: r\nrole: o-ru\nlab:\n  mplane:\n    accounts:\n      - {user: a, password: b, "
      "group: fm-pm}\n  pattern: {tdd: DDDSU, start_prb: 0, num_prbs: 10, prach_every: 2}\n"
      "  timing: {dilation: 100}\nfaults: [ul-late]\n");
  for (auto& text : testing::hostile_yaml()) seeds.push_back(std::move(text));
  const auto corpus = testing::yaml_corpus(seeds, 600);
  for (const auto& text : corpus) fuzz_sim_descriptor(text);
}

}  // namespace
}  // namespace plugfest::sim::fuzz
