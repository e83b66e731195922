#include "interfaces/adapter/adapter_launcher.h"

#include <gtest/gtest.h>
#include <sys/prctl.h>

#include <future>
#include <regex>

#include "interfaces/adapter/testing/process_test_support.h"

namespace plugfest::adapter {
namespace {

using namespace std::chrono_literals;
using testing::process_gone;
using testing::TempDir;

LaunchOptions test_adapter(const TempDir& dir, const std::string& name,
                           std::vector<std::string> flags = {}) {
  LaunchOptions options;
  options.name = name;
  options.command = {PLUGFEST_TEST_ADAPTER};
  options.command.insert(options.command.end(), flags.begin(), flags.end());
  options.stderr_path = dir / (name + ".stderr");
  options.ready_timeout = 20s;
  options.call_timeout = 10s;
  return options;
}

TEST(AdapterLauncher, LaunchesWaitsForHealthAndDescribes) {
  TempDir dir;
  auto adapter = LaunchedAdapter::launch(test_adapter(dir, "ru1", {"--serial", "SN-42"}));
  ASSERT_TRUE(adapter) << adapter.error().to_string();
  EXPECT_GT((*adapter)->startup_time().count(), 0);
  EXPECT_TRUE((*adapter)->listen_address().starts_with("unix:"));
  auto description = (*adapter)->client().describe();
  ASSERT_TRUE(description) << description.error().to_string();
  EXPECT_EQ(description->device.vendor, "Plugfest Test Devices");
  EXPECT_EQ(description->device.serial, "SN-42");
  EXPECT_EQ(description->device.role, Role::kOru);
  EXPECT_TRUE(description->device.capabilities.has("compression.bfp.9"));
  EXPECT_TRUE(description->instruments.contains(Instrument::kDlRadiatedIq));
  // The adapter's stderr is kept as evidence.
  EXPECT_NE(tail_of_file((*adapter)->stderr_path()).find("serving on unix:"), std::string::npos);
}

// The harness connects to DUTs from short-lived threads; the adapter must outlive the
// thread that launched it.
TEST(AdapterLauncher, TheAdapterOutlivesTheThreadThatLaunchedIt) {
  TempDir dir;
  std::unique_ptr<LaunchedAdapter> adapter;
  std::thread([&] {
    auto launched = LaunchedAdapter::launch(test_adapter(dir, "ru1"));
    if (launched) adapter = std::move(*launched);
  }).join();
  ASSERT_NE(adapter, nullptr);
  auto description = adapter->client().describe();
  ASSERT_TRUE(description) << description.error().to_string();
  EXPECT_EQ(adapter->exit_description(), std::nullopt);
}

TEST(AdapterLauncher, RunsAWholeSession) {
  TempDir dir;
  auto adapter = LaunchedAdapter::launch(test_adapter(dir, "ru1"));
  ASSERT_TRUE(adapter) << adapter.error().to_string();
  auto& client = (*adapter)->client();
  SessionRequest request;
  request.session_id = "session-1";
  request.harness_endpoint = UdpEndpoint{"127.0.0.1", 46000};
  auto setup = client.prepare_session(request);
  ASSERT_TRUE(setup) << setup.error().to_string();
  EXPECT_EQ(std::get<UdpEndpoint>(setup->dut_endpoint).port, 47000);
  ASSERT_TRUE(setup->management);
  EXPECT_EQ(setup->management->port, 830);

  auto first = client.stimulate("session-1", UlAirSignal{});
  ASSERT_TRUE(first) << first.error().to_string();
  EXPECT_TRUE(first->has_value());
  auto observation = client.observe("session-1", {Instrument::kDlRadiatedIq, 0, {}});
  ASSERT_TRUE(observation) << observation.error().to_string();
  ASSERT_TRUE(observation->available);
  EXPECT_EQ(observation->symbols.at(0).iq.size(), 24u);
  auto missing = client.observe("session-1", {Instrument::kUlDecodedIq, 0, {}});
  ASSERT_TRUE(missing);
  EXPECT_FALSE(missing->available);
  EXPECT_NE(missing->unavailable_reason.find("ul-decoded-iq"), std::string::npos);
  auto counters = client.counters("session-1");
  ASSERT_TRUE(counters);
  EXPECT_EQ(counters->rx_on_time, 10u);
  ASSERT_TRUE(client.reset("session-1"));
  EXPECT_EQ(client.counters("session-1")->rx_on_time, 0u);

  // An adapter error is reported with its text.
  auto wrong = client.counters("no-such-session");
  ASSERT_FALSE(wrong);
  EXPECT_NE(wrong.error().message.find("unknown session"), std::string::npos);

  ASSERT_TRUE(client.shutdown());
  EXPECT_TRUE(process_gone((*adapter)->pid()));
}

// One misbehaviour: the launch flags, the call timeout, and what the error must say.
struct Misbehaviour {
  std::string mode;
  std::vector<std::string> extra_flags;
  std::string expected;  // A regex the error text must match.
};

void PrintTo(const Misbehaviour& misbehaviour, std::ostream* out) { *out << misbehaviour.mode; }

class AdapterMisbehaviour : public ::testing::TestWithParam<Misbehaviour> {};

// The misbehaving adapter yields a clear error within its timeout, while calls to a
// conformant adapter launched beside it succeed, before, during and after.
TEST_P(AdapterMisbehaviour, BecomesAClearErrorWhileAnotherAdapterWorks) {
  const auto& param = GetParam();
  TempDir dir;
  auto good = LaunchedAdapter::launch(test_adapter(dir, "good"));
  ASSERT_TRUE(good) << good.error().to_string();
  std::vector<std::string> flags = {"--mode", param.mode};
  flags.insert(flags.end(), param.extra_flags.begin(), param.extra_flags.end());
  auto options = test_adapter(dir, "bad", flags);
  options.call_timeout = 300ms;
  options.expected_role = Role::kOru;
  options.stop_grace = 200ms;
  auto bad = LaunchedAdapter::launch(options);
  ASSERT_TRUE(bad) << bad.error().to_string();

  ASSERT_TRUE((*good)->client().describe());
  auto bad_answer = std::async(std::launch::async, [&] { return (*bad)->client().describe(); });
  auto good_during = (*good)->client().describe();
  ASSERT_TRUE(good_during) << good_during.error().to_string();
  auto answer = bad_answer.get();
  ASSERT_FALSE(answer);
  const std::string text = (*bad)->explain(answer.error()).to_string();
  EXPECT_TRUE(std::regex_search(text, std::regex(param.expected))) << text;
  EXPECT_NE(text.find("adapter bad"), std::string::npos) << text;
  ASSERT_TRUE((*good)->client().describe());

  const pid_t bad_pid = (*bad)->pid();
  (*bad)->stop();
  EXPECT_TRUE(process_gone(bad_pid));
}

INSTANTIATE_TEST_SUITE_P(
    Modes, AdapterMisbehaviour,
    ::testing::Values(
        Misbehaviour{"crash", {}, "Describe: adapter unreachable.*killed by signal 6.*crashing"},
        Misbehaviour{"hang", {}, "Describe: no answer within 300 ms"},
        Misbehaviour{"slow", {"--slow-ms", "3000"}, "Describe: no answer within 300 ms"},
        Misbehaviour{"wrong-role", {}, "DescribeResponse: role: .*o-du.*descriptor says o-ru"},
        Misbehaviour{"empty-capabilities", {}, "DescribeResponse: capabilities: empty"},
        Misbehaviour{"out-of-range", {}, "capabilities\\[[0-9]+\\]: .*bfp.42.*1..16"},
        Misbehaviour{"wrong-protocol-version", {}, "protocol_version: .*version 7.*version 1"}),
    [](const auto& info) {
      std::string name = info.param.mode;
      std::replace(name.begin(), name.end(), '-', '_');
      return name;
    });

TEST(AdapterLauncher, AnAdapterExitingAtStartIsAnErrorQuotingItsStderr) {
  TempDir dir;
  auto adapter = LaunchedAdapter::launch(test_adapter(dir, "early", {"--mode", "exit-at-start"}));
  ASSERT_FALSE(adapter);
  const std::string text = adapter.error().to_string();
  EXPECT_NE(text.find("exited with status 3 before becoming healthy"), std::string::npos) << text;
  EXPECT_NE(text.find("exiting at start on purpose"), std::string::npos) << text;
}

TEST(AdapterLauncher, AnAdapterNeverHealthyTimesOutAndIsKilled) {
  TempDir dir;
  auto options = test_adapter(dir, "sick", {"--mode", "never-healthy"});
  options.ready_timeout = 500ms;
  options.stop_grace = 200ms;
  auto adapter = LaunchedAdapter::launch(options);
  ASSERT_FALSE(adapter);
  EXPECT_NE(adapter.error().message.find("not healthy within 500 ms"), std::string::npos)
      << adapter.error().to_string();
}

TEST(AdapterLauncher, AMissingProgramIsAnError) {
  TempDir dir;
  auto options = test_adapter(dir, "none");
  options.command = {"plugfest-no-such-adapter-program"};
  auto adapter = LaunchedAdapter::launch(options);
  ASSERT_FALSE(adapter);
  EXPECT_NE(adapter.error().to_string().find("not found in PATH"), std::string::npos);
}

// ---- no orphans ----

TEST(AdapterLauncher, StopKillsTheAdapterAndItsChildren) {
  TempDir dir;
  auto adapter = LaunchedAdapter::launch(test_adapter(dir, "parent", {"--spawn-child"}));
  ASSERT_TRUE(adapter) << adapter.error().to_string();
  const pid_t pid = (*adapter)->pid();
  const std::string log = testing::wait_for_file((*adapter)->stderr_path(), "child-pid");
  std::smatch match;
  ASSERT_TRUE(std::regex_search(log, match, std::regex("child-pid ([0-9]+)")));
  const pid_t child = std::stoi(match[1]);
  ASSERT_EQ(::kill(child, 0), 0);
  adapter->reset();
  EXPECT_TRUE(process_gone(pid));
  EXPECT_TRUE(process_gone(child));
}

// Runs the harness-like probe, which launches a test adapter that starts a child of its
// own; returns {probe, adapter, adapter's child}.
struct ProbeProcesses {
  pid_t probe = -1;
  pid_t adapter = -1;
  pid_t child = -1;
};

ProbeProcesses start_probe(const TempDir& dir) {
  // Orphans are reparented to this test process, so it can reap and check them.
  ::prctl(PR_SET_CHILD_SUBREAPER, 1);
  ProbeProcesses p;
  const auto out = dir / "probe.out";
  const auto err = dir / "adapter.stderr";
  p.probe = testing::spawn(
      {PLUGFEST_LAUNCH_PROBE, err.string(), "--", PLUGFEST_TEST_ADAPTER, "--spawn-child"},
      out.string());
  std::smatch match;
  const std::string text = testing::wait_for_file(out, "adapter-pid");
  if (std::regex_search(text, match, std::regex("adapter-pid ([0-9]+)"))) {
    p.adapter = std::stoi(match[1]);
  }
  const std::string log = testing::wait_for_file(err, "child-pid");
  if (std::regex_search(log, match, std::regex("child-pid ([0-9]+)"))) {
    p.child = std::stoi(match[1]);
  }
  return p;
}

TEST(AdapterLauncher, NoOrphansAfterTheHarnessIsKilled) {
  TempDir dir;
  const auto p = start_probe(dir);
  ASSERT_GT(p.adapter, 0);
  ASSERT_GT(p.child, 0);
  ASSERT_EQ(::kill(p.adapter, 0), 0);
  ASSERT_EQ(::kill(p.probe, SIGKILL), 0);
  ASSERT_EQ(::waitpid(p.probe, nullptr, 0), p.probe);
  EXPECT_TRUE(process_gone(p.adapter)) << "adapter " << p.adapter << " outlived the harness";
  EXPECT_TRUE(process_gone(p.child)) << "adapter's child " << p.child << " outlived the harness";
}

TEST(AdapterLauncher, NoOrphansAfterCtrlC) {
  TempDir dir;
  const auto p = start_probe(dir);
  ASSERT_GT(p.adapter, 0);
  ASSERT_GT(p.child, 0);
  ASSERT_EQ(::kill(p.probe, SIGINT), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(p.probe, &status, 0), p.probe);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_TRUE(process_gone(p.adapter));
  EXPECT_TRUE(process_gone(p.child));
}

}  // namespace
}  // namespace plugfest::adapter
