// The M-plane suite against the simulated O-RU's NETCONF server (plugfest-mplane-sim, its
// own process) over real SSH, reached the way a real device on a bench is: through the
// DUT's lab parameters, with no adapter. The fault x case matrix through adapters is
// mplane_process_test.cpp.

#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <iostream>
#include <map>
#include <vector>
#include <string>

#include "harness/engine/context.h"
#include "harness/engine/test_case.h"
#include "interfaces/adapter/testing/process_test_support.h"
#include "interfaces/management/listening_socket.h"

namespace plugfest::harness {
namespace {

using adapter::testing::spawn;
using adapter::testing::wait_for_file;
using plugfest::testing::TempDir;

// plugfest-mplane-sim for the length of a test. It runs while its standard input stays open
// (a pipe held here); stopped by SIGTERM and reaped at the end.
class MplaneSim {
 public:
  MplaneSim(const TempDir& dir, const std::vector<std::string>& faults, unsigned call_home_port) {
    std::vector<std::string> argv = {PLUGFEST_MPLANE_SIM,
                                     "--user", "oru-admin:admin-secret:sudo",
                                     "--user", "oru-fm:fm-secret:fm-pm",
                                     "--call-home", "127.0.0.1:" + std::to_string(call_home_port)};
    for (const auto& fault : faults) {
      argv.push_back("--fault");
      argv.push_back(fault);
    }
    const auto out = dir / "mplane-sim.out";
    int input[2];
    if (::pipe2(input, O_CLOEXEC) != 0) return;
    pid_ = spawn(argv, out.string(), input[0]);
    ::close(input[0]);
    input_ = input[1];
    const std::string text = wait_for_file(out, "\n");
    if (const auto at = text.find("port "); at != std::string::npos) {
      port_ = static_cast<unsigned>(std::stoul(text.substr(at + 5)));
    }
  }
  ~MplaneSim() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      ::waitpid(pid_, nullptr, 0);
    }
    if (input_ >= 0) ::close(input_);
  }
  MplaneSim(const MplaneSim&) = delete;
  MplaneSim& operator=(const MplaneSim&) = delete;

  unsigned port() const { return port_; }  // 0: it did not start

 private:
  pid_t pid_ = -1;
  int input_ = -1;
  unsigned port_ = 0;
};

void set(Parameters& parameters, const std::string& name, const std::string& value) {
  parameters.set(name, ParameterValue{YAML::Node(value), "test"});
}

// The M-plane cases (all, or only the case `only`) against the NETCONF server at `port`,
// configured to call home to `call_home_port`.
std::map<std::string, ItemResult> run_cases_at(unsigned port, unsigned call_home_port,
                                               const std::filesystem::path& results,
                                               const std::string& only = {}) {
  VendorDescriptor descriptor;
  set(descriptor.lab, "mplane.host", "127.0.0.1");
  set(descriptor.lab, "mplane.port", std::to_string(port));
  set(descriptor.lab, "mplane.user", "oru-admin");
  set(descriptor.lab, "mplane.password", "admin-secret");
  set(descriptor.lab, "mplane.fm-user", "oru-fm");
  set(descriptor.lab, "mplane.fm-password", "fm-secret");
  set(descriptor.lab, "mplane.call-home-port", std::to_string(call_home_port));
  DutContext dut;
  dut.name = "oru";
  dut.descriptor = &descriptor;
  dut.description.role = adapter::Role::kOru;

  std::map<std::string, ItemResult> outcomes;
  for (const TestCase* test_case : Registry::instance().all()) {
    if (test_case->plane != "mplane") continue;
    if (!only.empty() && test_case->id != only) continue;
    Parameters parameters;
    set(parameters, "mplane.watchdog-interval", "1");
    set(parameters, "mplane.call-home-timeout-ms", "2000");
    Context ctx(test_case->id, *test_case, parameters, {dut}, results,
                "evidence/" + test_case->id + "/oru",
                std::chrono::steady_clock::now() + std::chrono::seconds(30));
    test_case->run(ctx);
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
    outcomes[test_case->id] = std::move(result);
  }
  return outcomes;
}

// The M-plane cases (all, or only the case `only`) against a server with `faults`.
std::map<std::string, Verdict> run_suite(const std::vector<std::string>& faults,
                                         const std::filesystem::path& results,
                                         const std::string& only = {}) {
  // The O-RU is configured to call home to a fixed port, as on a bench.
  auto call_home_port = management::pick_free_tcp_port("127.0.0.1");
  EXPECT_TRUE(call_home_port.ok());
  if (!call_home_port.ok()) return {};
  const TempDir dir;
  const MplaneSim server(dir, faults, *call_home_port);
  EXPECT_NE(server.port(), 0u) << "plugfest-mplane-sim did not start";
  if (server.port() == 0) return {};
  std::map<std::string, Verdict> verdicts;
  for (const auto& [id, result] : run_cases_at(server.port(), *call_home_port, results, only))
    verdicts[id] = result.verdict;
  return verdicts;
}

std::string describe(const ItemResult& result) {
  std::string out = std::string(to_string(result.verdict)) + " " + result.reason;
  for (const auto& finding : result.findings) out += " | " + finding.message;
  return out;
}

TEST(MplaneSuite, EveryCasePassesThroughLabParametersAndAFaultFailsItsCase) {
  const auto results = std::filesystem::temp_directory_path() /
                       ("plugfest-mplane-suite-" + std::to_string(::getpid()));
  auto verdicts = run_suite({}, results);
  ASSERT_EQ(verdicts.size(), 14u);
  for (const auto& [id, verdict] : verdicts) EXPECT_EQ(verdict, Verdict::kPass) << id;
  // The fm-pm account of the lab parameters is the one access control looks at.
  verdicts = run_suite({"role-escalation-allowed"}, results,
                       "mplane.ru.access-control-negative");
  EXPECT_EQ(verdicts["mplane.ru.access-control-negative"], Verdict::kFail);
  std::filesystem::remove_all(results);
}

// C8: a device whose <hello> offers no notifications fails the subscription and alarm
// cases on that capability, before anything is subscribed; one that offers them but
// refuses the subscription fails for the refusal instead.
TEST(MplaneSuite, SubscribingCasesFailNamingTheMissingNotificationCapability) {
  const auto results = std::filesystem::temp_directory_path() /
                       ("plugfest-mplane-notification-" + std::to_string(::getpid()));
  auto call_home_port = management::pick_free_tcp_port("127.0.0.1");
  ASSERT_TRUE(call_home_port.ok());
  const std::pair<std::string, std::string> expected[] = {
      {"notification-not-advertised", "mplane.hello.no-notification"},
      {"subscription-refused", "mplane.subscription.refused"},
  };
  for (const auto& [fault, rule] : expected) {
    const TempDir dir;
    const MplaneSim server(dir, {fault}, *call_home_port);
    ASSERT_NE(server.port(), 0u) << "plugfest-mplane-sim did not start";
    for (const std::string id : {"mplane.ru.subscription", "mplane.ru.alarms"}) {
      if (id == "mplane.ru.alarms" && fault != "notification-not-advertised") continue;
      const auto outcomes = run_cases_at(server.port(), *call_home_port, results, id);
      ASSERT_EQ(outcomes.count(id), 1u) << id;
      const ItemResult& result = outcomes.at(id);
      std::cout << "  " << fault << " " << id << ": " << describe(result) << "\n";
      EXPECT_EQ(result.verdict, Verdict::kFail) << fault << " / " << id << ": " << describe(result);
      ASSERT_EQ(result.findings.size(), 1u) << fault << " / " << id << ": " << describe(result);
      EXPECT_EQ(result.findings[0].rule_id, rule) << fault << " / " << id;
    }
  }
  std::filesystem::remove_all(results);
}

}  // namespace
}  // namespace plugfest::harness

namespace plugfest::harness {
namespace {

// Negative controls of every case: a server that refuses every operation with an
// unrelated error, and a port nobody listens on. No case may pass against either; an
// unreachable server is the harness's `error` (the call home case, which waits for the
// device to dial in, may also fail).
TEST(MplaneSuite, NoCasePassesAgainstARefusingOrAbsentServer) {
  const auto results = std::filesystem::temp_directory_path() /
                       ("plugfest-mplane-controls-" + std::to_string(::getpid()));
  auto call_home_port = management::pick_free_tcp_port("127.0.0.1");
  ASSERT_TRUE(call_home_port.ok());
  {
    const TempDir dir;
    const MplaneSim server(dir, {"refuse-all-rpcs"}, *call_home_port);
    ASSERT_NE(server.port(), 0u) << "plugfest-mplane-sim did not start";
    const auto outcomes = run_cases_at(server.port(), *call_home_port, results);
    ASSERT_EQ(outcomes.size(), 14u);
    for (const auto& [id, result] : outcomes) {
      std::cout << "  refuse-all-rpcs " << id << ": " << describe(result) << "\n";
      EXPECT_NE(result.verdict, Verdict::kPass) << id << ": " << describe(result);
    }
  }
  auto absent = management::pick_free_tcp_port("127.0.0.1");
  ASSERT_TRUE(absent.ok());
  const auto outcomes = run_cases_at(*absent, *call_home_port, results);
  ASSERT_EQ(outcomes.size(), 14u);
  for (const auto& [id, result] : outcomes) {
    std::cout << "  not listening " << id << ": " << describe(result) << "\n";
    if (id == "mplane.ru.call-home") {
      EXPECT_NE(result.verdict, Verdict::kPass) << id << ": " << describe(result);
    } else {
      EXPECT_EQ(result.verdict, Verdict::kError) << id << ": " << describe(result);
    }
  }
  std::filesystem::remove_all(results);
}

}  // namespace
}  // namespace plugfest::harness

namespace plugfest::harness {
namespace {

// Every M-plane case names the CONF test(s) it implements, each one the CONF list has,
// and keeps its specification clause apart.
TEST(MplaneSuite, EveryCaseNamesItsConformanceTestFromTheConfList) {
  std::ifstream in(PLUGFEST_CONFORMANCE_LIST);
  if (!in) {
    GTEST_SKIP() << "the O-RAN.WG4.CONF test list is not beside this checkout: "
                 << PLUGFEST_CONFORMANCE_LIST;
  }
  const std::string list((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string prefix = "O-RAN.WG4.CONF ";
  int checked = 0;
  for (const TestCase* test_case : Registry::instance().all()) {
    if (test_case->plane != "mplane") continue;
    const std::string& named = test_case->conformance_test;
    ASSERT_EQ(named.rfind(prefix, 0), 0u) << test_case->id << ": '" << named << "'";
    std::stringstream ids(named.substr(prefix.size()));
    for (std::string id; std::getline(ids, id, ',');) {
      id.erase(0, id.find_first_not_of(' '));
      EXPECT_NE(list.find("| " + id + " |"), std::string::npos) << test_case->id << ": " << id;
    }
    EXPECT_EQ(test_case->clause.find("CONF"), std::string::npos) << test_case->id;
    // The CONF v09 / v12 numbering of the M-plane chapter (identical in both).
    static const std::map<std::string, std::string> numbering = {
        {"mplane.ru.ssh-handshake", "3.1.1.1"},        {"mplane.ru.call-home", "3.1.1.1"},
        {"mplane.ru.ssh-invalid-credentials", "3.1.1.2"}, {"mplane.ru.subscription", "3.1.2.1"},
        {"mplane.ru.supervision", "3.1.3.1"},          {"mplane.ru.supervision-expiry", "3.1.3.2"},
        {"mplane.ru.retrieval", "3.1.4.1"},            {"mplane.ru.retrieval-filtered", "3.1.4.2"},
        {"mplane.ru.alarms", "3.1.5.1, 3.1.5.2"},      {"mplane.ru.software-inventory", "3.1.6.1"},
        {"mplane.ru.access-control", "3.1.8.4"},       {"mplane.ru.access-control-negative", "3.1.8.4"},
        {"mplane.ru.configurability", "3.1.10.2"},     {"mplane.ru.duplicate-eaxc", "3.1.10.2"},
    };
    const auto expected = numbering.find(test_case->id);
    ASSERT_NE(expected, numbering.end()) << test_case->id << " has no known CONF number";
    EXPECT_EQ(named, prefix + expected->second) << test_case->id;
    ++checked;
  }
  EXPECT_EQ(checked, 14);
}

}  // namespace
}  // namespace plugfest::harness
