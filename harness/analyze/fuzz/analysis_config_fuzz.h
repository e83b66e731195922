#pragma once
// What the analysis-config fuzz target does with one input, shared with its corpus replay
// test: read it as an analysis config and insist that a refusal names the file on every
// line. Aborts when that fails; a crash or a hang is the fuzzer's to find.

#include <cstdlib>
#include <sstream>
#include <string>
#include <string_view>

#include "harness/analyze/analysis_config.h"
#include "interfaces/common/yaml_file.h"

namespace plugfest::analyze::fuzz {

inline constexpr const char* kConfigName = "/nonexistent-plugfest-fuzz/lab.yaml";

inline void fuzz_analysis_config(std::string_view text) {
  auto root = load_yaml_text(text, kConfigName);
  if (!root) {
    if (root.error().where.rfind(kConfigName, 0) != 0) std::abort();
    return;
  }
  if (!root->IsMap()) return;
  const auto config = analysis_config_from_yaml(kConfigName, *root);
  if (config.ok()) return;
  std::istringstream lines(config.error().to_string());
  const std::string prefix = std::string("error: ") + kConfigName;
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(prefix, 0) != 0) std::abort();
  }
}

}  // namespace plugfest::analyze::fuzz
