#include "vendors/sim/sim_adapter.h"

#include <gtest/gtest.h>

#include "interfaces/transport/testing/network_namespace.h"

namespace plugfest::sim {
namespace {

SimDescriptor oru_descriptor(const std::string& interface) {
  SimDescriptor d;
  d.device.role = adapter::Role::kOru;
  d.device.vendor = "sim";
  d.dilation = 100;
  d.fronthaul_interface = interface;
  return d;
}

adapter::SessionRequest ethernet_request(const std::string& mac) {
  adapter::SessionRequest request;
  request.session_id = "s1";
  request.harness_endpoint = adapter::EthernetEndpoint{"h0", mac, 6, 7};
  request.eaxc_split = {2, 6, 4, 4};
  request.carrier_prbs = 106;
  request.antenna_ports = 2;
  request.dl_compression = {{fronthaul::CompressionMethod::kBlockFloatingPoint, 9}, true};
  request.ul_compression = request.dl_compression;
  return request;
}

TEST(SimAdapterTransport, WithoutAnInterfaceAnEthernetSessionIsRefusedNamingTheKeyAndUdp) {
  SimAdapter sim(oru_descriptor(""));
  auto setup = sim.prepare_session(ethernet_request("02:00:00:00:00:01"));
  ASSERT_FALSE(setup);
  EXPECT_NE(setup.error().message.find("simulator: {fronthaul_interface: NAME}"),
            std::string::npos)
      << setup.error().message;
  EXPECT_NE(setup.error().message.find("over UDP"), std::string::npos);
}

TEST(SimAdapterTransport, ABadHarnessMacIsRefused) {
  SimAdapter sim(oru_descriptor("lo"));
  auto setup = sim.prepare_session(ethernet_request("02:00:00:00:00"));
  ASSERT_FALSE(setup);
  EXPECT_NE(setup.error().message.find("no MAC address"), std::string::npos);
}

TEST(SimAdapterTransport, OverEthernetItAnswersItsInterfaceMacAndTheVlanItSendsOn) {
  auto veth = transport::testing::VethNamespaces::create();
  if (!veth) GTEST_SKIP() << "no veth pair here: " << veth.error().message;
  SimAdapter sim(oru_descriptor((*veth)->interface_b()));
  Result<adapter::SessionSetup> setup = Error{"not run", ""};
  ASSERT_TRUE(transport::testing::VethNamespaces::run_in(
      (*veth)->namespace_b(), [&] { setup = sim.prepare_session(ethernet_request("02:00:00:00:00:01")); }));
  ASSERT_TRUE(setup) << setup.error().message;
  const auto* eth = std::get_if<adapter::EthernetEndpoint>(&setup->dut_endpoint);
  ASSERT_NE(eth, nullptr);
  EXPECT_EQ(eth->interface, (*veth)->interface_b());
  EXPECT_EQ(eth->vlan_id, 6);
  EXPECT_EQ(eth->priority, 7);
  const auto mac = fronthaul::parse_mac(eth->mac);
  ASSERT_TRUE(mac);
  EXPECT_NE(*mac, fronthaul::MacAddress{});
  // UDP still works on the same simulator.
  auto udp = ethernet_request("");
  udp.session_id = "s2";
  udp.harness_endpoint = adapter::UdpEndpoint{"127.0.0.1", 40000};
  auto again = sim.prepare_session(udp);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_TRUE(std::holds_alternative<adapter::UdpEndpoint>(again->dut_endpoint));
}

}  // namespace
}  // namespace plugfest::sim
