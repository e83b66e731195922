// The M-plane suite against a NETCONF server nobody here wrote: Debian's netconfd
// (yuma123) with the project's own O-RAN models loaded (it cannot load the official ones
// unmodified), over SSH on loopback, reached through lab parameters as a bench device is.
// netconfd implements NETCONF but no O-RAN behaviour (no supervision, no alarms, no
// U-plane instances), so every case must end in a verdict that says truly why: pass where
// netconfd behaves, fail or inconclusive naming what it lacks, never `error` (the
// harness's own fault). The matrix is printed for the record.

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>

#include "harness/engine/context.h"
#include "harness/engine/test_case.h"
#include "interfaces/common/testing/temp_dir.h"
#include "interfaces/management/interop/netconfd_server.h"

namespace plugfest::harness {
namespace {

using management::testing::NetconfdOptions;
using management::testing::NetconfdServer;

void set(Parameters& parameters, const std::string& name, const std::string& value) {
  parameters.set(name, ParameterValue{YAML::Node(value), "test"});
}

// The project's O-RAN models, alone in a folder (its copies of IETF modules would shadow
// the ones netconfd ships and needs).
NetconfdOptions oran_models(const plugfest::testing::TempDir& dir, const std::string& target) {
  NetconfdOptions options;
  options.target = target;
  std::filesystem::create_directories(dir / "yang");
  for (const auto& entry : std::filesystem::directory_iterator(PLUGFEST_YANG_DIR)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("o-ran-", 0) != 0) continue;
    std::filesystem::copy_file(entry.path(), dir / "yang" / name);
    options.modules.push_back(entry.path().stem().string());
  }
  options.module_dirs = {dir / "yang"};
  return options;
}

struct Outcome {
  Verdict verdict = Verdict::kNone;
  std::string reason;
};

// One case against a netconfd of its own (netconfd 2.13 cannot serve <get-schema> to a
// second session, and a case may open several).
Outcome run_case(const TestCase& test_case, const std::string& target,
                 const std::filesystem::path& results) {
  const plugfest::testing::TempDir dir;
  auto server = NetconfdServer::start(oran_models(dir, target));
  EXPECT_TRUE(server.ok()) << server.error().to_string();
  if (!server.ok()) return {Verdict::kError, "netconfd did not start"};
  VendorDescriptor descriptor;
  set(descriptor.lab, "mplane.host", "127.0.0.1");
  set(descriptor.lab, "mplane.port", std::to_string((*server)->port()));
  set(descriptor.lab, "mplane.user", (*server)->user());
  set(descriptor.lab, "mplane.public-key", (*server)->public_key());
  set(descriptor.lab, "mplane.private-key", (*server)->private_key());
  DutContext dut;
  dut.name = "netconfd";
  dut.descriptor = &descriptor;
  dut.description.role = adapter::Role::kOru;
  Parameters parameters;
  set(parameters, "mplane.watchdog-interval", "1");
  Context ctx(test_case.id, test_case, parameters, {dut}, results,
              "evidence/" + test_case.id + "/netconfd",
              std::chrono::steady_clock::now() + std::chrono::seconds(60));
  test_case.run(ctx);
  ItemResult result;
  ctx.fill(result);
  Outcome outcome{result.verdict, result.reason};
  // The reason, or the findings' own words where the verdict came from findings alone.
  if (outcome.reason.empty()) {
    for (const auto& finding : result.findings) {
      outcome.reason += (outcome.reason.empty() ? "" : " | ") + finding.rule_id + ": " +
                        finding.message;
    }
  }
  EXPECT_TRUE((*server)->alive()) << test_case.id << ": netconfd crashed\n" << (*server)->log();
  return outcome;
}

void run_suite(const std::string& target) {
  if (auto why = NetconfdServer::unavailable()) GTEST_SKIP() << *why;
  const auto results = std::filesystem::temp_directory_path() /
                       ("plugfest-mplane-netconfd-" + std::to_string(::getpid()) + "-" + target);
  std::map<std::string, Outcome> matrix;
  for (const TestCase* test_case : Registry::instance().all()) {
    if (test_case->plane != "mplane") continue;
    // A case needing more than an M-plane applies only to a device that claims it; this
    // one claims nothing more (netconfd does not call home).
    if (test_case->requires_capabilities != std::vector<std::string>{"mplane"}) {
      matrix[test_case->id] = {Verdict::kNotApplicable, "netconfd claims only \"mplane\""};
      continue;
    }
    matrix[test_case->id] = run_case(*test_case, target, results);
  }
  std::cout << "M-plane suite against netconfd --target=" << target << ":\n";
  for (const auto& [id, outcome] : matrix) {
    std::cout << "  " << id << " -> " << to_string(outcome.verdict) << " -> " << outcome.reason
              << "\n";
    EXPECT_NE(outcome.verdict, Verdict::kError) << id << ": " << outcome.reason;
    EXPECT_NE(outcome.verdict, Verdict::kNone) << id << " ended without a verdict";
    if (outcome.verdict != Verdict::kPass) {
      EXPECT_FALSE(outcome.reason.empty()) << id << " says not why it did not pass";
    }
  }
  EXPECT_GE(matrix.size(), 14u);
  std::filesystem::remove_all(results);
}

TEST(MplaneSuiteAgainstNetconfd, EveryCaseEndsInAVerdictThatSaysWhyWithRunningTarget) {
  run_suite("running");
}

TEST(MplaneSuiteAgainstNetconfd, EveryCaseEndsInAVerdictThatSaysWhyWithCandidateTarget) {
  run_suite("candidate");
}

}  // namespace
}  // namespace plugfest::harness
