#pragma once
// The test-case catalog: every case the binary knows, registered at start-up from static
// initialisers (harness/cases/<plane>/*.cpp) and read-only afterwards.
//
//   const bool registered = plugfest::harness::register_test_case({
//       .id = "cus.ru.ul.prb-coverage",
//       .title = "UL U-plane covers exactly the requested PRBs",
//       .plane = "cus",
//       .clause = "O-RAN.WG4.CUS 7.2.1",
//       .conformance_test = "O-RAN.WG4.CONF 3.2.3.1.1",
//       .role = plugfest::adapter::Role::kOru,
//       .requires_capabilities = {"section_type.1"},
//       .run = [](plugfest::harness::Context& ctx) { ... ctx.set_verdict(Verdict::kPass); },
//   });

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "harness/inputs/case_catalog.h"
#include "harness/results/verdict.h"
#include "interfaces/adapter/device.h"

namespace plugfest::harness {

class Context;

struct TestCase {
  std::string id{};  // stable: plane.role.area.name, letters, digits, '.', '_' and '-'
  std::string title{};
  std::string plane{};   // cus, mplane, sync, ...
  std::string clause{};  // specification clause, e.g. "O-RAN.WG4.CUS 7.5.2"
  // The conformance test(s) the case implements, e.g. "O-RAN.WG4.CONF 3.1.4.2"; a case
  // that implements several lists them separated by ", ". Empty: none.
  std::string conformance_test{};
  CaseKind kind = CaseKind::kConformance;
  // Conformance: the role of the DUT it tests (nullopt: either). Ignored for
  // interoperability cases, which always take an (O-DU, O-RU) pair.
  std::optional<adapter::Role> role{};
  // The case's own applicability rule (see applicability.h); a profile may add terms.
  std::vector<std::string> requires_capabilities{};
  // O-RAN results interfaceUnderTest ("o-ru.ofh", "o-ru.fhm", ...); derived from role and
  // plane when empty.
  std::string interface_under_test{};
  // Parameters the case reads beyond the built-in ones (dotted names; a name also allows
  // everything under it) with the type its getter wants, so profiles that set them
  // validate and a wrong type is refused before the run: {"signal.power_dbfs",
  // ParameterType::kNumber}.
  std::vector<ParameterDeclaration> parameters{};
  // Default timeout; zero means the profile's or the run's.
  std::chrono::milliseconds timeout{0};
  std::function<void(Context&)> run{};
};

class Registry : public CaseCatalog {
 public:
  // The process-wide catalog.
  static Registry& instance();

  // Adds a case; a malformed or duplicate one is recorded in errors() instead.
  bool add(TestCase test_case);
  const TestCase* find(const std::string& id) const;
  // Sorted by ID.
  std::vector<const TestCase*> all() const;
  std::vector<std::string> ids() const override;
  const std::vector<ParameterDeclaration>* parameters_of(const std::string& id) const override;
  bool empty() const { return cases_.empty(); }
  const std::vector<std::string>& errors() const { return errors_; }

 private:
  std::vector<TestCase> cases_;
  std::vector<std::string> errors_;
};

// Registers into Registry::instance(); for static initialisers.
bool register_test_case(TestCase test_case);

// The interfaceUnderTest of a case run against a DUT of `role` (kind conformance) or a
// pair (interoperability: the O-RU's side).
std::string interface_under_test(const TestCase& test_case, adapter::Role role);

}  // namespace plugfest::harness
