// The M-plane suite against the simulated O-RU's NETCONF server over real SSH, reached the
// way a real device on a bench is: through the DUT's lab parameters, with no adapter. The
// fault x case matrix through adapters is mplane_process_test.cpp.

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>
#include <string>

#include "harness/context.h"
#include "harness/test_case.h"
#include "interfaces/management/listening_socket.h"
#include "vendors/sim/mplane/mplane_server.h"

namespace plugfest::harness {
namespace {

using sim::MplaneFault;

void set(Parameters& parameters, const std::string& name, const std::string& value) {
  parameters.set(name, ParameterValue{YAML::Node(value), "test"});
}

// The M-plane cases (all, or only the case `only`) against a server with `faults`.
std::map<std::string, Verdict> run_suite(const std::set<MplaneFault>& faults,
                                         const std::filesystem::path& results,
                                         const std::string& only = {}) {
  sim::MplaneServerConfig config;
  config.users = {{"oru-admin", "admin-secret", "", "sudo"}, {"oru-fm", "fm-secret", "", "fm-pm"}};
  config.faults = faults;
  // The O-RU is configured to call home to a fixed port, as on a bench.
  auto call_home_port = management::pick_free_tcp_port("127.0.0.1");
  EXPECT_TRUE(call_home_port.ok());
  if (!call_home_port.ok()) return {};
  config.call_home = sim::CallHomeTarget{"127.0.0.1", *call_home_port};
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
  set(descriptor.lab, "mplane.call-home-port", std::to_string(*call_home_port));
  DutContext dut;
  dut.name = "oru";
  dut.descriptor = &descriptor;
  dut.description.role = adapter::Role::kOru;

  std::map<std::string, Verdict> verdicts;
  for (const TestCase* test_case : Registry::instance().all()) {
    if (test_case->plane != "mplane") continue;
    if (!only.empty() && test_case->id != only) continue;
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

TEST(MplaneSuite, EveryCasePassesThroughLabParametersAndAFaultFailsItsCase) {
  const auto results = std::filesystem::temp_directory_path() /
                       ("plugfest-mplane-suite-" + std::to_string(::getpid()));
  auto verdicts = run_suite({}, results);
  ASSERT_EQ(verdicts.size(), 14u);
  for (const auto& [id, verdict] : verdicts) EXPECT_EQ(verdict, Verdict::kPass) << id;
  // The fm-pm account of the lab parameters is the one access control looks at.
  verdicts = run_suite({MplaneFault::kRoleEscalationAllowed}, results,
                       "mplane.ru.access-control-negative");
  EXPECT_EQ(verdicts["mplane.ru.access-control-negative"], Verdict::kFail);
  std::filesystem::remove_all(results);
}

}  // namespace
}  // namespace plugfest::harness
