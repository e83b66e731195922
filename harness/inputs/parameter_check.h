#pragma once
// Checks of a profile's parameters before anything runs: every name is one the built-in
// set or the case declares (else the nearest one is suggested), and every value has the
// declared type and, for the built-in ones, a valid range or word, so a case never meets
// a value its getter would refuse at run time.

#include <string>
#include <vector>

#include "harness/inputs/case_catalog.h"
#include "harness/inputs/diagnostics.h"
#include "harness/inputs/parameters.h"

namespace plugfest::harness {

// Parameters every case may read, with their types.
const std::vector<ParameterDeclaration>& builtin_parameters();

// The built-in parameters and those every case of `catalog` declares (for `defaults`).
std::vector<ParameterDeclaration> all_declared_parameters(const CaseCatalog& catalog);

// Reports, at each value's position, names not allowed by `declared` and values whose
// type or range is wrong. `context` names where they were set ("defaults", "case 'x'").
void check_parameters(const Parameters& parameters,
                      const std::vector<ParameterDeclaration>& declared,
                      const std::string& context, Diagnostics& diagnostics);

}  // namespace plugfest::harness
