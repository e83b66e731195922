// The M-plane fault x case matrix end to end: the O-RU M-plane profile runs through
// run_plan and the adapter connector against plugfest-sim processes launched from
// descriptors (the shipped reference O-RU, and one variant of it per M-plane fault), each
// reaching its NETCONF server at the endpoint its adapter answered in PrepareSession.
// The conformant O-RU passes every case; each fault fails exactly the cases it should and
// at least one. The matrix is printed.

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>

#include "harness/engine/adapter_connector.h"
#include "harness/inputs/inputs.h"
#include "harness/engine/run.h"
#include "interfaces/common/testing/temp_dir.h"

namespace plugfest::harness {
namespace {

namespace fs = std::filesystem;

// What each fault must do to the suite; cases not named must pass.
const std::map<std::string, std::map<std::string, Verdict>>& expected_matrix() {
  static const std::map<std::string, std::map<std::string, Verdict>> expected = {
      {"reference-ru", {}},
      {"wrong-credentials-accepted", {{"mplane.ru.ssh-invalid-credentials", Verdict::kFail}}},
      {"call-home-ignored", {{"mplane.ru.call-home", Verdict::kFail}}},
      // Without notifications the alarm case sees no alarm-notif either.
      {"subscription-refused",
       {{"mplane.ru.subscription", Verdict::kFail}, {"mplane.ru.alarms", Verdict::kFail}}},
      // No :notification:1.0 in <hello>: the cases that subscribe fail on the capability;
      // the watchdog cases, which subscribe only where it is offered, still pass.
      {"notification-not-advertised",
       {{"mplane.ru.subscription", Verdict::kFail}, {"mplane.ru.alarms", Verdict::kFail}}},
      {"next-update-at-stale", {{"mplane.ru.supervision", Verdict::kFail}}},
      // No expiry, so no alarm to notify or to read.
      {"watchdog-ignored",
       {{"mplane.ru.supervision-expiry", Verdict::kFail},
        {"mplane.ru.alarms", Verdict::kInconclusive},
        {"mplane.ru.access-control", Verdict::kInconclusive}}},
      {"missing-mandatory-module", {{"mplane.ru.retrieval", Verdict::kFail}}},
      {"subtree-filter-ignored", {{"mplane.ru.retrieval-filtered", Verdict::kFail}}},
      {"alarm-never-raised",
       {{"mplane.ru.alarms", Verdict::kFail},
        {"mplane.ru.access-control", Verdict::kInconclusive}}},
      {"fm-read-denied", {{"mplane.ru.access-control", Verdict::kFail}}},
      {"role-escalation-allowed", {{"mplane.ru.access-control-negative", Verdict::kFail}}},
      {"invalid-edit-accepted", {{"mplane.ru.configurability", Verdict::kFail}}},
      {"duplicate-eaxc-accepted", {{"mplane.ru.duplicate-eaxc", Verdict::kFail}}},
      {"no-software-slots", {{"mplane.ru.software-inventory", Verdict::kFail}}},
      // Without a writable datastore nothing can be configured: every case that
      // configures fails, naming the capability.
      {"writable-running-not-advertised",
       {{"mplane.ru.ssh-handshake", Verdict::kFail},
        {"mplane.ru.access-control", Verdict::kFail},
        {"mplane.ru.access-control-negative", Verdict::kFail},
        {"mplane.ru.alarms", Verdict::kFail},
        {"mplane.ru.configurability", Verdict::kFail},
        {"mplane.ru.duplicate-eaxc", Verdict::kFail},
        {"mplane.ru.supervision-expiry", Verdict::kFail}}},
      // The negative control of every case: a server that refuses every operation.
      {"refuse-all-rpcs",
       {{"mplane.ru.ssh-handshake", Verdict::kFail},
        {"mplane.ru.ssh-invalid-credentials", Verdict::kInconclusive},
        {"mplane.ru.call-home", Verdict::kFail},
        {"mplane.ru.subscription", Verdict::kFail},
        {"mplane.ru.supervision", Verdict::kFail},
        {"mplane.ru.supervision-expiry", Verdict::kFail},
        {"mplane.ru.retrieval", Verdict::kFail},
        {"mplane.ru.retrieval-filtered", Verdict::kFail},
        {"mplane.ru.alarms", Verdict::kFail},
        {"mplane.ru.access-control", Verdict::kFail},
        {"mplane.ru.access-control-negative", Verdict::kFail},
        {"mplane.ru.configurability", Verdict::kFail},
        {"mplane.ru.duplicate-eaxc", Verdict::kFail},
        {"mplane.ru.software-inventory", Verdict::kFail}}},
  };
  return expected;
}

// A copy of the reference O-RU descriptor named after `fault`, with only that fault.
std::string variant(const plugfest::testing::TempDir& dir, const std::string& reference,
                    const std::string& fault) {
  std::ifstream in(reference);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto name_at = text.find("\nname: ");
  text.replace(name_at, text.find('\n', name_at + 1) - name_at, "\nname: " + fault);
  text = text.substr(0, text.find("\nfaults:")) + "\nfaults: [" + fault + "]\n";
  const std::string file = fault + ".yaml";
  const std::string original = fs::path(reference).filename().string();
  text.replace(text.find(original), original.size(), file);
  return dir.write(file, text);
}

TEST(MplaneProcessMatrix, ReferencePassesAndEachFaultFailsExactlyItsCases) {
  const fs::path root = PLUGFEST_SOURCE_DIR;
  plugfest::testing::TempDir dir;
  const std::string reference = (root / "vendors/descriptors/reference-o-ru.yaml").string();
  std::vector<std::string> paths = {(root / "profiles/o-ru-mplane-conformance.yaml").string(),
                                    reference};
  for (const auto& [fault, cases] : expected_matrix()) {
    if (fault != "reference-ru") paths.push_back(variant(dir, reference, fault));
  }
  // The descriptors launch `plugfest-sim` from PATH.
  const std::string path = fs::path(PLUGFEST_SIM).parent_path().string() + ":" + getenv("PATH");
  setenv("PATH", path.c_str(), 1);

  Diagnostics diagnostics;
  auto inputs = load_inputs(paths, Registry::instance(), diagnostics);
  ASSERT_TRUE(inputs) << diagnostics.to_string();
  auto connector = make_adapter_connector();
  RunOptions options;
  options.results_dir = dir.path() / "results";
  options.run_id = "mplane-matrix";
  options.jobs = 4;  // the cases mostly wait on timers: more workers than cores is fine
  auto outcome = run_plan(*inputs, connector.get(), Registry::instance(), options);
  ASSERT_TRUE(outcome) << outcome.error().to_string();

  std::map<std::string, std::map<std::string, const ItemResult*>> matrix;  // case -> DUT
  for (const auto& result : outcome->results) matrix[result.case_id][result.dut_label()] = &result;
  ASSERT_EQ(matrix.size(), 14u);

  // Rows: the DUTs (a fault each, reference-ru none); columns: the cases, numbered.
  std::cout << "M-plane fault x case matrix (. pass, F fail, i inconclusive, E error):\n";
  int number = 0;
  for (const auto& [case_id, by_dut] : matrix)
    std::cout << "  " << ++number << " " << case_id << "\n";
  std::cout << std::string(35, ' ');
  for (int i = 1; i <= number; ++i) std::cout << (i < 10 ? "  " : " ") << i;
  std::cout << "\n";
  std::map<std::string, int> failed_per_case;
  for (const auto& [dut, expected_cases] : expected_matrix()) {
    std::cout << "  " << dut << std::string(33 - std::min<std::size_t>(33, dut.size()), ' ');
    int failed = 0;
    for (const auto& [case_id, by_dut] : matrix) {
      auto found = by_dut.find(dut);
      ASSERT_NE(found, by_dut.end()) << case_id << " did not run against " << dut;
      const ItemResult& result = *found->second;
      auto want = expected_cases.find(case_id);
      const Verdict expected = want == expected_cases.end() ? Verdict::kPass : want->second;
      EXPECT_EQ(result.verdict, expected)
          << dut << " / " << case_id << ": " << to_string(result.verdict) << " " << result.reason
          << (result.findings.empty() ? "" : ": " + result.findings.front().message);
      if (result.verdict == Verdict::kFail) {
        ++failed;
        ++failed_per_case[case_id];
        EXPECT_FALSE(result.findings.empty()) << dut << " / " << case_id;
      }
      EXPECT_FALSE(result.artifacts.empty()) << dut << " / " << case_id << ": no evidence";
      const char* cell = result.verdict == Verdict::kPass           ? "."
                         : result.verdict == Verdict::kFail         ? "F"
                         : result.verdict == Verdict::kInconclusive ? "i"
                                                                    : "E";
      std::cout << "  " << cell;
    }
    std::cout << "\n";
    if (dut != "reference-ru") {
      EXPECT_GE(failed, 1) << dut << " fails no case";
    }
  }
  // Every case but the handshake has a negative control among the faults.
  for (const auto& [case_id, by_dut] : matrix) {
    if (case_id != "mplane.ru.ssh-handshake") {
      EXPECT_GE(failed_per_case[case_id], 1) << case_id << " fails on no fault";
    }
  }
}

}  // namespace
}  // namespace plugfest::harness
