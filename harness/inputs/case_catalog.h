#pragma once
// What the input readers need to know of the test-case catalog: which case IDs exist and
// which parameters each declares. The engine's Registry is the catalog of a real binary.

#include <string>
#include <vector>

namespace plugfest::harness {

class CaseCatalog {
 public:
  virtual ~CaseCatalog() = default;
  // Every case ID, sorted.
  virtual std::vector<std::string> ids() const = 0;
  // The parameters a case reads beyond the built-in ones; nullptr when no such case.
  virtual const std::vector<std::string>* parameters_of(const std::string& id) const = 0;
};

}  // namespace plugfest::harness
