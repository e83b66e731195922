#include "harness/engine/adapter_connector.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <future>
#include <map>

#include "harness/engine/context.h"
#include "harness/inputs/inputs.h"
#include "harness/engine/run.h"
#include "harness/engine/test_case.h"
#include "harness/inputs/vendor_descriptor.h"
#include "interfaces/adapter/adapter_client.h"
#include "interfaces/adapter/adapter_launcher.h"
#include "interfaces/adapter/testing/tls_test_support.h"

namespace plugfest::harness {
namespace {

using adapter::testing::TempDir;

// Loads a descriptor written into `dir`; fails the test on any diagnostic.
VendorDescriptor descriptor(const TempDir& dir, const std::string& name, const std::string& yaml) {
  const auto file = dir / (name + ".yaml");
  std::ofstream(file) << yaml;
  Diagnostics diagnostics;
  auto loaded = load_vendor_descriptor(file.string(), diagnostics);
  EXPECT_TRUE(loaded.has_value()) << yaml;
  return loaded.value_or(VendorDescriptor{});
}

std::string test_adapter_yaml(const std::string& name, const std::string& role,
                              const std::string& flags, const std::string& call = "5s") {
  return "name: " + name + "\nrole: " + role + "\ncommand: [" + PLUGFEST_TEST_ADAPTER +
         (flags.empty() ? "" : ", " + flags) + "]\ntimeouts: {startup: 20s, call: " + call +
         "}\ncapabilities: [section_type.1]\n";
}

ConnectOptions evidence_in(const TempDir& dir, const std::string& name) {
  ConnectOptions options;
  options.evidence_dir = dir / ("evidence-" + name);
  std::filesystem::create_directories(options.evidence_dir);
  return options;
}

TEST(AdapterConnector, IsThePlugfestRunConnector) {
  auto connector = make_dut_connector();
  ASSERT_NE(connector, nullptr);
  EXPECT_NE(dynamic_cast<DutConnector*>(connector.get()), nullptr);
}

TEST(AdapterConnector, LaunchesFromTheDescriptorCommandAndDescribes) {
  TempDir dir;
  const auto d = descriptor(dir, "ru", test_adapter_yaml("ru", "o-ru", "--serial, SN-7"));
  const auto options = evidence_in(dir, "ru");
  auto session = make_adapter_connector()->connect(d, options);
  ASSERT_TRUE(session) << session.error().to_string();
  auto description = (*session)->describe();
  ASSERT_TRUE(description) << description.error().to_string();
  EXPECT_EQ(description->serial, "SN-7");
  EXPECT_EQ((*session)->failure(), "");
  // Test cases reach the adapter protocol through the "adapter" extension.
  auto client =
      std::static_pointer_cast<adapter::AdapterClient>((*session)->extension(kAdapterExtension));
  ASSERT_NE(client, nullptr);
  EXPECT_TRUE(client->counters("none").error().message.find("unknown session") !=
              std::string::npos);
  EXPECT_EQ((*session)->extension("mplane"), nullptr);
  (*session)->close();
  (*session)->close();
  EXPECT_NE(adapter::tail_of_file(options.evidence_dir / "adapter.stderr").find("serving"),
            std::string::npos);
}

// The shipped descriptor of the example Python adapter, launched through the harness.
TEST(AdapterConnector, LaunchesThePythonAdapterFromItsShippedDescriptor) {
  TempDir dir;
  ::setenv("PLUGFEST_PYTHON_ADAPTER_STUBS", PYTHON_ADAPTER_STUBS, 1);
  Diagnostics diagnostics;
  auto d = load_vendor_descriptor(PYTHON_ADAPTER_DESCRIPTOR, diagnostics);
  ASSERT_TRUE(d.has_value());
  auto session = make_adapter_connector()->connect(*d, evidence_in(dir, "py"));
  ASSERT_TRUE(session) << session.error().to_string();
  auto description = (*session)->describe();
  ASSERT_TRUE(description) << description.error().to_string();
  EXPECT_EQ(description->vendor, "Fjordwave Radio Systems");
  EXPECT_EQ(description->role, adapter::Role::kOru);
  // What the adapter claims matches what its descriptor declares.
  for (const auto& name : description->capabilities.names()) {
    EXPECT_TRUE(d->capabilities.has(name)) << name;
  }
}

// Each misbehaviour is an error with its reason, while another DUT's adapter answers.
TEST(AdapterConnector, MisbehavingAdaptersGiveReasonsWhileAnotherDutWorks) {
  TempDir dir;
  auto connector = make_adapter_connector();
  auto good =
      connector->connect(descriptor(dir, "good", test_adapter_yaml("good", "o-du", "--role, o-du")),
                         evidence_in(dir, "good"));
  ASSERT_TRUE(good) << good.error().to_string();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"--mode, hang", "Describe: no answer within 300 ms"},
      {"--mode, slow, --slow-ms, 3000", "Describe: no answer within 300 ms"},
      {"--mode, crash", "killed by signal 6"},
      {"--mode, wrong-role", "describes an o-du but the vendor descriptor says o-ru"},
      {"--mode, empty-capabilities", "capabilities: empty"},
      {"--mode, wrong-protocol-version", "protocol_version"},
  };
  for (const auto& [flags, reason] : cases) {
    const auto d = descriptor(dir, "bad", test_adapter_yaml("bad", "o-ru", flags, "300ms"));
    auto bad = connector->connect(d, evidence_in(dir, "bad"));
    ASSERT_TRUE(bad) << bad.error().to_string();
    auto answer = std::async(std::launch::async, [&] { return (*bad)->describe(); });
    ASSERT_TRUE((*good)->describe()) << flags;
    auto description = answer.get();
    ASSERT_FALSE(description) << flags;
    EXPECT_NE(description.error().to_string().find(reason), std::string::npos)
        << flags << ": " << description.error().to_string();
    if (flags == "--mode, crash") {
      EXPECT_NE((*bad)->failure().find("killed by signal 6"), std::string::npos);
    }
    (*bad)->close();
  }
  ASSERT_TRUE((*good)->describe());
}

TEST(AdapterConnector, AnAdapterThatNeverBecomesHealthyIsAConnectError) {
  TempDir dir;
  auto d = descriptor(dir, "sick", test_adapter_yaml("sick", "o-ru", "--mode, never-healthy"));
  d.startup_timeout_ms = 400;
  auto session = make_adapter_connector()->connect(d, evidence_in(dir, "sick"));
  ASSERT_FALSE(session);
  EXPECT_NE(session.error().message.find("not healthy within 400 ms"), std::string::npos);

  std::atomic<bool> cancelled{true};
  auto options = evidence_in(dir, "sick");
  options.cancelled = &cancelled;
  d.startup_timeout_ms = 20000;
  session = make_adapter_connector()->connect(d, options);
  ASSERT_FALSE(session);
  EXPECT_NE(session.error().message.find("cancelled"), std::string::npos);
}

TEST(AdapterConnector, ReachesARunningAdapterAtItsAddress) {
  TempDir dir;
  const auto port_file = dir / "port";
  const pid_t pid = adapter::testing::spawn({PLUGFEST_TEST_ADAPTER, "--listen", "127.0.0.1:0",
                                             "--role", "o-du", "--port-file", port_file.string()});
  const std::string port = adapter::testing::wait_for_file(port_file, "\n");
  ASSERT_FALSE(port.empty());
  const auto d = descriptor(dir, "bench-du",
                            "name: bench-du\nrole: o-du\naddress: 127.0.0.1:" +
                                port.substr(0, port.find('\n')) + "\ncapabilities: [udp]\n");
  auto session = make_adapter_connector()->connect(d, evidence_in(dir, "bench-du"));
  ASSERT_TRUE(session) << session.error().to_string();
  auto description = (*session)->describe();
  ASSERT_TRUE(description) << description.error().to_string();
  EXPECT_EQ(description->role, adapter::Role::kOdu);
  (*session)->close();
  EXPECT_EQ(::kill(pid, 0), 0) << "a bench adapter is not the harness's to stop";
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);

  auto nobody = descriptor(dir, "gone",
                           "name: gone\nrole: o-du\naddress: unix:" + (dir / "none.sock").string() +
                               "\ncapabilities: [udp]\n");
  nobody.startup_timeout_ms = 300;
  auto failed = make_adapter_connector()->connect(nobody, evidence_in(dir, "gone"));
  ASSERT_FALSE(failed);
  EXPECT_NE(failed.error().to_string().find("not healthy within 300 ms"), std::string::npos)
      << failed.error().to_string();
}

// `address:` with `tls:` in the descriptor: the adapter's certificate is verified against
// the descriptor's CA, and one from another CA is refused.
TEST(AdapterConnector, ReachesABenchAdapterOverTlsAndRefusesAWrongCa) {
  TempDir dir;
  adapter::testing::TlsCertificates certs(dir);
  ASSERT_TRUE(certs.ok()) << "openssl could not make the test certificates";
  adapter::testing::TlsAdapterProcess bench(PLUGFEST_TEST_ADAPTER, dir, certs, true);
  ASSERT_FALSE(bench.address().empty());
  const auto yaml = [&](const std::string& ca) {
    return "name: tls-ru\nrole: o-ru\naddress: " + bench.address() +
           "\ntls: {ca: " + certs.path(ca) + ", cert: " + certs.path("client.pem") +
           ", key: " + certs.path("client.key") +
           "}\ntimeouts: {startup: 2s}\ncapabilities: [udp]\n";
  };
  auto session = make_adapter_connector()->connect(descriptor(dir, "tls-ru", yaml("ca.pem")),
                                                   evidence_in(dir, "tls"));
  ASSERT_TRUE(session) << session.error().to_string();
  auto description = (*session)->describe();
  ASSERT_TRUE(description) << description.error().to_string();
  EXPECT_EQ(description->vendor, "Plugfest Test Devices");

  auto refused = make_adapter_connector()->connect(descriptor(dir, "tls-ru", yaml("other-ca.pem")),
                                                   evidence_in(dir, "tls"));
  ASSERT_FALSE(refused) << "a certificate from another CA must be refused";
  EXPECT_NE(refused.error().to_string().find("not healthy within 2000 ms"), std::string::npos)
      << refused.error().to_string();
}

// A whole run through run_plan with real adapter processes: the items of misbehaving
// adapters end in `error` with the reason, the conformant DUT's items pass.
TEST(AdapterConnector, RunTurnsMisbehavingAdaptersIntoErrorsWhileAnotherDutPasses) {
  TempDir dir;
  Registry registry;
  registry.add(TestCase{.id = "adapter.session-and-counters",
                        .title = "A session is prepared and its counters read",
                        .plane = "cus",
                        .clause = "adapter protocol",
                        .run = [](Context& ctx) {
                          auto client =
                              ctx.extension<adapter::AdapterClient>(ctx.dut(), kAdapterExtension);
                          if (!client) return ctx.error("no adapter client");
                          adapter::SessionRequest request;
                          request.session_id = "run";
                          request.harness_endpoint = adapter::UdpEndpoint{"127.0.0.1", 40000};
                          if (auto setup = client->prepare_session(request); !setup) {
                            return ctx.error(setup.error().to_string());
                          }
                          if (auto counters = client->counters("run"); !counters) {
                            return ctx.error(counters.error().to_string());
                          }
                          ctx.set_verdict(Verdict::kPass);
                        }});
  const auto inputs_dir = dir / "inputs";
  std::filesystem::create_directories(inputs_dir);
  std::ofstream(inputs_dir / "profile.yaml")
      << "id: adapter-check\ntitle: Adapter check\nspecification: {document: plugfest, version: "
         "\"1\"}\ncases:\n  - id: adapter.session-and-counters\n    status: mandatory\n";
  const std::vector<std::pair<std::string, std::string>> duts = {
      {"good", ""},
      {"hung", "--mode, hang"},
      {"crashing", "--mode, crash"},
      {"garbage", "--mode, out-of-range"}};
  for (const auto& [name, flags] : duts) {
    std::ofstream(inputs_dir / (name + ".yaml")) << test_adapter_yaml(name, "o-ru", flags, "500ms");
  }
  Diagnostics diagnostics;
  auto inputs = load_inputs({inputs_dir.string()}, registry, diagnostics);
  ASSERT_TRUE(inputs.has_value());
  RunOptions options;
  options.results_dir = dir / "results";
  options.run_id = "test";
  options.jobs = 2;
  auto connector = make_adapter_connector();
  auto outcome = run_plan(*inputs, connector.get(), registry, options);
  ASSERT_TRUE(outcome) << outcome.error().to_string();
  std::map<std::string, ItemResult> by_dut;
  for (const auto& result : outcome->results) by_dut[result.dut_label()] = result;
  ASSERT_EQ(by_dut.size(), 4u);
  EXPECT_EQ(by_dut["good"].verdict, Verdict::kPass) << by_dut["good"].reason;
  EXPECT_EQ(by_dut["hung"].verdict, Verdict::kError);
  EXPECT_NE(by_dut["hung"].reason.find("no answer within 500 ms"), std::string::npos)
      << by_dut["hung"].reason;
  EXPECT_EQ(by_dut["crashing"].verdict, Verdict::kError);
  EXPECT_NE(by_dut["crashing"].reason.find("signal 6"), std::string::npos)
      << by_dut["crashing"].reason;
  EXPECT_EQ(by_dut["garbage"].verdict, Verdict::kError);
  EXPECT_NE(by_dut["garbage"].reason.find("bfp.42"), std::string::npos) << by_dut["garbage"].reason;
}

// DUTs that are never reached: nothing listens at the address, or the adapter never says
// it is serving. Every item of theirs is an error, whatever the capabilities would have
// decided, and the run exits 3.
TEST(AdapterConnector, ItemsOfDutsNeverReachedAreErrorsAndTheRunExitsThree) {
  TempDir dir;
  Registry registry;
  registry.add(TestCase{.id = "adapter.needs-section-type-3",
                        .title = "Applies to O-RUs with section type 3",
                        .plane = "cus",
                        .clause = "adapter protocol",
                        .role = adapter::Role::kOru,
                        .requires_capabilities = {"section_type.3"},
                        .run = [](Context& ctx) { ctx.set_verdict(Verdict::kPass); }});
  const auto inputs_dir = dir / "inputs";
  std::filesystem::create_directories(inputs_dir);
  std::ofstream(inputs_dir / "profile.yaml")
      << "id: reach\ntitle: Reach\nspecification: {document: plugfest, version: \"1\"}\n"
         "cases:\n  - id: adapter.needs-section-type-3\n";
  std::ofstream(inputs_dir / "nowhere.yaml")
      << "name: nowhere\nrole: o-ru\naddress: 127.0.0.1:1\ntimeouts: {startup: 500ms}\n";
  std::ofstream(inputs_dir / "sick.yaml")
      << "name: sick\nrole: o-ru\ncommand: [" << PLUGFEST_TEST_ADAPTER
      << ", --mode, never-healthy]\ntimeouts: {startup: 500ms}\n";
  Diagnostics diagnostics;
  auto inputs = load_inputs({inputs_dir.string()}, registry, diagnostics);
  ASSERT_TRUE(inputs.has_value()) << diagnostics.to_string();
  RunOptions options;
  options.results_dir = dir / "results";
  options.run_id = "test";
  auto connector = make_adapter_connector();
  auto outcome = run_plan(*inputs, connector.get(), registry, options);
  ASSERT_TRUE(outcome) << outcome.error().to_string();
  ASSERT_EQ(outcome->results.size(), 2u);
  for (const auto& r : outcome->results) {
    EXPECT_EQ(r.verdict, Verdict::kError) << r.item_id << ": " << r.reason;
    EXPECT_NE(r.reason.find("cannot reach the adapter"), std::string::npos) << r.reason;
    EXPECT_NE(r.reason.find("not healthy within 500 ms"), std::string::npos) << r.reason;
  }
  EXPECT_EQ(outcome->written_off.size(), 2u);
  EXPECT_EQ(outcome->exit_status, 3);
}

// The pid of the test adapter started with `--serial SERIAL`, or -1.
pid_t test_adapter_with_serial(const std::string& serial) {
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream in(entry.path() / "cmdline", std::ios::binary);
    const std::string cmdline((std::istreambuf_iterator<char>(in)),
                              std::istreambuf_iterator<char>());
    if (cmdline.find(std::string("--serial") + '\0' + serial + '\0') != std::string::npos &&
        cmdline.find("plugfest-test-adapter") != std::string::npos) {
      return std::stoi(name);
    }
  }
  return -1;
}

// An adapter stopped with SIGSTOP answers nothing: after its first unanswered call the DUT
// is written off and its remaining items end in error without running, instead of each
// waiting out its own call deadline. The other DUT's items all run and pass.
TEST(AdapterConnector, AStoppedAdapterIsWrittenOffAfterItsFirstUnansweredCall) {
  TempDir dir;
  Registry registry;
  static std::atomic<int> runs_on_stopped{0};
  runs_on_stopped = 0;
  const auto counters_case = [](Context& ctx) {
    auto client = ctx.extension<adapter::AdapterClient>(ctx.dut(), kAdapterExtension);
    if (!client) return ctx.error("no adapter client");
    if (ctx.dut().name == "stopped") {
      ++runs_on_stopped;
      if (const pid_t pid = test_adapter_with_serial("SN-stop-me"); pid > 0) ::kill(pid, SIGSTOP);
    }
    if (auto counters = client->counters("none"); !counters) {
      if (counters.error().message.find("no answer") != std::string::npos) {
        return ctx.error(counters.error().to_string());
      }
    }
    ctx.set_verdict(Verdict::kPass);
  };
  std::string cases;
  for (int i = 1; i <= 4; ++i) {
    const std::string id = "adapter.counters-" + std::to_string(i);
    registry.add(TestCase{.id = id,
                          .title = "Counters are read",
                          .plane = "cus",
                          .clause = "adapter protocol",
                          .role = adapter::Role::kOru,
                          .run = counters_case});
    cases += "  - id: " + id + "\n";
  }
  const auto inputs_dir = dir / "inputs";
  std::filesystem::create_directories(inputs_dir);
  std::ofstream(inputs_dir / "profile.yaml")
      << "id: stop\ntitle: Stop\nspecification: {document: plugfest, version: \"1\"}\ncases:\n"
      << cases;
  std::ofstream(inputs_dir / "stopped.yaml")
      << test_adapter_yaml("stopped", "o-ru", "--serial, SN-stop-me", "500ms");
  // The good adapter has room to answer on a loaded machine; only the stopped one runs out.
  std::ofstream(inputs_dir / "good.yaml") << test_adapter_yaml("good", "o-ru", "");
  Diagnostics diagnostics;
  auto inputs = load_inputs({inputs_dir.string()}, registry, diagnostics);
  ASSERT_TRUE(inputs.has_value()) << diagnostics.to_string();
  RunOptions options;
  options.results_dir = dir / "results";
  options.run_id = "test";
  options.jobs = 2;
  auto connector = make_adapter_connector();
  auto outcome = run_plan(*inputs, connector.get(), registry, options);
  ASSERT_TRUE(outcome) << outcome.error().to_string();
  ASSERT_EQ(outcome->results.size(), 8u);
  EXPECT_EQ(runs_on_stopped.load(), 1);  // the later items never ran
  std::size_t stopped_errors = 0;
  for (const auto& r : outcome->results) {
    if (r.dut_label() == "good") {
      EXPECT_EQ(r.verdict, Verdict::kPass) << r.item_id << ": " << r.reason;
      continue;
    }
    EXPECT_EQ(r.verdict, Verdict::kError) << r.item_id;
    EXPECT_NE(r.reason.find("Counters: no answer within 500 ms"), std::string::npos) << r.reason;
    ++stopped_errors;
  }
  EXPECT_EQ(stopped_errors, 4u);
  ASSERT_EQ(outcome->written_off.size(), 1u);
  EXPECT_NE(outcome->written_off[0].find("stopped: the adapter session died: the adapter "
                                         "stopped answering: Counters: no answer within 500 ms"),
            std::string::npos)
      << outcome->written_off[0];
  EXPECT_EQ(outcome->exit_status, 3);
}

}  // namespace
}  // namespace plugfest::harness
