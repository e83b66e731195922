#include "vendors/sim/core/runner.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <thread>

#include "interfaces/transport/ethernet_socket.h"
#include "interfaces/transport/relay.h"
#include "interfaces/transport/testing/network_namespace.h"
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
      FronthaulRunner::start(oru, {loopback, relay->ru_facing_endpoint(), tick, {}, {}}).value();
  relay->set_o_ru(oru_runner->local_endpoint());
  auto odu_runner =
      FronthaulRunner::start(odu, {loopback, relay->du_facing_endpoint(), tick, {}, {}}).value();
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

// The same engines over raw Ethernet: an O-DU runner on one end of a veth pair, an O-RU
// runner on the other, each in its own namespace, every frame tagged with VLAN 6 / PCP 5
// and addressed to the other's MAC. A socket on each interface watches what arrives there.
TEST(LiveSimulatedPair, OverEthernetTheEnginesExchangeTaggedFramesAddressedToEachOther) {
  auto veth = transport::testing::VethNamespaces::create();
  if (!veth) GTEST_SKIP() << "no veth pair here: " << veth.error().message;
  // A U-plane message of 106 PRBs at BFP 9 is a jumbo frame.
  for (const auto& [ns, interface] : {std::pair{(*veth)->namespace_a(), (*veth)->interface_a()},
                                      std::pair{(*veth)->namespace_b(), (*veth)->interface_b()}}) {
    ASSERT_EQ(std::system(("ip -n " + ns + " link set " + interface + " mtu 9000").c_str()), 0);
  }
  const transport::FronthaulConfig config = slow_config();
  SimulatedOdu odu(config, {});
  SimulatedOru oru(config, {});
  const auto tick = std::chrono::milliseconds(5);
  FronthaulRunner::Options::Ethernet eth;
  eth.socket.vlan = fronthaul::VlanTag{6, 5};
  std::unique_ptr<FronthaulRunner> oru_runner, odu_runner;
  asio::io_context watch_io;
  std::unique_ptr<transport::EcpriEthernetSocket> watch, watch_odu;
  ASSERT_TRUE(transport::testing::VethNamespaces::run_in((*veth)->namespace_b(), [&] {
    FronthaulRunner::Options o;
    o.tick = tick;
    o.ethernet = eth;
    o.ethernet->socket.interface = (*veth)->interface_b();
    auto r = FronthaulRunner::start(oru, o);
    ASSERT_TRUE(r) << r.error().message;
    oru_runner = std::move(*r);
    transport::EthernetOptions w;
    w.interface = (*veth)->interface_b();
    auto s = transport::EcpriEthernetSocket::open(watch_io, w);
    ASSERT_TRUE(s) << s.error().message;
    watch = std::move(*s);
  }));
  ASSERT_TRUE(oru_runner && watch);
  ASSERT_TRUE(transport::testing::VethNamespaces::run_in((*veth)->namespace_a(), [&] {
    FronthaulRunner::Options o;
    o.tick = tick;
    o.ethernet = eth;
    o.ethernet->socket.interface = (*veth)->interface_a();
    o.ethernet->peer = oru_runner->local_mac();
    auto r = FronthaulRunner::start(odu, o);
    ASSERT_TRUE(r) << r.error().message;
    odu_runner = std::move(*r);
    transport::EthernetOptions w;
    w.interface = (*veth)->interface_a();
    auto s = transport::EcpriEthernetSocket::open(watch_io, w);
    ASSERT_TRUE(s) << s.error().message;
    watch_odu = std::move(*s);
  }));
  ASSERT_TRUE(odu_runner && watch_odu);
  EXPECT_TRUE(odu_runner->over_ethernet());
  EXPECT_NE(odu_runner->local_mac(), oru_runner->local_mac());
  SlotPattern pattern;
  pattern.num_slots = 5;  // DDDSU: one UL slot
  const auto first = odu.start(pattern, transport::now());
  ASSERT_TRUE(first);
  odu_runner->wake();
  const auto end = config.clock().symbol_start((*first + 5 + 2) * transport::kSymbolsPerSlot);
  std::size_t downlink = 0, uplink = 0;
  while (transport::now() < end) {
    for (auto* socket : {watch.get(), watch_odu.get()}) {
      auto frames = socket->receive(std::chrono::milliseconds(20));
      ASSERT_TRUE(frames) << frames.error().message;
      for (const auto& f : *frames) {
        ASSERT_EQ(f.location.vlans.size(), 1u);
        EXPECT_EQ(f.location.vlans[0].id, 6);
        EXPECT_EQ(f.location.vlans[0].pcp, 5);
        const bool from_odu = f.location.source == odu_runner->local_mac();
        EXPECT_EQ(f.location.destination,
                  from_odu ? oru_runner->local_mac() : odu_runner->local_mac());
        ++(from_odu ? downlink : uplink);
      }
    }
  }
  odu_runner->stop();
  oru_runner->stop();
  EXPECT_GT(downlink, 50u);
  EXPECT_GT(uplink, 10u);
  EXPECT_GT(oru.counters().on_time, 0u);
  EXPECT_EQ(oru.counters().malformed, 0u);
  EXPECT_GT(odu.counters().on_time, 0u);
  EXPECT_EQ(odu.counters().malformed, 0u);
  EXPECT_EQ(odu_runner->send_errors(), 0u);
}

}  // namespace
}  // namespace plugfest::sim
