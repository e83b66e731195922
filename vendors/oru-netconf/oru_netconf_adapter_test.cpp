// The standard O-RU adapter against the simulated O-RU's NETCONF server (real SSH on
// loopback): what Describe reads, what PrepareSession configures and activates, counters
// from o-ran-performance-management, cleanup, and device refusals passed on.

#include "vendors/oru-netconf/oru_netconf_adapter.h"

#include <gtest/gtest.h>

#include <mutex>
#include <thread>

#include "interfaces/adapter/adapter_client.h"
#include "vendors/sim/mplane/mplane_server.h"

namespace plugfest::oru_netconf {
namespace {

using sim::MplaneFault;
using sim::MplaneServer;
using sim::MplaneServerConfig;

constexpr const char* kHarnessMac = "0a:00:00:00:00:42";

class OruNetconfAdapterTest : public ::testing::Test {
 protected:
  void start(std::set<MplaneFault> faults = {}) {
    server_.reset();
    MplaneServerConfig config;
    config.users = {{"oru-admin", "admin-secret", "", "sudo"}};
    config.faults = std::move(faults);
    config.fronthaul_mac = "0a:00:00:00:00:07";
    config.rx_window_counts = [this]() -> std::optional<sim::RxWindowCounts> {
      std::lock_guard lock(mutex_);
      return counts_;
    };
    auto started = MplaneServer::start(std::move(config));
    ASSERT_TRUE(started.ok()) << started.error().to_string();
    server_ = std::move(*started);
    descriptor_.host = "127.0.0.1";
    descriptor_.port = server_->port();
    descriptor_.user = "oru-admin";
    descriptor_.password = "admin-secret";
    descriptor_.fronthaul_interface = "eth0";
    descriptor_.activation_timeout_ms = 1000;
  }

  adapter::SessionRequest request(std::uint16_t vlan = 6) {
    adapter::SessionRequest r;
    r.session_id = "s1";
    r.harness_endpoint = adapter::EthernetEndpoint{"veth-h", kHarnessMac, vlan, 7};
    r.numerology = 1;
    r.carrier_prbs = 273;
    r.antenna_ports = 4;
    r.dl_compression = {{fronthaul::CompressionMethod::kBlockFloatingPoint, 9}, true};
    r.ul_compression = r.dl_compression;
    return r;
  }

  // The O-RU's configuration as <get-config> reads it, for before/after comparisons.
  std::string running_config() {
    management::ConnectOptions options;
    options.port = server_->port();
    options.credentials = {"oru-admin", "admin-secret", "", ""};
    auto session = management::NetconfSession::connect(options);
    if (!session) return "?";
    auto reply = (*session)->get_config();
    return reply && reply->ok() ? management::to_xml(reply->data) : "?";
  }

  std::unique_ptr<MplaneServer> server_;
  OruDescriptor descriptor_;
  std::mutex mutex_;
  std::optional<sim::RxWindowCounts> counts_;
};

TEST_F(OruNetconfAdapterTest, DescribeReadsTheCapabilitiesFromTheDevice) {
  start();
  OruNetconfAdapter adapter(descriptor_);
  auto d = adapter.describe();
  ASSERT_TRUE(d.ok()) << d.error().to_string();
  EXPECT_EQ(d->device.vendor, "plugfest");
  EXPECT_EQ(d->device.model, "SIM-ORU-N78");
  EXPECT_EQ(d->device.serial, "SIM0000001");
  EXPECT_EQ(d->device.software_version, "1.4.2");
  EXPECT_TRUE(d->instruments.empty());
  const auto& caps = d->device.capabilities;
  for (const char* name :
       {"compression.bfp.9", "compression.bfp.14", "compression.none.16", "compression.bfp",
        "section_type.0", "section_type.1", "section_type.3", "extension.1", "extension.11",
        "numerology.1", "bandwidth.100", "bandwidth.20", "antennas.4", "ethernet",
        "mplane.netconf-ssh", "mplane"}) {
    EXPECT_TRUE(caps.has(name)) << name;
  }
  for (const char* name : {"compression.bfp.8", "section_type.5", "numerology.0", "bandwidth.200",
                           "antennas.8", "udp"}) {
    EXPECT_FALSE(caps.has(name)) << name;
  }
}

TEST_F(OruNetconfAdapterTest, PrepareConfiguresActivatesAndCleansUp) {
  start();
  const std::string before = running_config();
  OruNetconfAdapter adapter(descriptor_);
  auto setup = adapter.prepare_session(request());
  ASSERT_TRUE(setup.ok()) << setup.error().to_string();
  const auto* dut = std::get_if<adapter::EthernetEndpoint>(&setup->dut_endpoint);
  ASSERT_NE(dut, nullptr);
  EXPECT_EQ(dut->mac, "0a:00:00:00:00:07");  // the O-RU's, as its interface reports it
  EXPECT_EQ(dut->vlan_id, 6);
  EXPECT_EQ(dut->interface, "eth0.6");  // made for the session: the O-RU had no VLAN 6
  ASSERT_TRUE(setup->management.has_value());
  EXPECT_EQ(setup->management->port, server_->port());

  const auto active = server_->active_carriers();
  ASSERT_EQ(active.size(), 2u);
  EXPECT_EQ(active[0].name, kTxCarrier);
  EXPECT_EQ(active[0].channel_bandwidth_hz, 100000000u);
  EXPECT_EQ(active[0].eaxc_ids, (std::vector<std::uint16_t>{0, 1, 2, 3}));
  EXPECT_EQ(active[1].eaxc_ids, (std::vector<std::uint16_t>{0, 1, 2, 3, 4, 5, 6, 7}));  // PRACH 4..7
  const auto& e = active[0].endpoints[2];
  EXPECT_EQ(e.compression_method, "BLOCK_FLOATING_POINT");
  EXPECT_EQ(e.iq_bitwidth, 9);
  EXPECT_EQ(e.number_of_prb, 273);
  EXPECT_EQ(e.o_du_port_bitmask, 0xc000);
  EXPECT_EQ(e.band_sector_bitmask, 0x3f00);
  EXPECT_EQ(e.ccid_bitmask, 0x00f0);
  EXPECT_EQ(e.ru_port_bitmask, 0x000f);
  ASSERT_TRUE(e.flow.has_value());
  EXPECT_EQ(e.flow->odu_mac, kHarnessMac);
  EXPECT_EQ(e.flow->vlan_id, 6);
  EXPECT_EQ(e.flow->ru_mac, "0a:00:00:00:00:07");

  // Counters: since PrepareSession, and since Reset.
  {
    std::lock_guard lock(mutex_);
    counts_ = sim::RxWindowCounts{.on_time = 50, .early = 2, .late = 1, .corrupt = 4};
  }
  auto c = adapter.counters("s1");
  ASSERT_TRUE(c.ok()) << c.error().to_string();
  EXPECT_EQ(c->rx_on_time, 50u);
  EXPECT_EQ(c->rx_early, 2u);
  EXPECT_EQ(c->rx_late, 1u);
  EXPECT_EQ(c->rx_malformed, 4u);
  ASSERT_TRUE(adapter.reset("s1").ok());
  {
    std::lock_guard lock(mutex_);
    counts_->on_time = 80;
  }
  c = adapter.counters("s1");
  ASSERT_TRUE(c.ok()) << c.error().to_string();
  EXPECT_EQ(c->rx_on_time, 30u);
  EXPECT_EQ(c->rx_early, 0u);
  EXPECT_FALSE(adapter.counters("other").ok());

  // No instrument: Observe says which, a UL air signal is refused saying why.
  auto seen = adapter.observe("s1", {adapter::Instrument::kDlRadiatedIq, 0, {}});
  ASSERT_TRUE(seen.ok());
  EXPECT_FALSE(seen->available);
  EXPECT_NE(seen->unavailable_reason.find("dl-radiated-iq"), std::string::npos);
  auto air = adapter.stimulate("s1", adapter::UlAirSignal{});
  ASSERT_FALSE(air.ok());
  EXPECT_NE(air.error().message.find("signal generator"), std::string::npos);

  // A second session replaces the first (on VLAN 100, which the O-RU has).
  setup = adapter.prepare_session(request(100));
  ASSERT_TRUE(setup.ok()) << setup.error().to_string();
  EXPECT_EQ(std::get<adapter::EthernetEndpoint>(setup->dut_endpoint).interface, "eth0.100");
  ASSERT_TRUE(adapter.cleanup().ok());
  EXPECT_TRUE(server_->active_carriers().empty());
  EXPECT_EQ(running_config(), before) << "cleanup left the O-RU configured otherwise";
}

TEST_F(OruNetconfAdapterTest, CarriersThatNeverBecomeReadyFailPrepareAndAreRemoved) {
  start({MplaneFault::kCarrierActivationIgnored});
  const std::string before = running_config();
  OruNetconfAdapter adapter(descriptor_);
  auto setup = adapter.prepare_session(request());
  ASSERT_FALSE(setup.ok());
  EXPECT_NE(setup.error().message.find("state is DISABLED"), std::string::npos)
      << setup.error().to_string();
  EXPECT_NE(setup.error().where.find("tx-array-carriers[name='plugfest-tx-carrier']/state"),
            std::string::npos)
      << setup.error().to_string();
  EXPECT_EQ(running_config(), before);
  EXPECT_FALSE(adapter.counters("s1").ok()) << "no session after a failed PrepareSession";
}

TEST_F(OruNetconfAdapterTest, DeviceRefusalsComeBackWithTheirErrorTagAndPath) {
  start({MplaneFault::kRefuseAllRpcs});
  OruNetconfAdapter adapter(descriptor_);
  auto d = adapter.describe();
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.error().message.find("the O-RU answered operation-failed"), std::string::npos)
      << d.error().to_string();
}

TEST_F(OruNetconfAdapterTest, WhatTheDeviceOrRequestLacksIsNamed) {
  start();
  OruNetconfAdapter adapter(descriptor_);
  auto udp = request();
  udp.harness_endpoint = adapter::UdpEndpoint{"127.0.0.1", 4000};
  auto refused = adapter.prepare_session(udp);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("Ethernet"), std::string::npos);

  auto compression = request();
  compression.dl_compression.params.iq_width = 8;
  refused = adapter.prepare_session(compression);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("DL compression bfp 8"), std::string::npos)
      << refused.error().message;

  auto antennas = request();
  antennas.antenna_ports = 8;
  refused = adapter.prepare_session(antennas);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("8 antennas"), std::string::npos);

  OruDescriptor wrong = descriptor_;
  wrong.fronthaul_interface = "ens9";
  OruNetconfAdapter elsewhere(wrong);
  refused = elsewhere.prepare_session(request());
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("no interface 'ens9'"), std::string::npos);
  EXPECT_NE(refused.error().message.find("eth0.100"), std::string::npos);
  EXPECT_TRUE(server_->active_carriers().empty());

  OruDescriptor unreachable = descriptor_;
  unreachable.port = 1;
  OruNetconfAdapter nowhere(unreachable);
  auto d = nowhere.describe();
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().where, "127.0.0.1:1");
}

// Over the adapter protocol a missing UL air-signal source is UNIMPLEMENTED, which the
// harness tells apart from a failing adapter; other refusals are not.
TEST_F(OruNetconfAdapterTest, NoAirSignalSourceIsUnimplementedOnTheWire) {
  start();
  OruNetconfAdapter handler(descriptor_);
  auto server = adapter::AdapterServer::start(handler, "127.0.0.1:0");
  ASSERT_TRUE(server.ok()) << server.error().to_string();
  adapter::ClientOptions options;
  options.target = "127.0.0.1:" + std::to_string((*server)->port());
  auto client = adapter::AdapterClient::create(options);
  ASSERT_TRUE(client.ok()) << client.error().to_string();
  auto setup = (*client)->prepare_session(request());
  ASSERT_TRUE(setup.ok()) << setup.error().to_string();
  auto air = (*client)->stimulate("s1", adapter::UlAirSignal{});
  ASSERT_FALSE(air.ok());
  EXPECT_TRUE(adapter::is_not_implemented(air.error())) << air.error().to_string();
  EXPECT_NE(air.error().message.find("signal generator"), std::string::npos);
  auto unknown = (*client)->stimulate("no-such-session", adapter::UlAirSignal{});
  ASSERT_FALSE(unknown.ok());
  EXPECT_FALSE(adapter::is_not_implemented(unknown.error())) << unknown.error().to_string();
  (*server)->request_shutdown();
  (*server)->wait();
  ASSERT_TRUE(handler.cleanup().ok());
}

// While the session runs the adapter keeps resetting the O-RU's supervision watchdog, so
// its carriers outlive interval + guard; once the adapter is gone the watchdog expires
// (which shows the resets had started it).
TEST_F(OruNetconfAdapterTest, SupervisionKeepsTheCarriersAndStopsWithTheAdapter) {
  start();
  descriptor_.supervision_interval_s = 1;
  descriptor_.supervision_guard_s = 1;
  auto adapter = std::make_unique<OruNetconfAdapter>(descriptor_);
  auto setup = adapter->prepare_session(request(100));
  ASSERT_TRUE(setup.ok()) << setup.error().to_string();
  std::this_thread::sleep_for(std::chrono::milliseconds(3500));
  EXPECT_EQ(server_->active_carriers().size(), 2u) << "the watchdog expired under supervision";
  adapter.reset();
  std::this_thread::sleep_for(std::chrono::milliseconds(3000));
  management::ConnectOptions options;
  options.port = server_->port();
  options.credentials = {"oru-admin", "admin-secret", "", ""};
  auto session = management::NetconfSession::connect(options);
  ASSERT_TRUE(session.ok()) << session.error().to_string();
  auto alarms = (*session)->get(
      management::Filter::subtree("<active-alarm-list xmlns=\"urn:o-ran:fm:1.0\"/>"));
  ASSERT_TRUE(alarms.ok() && alarms->ok());
  EXPECT_NE(management::to_xml(alarms->data).find("Supervision watchdog expired"),
            std::string::npos)
      << management::to_xml(alarms->data);
}

}  // namespace
}  // namespace plugfest::oru_netconf
