#pragma once
// What the profile and vendor-descriptor fuzz targets do with one input, shared with their
// corpus replay test: read it as a file of that kind and insist that every error it gets
// names the file. Aborts when that fails; a crash or a hang is the fuzzer's to find.

#include <cstdlib>
#include <map>
#include <string>
#include <string_view>

#include "harness/inputs/profile.h"
#include "harness/inputs/vendor_descriptor.h"
#include "interfaces/common/yaml_file.h"

namespace plugfest::harness::fuzz {

class FuzzCatalog : public CaseCatalog {
 public:
  std::vector<std::string> ids() const override { return {"cus.ru.prach", "cus.ru.ul.headers"}; }
  const std::vector<ParameterDeclaration>* parameters_of(const std::string& id) const override {
    static const std::vector<ParameterDeclaration> prach = {
        {"prach_window", ParameterType::kInteger}, {"signal", ParameterType::kGroup},
        {"signal.power_dbfs", ParameterType::kNumber}, {"signal.names", ParameterType::kList}};
    static const std::vector<ParameterDeclaration> none;
    if (id == "cus.ru.prach") return &prach;
    if (id == "cus.ru.ul.headers") return &none;
    return nullptr;
  }
};

inline void check_located(const Diagnostics& diagnostics, const std::string& file) {
  for (const auto& e : diagnostics.errors()) {
    if (e.message.empty() || e.where.rfind(file, 0) != 0) std::abort();
  }
}

// Includes resolve against a folder that does not exist, so nothing outside is read.
inline constexpr const char* kProfileName = "/nonexistent-plugfest-fuzz/profile.yaml";
inline constexpr const char* kDescriptorName = "/nonexistent-plugfest-fuzz/descriptor.yaml";

inline void fuzz_profile(std::string_view text) {
  auto root = load_yaml_text(text, kProfileName);
  if (!root) {
    if (root.error().where.rfind(kProfileName, 0) != 0) std::abort();
    return;
  }
  if (!root->IsMap()) return;
  Diagnostics diagnostics;
  const FuzzCatalog catalog;
  const auto profile = load_profile(kProfileName, *root, catalog, diagnostics);
  if (profile.has_value() != diagnostics.ok()) std::abort();
  check_located(diagnostics, kProfileName);
}

inline void fuzz_descriptor(std::string_view text) {
  auto root = load_yaml_text(text, kDescriptorName);
  if (!root) {
    if (root.error().where.rfind(kDescriptorName, 0) != 0) std::abort();
    return;
  }
  if (!root->IsMap()) return;
  Diagnostics diagnostics;
  const auto descriptor = load_vendor_descriptor(kDescriptorName, *root, diagnostics);
  if (descriptor.has_value() != diagnostics.ok()) std::abort();
  check_located(diagnostics, kDescriptorName);
}

}  // namespace plugfest::harness::fuzz
