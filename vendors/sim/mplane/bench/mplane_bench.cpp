// M-plane latency on loopback, harness client against the simulated O-RU over real SSH:
// session set-up (TCP + SSH + <hello> + schema retrieval by libnetconf2) and <get>
// round trips, with a minimal RPC (<lock>, answered <ok/>) as the baseline of the same
// run. Each figure is reported as the median over its repetitions. "/in_process" runs the
// server in this process; "/plugfest_sim" reaches a plugfest-sim process (the reference
// O-RU's descriptor) at the endpoint its adapter answers in PrepareSession, as the suite
// does. "/in_process_tls" is the set-up over TLS (RFC 7589) instead of SSH.

#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <memory>

#include "interfaces/adapter/adapter_launcher.h"
#include "interfaces/management/netconf_client.h"
#include "vendors/sim/mplane/mplane_server.h"
#include "vendors/sim/mplane/test_pki.h"

namespace {

using plugfest::management::ConnectOptions;
using plugfest::management::Filter;
using plugfest::management::NetconfSession;

// The bench's certificates, removed at exit.
struct BenchPki {
  std::filesystem::path dir;  // empty when the openssl command line is missing
  BenchPki() {
    auto path = std::filesystem::temp_directory_path() /
                ("plugfest-mplane-bench-pki-" + std::to_string(::getpid()));
    std::filesystem::create_directories(path);
    if (plugfest::sim::make_test_pki(path, "ca", {"bench"})) dir = path;
  }
  ~BenchPki() {
    std::error_code ignored;
    std::filesystem::remove_all(std::filesystem::temp_directory_path() /
                                    ("plugfest-mplane-bench-pki-" + std::to_string(::getpid())),
                                ignored);
  }
};

const std::filesystem::path& pki_dir() {
  static const BenchPki pki;
  return pki.dir;
}

plugfest::sim::MplaneServer& server() {
  static std::unique_ptr<plugfest::sim::MplaneServer> instance = [] {
    plugfest::sim::MplaneServerConfig config;
    config.users = {{"bench", "bench-secret", "", "sudo"}};
    if (!pki_dir().empty()) {
      config.tls = plugfest::sim::MplaneTlsConfig{(pki_dir() / "server.pem").string(),
                                                  (pki_dir() / "server.key").string(),
                                                  (pki_dir() / "ca.pem").string(), 0};
    }
    auto started = plugfest::sim::MplaneServer::start(config);
    if (!started.ok()) std::abort();
    return std::move(started.value());
  }();
  return *instance;
}

// The in-process server over TLS (client certificate CN=bench).
ConnectOptions in_process_tls() {
  ConnectOptions out;
  out.port = server().tls_port();
  out.tls = plugfest::management::TlsCredentials{(pki_dir() / "bench.pem").string(),
                                                 (pki_dir() / "bench.key").string(),
                                                 (pki_dir() / "ca.pem").string()};
  return out;
}

ConnectOptions in_process() {
  ConnectOptions out;
  out.port = server().port();
  out.credentials = {"bench", "bench-secret", "", ""};
  return out;
}

// plugfest-sim launched from the reference O-RU's descriptor; its M-plane endpoint as
// PrepareSession names it.
ConnectOptions plugfest_sim() {
  static const ConnectOptions options = [] {
    static std::unique_ptr<plugfest::adapter::LaunchedAdapter> sim;
    plugfest::adapter::LaunchOptions launch;
    launch.name = "reference-ru";
    launch.command = {PLUGFEST_SIM, "--descriptor", PLUGFEST_REFERENCE_ORU};
    launch.stderr_path = std::filesystem::temp_directory_path() / "plugfest-mplane-bench.stderr";
    auto launched = plugfest::adapter::LaunchedAdapter::launch(launch);
    if (!launched.ok()) std::abort();
    sim = std::move(launched.value());
    plugfest::adapter::SessionRequest request;
    request.session_id = "bench";
    // The O-RU sends no fronthaul unless asked by C-plane: the discard port will do.
    request.harness_endpoint = plugfest::adapter::UdpEndpoint{"127.0.0.1", 9};
    auto setup = sim->client().prepare_session(request);
    if (!setup.ok() || !setup->management) std::abort();
    ConnectOptions out;
    out.host = setup->management->host;
    out.port = setup->management->port;
    out.credentials = {setup->management->user, setup->management->password, "", ""};
    return out;
  }();
  return options;
}

NetconfSession& session(ConnectOptions (*target)()) {
  static std::map<ConnectOptions (*)(), std::unique_ptr<NetconfSession>> sessions;
  auto& instance = sessions[target];
  if (!instance) {
    auto connected = NetconfSession::connect(target());
    if (!connected.ok()) std::abort();
    instance = std::move(connected.value());
  }
  return *instance;
}

void BM_SessionSetup(benchmark::State& state, ConnectOptions (*target)()) {
  if (target == in_process_tls && pki_dir().empty()) {
    state.SkipWithError("no openssl command line to make certificates");
    return;
  }
  const ConnectOptions options = target();
  for (auto _ : state) {
    auto connected = NetconfSession::connect(options);
    if (!connected.ok()) state.SkipWithError(connected.error().to_string().c_str());
    benchmark::DoNotOptimize(connected);
  }
}
BENCHMARK_CAPTURE(BM_SessionSetup, in_process, in_process)
    ->Iterations(1)
    ->Repetitions(100)
    ->ReportAggregatesOnly(true)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_SessionSetup, in_process_tls, in_process_tls)
    ->Iterations(1)
    ->Repetitions(100)
    ->ReportAggregatesOnly(true)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_SessionSetup, plugfest_sim, plugfest_sim)
    ->Iterations(1)
    ->Repetitions(100)
    ->ReportAggregatesOnly(true)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_LockBaseline(benchmark::State& state, ConnectOptions (*target)()) {
  NetconfSession& s = session(target);
  for (auto _ : state) {
    auto reply = s.rpc(
        "<lock xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\">"
        "<target><running/></target></lock>");
    if (!reply.ok() || !reply->ok()) state.SkipWithError("lock failed");
  }
}
BENCHMARK_CAPTURE(BM_LockBaseline, in_process, in_process)
    ->Iterations(1)
    ->Repetitions(100)
    ->ReportAggregatesOnly(true)
    ->Unit(benchmark::kMicrosecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_LockBaseline, plugfest_sim, plugfest_sim)
    ->Iterations(1)
    ->Repetitions(100)
    ->ReportAggregatesOnly(true)
    ->Unit(benchmark::kMicrosecond)
    ->UseRealTime();

void BM_GetFiltered(benchmark::State& state, ConnectOptions (*target)()) {
  NetconfSession& s = session(target);
  Filter filter =
      Filter::subtree("<hardware xmlns=\"urn:ietf:params:xml:ns:yang:ietf-hardware\"/>");
  for (auto _ : state) {
    auto reply = s.get(filter);
    if (!reply.ok() || !reply->ok()) state.SkipWithError("get failed");
  }
}
BENCHMARK_CAPTURE(BM_GetFiltered, in_process, in_process)
    ->Iterations(1)
    ->Repetitions(100)
    ->ReportAggregatesOnly(true)
    ->Unit(benchmark::kMicrosecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_GetFiltered, plugfest_sim, plugfest_sim)
    ->Iterations(1)
    ->Repetitions(100)
    ->ReportAggregatesOnly(true)
    ->Unit(benchmark::kMicrosecond)
    ->UseRealTime();

void BM_GetAll(benchmark::State& state, ConnectOptions (*target)()) {
  NetconfSession& s = session(target);
  for (auto _ : state) {
    auto reply = s.get();
    if (!reply.ok() || !reply->ok()) state.SkipWithError("get failed");
  }
}
BENCHMARK_CAPTURE(BM_GetAll, in_process, in_process)
    ->Iterations(1)
    ->Repetitions(100)
    ->ReportAggregatesOnly(true)
    ->Unit(benchmark::kMicrosecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_GetAll, plugfest_sim, plugfest_sim)
    ->Iterations(1)
    ->Repetitions(100)
    ->ReportAggregatesOnly(true)
    ->Unit(benchmark::kMicrosecond)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
