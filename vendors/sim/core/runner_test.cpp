#include "vendors/sim/core/runner.h"

#include <gtest/gtest.h>

#include <thread>

#include "interfaces/transport/relay.h"
#include "interfaces/transport/validator_tap.h"
#include "vendors/sim/core/odu.h"
#include "vendors/sim/core/oru.h"

namespace plugfest::sim {
namespace {

using asio::ip::udp;
using fronthaul::DataDirection;

transport::FronthaulConfig slow_config() {
  transport::FronthaulConfig config;
  config.carrier_prbs = 106;
  config.antennas = 2;
  config.dl_compression = {false, {fronthaul::CompressionMethod::kBlockFloatingPoint, 9}};
  config.ul_compression = config.dl_compression;
  config.dilation = 300;  // a slot lasts 150 ms: robust on a loaded machine
  return config;
}

struct LiveRun {
  std::vector<fronthaul::Finding> findings;
  std::size_t packets = 0;
  ReceptionCounters oru, odu;
};

// O-DU runner -> relay (validating) -> O-RU runner, for `slots` slots of the pattern.
LiveRun run_live(const FaultSet& odu_faults, const FaultSet& oru_faults, std::uint32_t slots) {
  const transport::FronthaulConfig config = slow_config();
  SimulatedOdu odu(config, odu_faults);
  SimulatedOru oru(config, oru_faults);
  const udp::endpoint loopback(asio::ip::make_address("127.0.0.1"), 0);
  asio::io_context relay_io;
  auto relay = transport::UdpRelay::open(relay_io, {loopback, loopback, {}, {}, {}}).value();
  transport::ValidatorTap validator(config.decoder_config(DataDirection::kDownlink),
                                    config.decoder_config(DataDirection::kUplink));
  relay->add_tap(validator);
  relay->start();
  std::thread relay_thread([&relay_io] { relay_io.run(); });

  const auto tick = std::chrono::milliseconds(5);
  auto oru_runner =
      FronthaulRunner::start(oru, {loopback, relay->ru_facing_endpoint(), tick, {}}).value();
  relay->set_o_ru(oru_runner->local_endpoint());
  auto odu_runner =
      FronthaulRunner::start(odu, {loopback, relay->du_facing_endpoint(), tick, {}}).value();
  SlotPattern pattern;
  pattern.num_slots = slots;
  const auto first = odu.start(pattern, transport::now());
  EXPECT_TRUE(first);
  odu_runner->wake();
  // Until the pattern ran out and the last UL answers had time to arrive.
  const auto clock = config.clock();
  const auto end = clock.symbol_start((*first + slots + 2) * transport::kSymbolsPerSlot);
  std::this_thread::sleep_until(end);
  odu_runner->stop();
  oru_runner->stop();
  asio::post(relay_io, [&] {
    relay->stop();
    relay_io.stop();
  });
  relay_thread.join();
  return {validator.findings(), validator.packets(), oru.counters(), odu.counters()};
}

bool any_rule(const LiveRun& run, std::string_view rule) {
  for (const auto& f : run.findings) {
    if (f.rule_id == rule) return true;
  }
  return false;
}

TEST(LiveSimulatedPair, ConformantTrafficThroughTheRelayRaisesNoFinding) {
  const LiveRun run = run_live({}, {}, 5);
  for (const auto& f : run.findings) ADD_FAILURE() << f.rule_id << ": " << f.message;
  EXPECT_GT(run.packets, 100u);
  // A heavily loaded machine may still deschedule a sender past a window now and then.
  EXPECT_GT(run.oru.on_time, 0u);
  EXPECT_LE((run.oru.early + run.oru.late) * 4, run.oru.on_time);
  EXPECT_EQ(run.oru.malformed, 0u);
  EXPECT_GT(run.odu.on_time, 0u);
  EXPECT_LE((run.odu.early + run.odu.late) * 4, run.odu.on_time);
  EXPECT_EQ(run.odu.malformed, 0u);
}

TEST(LiveSimulatedPair, FaultsOnBothSidesShowAsFindings) {
  const LiveRun run = run_live({Fault::kDlCplaneUdCompHdrNonzero}, {Fault::kWrongSectionId}, 5);
  EXPECT_TRUE(any_rule(run, fronthaul::rules::kCpDlUdCompHdrNonzero));
  EXPECT_TRUE(any_rule(run, fronthaul::rules::kStreamUpSectionId));
}

}  // namespace
}  // namespace plugfest::sim
