// Adapter start-up time (launch to a SERVING health answer) and Describe round-trip time
// over the unix socket, for the C++ test adapter and the example Python adapter.
// Repetitions are set per benchmark; read the _median rows.
#include <benchmark/benchmark.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "interfaces/adapter/adapter_launcher.h"

namespace {

using plugfest::adapter::LaunchedAdapter;
using plugfest::adapter::LaunchOptions;

LaunchOptions options_for(bool python) {
  LaunchOptions options;
  options.name = python ? "python" : "cpp";
  options.command = python
                        ? std::vector<std::string>{PYTHON_ADAPTER, "--stubs", PYTHON_ADAPTER_STUBS}
                        : std::vector<std::string>{PLUGFEST_TEST_ADAPTER};
  options.stderr_path =
      std::filesystem::temp_directory_path() / ("plugfest-bench-" + options.name + ".stderr");
  options.ready_timeout = std::chrono::seconds(30);
  return options;
}

// Baseline for start-up: the same program started and run to exit without serving (the
// C++ adapter with --mode exit-at-start; Python importing grpc), so the launcher's own
// share of start-up shows.
void BM_ProcessStartBaseline(benchmark::State& state) {
  const bool python = state.range(0) == 1;
  std::vector<const char*> argv =
      python ? std::vector<const char*>{"/usr/bin/python3", "-c", "import grpc", nullptr}
             : std::vector<const char*>{PLUGFEST_TEST_ADAPTER, "--mode", "exit-at-start", nullptr};
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    const pid_t pid = ::fork();
    if (pid == 0) {
      ::close(2);
      ::execv(argv[0], const_cast<char* const*>(argv.data()));
      ::_exit(127);
    }
    ::waitpid(pid, nullptr, 0);
    state.SetIterationTime(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  state.SetLabel(python ? "python3 -c 'import grpc'" : "c++ test adapter, exit at start");
}
BENCHMARK(BM_ProcessStartBaseline)
    ->Arg(0)
    ->Arg(1)
    ->UseManualTime()
    ->Iterations(1)
    ->Repetitions(20)
    ->ReportAggregatesOnly()
    ->Unit(benchmark::kMillisecond);

// One launch per iteration; the manual time is launch to healthy.
void BM_LaunchToHealthy(benchmark::State& state) {
  const bool python = state.range(0) == 1;
  for (auto _ : state) {
    auto adapter = LaunchedAdapter::launch(options_for(python));
    if (!adapter) {
      state.SkipWithError(adapter.error().to_string().c_str());
      return;
    }
    state.SetIterationTime(std::chrono::duration<double>((*adapter)->startup_time()).count());
  }
  state.SetLabel(python ? "python adapter" : "c++ test adapter");
}
BENCHMARK(BM_LaunchToHealthy)
    ->Arg(0)
    ->Arg(1)
    ->UseManualTime()
    ->Iterations(1)
    ->Repetitions(20)
    ->ReportAggregatesOnly()
    ->Unit(benchmark::kMillisecond);

void BM_DescribeRoundTrip(benchmark::State& state) {
  const bool python = state.range(0) == 1;
  auto adapter = LaunchedAdapter::launch(options_for(python));
  if (!adapter) {
    state.SkipWithError(adapter.error().to_string().c_str());
    return;
  }
  auto& client = (*adapter)->client();
  for (auto _ : state) {
    auto description = client.describe();
    if (!description) {
      state.SkipWithError(description.error().to_string().c_str());
      return;
    }
    benchmark::DoNotOptimize(description->device.vendor.data());
  }
  state.SetLabel(python ? "python adapter" : "c++ test adapter");
}
BENCHMARK(BM_DescribeRoundTrip)
    ->Arg(0)
    ->Arg(1)
    ->Repetitions(5)
    ->ReportAggregatesOnly()
    ->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
