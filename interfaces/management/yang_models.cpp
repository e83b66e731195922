#include "interfaces/management/yang_models.h"

namespace plugfest::management {

std::string_view project_yang_dir() { return PLUGFEST_YANG_DIR; }

const std::vector<ModuleSpec>& oru_modules() {
  static const std::vector<ModuleSpec> modules = {
      {"ietf-netconf", {"writable-running", "xpath"}},
      {"ietf-netconf-acm", {}},
      {"ietf-netconf-monitoring", {}},
      {"notifications", {}},
      {"iana-hardware", {}},
      {"ietf-hardware", {"hardware-state"}},
      {"o-ran-hardware", {}},
      {"ietf-interfaces", {}},
      {"iana-if-type", {}},
      {"o-ran-interfaces", {}},
      {"o-ran-processing-element", {}},
      {"o-ran-module-cap", {}},
      {"o-ran-uplane-conf", {}},
      {"o-ran-fm", {}},
      {"o-ran-software-management", {}},
      {"o-ran-usermgmt", {}},
      {"o-ran-operations", {}},
      {"o-ran-supervision", {}},
      {"o-ran-performance-management", {}},
  };
  return modules;
}

}  // namespace plugfest::management
