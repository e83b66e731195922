#include "interfaces/transport/ethernet_socket.h"

#include <gtest/gtest.h>
#include <linux/capability.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <list>
#include <thread>

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

std::vector<std::uint8_t> tagged_frame(const MacAddress& to, const MacAddress& from,
                                       std::vector<VlanTag> vlans, std::size_t payload_bytes,
                                       std::uint16_t ethertype = fronthaul::kEthertypeEcpri) {
  fronthaul::EthernetFraming framing{to, from, std::move(vlans), false};
  std::vector<std::uint8_t> payload(payload_bytes);
  for (std::size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<std::uint8_t>(i * 13);
  if (payload.size() >= 4) payload[0] = 0x10;  // eCPRI revision 1
  auto frame = fronthaul::frame_ecpri_ethernet(framing, payload);
  frame[frame.size() - payload_bytes - 2] = static_cast<std::uint8_t>(ethertype >> 8);
  frame[frame.size() - payload_bytes - 1] = static_cast<std::uint8_t>(ethertype & 0xff);
  return frame;
}

// Opens one socket in each namespace of a fresh veth pair, or skips the test. The parameter
// chooses the receive path: the TPACKET_V3 ring (true) or the recvmmsg fallback.
class EthernetOverVeth : public ::testing::TestWithParam<bool> {
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

  EthernetOptions with_path(EthernetOptions options) {
    options.receive_ring = GetParam();
    return options;
  }

  std::unique_ptr<EcpriEthernetSocket> open_in(const std::string& ns, EthernetOptions options) {
    std::unique_ptr<EcpriEthernetSocket> socket;
    auto entered = VethNamespaces::run_in(ns, [&] {
      auto opened = EcpriEthernetSocket::open(io_, with_path(options));
      EXPECT_TRUE(opened) << opened.error().to_string();
      if (opened) socket = std::move(*opened);
    });
    EXPECT_TRUE(entered) << entered.error().to_string();
    if (socket) {
      EXPECT_EQ(socket->receive_path(), GetParam() ? ReceivePath::kRing : ReceivePath::kRecvmmsg)
          << socket->ring_unavailable_reason();
    }
    return socket;
  }
  std::unique_ptr<EcpriEthernetSocket> open_a(std::optional<VlanTag> vlan = std::nullopt) {
    return open_in(veth_->namespace_a(), on(veth_->interface_a(), vlan));
  }
  std::unique_ptr<EcpriEthernetSocket> open_b(EthernetOptions options = {}) {
    options.interface = veth_->interface_b();
    return open_in(veth_->namespace_b(), options);
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
  // Up to count frames of any ethertype, copied.
  std::vector<std::pair<std::vector<std::uint8_t>, ReceivedPacket>> receive_raw(
      EcpriEthernetSocket& socket, std::size_t count) {
    std::vector<std::pair<std::vector<std::uint8_t>, ReceivedPacket>> out;
    for (int tries = 0; tries < 50 && out.size() < count; ++tries) {
      auto got = socket.receive_frames(milliseconds(100));
      EXPECT_TRUE(got);
      if (!got) break;
      for (const auto& p : *got) {
        if (p.bytes.size() >= 14 && p.bytes[12] == 0x86 && p.bytes[13] == 0xdd) continue;  // IPv6
        out.emplace_back(std::vector<std::uint8_t>(p.bytes.begin(), p.bytes.end()), p);
      }
    }
    return out;
  }

  asio::io_context io_;
  std::unique_ptr<VethNamespaces> veth_;
  std::list<std::vector<std::uint8_t>> copies_;
};

INSTANTIATE_TEST_SUITE_P(ReceivePaths, EthernetOverVeth, ::testing::Values(true, false),
                         [](const auto& info) { return info.param ? "Ring" : "Recvmmsg"; });

TEST_P(EthernetOverVeth, UntaggedEcpriFramesCrossTheLink) {
  auto a = open_a();
  auto b = open_b();
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
  EXPECT_LE(f.packet.timestamp, now());
  // The sender does not see its own frame as received.
  auto own = a->receive(milliseconds(20));
  ASSERT_TRUE(own);
  EXPECT_TRUE(own->empty());
}

TEST_P(EthernetOverVeth, VlanTagWithPriorityArrivesAsSent) {
  auto a = open_a(VlanTag{.id = 100, .pcp = 5});
  auto b = open_b();
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

TEST_P(EthernetOverVeth, VlanTagsAreRecoveredBitForBit) {
  auto a = open_a();
  auto b = open_b();
  ASSERT_TRUE(a && b);
  // ID, PCP and DEI at their extremes, an S-tag over a C-tag, and VID 0 (priority tagged).
  const std::vector<std::vector<std::uint8_t>> sent = {
      tagged_frame(b->local_mac(), a->local_mac(), {{.id = 4094, .pcp = 7, .dei = true}}, 100),
      tagged_frame(b->local_mac(), a->local_mac(), {{.id = 1, .pcp = 0, .dei = false}}, 100),
      tagged_frame(b->local_mac(), a->local_mac(),
                   {{.id = 300, .pcp = 3, .dei = true, .tpid = fronthaul::kEthertypeServiceVlan},
                    {.id = 6, .pcp = 6}},
                   100),
      tagged_frame(b->local_mac(), a->local_mac(), {{.id = 0, .pcp = 4}}, 100),
  };
  for (const auto& frame : sent) ASSERT_TRUE(a->send_frame(frame));
  auto got = receive_raw(*b, sent.size());
  ASSERT_EQ(got.size(), sent.size());
  for (std::size_t i = 0; i < sent.size(); ++i) {
    EXPECT_EQ(got[i].first, sent[i]) << "frame " << i;
    EXPECT_FALSE(got[i].second.truncated);
  }
}

TEST_P(EthernetOverVeth, BatchedSendsCarryVlanAndPriorityOnEveryFrame) {
  auto a = open_a(VlanTag{.id = 6, .pcp = 7});
  auto b = open_b();
  ASSERT_TRUE(a && b);
  std::vector<std::vector<std::uint8_t>> messages;
  for (int i = 0; i < 40; ++i) messages.emplace_back(100 + 30 * i, static_cast<std::uint8_t>(i));
  std::vector<std::span<const std::uint8_t>> spans(messages.begin(), messages.end());
  auto sent = a->send_batch(spans, b->local_mac());
  ASSERT_TRUE(sent) << sent.error().to_string();
  EXPECT_EQ(*sent, messages.size());
  auto frames = receive_some(*b, messages.size());
  ASSERT_EQ(frames.size(), messages.size());
  for (std::size_t i = 0; i < frames.size(); ++i) {
    ASSERT_EQ(frames[i].location.vlans.size(), 1u);
    EXPECT_EQ(frames[i].location.vlans[0], (VlanTag{.id = 6, .pcp = 7}));
    EXPECT_EQ(frames[i].packet.bytes.size(), 18 + messages[i].size());
    EXPECT_EQ(frames[i].location.payload[0], static_cast<std::uint8_t>(i));
  }
}

TEST_P(EthernetOverVeth, JumboFrameFitsAndOneByteOverTheMtuIsAnError) {
  ASSERT_TRUE(veth_->set_mtu(9000));
  auto a = open_a(VlanTag{.id = 6, .pcp = 7});
  auto b = open_b();
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->mtu(), 9000u);
  const std::vector<std::uint8_t> fits(9000, 0x5a);  // 9018 bytes framed with the tag
  ASSERT_TRUE(a->send_to(fits, b->local_mac()));
  auto frames = receive_some(*b, 1);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].packet.bytes.size(), 9018u);
  EXPECT_FALSE(frames[0].packet.truncated);

  const std::vector<std::uint8_t> over(9001, 0x5a);
  auto refused = a->send_to(over, b->local_mac());
  ASSERT_FALSE(refused);
  const std::string text = refused.error().to_string();
  EXPECT_NE(text.find(veth_->interface_a()), std::string::npos) << text;
  EXPECT_NE(text.find("9019"), std::string::npos) << text;
  EXPECT_NE(text.find("MTU 9000"), std::string::npos) << text;
  // Exactly as given: untagged, 14 + 9000 fits and 9015 does not.
  auto untagged = tagged_frame(b->local_mac(), a->local_mac(), {}, 9000);
  EXPECT_TRUE(a->send_frame(untagged));
  untagged.push_back(0);
  auto untagged_over = a->send_frame(untagged);
  ASSERT_FALSE(untagged_over);
  EXPECT_NE(untagged_over.error().to_string().find("9015"), std::string::npos);
  // A batch stops before the frame that does not fit.
  const std::span<const std::uint8_t> batch[] = {fits, fits, over, fits};
  auto partial = a->send_batch(batch, b->local_mac());
  ASSERT_TRUE(partial);
  EXPECT_EQ(*partial, 2u);
}

TEST_P(EthernetOverVeth, RuntAndTruncatedFramesAreHandedUpMarked) {
  auto a = open_a();
  EthernetOptions small;
  small.max_frame_bytes = 200;
  auto b = open_b(small);
  ASSERT_TRUE(a && b);
  // A frame holding only 2 bytes of an eCPRI header, and one longer than b's buffers.
  const auto runt = tagged_frame(b->local_mac(), a->local_mac(), {}, 2);
  const auto longer = tagged_frame(b->local_mac(), a->local_mac(), {{.id = 6, .pcp = 7}}, 1000);
  ASSERT_TRUE(a->send_frame(runt));
  ASSERT_TRUE(a->send_frame(longer));
  auto got = receive_raw(*b, 2);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].first, runt);
  EXPECT_FALSE(got[0].second.truncated);
  EXPECT_EQ(got[1].first.size(), 200u);
  EXPECT_TRUE(got[1].second.truncated);
  EXPECT_TRUE(std::equal(got[1].first.begin(), got[1].first.end(), longer.begin()));
}

TEST_P(EthernetOverVeth, EveryEthertypeReachesTheFrameReceiveAndOnlyEcpriTheEcpriOne) {
  auto a = open_a();
  auto b = open_b();
  ASSERT_TRUE(a && b);
  const auto arp = tagged_frame(b->local_mac(), a->local_mac(), {}, 46, 0x0806);
  ASSERT_TRUE(a->send_frame(arp));
  auto got = receive_raw(*b, 1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].first, arp);
  ASSERT_TRUE(a->send_frame(arp));
  ASSERT_TRUE(a->send_to(std::vector<std::uint8_t>(20, 1), b->local_mac()));
  auto frames = receive_some(*b, 1);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].location.transport, fronthaul::EcpriTransport::kEthernet);
  EXPECT_GE(b->ignored_frames(), 1u);
}

TEST_P(EthernetOverVeth, ContinuousReceiveDeliversEveryFrameWithATimestamp) {
  auto a = open_a();
  EthernetOptions roomy;
  roomy.receive_buffer_bytes = 8 << 20;  // the recvmmsg path queues all 500 before reading
  auto b = open_b(roomy);
  ASSERT_TRUE(a && b);
  std::size_t frames = 0;
  bool timestamps = true;
  const Timestamp before = now();
  b->start_receiving([&](std::span<const EthernetFrame> batch) {
    for (const auto& f : batch) {
      timestamps = timestamps && f.packet.timestamp >= before &&
                   f.packet.timestamp_source != TimestampSource::kUserSpace;
    }
    frames += batch.size();
    if (frames >= 500) b->close();
  });
  std::vector<std::uint8_t> message(1000, 0x10);
  std::vector<std::span<const std::uint8_t>> batch(50, message);
  for (int i = 0; i < 10; ++i) {
    auto sent = a->send_batch(batch, b->local_mac());
    ASSERT_TRUE(sent);
    ASSERT_EQ(*sent, batch.size());
  }
  io_.run_for(std::chrono::seconds(5));
  EXPECT_EQ(frames, 500u);
  EXPECT_TRUE(timestamps);
  EXPECT_FALSE(b->hardware_timestamps());  // a veth has no clock
  EXPECT_EQ(b->timestamp_source(), TimestampSource::kKernel);
}

TEST_P(EthernetOverVeth, AnInterfaceGoingDownEndsAReceiveWithAnError) {
  auto b = open_b();
  ASSERT_TRUE(b);
  std::thread down([this] {
    std::this_thread::sleep_for(milliseconds(200));
    VethNamespaces::shell("ip -n " + veth_->namespace_b() + " link set " + veth_->interface_b() +
                          " down");
  });
  const auto started = std::chrono::steady_clock::now();
  Result<std::span<const ReceivedPacket>> got = std::span<const ReceivedPacket>{};
  // IPv6 neighbour discovery may arrive first: read until the error.
  while (got && std::chrono::steady_clock::now() - started < std::chrono::seconds(10)) {
    got = b->receive_frames(milliseconds(5000));
  }
  down.join();
  ASSERT_FALSE(got);
  EXPECT_NE(got.error().to_string().find(veth_->interface_b()), std::string::npos);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
}

TEST(EcpriEthernetSocket, BadOptionsAreNamed) {
  asio::io_context io;
  auto no_name = EcpriEthernetSocket::open(io, EthernetOptions{});
  ASSERT_FALSE(no_name);
  auto missing = EcpriEthernetSocket::open(io, on("pf-no-such-if"));
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().where.find("pf-no-such-if"), std::string::npos);
  EXPECT_NE(missing.error().message.find("'pf-no-such-if'"), std::string::npos);
  auto bad_vlan = EcpriEthernetSocket::open(io, on("lo", VlanTag{.id = 1, .pcp = 9}));
  ASSERT_FALSE(bad_vlan);
  EXPECT_NE(bad_vlan.error().message.find("PCP"), std::string::npos);
}

TEST(EcpriEthernetSocket, WithoutCapNetRawTheErrorSaysSo) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to drop a capability it has";
  // Capabilities belong to a thread: this one gives all of its up, the test's keep theirs.
  std::optional<Result<std::unique_ptr<EcpriEthernetSocket>>> opened;
  asio::io_context io;
  std::thread without([&] {
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[2]{};
    if (::syscall(SYS_capset, &header, data) != 0) return;
    opened = EcpriEthernetSocket::open(io, on("lo"));
  });
  without.join();
  ASSERT_TRUE(opened.has_value()) << "capset failed";
  ASSERT_FALSE(*opened);
  EXPECT_NE(opened->error().message.find("CAP_NET_RAW"), std::string::npos)
      << opened->error().to_string();
  EXPECT_NE(opened->error().message.find("'lo'"), std::string::npos);
}

}  // namespace
}  // namespace plugfest::transport
