#include "harness/inputs/inputs.h"

#include <algorithm>
#include <filesystem>
#include <map>

namespace plugfest::harness {
namespace fs = std::filesystem;

InputKind classify(const YAML::Node& root) {
  if (!root.IsMap()) return InputKind::kUnknown;
  for (const char* key : {"cases", "defaults", "specification", "include"}) {
    if (root[key]) return InputKind::kProfile;
  }
  for (const char* key : {"role", "capabilities", "command", "address", "lab", "faults", "tls"}) {
    if (root[key]) return InputKind::kDescriptor;
  }
  return InputKind::kUnknown;
}

namespace {

std::vector<std::string> expand(const std::vector<std::string>& paths, Diagnostics& diagnostics) {
  std::vector<std::string> files;
  for (const auto& path : paths) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      std::vector<std::string> found;
      for (const auto& entry : fs::directory_iterator(path, ec)) {
        const auto ext = entry.path().extension();
        if (entry.is_regular_file() && (ext == ".yaml" || ext == ".yml")) {
          found.push_back(entry.path().string());
        }
      }
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::exists(path, ec)) {
      files.push_back(path);
    } else {
      diagnostics.add(path, "no such file or folder");
    }
  }
  return files;
}

}  // namespace

std::optional<Inputs> load_inputs(const std::vector<std::string>& paths, const CaseCatalog& catalog,
                                  Diagnostics& diagnostics) {
  Diagnostics local;
  Inputs inputs;
  std::map<std::string, std::string> dut_names;
  std::map<std::string, std::string> profile_ids;
  for (const auto& file : expand(paths, local)) {
    YAML::Node root;
    if (!parse_yaml_file(file, root, local)) continue;
    inputs.files.push_back(file);
    switch (classify(root)) {
      case InputKind::kProfile: {
        auto profile = load_profile(file, root, catalog, local);
        if (!profile) break;
        inputs.files.insert(inputs.files.end(), profile->included_files.begin(),
                            profile->included_files.end());
        if (const auto [it, fresh] = profile_ids.emplace(profile->id, file); !fresh) {
          local.add(file, "profile ID '" + profile->id + "' is also used by " + it->second);
          break;
        }
        inputs.profiles.push_back(std::move(*profile));
        break;
      }
      case InputKind::kDescriptor: {
        auto descriptor = load_vendor_descriptor(file, root, local);
        if (!descriptor) break;
        if (const auto [it, fresh] = dut_names.emplace(descriptor->name, file); !fresh) {
          local.add(file, "DUT name '" + descriptor->name + "' is also used by " + it->second);
          break;
        }
        inputs.descriptors.push_back(std::move(*descriptor));
        break;
      }
      case InputKind::kUnknown:
        local.add(where(file, root),
                  "neither a profile (cases, defaults, specification, include) nor a vendor "
                  "descriptor (role, capabilities, command, address, lab, faults)");
        break;
    }
  }
  const bool ok = local.ok();
  diagnostics.append(local);
  if (!ok) return std::nullopt;
  return inputs;
}

}  // namespace plugfest::harness
