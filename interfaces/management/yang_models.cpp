#include "interfaces/management/yang_models.h"

namespace plugfest::management {

std::string_view project_yang_dir() { return PLUGFEST_YANG_DIR; }

const std::vector<ModuleSpec>& oru_modules() {
  static const std::vector<ModuleSpec> modules = {
      {"ietf-netconf", {"writable-running", "xpath"}},
      {"ietf-netconf-acm", {}},
      {"ietf-netconf-monitoring", {}},
      {"notifications", {}},
      {"o-ran-supervision", {}},
  };
  return modules;
}

}  // namespace plugfest::management
