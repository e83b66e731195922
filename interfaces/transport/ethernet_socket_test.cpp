#include "interfaces/transport/ethernet_socket.h"

#include <gtest/gtest.h>

#include <list>

#include "interfaces/transport/testing/network_namespace.h"

namespace plugfest::transport {
namespace {

using std::chrono::milliseconds;
using testing::VethNamespaces;

EthernetOptions on(const std::string& interface, std::optional<VlanTag> vlan = std::nullopt) {
  EthernetOptions options;
  options.interface = interface;
  options.vlan = vlan;
  return options;
}

// Opens one socket in each namespace of a fresh veth pair, or skips the test.
class EthernetOverVeth : public ::testing::Test {
 protected:
  void SetUp() override {
    auto pair = VethNamespaces::create();
    if (!pair) {
      GTEST_SKIP() << "raw-Ethernet test skipped: cannot create network namespaces joined by a "
                      "veth pair ("
                   << pair.error().to_string() << ")";
    }
    veth_ = std::move(*pair);
  }

  std::unique_ptr<EcpriEthernetSocket> open_in(const std::string& ns, EthernetOptions options) {
    std::unique_ptr<EcpriEthernetSocket> socket;
    auto entered = VethNamespaces::run_in(ns, [&] {
      auto opened = EcpriEthernetSocket::open(io_, options);
      EXPECT_TRUE(opened) << opened.error().to_string();
      if (opened) socket = std::move(*opened);
    });
    EXPECT_TRUE(entered) << entered.error().to_string();
    return socket;
  }

  // Up to count eCPRI frames, copied out of the socket's buffers.
  std::vector<EthernetFrame> receive_some(EcpriEthernetSocket& socket, std::size_t count) {
    std::vector<EthernetFrame> out;
    for (int tries = 0; tries < 50 && out.size() < count; ++tries) {
      auto got = socket.receive(milliseconds(100));
      EXPECT_TRUE(got);
      if (!got) break;
      for (const auto& f : *got) {
        out.push_back(f);
        copies_.emplace_back(f.packet.bytes.begin(), f.packet.bytes.end());
        out.back().packet.bytes = copies_.back();
        out.back().location.payload =
            std::span(copies_.back()).subspan(f.location.offset, f.location.payload.size());
      }
    }
    return out;
  }

  asio::io_context io_;
  std::unique_ptr<VethNamespaces> veth_;
  std::list<std::vector<std::uint8_t>> copies_;
};

TEST_F(EthernetOverVeth, UntaggedEcpriFramesCrossTheLink) {
  auto a = open_in(veth_->namespace_a(), on(veth_->interface_a()));
  auto b = open_in(veth_->namespace_b(), on(veth_->interface_b()));
  ASSERT_TRUE(a && b);
  EXPECT_NE(a->local_mac(), b->local_mac());
  const Timestamp before = now();
  const std::vector<std::uint8_t> message{0x10, 0x00, 0x00, 0x04, 0x12, 0x34, 0x80, 0x00};
  ASSERT_TRUE(a->send_to(message, b->local_mac()));
  auto frames = receive_some(*b, 1);
  ASSERT_EQ(frames.size(), 1u);
  const EthernetFrame& f = frames[0];
  EXPECT_EQ(f.location.source, a->local_mac());
  EXPECT_EQ(f.location.destination, b->local_mac());
  EXPECT_TRUE(f.location.vlans.empty());
  EXPECT_EQ(f.packet.bytes.size(), fronthaul::kMinimumEthernetFrame);  // padded
  EXPECT_TRUE(std::equal(message.begin(), message.end(), f.location.payload.begin()));
  EXPECT_EQ(f.packet.timestamp_source, TimestampSource::kKernel);
  EXPECT_GE(f.packet.timestamp, before);
  // The sender does not see its own frame as received.
  auto own = a->receive(milliseconds(20));
  ASSERT_TRUE(own);
  EXPECT_TRUE(own->empty());
}

TEST_F(EthernetOverVeth, VlanTagWithPriorityArrivesAsSent) {
  const EthernetOptions sender = on(veth_->interface_a(), VlanTag{.id = 100, .pcp = 5});
  auto a = open_in(veth_->namespace_a(), sender);
  auto b = open_in(veth_->namespace_b(), on(veth_->interface_b()));
  ASSERT_TRUE(a && b);
  const std::vector<std::uint8_t> message(1400, 0xa5);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(a->send_to(message, b->local_mac()));
  auto frames = receive_some(*b, 3);
  ASSERT_EQ(frames.size(), 3u);
  for (const auto& f : frames) {
    ASSERT_EQ(f.location.vlans.size(), 1u);
    EXPECT_EQ(f.location.vlans[0].pcp, 5);
    EXPECT_EQ(f.location.vlans[0].id, 100);
    EXPECT_EQ(f.packet.bytes[12], 0x81);
    EXPECT_EQ(f.packet.bytes.size(), 18u + message.size());
    EXPECT_TRUE(std::equal(message.begin(), message.end(), f.location.payload.begin()));
  }
}

TEST_F(EthernetOverVeth, OtherEthertypesAreSkipped) {
  auto a = open_in(veth_->namespace_a(), on(veth_->interface_a()));
  auto b = open_in(veth_->namespace_b(), on(veth_->interface_b()));
  ASSERT_TRUE(a && b);
  fronthaul::EthernetFraming framing{b->local_mac(), a->local_mac(), {}, true};
  auto frame = fronthaul::frame_ecpri_ethernet(framing, std::vector<std::uint8_t>(46, 0));
  frame[12] = 0x88;  // 0x88b5: local experimental ethertype
  frame[13] = 0xb5;
  ASSERT_TRUE(a->send_frame(frame));
  ASSERT_TRUE(a->send_to(std::vector<std::uint8_t>(20, 1), b->local_mac()));
  auto frames = receive_some(*b, 1);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].location.transport, fronthaul::EcpriTransport::kEthernet);
  EXPECT_GE(b->ignored_frames(), 1u);
}

TEST(EcpriEthernetSocket, BadOptionsAreNamed) {
  asio::io_context io;
  auto no_name = EcpriEthernetSocket::open(io, EthernetOptions{});
  ASSERT_FALSE(no_name);
  auto missing = EcpriEthernetSocket::open(io, on("pf-no-such-if"));
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().where.find("pf-no-such-if"), std::string::npos);
  auto bad_vlan = EcpriEthernetSocket::open(io, on("lo", VlanTag{.id = 1, .pcp = 9}));
  ASSERT_FALSE(bad_vlan);
  EXPECT_NE(bad_vlan.error().message.find("PCP"), std::string::npos);
}

}  // namespace
}  // namespace plugfest::transport
