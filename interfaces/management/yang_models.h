#pragma once
// Where the project's own YANG models live (interfaces/management/yang), and which of
// them the simulated O-RU implements.

#include <string>
#include <string_view>
#include <vector>

namespace plugfest::management {

std::string_view project_yang_dir();

struct ModuleSpec {
  std::string name;
  std::vector<std::string> features;
};

// The modules an O-RU implementing the project's models loads, in load order.
const std::vector<ModuleSpec>& oru_modules();

}  // namespace plugfest::management
