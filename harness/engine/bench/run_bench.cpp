// Planning and execution overhead: 10,000 trivial items (100 cases x 100 DUTs) planned and
// run on 2 workers, journal and reports included. Reported as items per second.
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <filesystem>

#include "harness/engine/context.h"
#include "harness/engine/run.h"

namespace plugfest::harness {
namespace {

class NullSession : public DutSession {
 public:
  Result<adapter::DeviceDescription> describe() override {
    adapter::DeviceDescription d;
    d.vendor = "bench";
    d.role = adapter::Role::kOru;
    return d;
  }
  void close() override {}
};

class NullConnector : public DutConnector {
 public:
  Result<std::unique_ptr<DutSession>> connect(const VendorDescriptor&,
                                              const ConnectOptions&) override {
    return std::unique_ptr<DutSession>(std::make_unique<NullSession>());
  }
};

struct Fixture {
  Registry registry;
  Inputs inputs;
  Fixture(int cases, int duts) {
    Profile profile;
    profile.id = "bench";
    profile.title = "bench";
    profile.specification = {"BENCH", "1", ""};
    for (int c = 0; c < cases; ++c) {
      const std::string id = "bench.case-" + std::to_string(c);
      registry.add({.id = id,
                    .title = "trivial",
                    .plane = "cus",
                    .role = adapter::Role::kOru,
                    .run = [](Context& ctx) { ctx.set_verdict(Verdict::kPass); }});
      ProfileCase pc;
      pc.id = id;
      profile.cases.push_back(pc);
    }
    inputs.profiles.push_back(profile);
    for (int d = 0; d < duts; ++d) {
      VendorDescriptor desc;
      desc.name = "ru-" + std::to_string(d);
      desc.file = desc.name + ".yaml";
      desc.role = adapter::Role::kOru;
      desc.command = {"none"};
      inputs.descriptors.push_back(desc);
    }
  }
};

void BM_PlanOnly(benchmark::State& state) {
  Fixture f(100, 100);
  std::vector<PlannedDut> duts;
  for (const auto& d : f.inputs.descriptors) duts.push_back({d.name, d.role, {}});
  for (auto _ : state) {
    auto plan = make_plan(f.inputs.profiles, duts, f.registry, {});
    benchmark::DoNotOptimize(plan.data());
  }
  state.counters["items_per_second"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * 10000, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_PlanOnly)->Unit(benchmark::kMillisecond);

void BM_PlanAndRun10000Items(benchmark::State& state) {
  Fixture f(100, 100);
  NullConnector connector;
  std::string pattern = (std::filesystem::temp_directory_path() / "plugfest-bench-XXXXXX").string();
  const std::filesystem::path base = mkdtemp(pattern.data());
  int round = 0;
  for (auto _ : state) {
    RunOptions options;
    options.results_dir = base / std::to_string(round++);
    options.run_id = "bench";
    options.jobs = static_cast<unsigned>(state.range(0));
    options.harness_version = "bench";
    auto outcome = run_plan(f.inputs, &connector, f.registry, options);
    if (!outcome || outcome->results.size() != 10000) state.SkipWithError("run failed");
    state.PauseTiming();
    std::filesystem::remove_all(options.results_dir);
    state.ResumeTiming();
  }
  std::filesystem::remove_all(base);
  state.counters["items_per_second"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * 10000, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_PlanAndRun10000Items)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace plugfest::harness

BENCHMARK_MAIN();
