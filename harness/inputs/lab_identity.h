#pragma once
// The lab that ran the tests, as published results name it (O-RAN results testLab): read
// from a lab file given with `plugfest run --lab LAB.yaml`.
//
//   name: Fjord Interop Lab
//   address: Harbour Road 1, 9000 Example City
//   contacts:
//     - {first_name: Ada, last_name: Lund, email: ada@lab.example, organization: Fjord Labs}

#include <optional>
#include <string>
#include <vector>

#include "harness/inputs/diagnostics.h"

namespace plugfest::harness {

struct LabContact {
  std::string first_name;
  std::string last_name;
  std::string email;
  std::string organization;  // optional
  std::string phone;         // optional
  friend bool operator==(const LabContact&, const LabContact&) = default;
};

struct LabIdentity {
  std::string name;
  std::string address;
  std::vector<LabContact> contacts;  // at least one
  friend bool operator==(const LabIdentity&, const LabIdentity&) = default;
};

// Reads a lab file; every problem is reported at its file:line:col.
std::optional<LabIdentity> load_lab_identity(const std::string& file, Diagnostics& diagnostics);

}  // namespace plugfest::harness
