// IQ compression throughput per OFDM symbol of a 100 MHz 4T4R cell (4 antenna ports x 273
// PRBs at 30 kHz), block floating point at every width 8..16, scalar (the baseline) and
// AVX2.
#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <vector>

#include "interfaces/fronthaul/compression.h"

namespace plugfest::fronthaul {
namespace {

constexpr std::size_t kPrbsPerSymbol = 4 * 273;

std::vector<IqSample> symbol_samples() {
  std::mt19937 rng(7);
  std::normal_distribution<double> gauss(0.0, 3000.0);
  std::vector<IqSample> samples(12 * kPrbsPerSymbol);
  for (auto& s : samples) {
    s.i = static_cast<std::int16_t>(std::clamp(gauss(rng), -32768.0, 32767.0));
    s.q = static_cast<std::int16_t>(std::clamp(gauss(rng), -32768.0, 32767.0));
  }
  return samples;
}

void bfp_compress(benchmark::State& state, SimdPath path) {
  const CompressionParams params{CompressionMethod::kBlockFloatingPoint,
                                 static_cast<std::uint8_t>(state.range(0))};
  const auto samples = symbol_samples();
  std::vector<std::uint8_t> wire(compressed_size(params, kPrbsPerSymbol));
  for (auto _ : state) {
    auto written = compress(params, samples, wire, path);
    benchmark::DoNotOptimize(written);
    benchmark::ClobberMemory();
  }
  state.SetLabel(to_string(path));
}

void bfp_decompress(benchmark::State& state, SimdPath path) {
  const CompressionParams params{CompressionMethod::kBlockFloatingPoint,
                                 static_cast<std::uint8_t>(state.range(0))};
  const auto samples = symbol_samples();
  std::vector<std::uint8_t> wire(compressed_size(params, kPrbsPerSymbol));
  if (!compress(params, samples, wire, SimdPath::kScalar).ok()) {
    state.SkipWithError("compression failed");
    return;
  }
  std::vector<IqSample> out(samples.size());
  for (auto _ : state) {
    auto read = decompress(params, wire, out, path);
    benchmark::DoNotOptimize(read);
    benchmark::ClobberMemory();
  }
  state.SetLabel(to_string(path));
}

void register_all() {
  for (SimdPath path : {SimdPath::kScalar, SimdPath::kAvx2}) {
    if (path == SimdPath::kAvx2 && !avx2_available()) continue;
    const std::string suffix = std::string("/") + to_string(path);
    benchmark::RegisterBenchmark(("BM_BfpCompressSymbol" + suffix).c_str(), bfp_compress, path)
        ->DenseRange(8, 16)
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark(("BM_BfpDecompressSymbol" + suffix).c_str(), bfp_decompress, path)
        ->DenseRange(8, 16)
        ->Unit(benchmark::kMicrosecond);
  }
}

}  // namespace
}  // namespace plugfest::fronthaul

int main(int argc, char** argv) {
  plugfest::fronthaul::register_all();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
