// FronthaulPort over raw Ethernet: two ports on the ends of a veth pair, each in its own
// network namespace (needs root; skipped otherwise).
#include <gtest/gtest.h>

#include <cstdlib>
#include <thread>

#include "harness/tester/fronthaul_port.h"
#include "harness/tester/traffic.h"
#include "interfaces/common/testing/temp_dir.h"
#include "interfaces/fronthaul/pcap.h"
#include "interfaces/transport/testing/network_namespace.h"

namespace plugfest::harness::tester {
namespace {

using fronthaul::DataDirection;
using std::chrono::milliseconds;
using plugfest::testing::TempDir;
using transport::testing::VethNamespaces;

transport::FronthaulConfig small_setup() {
  transport::FronthaulConfig setup;
  setup.carrier_prbs = 51;
  setup.antennas = 2;
  setup.dilation = 100;
  return setup;
}

class EthernetPorts : public ::testing::Test {
 protected:
  void SetUp() override {
    auto veth = VethNamespaces::create();
    if (!veth) GTEST_SKIP() << "no veth pair here: " << veth.error().message;
    veth_ = std::move(*veth);
    for (const auto& [ns, interface] : {std::pair{veth_->namespace_a(), veth_->interface_a()},
                                        std::pair{veth_->namespace_b(), veth_->interface_b()}}) {
      ASSERT_EQ(std::system(("ip -n " + ns + " link set " + interface + " mtu 9000").c_str()), 0);
    }
    const auto setup = small_setup();
    ASSERT_TRUE(VethNamespaces::run_in(veth_->namespace_a(), [&] {
      auto port = FronthaulPort::open_ethernet(
          setup, Plays::kOdu, {veth_->interface_a(), fronthaul::VlanTag{6, 7}}, dir_.file("odu.pcap"));
      ASSERT_TRUE(port) << port.error().message;
      odu_ = std::move(*port);
      transport::EthernetOptions raw;
      raw.interface = veth_->interface_a();
      auto socket = transport::EcpriEthernetSocket::open(io_, raw);
      ASSERT_TRUE(socket) << socket.error().message;
      raw_ = std::move(*socket);
    }));
    ASSERT_TRUE(VethNamespaces::run_in(veth_->namespace_b(), [&] {
      auto port = FronthaulPort::open_ethernet(
          setup, Plays::kOru, {veth_->interface_b(), fronthaul::VlanTag{6, 7}}, dir_.file("oru.pcap"));
      ASSERT_TRUE(port) << port.error().message;
      oru_ = std::move(*port);
    }));
    ASSERT_TRUE(odu_ && oru_ && raw_);
    odu_->set_peer(oru_->local_mac());
  }

  TempDir dir_;
  std::unique_ptr<VethNamespaces> veth_;
  asio::io_context io_;
  std::unique_ptr<FronthaulPort> odu_, oru_;
  std::unique_ptr<transport::EcpriEthernetSocket> raw_;  // on the O-DU's side
};

TEST_F(EthernetPorts, ASlotArrivesTaggedAndTheCaptureHoldsTheFramesAsOnTheWire) {
  const auto setup = small_setup();
  const auto slot = slot_ref(setup.clock(), 10);
  for (std::uint16_t a = 0; a < setup.antennas; ++a) {
    ASSERT_TRUE(odu_->send(st1_cplane(setup, DataDirection::kDownlink, slot.point,
                                      transport::data_eaxc(a), {SectionRequest{}})));
    for (std::uint8_t s = 0; s < 14; ++s) {
      auto iq = symbol_signal(5, a, slot.first_symbol + s, setup.carrier_prbs, -12);
      auto up = uplane_message(setup, DataDirection::kDownlink, slot.point, s,
                               transport::data_eaxc(a), 1, 0, iq, setup.dl_compression);
      ASSERT_TRUE(up);
      ASSERT_TRUE(odu_->send(*up));
    }
  }
  ASSERT_TRUE(oru_->receive_until(transport::now() + milliseconds(2000), milliseconds(200)));
  const auto got = oru_->received();
  ASSERT_EQ(got.size(), 30u);
  for (const auto* p : got) EXPECT_FALSE(p->decoded.has_errors());
  EXPECT_TRUE(oru_->stream_findings().empty());
  EXPECT_TRUE(oru_->link_findings().empty());
  EXPECT_EQ(oru_->peer_mac(), odu_->local_mac());
  EXPECT_EQ(where(*got[2], 4), "frame 3 byte 22");  // 14 + 4 (the VLAN tag) + 4

  // Both captures: link type 1, every frame with its 802.1Q tag (VID 6, PCP 7) and the two
  // MACs, the eCPRI message where the packet says.
  ASSERT_TRUE(oru_->close_capture());
  ASSERT_TRUE(odu_->close_capture());
  for (const auto* file : {"oru.pcap", "odu.pcap"}) {
    auto reader = fronthaul::PcapReader::open(dir_.file(file));
    ASSERT_TRUE(reader);
    EXPECT_EQ(reader->link_type(), fronthaul::kLinkTypeEthernet);
    std::size_t frames = 0;
    for (;;) {
      auto frame = reader->next();
      ASSERT_TRUE(frame);
      if (!*frame) break;
      auto located = fronthaul::locate_ecpri((*frame)->bytes);
      ASSERT_TRUE(located) << located.error().message;
      EXPECT_EQ(located->transport, fronthaul::EcpriTransport::kEthernet);
      ASSERT_EQ(located->vlans.size(), 1u);
      EXPECT_EQ(located->vlans[0].id, 6);
      EXPECT_EQ(located->vlans[0].pcp, 7);
      EXPECT_EQ(located->source, odu_->local_mac());
      EXPECT_EQ(located->destination, oru_->local_mac());
      EXPECT_EQ(located->offset, 18u);
      ++frames;
    }
    EXPECT_EQ(frames, 30u) << file;
  }
}

TEST_F(EthernetPorts, FramesOfAnotherVlanOrForAnotherMacAreLinkFindingsWithTheirFrame) {
  const auto setup = small_setup();
  const auto slot = slot_ref(setup.clock(), 10);
  const auto message = fronthaul::encode(st1_cplane(setup, DataDirection::kDownlink, slot.point,
                                                    transport::data_eaxc(0), {SectionRequest{}}));
  const auto frame = [&](std::uint16_t vlan, const fronthaul::MacAddress& to) {
    fronthaul::EthernetFraming f;
    f.destination = to;
    f.source = odu_->local_mac();
    f.vlans.push_back({vlan, 7});
    return fronthaul::frame_ecpri_ethernet(f, message);
  };
  const fronthaul::MacAddress stranger{0x02, 0x11, 0x22, 0x33, 0x44, 0x55};
  ASSERT_TRUE(raw_->send_frame(frame(9, oru_->local_mac())));  // frame 1: VLAN 9
  ASSERT_TRUE(raw_->send_frame(frame(6, stranger)));           // frame 2: not to us
  ASSERT_TRUE(raw_->send_frame(frame(6, oru_->local_mac())));  // frame 3: ours
  ASSERT_TRUE(oru_->receive_until(transport::now() + milliseconds(2000), milliseconds(200)));
  const auto got = oru_->received();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0]->frame_number, 3u);
  const auto& findings = oru_->link_findings();
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].rule_id, kRuleEthernetWrongVlan);
  EXPECT_EQ(findings[0].where, "frame 1");
  EXPECT_NE(findings[0].message.find("VLAN 9, the session's fronthaul is VLAN 6"), std::string::npos)
      << findings[0].message;
  EXPECT_EQ(findings[1].rule_id, kRuleEthernetForeignDestination);
  EXPECT_EQ(findings[1].where, "frame 2");
  EXPECT_NE(findings[1].message.find("02:11:22:33:44:55"), std::string::npos);
  // The DUT answered another VLAN: that one is the session's from now on.
  oru_->expect_vlan(9);
  ASSERT_TRUE(raw_->send_frame(frame(9, oru_->local_mac())));
  ASSERT_TRUE(oru_->receive_until(transport::now() + milliseconds(2000), milliseconds(200)));
  EXPECT_EQ(oru_->received().size(), 2u);
  EXPECT_EQ(oru_->link_findings().size(), 2u);
}

TEST_F(EthernetPorts, AnInterfaceThatGoesDownEndsAReceiveWithAnErrorNamingIt) {
  std::thread down([this] {
    std::this_thread::sleep_for(milliseconds(300));
    (void)std::system(("ip -n " + veth_->namespace_b() + " link set " + veth_->interface_b() +
                       " down")
                          .c_str());
  });
  const auto started = std::chrono::steady_clock::now();
  auto got = oru_->receive_until(transport::now() + std::chrono::seconds(20));
  down.join();
  ASSERT_FALSE(got);
  EXPECT_NE(got.error().message.find(veth_->interface_b() + " went down"), std::string::npos)
      << got.error().message;
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
  // Sending on a link that is down says so too.
  ASSERT_EQ(std::system(("ip -n " + veth_->namespace_a() + " link set " + veth_->interface_a() +
                         " down")
                            .c_str()),
            0);
  auto sent = odu_->send_bytes({0x10, 0x00, 0x00, 0x04, 0, 0, 0, 0});
  ASSERT_FALSE(sent);
  EXPECT_NE(sent.error().message.find("went down"), std::string::npos) << sent.error().message;
}

}  // namespace
}  // namespace plugfest::harness::tester
