#pragma once
// What a device under test is and claims: the domain types test cases and the harness
// see, independent of the adapter protocol's generated types.

#include <set>
#include <string>
#include <string_view>

namespace plugfest::adapter {

enum class Role { kOru, kOdu };

inline std::string_view to_string(Role role) { return role == Role::kOru ? "o-ru" : "o-du"; }

// Capabilities (the PICS) as a set of dotted names, for example "section_type.3",
// "compression.bfp.9", "extension.11", "mplane.call-home". Applicability rules of test
// cases are written over these names.
class Capabilities {
 public:
  Capabilities() = default;
  Capabilities(std::initializer_list<std::string> names) : names_(names) {}

  void add(std::string name) { names_.insert(std::move(name)); }
  bool has(std::string_view name) const { return names_.find(name) != names_.end(); }
  bool empty() const { return names_.empty(); }
  const std::set<std::string, std::less<>>& names() const { return names_; }

  friend bool operator==(const Capabilities&, const Capabilities&) = default;

 private:
  std::set<std::string, std::less<>> names_;
};

// What an adapter says about its device (adapter protocol Describe).
struct DeviceDescription {
  std::string vendor;
  std::string model;
  std::string serial;
  std::string software_version;
  Role role = Role::kOru;
  Capabilities capabilities;

  friend bool operator==(const DeviceDescription&, const DeviceDescription&) = default;
};

}  // namespace plugfest::adapter
