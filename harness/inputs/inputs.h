#pragma once
// Inputs of a run: profiles and vendor descriptors read from files and folders, each file
// recognised by its keys, checked together (unique DUT names and profile IDs).

#include <optional>
#include <string>
#include <vector>

#include "harness/inputs/diagnostics.h"
#include "harness/inputs/profile.h"
#include "harness/inputs/vendor_descriptor.h"

namespace plugfest::harness {

struct Inputs {
  std::vector<Profile> profiles;
  std::vector<VendorDescriptor> descriptors;
  // Every file read, includes too, in reading order: the manifest hashes them.
  std::vector<std::string> files;
};

// Reads `paths` (a folder stands for its *.yaml and *.yml files, sorted by name). Nothing
// is returned when any input is bad; every problem is in `diagnostics`.
std::optional<Inputs> load_inputs(const std::vector<std::string>& paths, const CaseCatalog& catalog,
                                  Diagnostics& diagnostics);

enum class InputKind { kProfile, kDescriptor, kUnknown };
// Profile keys (cases, defaults, specification, include) or descriptor keys (role,
// capabilities, command, address, lab, faults) decide.
InputKind classify(const YAML::Node& root);

}  // namespace plugfest::harness
