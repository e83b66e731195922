#include "harness/engine/test_case.h"

#include <algorithm>

#include "harness/inputs/applicability.h"

namespace plugfest::harness {

Registry& Registry::instance() {
  static Registry registry;
  return registry;
}

bool Registry::add(TestCase test_case) {
  if (!is_capability_name(test_case.id) || test_case.id.find('@') != std::string::npos) {
    errors_.push_back("test case ID '" + test_case.id + "' is not a dotted name");
    return false;
  }
  if (find(test_case.id) != nullptr) {
    errors_.push_back("test case '" + test_case.id + "' is registered twice");
    return false;
  }
  if (!test_case.run) {
    errors_.push_back("test case '" + test_case.id + "' has no run function");
    return false;
  }
  if (auto rule = Applicability::parse(test_case.requires_capabilities); !rule) {
    errors_.push_back("test case '" + test_case.id + "': " + rule.error().message);
    return false;
  }
  const auto at =
      std::lower_bound(cases_.begin(), cases_.end(), test_case.id,
                       [](const TestCase& c, const std::string& id) { return c.id < id; });
  cases_.insert(at, std::move(test_case));
  return true;
}

const TestCase* Registry::find(const std::string& id) const {
  const auto at =
      std::lower_bound(cases_.begin(), cases_.end(), id,
                       [](const TestCase& c, const std::string& key) { return c.id < key; });
  return at != cases_.end() && at->id == id ? &*at : nullptr;
}

std::vector<const TestCase*> Registry::all() const {
  std::vector<const TestCase*> out;
  for (const auto& c : cases_) out.push_back(&c);
  return out;
}

std::vector<std::string> Registry::ids() const {
  std::vector<std::string> out;
  for (const auto& c : cases_) out.push_back(c.id);
  return out;
}

const std::vector<ParameterDeclaration>* Registry::parameters_of(const std::string& id) const {
  const TestCase* test_case = find(id);
  return test_case == nullptr ? nullptr : &test_case->parameters;
}

bool register_test_case(TestCase test_case) {
  return Registry::instance().add(std::move(test_case));
}

std::string interface_under_test(const TestCase& test_case, adapter::Role role) {
  if (!test_case.interface_under_test.empty()) return test_case.interface_under_test;
  const adapter::Role side =
      test_case.kind == CaseKind::kInteroperability ? adapter::Role::kOru : role;
  return std::string(adapter::to_string(side)) + (test_case.plane == "mplane" ? ".fhm" : ".ofh");
}

}  // namespace plugfest::harness
