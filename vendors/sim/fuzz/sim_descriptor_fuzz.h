#pragma once
// What the simulator-descriptor fuzz target does with one input, shared with its corpus
// replay test: read it as plugfest-sim's descriptor and insist that a refusal names the
// file. Aborts when that fails; a crash or a hang is the fuzzer's to find.

#include <cstdlib>
#include <string>
#include <string_view>

#include "interfaces/common/yaml_file.h"
#include "vendors/sim/sim_descriptor.h"

namespace plugfest::sim::fuzz {

inline constexpr const char* kDescriptorName = "/nonexistent-plugfest-fuzz/sim.yaml";

inline void fuzz_sim_descriptor(std::string_view text) {
  auto root = load_yaml_text(text, kDescriptorName);
  if (!root) {
    if (root.error().where.rfind(kDescriptorName, 0) != 0) std::abort();
    return;
  }
  const auto descriptor = sim_descriptor_from_yaml(kDescriptorName, *root);
  if (!descriptor && descriptor.error().where.rfind(kDescriptorName, 0) != 0) std::abort();
}

}  // namespace plugfest::sim::fuzz
