// The M-plane suite against the simulated O-RU's NETCONF server over real SSH: every case
// passes against the conformant server, and each injected fault fails exactly its cases.

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>
#include <string>

#include "harness/context.h"
#include "harness/test_case.h"
#include "vendors/sim/mplane/mplane_server.h"

namespace plugfest::harness {
namespace {

using sim::MplaneFault;

void set(Parameters& parameters, const std::string& name, const std::string& value) {
  parameters.set(name, ParameterValue{YAML::Node(value), "test"});
}

std::map<std::string, Verdict> run_suite(const std::set<MplaneFault>& faults,
                                         const std::filesystem::path& results) {
  sim::MplaneServerConfig config;
  config.users = {{"oru-admin", "admin-secret", "", "sudo"}, {"oru-fm", "fm-secret", "", "fm-pm"}};
  config.faults = faults;
  auto server = sim::MplaneServer::start(std::move(config));
  EXPECT_TRUE(server.ok()) << server.error().to_string();
  if (!server.ok()) return {};

  VendorDescriptor descriptor;
  set(descriptor.lab, "mplane.host", "127.0.0.1");
  set(descriptor.lab, "mplane.port", std::to_string((*server)->port()));
  set(descriptor.lab, "mplane.user", "oru-admin");
  set(descriptor.lab, "mplane.password", "admin-secret");
  set(descriptor.lab, "mplane.fm-user", "oru-fm");
  set(descriptor.lab, "mplane.fm-password", "fm-secret");
  DutContext dut;
  dut.name = "oru";
  dut.descriptor = &descriptor;
  dut.description.role = adapter::Role::kOru;

  std::map<std::string, Verdict> verdicts;
  for (const TestCase* test_case : Registry::instance().all()) {
    if (test_case->plane != "mplane") continue;
    Parameters parameters;
    set(parameters, "mplane.watchdog-interval", "1");
    Context ctx(test_case->id, *test_case, parameters, {dut}, results,
                "evidence/" + test_case->id + "/oru",
                std::chrono::steady_clock::now() + std::chrono::seconds(30));
    test_case->run(ctx);
    verdicts[test_case->id] = ctx.verdict();
    ItemResult result;
    ctx.fill(result);
    EXPECT_FALSE(result.artifacts.empty()) << test_case->id << ": no NETCONF transcript";
    if (ctx.verdict() == Verdict::kFail) {
      EXPECT_FALSE(result.findings.empty()) << test_case->id;
      for (const auto& finding : result.findings) {
        std::cout << "    " << test_case->id << ": " << finding.message << " at " << finding.where
                  << "\n";
        EXPECT_FALSE(finding.where.empty()) << test_case->id << ": finding names no YANG path";
      }
    }
  }
  return verdicts;
}

TEST(MplaneSuite, ConformantServerPassesAndEachFaultFailsExactlyItsCases) {
  const auto results = std::filesystem::temp_directory_path() /
                       ("plugfest-mplane-suite-" + std::to_string(::getpid()));
  const std::map<std::string, std::map<std::string, Verdict>> expected_by_fault = {
      {"none", {}},
      {"wrong-credentials-accepted", {{"mplane.ru.ssh-invalid-credentials", Verdict::kFail}}},
      {"watchdog-ignored",
       {{"mplane.ru.supervision-expiry", Verdict::kFail},
        {"mplane.ru.alarms", Verdict::kInconclusive}}},
      {"missing-mandatory-module", {{"mplane.ru.retrieval", Verdict::kFail}}},
      {"invalid-edit-accepted", {{"mplane.ru.configurability", Verdict::kFail}}},
      {"duplicate-eaxc-accepted", {{"mplane.ru.duplicate-eaxc", Verdict::kFail}}},
      {"alarm-never-raised", {{"mplane.ru.alarms", Verdict::kFail}}},
      {"role-escalation-allowed", {{"mplane.ru.access-control-negative", Verdict::kFail}}},
  };
  std::cout << "M-plane suite matrix (case x fault):\n";
  for (const auto& [fault_name, expected] : expected_by_fault) {
    std::set<MplaneFault> faults;
    if (fault_name != "none") {
      auto fault = sim::parse_mplane_fault(fault_name);
      ASSERT_TRUE(fault.ok()) << fault_name;
      faults.insert(*fault);
    }
    auto verdicts = run_suite(faults, results);
    ASSERT_EQ(verdicts.size(), 13u);
    std::cout << "  " << fault_name << ":";
    for (const auto& [id, verdict] : verdicts) {
      auto it = expected.find(id);
      Verdict want = it == expected.end() ? Verdict::kPass : it->second;
      EXPECT_EQ(verdict, want) << fault_name << " / " << id << ": got " << to_string(verdict);
      if (verdict != Verdict::kPass) std::cout << " " << id << "=" << to_string(verdict);
    }
    std::cout << (expected.empty() ? " all pass" : "") << "\n";
  }
  std::filesystem::remove_all(results);
}

}  // namespace
}  // namespace plugfest::harness
