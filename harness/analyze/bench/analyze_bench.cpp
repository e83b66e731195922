// Offline analysis of a large capture: a 100 MHz 4T4R cell (273 PRBs, 30 kHz, static 9-bit
// BFP, DL and UL with PRACH) written to a temporary pcap of about 1 GiB (PLUGFEST_BENCH_MB
// to change), then read back: frames only, analysed with no configuration (everything
// inferred, as a lab's first try), and analysed with the config that describes it. Reports
// throughput and the process's peak resident memory. Rates are per CPU second of the one
// analysing thread (the wall time is printed beside them). The capture is deleted at exit.
//
// `plugfest_analyze_bench --write-capture PATH [MIB]` only writes the capture (for
// run_analyze_bench.py, which times `plugfest analyze` and `tshark -r FILE -q` on it as
// separate processes, with their own peak RSS).
#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>

#include "harness/analyze/analyzer.h"
#include "harness/analyze/testing/capture_builder.h"
#include "interfaces/fronthaul/pcap.h"

namespace {

using namespace plugfest::analyze;

double peak_rss_mb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

testing::ExchangeOptions cell() {
  testing::ExchangeOptions o;
  o.carrier_prbs = 273;
  o.antennas = 4;
  o.numerology = plugfest::transport::Numerology::kMu1;
  o.compression = {false, {plugfest::fronthaul::CompressionMethod::kBlockFloatingPoint, 9}};
  return o;
}

// Writes about `mib` MiB of the cell's exchange to `path`; returns its config.
AnalysisConfig write_cell_capture(const std::string& path, std::uint64_t mib) {
  testing::ExchangeBuilder builder(cell());
  auto writer = plugfest::fronthaul::PcapWriter::create(path);
  if (!writer) {
    std::cerr << writer.error().to_string() << "\n";
    std::exit(1);
  }
  std::uint64_t written = 0;
  while (written < (mib << 20)) {
    for (const auto& f : builder.next_slot()) {
      (void)writer->write(f.bytes, f.timestamp);
      written += f.bytes.size() + 16;
    }
  }
  if (auto closed = writer->close(); !closed) {
    std::cerr << closed.error().to_string() << "\n";
    std::exit(1);
  }
  return builder.config();
}

struct Capture {
  std::string path;
  AnalysisConfig config;
  std::uint64_t bytes = 0;

  Capture() {
    const char* mb = std::getenv("PLUGFEST_BENCH_MB");
    path = (std::filesystem::temp_directory_path() /
            ("plugfest-analyze-bench-" + std::to_string(::getpid()) + ".pcap"))
               .string();
    config = write_cell_capture(path, mb ? std::strtoull(mb, nullptr, 10) : 1024);
    bytes = std::filesystem::file_size(path);
    std::cerr << "capture: " << path << ", " << (bytes >> 20) << " MiB, peak RSS after writing "
              << peak_rss_mb() << " MB\n";
  }
  ~Capture() { std::filesystem::remove(path); }
};

Capture& capture() {
  static Capture c;
  return c;
}

// Baseline: reading the frames only.
void BM_ReadCapture(benchmark::State& state) {
  Capture& c = capture();
  for (auto _ : state) {
    auto file = CaptureFile::open(c.path);
    FrameView frame;
    std::uint64_t frames = 0;
    while (file->next(frame).value()) ++frames;
    benchmark::DoNotOptimize(frames);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * c.bytes));
  state.counters["peak_rss_MB"] = peak_rss_mb();
}
BENCHMARK(BM_ReadCapture)->Unit(benchmark::kMillisecond)->Iterations(3);

// state.range(0): 1 analyses with the config describing the capture, 0 with none.
void BM_AnalyzeCapture(benchmark::State& state) {
  Capture& c = capture();
  const AnalysisConfig config = state.range(0) ? c.config : AnalysisConfig{};
  std::size_t failing = 0;
  for (auto _ : state) {
    auto report = analyze_captures({c.path}, config);
    if (!report) {
      state.SkipWithError(report.error().to_string().c_str());
      return;
    }
    failing = 0;
    for (const auto& outcome : report->cases) failing += outcome.judgement != Judgement::kPass;
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * c.bytes));
  state.counters["peak_rss_MB"] = peak_rss_mb();
  state.counters["cases_not_passed"] = static_cast<double>(failing);
}
BENCHMARK(BM_AnalyzeCapture)
    ->ArgName("configured")
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 3 && std::string(argv[1]) == "--write-capture") {
    write_cell_capture(argv[2], argc >= 4 ? std::strtoull(argv[3], nullptr, 10) : 1024);
    return 0;
  }
  benchmark::Initialize(&argc, argv);
  capture();  // written once, before any timing; deleted at exit
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
