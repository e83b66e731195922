// M-plane latency on loopback, harness client against the simulated O-RU over real SSH:
// session set-up (TCP + SSH + <hello> + schema retrieval by libnetconf2) and <get>
// round trips, with a minimal RPC (<lock>, answered <ok/>) as the baseline of the same
// run. Each figure is reported as the median over its repetitions.

#include <benchmark/benchmark.h>

#include <memory>

#include "interfaces/management/netconf_client.h"
#include "vendors/sim/mplane/mplane_server.h"

namespace {

using plugfest::management::ConnectOptions;
using plugfest::management::Filter;
using plugfest::management::NetconfSession;

plugfest::sim::MplaneServer& server() {
  static std::unique_ptr<plugfest::sim::MplaneServer> instance = [] {
    plugfest::sim::MplaneServerConfig config;
    config.users = {{"bench", "bench-secret", "", "sudo"}};
    auto started = plugfest::sim::MplaneServer::start(config);
    if (!started.ok()) std::abort();
    return std::move(started.value());
  }();
  return *instance;
}

ConnectOptions options() {
  ConnectOptions out;
  out.port = server().port();
  out.credentials = {"bench", "bench-secret", "", ""};
  return out;
}

NetconfSession& session() {
  static std::unique_ptr<NetconfSession> instance = [] {
    auto connected = NetconfSession::connect(options());
    if (!connected.ok()) std::abort();
    return std::move(connected.value());
  }();
  return *instance;
}

void BM_SessionSetup(benchmark::State& state) {
  for (auto _ : state) {
    auto connected = NetconfSession::connect(options());
    if (!connected.ok()) state.SkipWithError(connected.error().to_string().c_str());
    benchmark::DoNotOptimize(connected);
  }
}
BENCHMARK(BM_SessionSetup)
    ->Iterations(1)
    ->Repetitions(20)
    ->ReportAggregatesOnly(true)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_LockBaseline(benchmark::State& state) {
  NetconfSession& s = session();
  for (auto _ : state) {
    auto reply = s.rpc(
        "<lock xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\">"
        "<target><running/></target></lock>");
    if (!reply.ok() || !reply->ok()) state.SkipWithError("lock failed");
  }
}
BENCHMARK(BM_LockBaseline)
    ->Iterations(1)
    ->Repetitions(100)
    ->ReportAggregatesOnly(true)
    ->Unit(benchmark::kMicrosecond)
    ->UseRealTime();

void BM_GetFiltered(benchmark::State& state) {
  NetconfSession& s = session();
  Filter filter =
      Filter::subtree("<hardware xmlns=\"urn:ietf:params:xml:ns:yang:ietf-hardware\"/>");
  for (auto _ : state) {
    auto reply = s.get(filter);
    if (!reply.ok() || !reply->ok()) state.SkipWithError("get failed");
  }
}
BENCHMARK(BM_GetFiltered)
    ->Iterations(1)
    ->Repetitions(100)
    ->ReportAggregatesOnly(true)
    ->Unit(benchmark::kMicrosecond)
    ->UseRealTime();

void BM_GetAll(benchmark::State& state) {
  NetconfSession& s = session();
  for (auto _ : state) {
    auto reply = s.get();
    if (!reply.ok() || !reply->ok()) state.SkipWithError("get failed");
  }
}
BENCHMARK(BM_GetAll)
    ->Iterations(1)
    ->Repetitions(100)
    ->ReportAggregatesOnly(true)
    ->Unit(benchmark::kMicrosecond)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
