// Corpus replay of the profile and descriptor fuzz targets: the shipped files, hostile
// texts and a few hundred deterministic mutants of them, each read without a crash and
// with every error naming the file.
#include <gtest/gtest.h>

#include "harness/inputs/fuzz/inputs_fuzz.h"
#include "interfaces/common/testing/yaml_corpus.h"

namespace plugfest::harness::fuzz {
namespace {

std::vector<std::string> seeds(const char* folder) {
  auto out = testing::yaml_files_under(std::string(PLUGFEST_SOURCE_DIR) + "/" + folder);
  for (auto& text : testing::hostile_yaml()) out.push_back(std::move(text));
  return out;
}

TEST(InputsCorpus, ProfilesReplayWithoutCrashing) {
  const auto corpus = testing::yaml_corpus(seeds("profiles"), 600);
  ASSERT_GT(corpus.size(), 600u);
  for (const auto& text : corpus) fuzz_profile(text);
}

TEST(InputsCorpus, DescriptorsReplayWithoutCrashing) {
  const auto corpus = testing::yaml_corpus(seeds("vendors/descriptors"), 600);
  ASSERT_GT(corpus.size(), 600u);
  for (const auto& text : corpus) fuzz_descriptor(text);
}

}  // namespace
}  // namespace plugfest::harness::fuzz
