// Whole U-plane packet decode + validate for a 100 MHz, 30 kHz, 4T4R cell: 273 PRBs,
// BFP 9 bits, one packet per antenna and symbol, 14 symbols x 2 slots per millisecond,
// that is 4 x 14 x 2000 = 112000 U-plane packets per second (about 6.9 Gbit/s of IQ).
// cpu_share is the fraction of one core the measured rate needs at that line rate.
#include <benchmark/benchmark.h>

#include <memory>

#include "interfaces/fronthaul/codec.h"
#include "interfaces/fronthaul/stream_validator.h"
#include "interfaces/fronthaul/testing/message_generator.h"

namespace plugfest::fronthaul {
namespace {

constexpr unsigned kAntennas = 4;
constexpr double kSlotsPerSecond = 2000;  // 30 kHz subcarrier spacing
constexpr double kUplanePacketsPerSecond = kAntennas * 14 * kSlotsPerSecond;
constexpr int kSlots = 8;

DecoderConfig cell_config() {
  DecoderConfig config;
  config.carrier_prbs = 273;
  config.uplane_compression.static_params = {CompressionMethod::kBlockFloatingPoint, 9};
  return config;
}

struct Traffic {
  std::vector<std::vector<std::uint8_t>> cplane;  // fed once per round, untimed
  std::vector<std::vector<std::uint8_t>> uplane;
};

Traffic make_traffic(const DecoderConfig& config) {
  testing::CellTraffic cell(42, config, kAntennas);
  Traffic traffic;
  for (int slot = 0; slot < kSlots; ++slot) {
    for (const Message& m : cell.next_slot()) {
      (m.is_cplane() ? traffic.cplane : traffic.uplane).push_back(encode(m));
    }
  }
  return traffic;
}

void set_counters(benchmark::State& state, std::size_t bytes) {
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
  state.counters["cpu_share"] = benchmark::Counter(
      1.0 / kUplanePacketsPerSecond,
      benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

// decode_into only: one U-plane packet per iteration.
void BM_UplaneDecode(benchmark::State& state) {
  const DecoderConfig config = cell_config();
  const Traffic traffic = make_traffic(config);
  DecodeResult result;
  std::size_t i = 0;
  for (auto _ : state) {
    decode_into(traffic.uplane[i], config, result);
    benchmark::DoNotOptimize(result.findings.data());
    if (++i == traffic.uplane.size()) i = 0;
  }
  if (!result.findings.empty()) state.SkipWithError("findings on conformant traffic");
  set_counters(state, traffic.uplane[0].size());
}
BENCHMARK(BM_UplaneDecode);

// StreamValidator::feed (decode + sequence, C/U-plane coupling and compression checks):
// one U-plane packet per iteration. Each round of kSlots slots starts a fresh validator
// and feeds the C-plane requests outside the timed region.
void BM_UplaneDecodeValidate(benchmark::State& state) {
  const DecoderConfig config = cell_config();
  const Traffic traffic = make_traffic(config);
  auto validator = std::make_unique<StreamValidator>(config);
  auto start_round = [&] {
    validator = std::make_unique<StreamValidator>(config);
    for (const auto& packet : traffic.cplane) validator->feed(packet, {});
  };
  start_round();
  std::size_t i = 0;
  bool clean = true;
  for (auto _ : state) {
    benchmark::DoNotOptimize(validator->feed(traffic.uplane[i], std::chrono::nanoseconds(i)));
    if (++i == traffic.uplane.size()) {
      state.PauseTiming();
      clean = clean && validator->findings().empty();
      start_round();
      i = 0;
      state.ResumeTiming();
    }
  }
  if (!clean || !validator->findings().empty()) {
    state.SkipWithError("findings on conformant traffic");
  }
  set_counters(state, traffic.uplane[0].size());
}
BENCHMARK(BM_UplaneDecodeValidate);

void BM_UplaneEncode(benchmark::State& state) {
  const DecoderConfig config = cell_config();
  testing::CellTraffic cell(42, config, kAntennas);
  const std::vector<Message> slot = cell.next_uplane_slot();
  std::size_t i = 0;
  std::size_t bytes = 0;
  for (auto _ : state) {
    const auto wire = encode(slot[i]);
    bytes = wire.size();
    benchmark::DoNotOptimize(wire.data());
    if (++i == slot.size()) i = 0;
  }
  set_counters(state, bytes);
}
BENCHMARK(BM_UplaneEncode);

}  // namespace
}  // namespace plugfest::fronthaul

BENCHMARK_MAIN();
