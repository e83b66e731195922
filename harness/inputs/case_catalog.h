#pragma once
// What the input readers need to know of the test-case catalog: which case IDs exist and
// which parameters each declares, with their types. The engine's Registry is the catalog
// of a real binary.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace plugfest::harness {

// The type a parameter's value must have: what the typed getter of Parameters that the
// case calls accepts (get_int, get_double, get_string, get_bool, get_list). kGroup names
// a mapping of members; kAny is not checked.
enum class ParameterType : std::uint8_t { kAny, kInteger, kNumber, kString, kBool, kList, kGroup };

// One declared parameter: a dotted name ("signal.power_dbfs") and its type. A name also
// allows every name under it ("signal" allows "signal.pattern").
struct ParameterDeclaration {
  std::string name;
  ParameterType type = ParameterType::kAny;

  ParameterDeclaration(std::string n, ParameterType t = ParameterType::kAny)  // NOLINT
      : name(std::move(n)), type(t) {}
  ParameterDeclaration(const char* n, ParameterType t = ParameterType::kAny)  // NOLINT
      : name(n), type(t) {}
};

class CaseCatalog {
 public:
  virtual ~CaseCatalog() = default;
  // Every case ID, sorted.
  virtual std::vector<std::string> ids() const = 0;
  // The parameters a case reads beyond the built-in ones; nullptr when no such case.
  virtual const std::vector<ParameterDeclaration>* parameters_of(const std::string& id) const = 0;
};

}  // namespace plugfest::harness
