#pragma once
// Compiles a device's YANG modules (as fetched with get-schema) in a child process, so a
// module that crashes libyang (libyang 2.1.30 segfaults on the official
// o-ran-performance-management) becomes an Error naming the module, not the end of the
// harness.

#include <map>
#include <string>
#include <vector>

#include "interfaces/common/result.h"

namespace plugfest::management {

// module name -> YANG text, for every module a device serves (imports included).
using ModuleTexts = std::map<std::string, std::string>;

// Loads `implement` (in order) into a fresh libyang context whose only source of modules
// is `texts`. An Error says which module failed and why: libyang's message, or the
// signal that ended the compiling process.
Result<void> compile_in_child(const ModuleTexts& texts, const std::vector<std::string>& implement);

}  // namespace plugfest::management
