#include "interfaces/transport/l2/ethernet_relay.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <list>
#include <thread>

#include "interfaces/fronthaul/pcap.h"
#include "interfaces/transport/bench/cell_traffic.h"
#include "interfaces/transport/l2/frame_checks.h"
#include "interfaces/transport/pcap_tap.h"
#include "interfaces/transport/testing/network_namespace.h"
#include "interfaces/transport/wireshark_profile.h"

namespace plugfest::transport {
namespace {

using std::chrono::milliseconds;
using testing::VethNamespaces;
using Bytes = std::vector<std::uint8_t>;

Bytes make_frame(const MacAddress& to, const MacAddress& from, std::vector<VlanTag> vlans,
                 std::uint16_t ethertype, std::size_t payload, std::uint8_t fill) {
  Bytes body(payload, fill);
  if (ethertype == fronthaul::kEthertypeEcpri && payload >= 4) {
    body[0] = 0x10;
    body[1] = 0x00;  // IQ data
    body[2] = static_cast<std::uint8_t>((payload - 4) >> 8);
    body[3] = static_cast<std::uint8_t>((payload - 4) & 0xff);
  }
  auto f = fronthaul::frame_ecpri_ethernet({to, from, std::move(vlans), false}, body);
  f[f.size() - payload - 2] = static_cast<std::uint8_t>(ethertype >> 8);
  f[f.size() - payload - 1] = static_cast<std::uint8_t>(ethertype & 0xff);
  return f;
}

// Records what a tap sees, copied.
struct Recorder : PacketTap {
  struct Seen {
    bool ecpri;
    RelayDirection direction;
    Bytes frame;
    std::uint64_t index;
    std::optional<VlanTag> vlan;
    MacAddress source, destination;
    std::size_t ecpri_offset;
    bool forwarded;
  };
  std::vector<Seen> seen;
  void record(const TappedPacket& p) {
    seen.push_back({p.is_ecpri, p.direction, Bytes(p.frame.begin(), p.frame.end()), p.index, p.vlan,
                    p.source_mac, p.destination_mac,
                    p.ecpri.empty() ? 0 : static_cast<std::size_t>(p.ecpri.data() - p.frame.data()),
                    p.forwarded});
  }
  void on_packet(const TappedPacket& p) override { record(p); }
  void on_other_frames(std::span<const TappedPacket> frames) override {
    for (const auto& p : frames) record(p);
  }
};

// O-DU in namespace a, the relay's two interfaces in namespace b, O-RU in namespace c.
class EthernetRelayOverVeth : public ::testing::Test {
 protected:
  void SetUp() override {
    auto pair = VethNamespaces::create();
    if (!pair) GTEST_SKIP() << "Ethernet relay test skipped: " << pair.error().to_string();
    veth_ = std::move(*pair);
    auto ns_c = veth_->add_namespace("c");
    ASSERT_TRUE(ns_c) << ns_c.error().to_string();
    ns_ru_ = *ns_c;
    auto link = veth_->add_link(veth_->namespace_b(), ns_ru_, "r");
    ASSERT_TRUE(link) << link.error().to_string();
    relay_ru_if_ = link->first;
    ru_if_ = link->second;
    for (const auto& [ns, ifname] :
         {std::pair{veth_->namespace_a(), veth_->interface_a()},
          std::pair{veth_->namespace_b(), veth_->interface_b()},
          std::pair{veth_->namespace_b(), relay_ru_if_}, std::pair{ns_ru_, ru_if_}}) {
      ASSERT_TRUE(VethNamespaces::shell("ip -n " + ns + " link set " + ifname + " mtu 9000"));
    }
    du_ = open_in(veth_->namespace_a(), veth_->interface_a());
    ru_ = open_in(ns_ru_, ru_if_);
    ASSERT_TRUE(du_ && ru_);
    auto entered = VethNamespaces::run_in(veth_->namespace_b(), [&] {
      auto relay = EthernetRelay::open(relay_io_, {veth_->interface_b(), relay_ru_if_, {}});
      ASSERT_TRUE(relay) << relay.error().to_string();
      relay_ = std::move(*relay);
    });
    ASSERT_TRUE(entered);
    ASSERT_TRUE(relay_);
  }

  std::unique_ptr<EcpriEthernetSocket> open_in(const std::string& ns, const std::string& ifname) {
    std::unique_ptr<EcpriEthernetSocket> socket;
    EthernetOptions options;
    options.interface = ifname;
    (void)VethNamespaces::run_in(ns, [&] {
      auto opened = EcpriEthernetSocket::open(end_io_, options);
      EXPECT_TRUE(opened) << opened.error().to_string();
      if (opened) socket = std::move(*opened);
    });
    return socket;
  }

  // Frames of any ethertype but IPv6 (the kernel's own neighbour discovery) at `socket`.
  std::vector<Bytes> collect(EcpriEthernetSocket& socket, std::size_t count) {
    std::vector<Bytes> out;
    for (int tries = 0; tries < 30 && out.size() < count; ++tries) {
      auto got = socket.receive_frames(milliseconds(100));
      if (!got) break;
      for (const auto& p : *got) {
        if (p.bytes.size() >= 14 && p.bytes[12] == 0x86 && p.bytes[13] == 0xdd) continue;
        out.emplace_back(p.bytes.begin(), p.bytes.end());
      }
    }
    return out;
  }

  void run_relay(std::function<void()> traffic) {
    relay_->start();
    std::thread relay_thread([&] { relay_io_.run(); });
    traffic();
    std::this_thread::sleep_for(milliseconds(50));
    asio::post(relay_io_, [&] {
      relay_->stop();
      relay_io_.stop();
    });
    relay_thread.join();
  }

  std::unique_ptr<VethNamespaces> veth_;
  std::string ns_ru_, relay_ru_if_, ru_if_;
  asio::io_context end_io_, relay_io_;
  std::unique_ptr<EcpriEthernetSocket> du_, ru_;
  std::unique_ptr<EthernetRelay> relay_;
};

TEST_F(EthernetRelayOverVeth, ForwardsEveryFrameUnchangedBothWaysAndTapsTheEcpriOnes) {
  Recorder recorder;
  relay_->add_tap(recorder);
  const MacAddress du = du_->local_mac(), ru = ru_->local_mac();
  const std::vector<Bytes> downlink = {
      make_frame(ru, du, {{.id = 6, .pcp = 7}}, 0xaefe, 8000, 1),      // jumbo
      make_frame({0x01, 0x1b, 0x19, 0, 0, 0}, du, {}, 0x88f7, 44, 2),  // PTP
      make_frame(ru, du, {{.id = 6, .pcp = 7, .dei = true}}, 0xaefe, 100, 3),
  };
  const std::vector<Bytes> uplink = {
      make_frame(du, ru, {{.id = 6, .pcp = 5}}, 0xaefe, 3000, 4),
      make_frame({0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, ru, {}, 0x0806, 46, 5),  // ARP
  };
  std::vector<Bytes> at_ru, at_du;
  run_relay([&] {
    for (const auto& f : downlink) ASSERT_TRUE(du_->send_frame(f));
    at_ru = collect(*ru_, downlink.size());
    for (const auto& f : uplink) ASSERT_TRUE(ru_->send_frame(f));
    at_du = collect(*du_, uplink.size());
  });
  EXPECT_EQ(at_ru, downlink);
  EXPECT_EQ(at_du, uplink);

  // IPv6 neighbour discovery of the ends crosses too: look only at what the test sent.
  std::vector<Recorder::Seen> ours;
  for (auto& s : recorder.seen) {
    if (!(s.frame.size() >= 14 && s.frame[12] == 0x86 && s.frame[13] == 0xdd)) ours.push_back(s);
  }
  ASSERT_EQ(ours.size(), 5u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(ours[i].frame, downlink[i]);
    EXPECT_EQ(ours[i].direction, RelayDirection::kDownlink);
    EXPECT_TRUE(ours[i].forwarded);
  }
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(ours[3 + i].frame, uplink[i]);
    EXPECT_EQ(ours[3 + i].direction, RelayDirection::kUplink);
  }
  EXPECT_TRUE(ours[0].ecpri);
  EXPECT_FALSE(ours[1].ecpri);
  EXPECT_FALSE(ours[4].ecpri);
  EXPECT_EQ(ours[0].ecpri_offset, 18u);
  EXPECT_EQ(ours[0].source, du);
  EXPECT_EQ(ours[0].destination, ru);
  ASSERT_TRUE(ours[2].vlan);
  EXPECT_EQ(*ours[2].vlan, (VlanTag{.id = 6, .pcp = 7, .dei = true}));
  EXPECT_LT(ours[0].index, ours[3].index);

  const RelayCounters c = relay_->counters();
  EXPECT_GE(c.received[0], 3u);
  EXPECT_GE(c.non_ecpri[0], 1u);
  EXPECT_EQ(c.received[0], c.forwarded[0]);
  EXPECT_EQ(c.received[1], c.forwarded[1]);
  EXPECT_EQ(relay_->receive_path(), ReceivePath::kRing);
}

TEST_F(EthernetRelayOverVeth, PcapHoldsTheFramesAsOnTheWireAndLocateFindsThem) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("plugfest-l2-relay-" + std::to_string(::getpid()) + ".pcap");
  auto pcap = PcapTap::create(path.string());
  ASSERT_TRUE(pcap);
  Recorder recorder;
  relay_->add_tap(**pcap);
  relay_->add_tap(recorder);
  const MacAddress du = du_->local_mac(), ru = ru_->local_mac();
  const Bytes dl = make_frame(ru, du, {{.id = 6, .pcp = 7}}, 0xaefe, 500, 1);
  const Bytes ptp = make_frame({0x01, 0x1b, 0x19, 0, 0, 0}, du, {}, 0x88f7, 44, 2);
  const Bytes ul = make_frame(du, ru, {}, 0xaefe, 300, 3);
  run_relay([&] {
    ASSERT_TRUE(du_->send_frame(dl));
    ASSERT_TRUE(du_->send_frame(ptp));
    ASSERT_EQ(collect(*ru_, 2).size(), 2u);
    ASSERT_TRUE(ru_->send_frame(ul));
    ASSERT_EQ(collect(*du_, 1).size(), 1u);
  });
  ASSERT_TRUE((*pcap)->close());
  auto reader = fronthaul::PcapReader::open(path.string());
  ASSERT_TRUE(reader);
  EXPECT_EQ(reader->link_type(), 1);
  std::vector<Bytes> frames;
  for (;;) {
    auto next = reader->next();
    ASSERT_TRUE(next);
    if (!next->has_value()) break;
    frames.emplace_back((*next)->bytes.begin(), (*next)->bytes.end());
  }
  std::filesystem::remove(path);
  ASSERT_EQ(frames.size(), recorder.seen.size());  // every frame the relay saw, in order
  for (const auto& s : recorder.seen) {
    auto where = (*pcap)->locate(s.index);
    ASSERT_TRUE(where) << s.index;
    EXPECT_EQ(frames[where->frame - 1], s.frame);
    if (s.frame == dl) {
      EXPECT_EQ(where_in_frame(*where, 4), "frame " + std::to_string(where->frame) + " byte 22");
    }
    if (s.frame == ul) {
      EXPECT_EQ(where->ecpri_offset, 14u);
    }
  }
}

TEST_F(EthernetRelayOverVeth, FrameChecksFindWrongVlanForeignDestinationAndOtherProtocols) {
  const MacAddress du = du_->local_mac(), ru = ru_->local_mac();
  FrameCheckTap checks({du, ru, 6});
  relay_->add_tap(checks);
  const MacAddress stranger{0x02, 0x55, 0, 0, 0, 9};
  const std::vector<Bytes> sent = {
      make_frame(ru, du, {{.id = 6, .pcp = 7}}, 0xaefe, 100, 1),        // fine
      make_frame(ru, du, {{.id = 7, .pcp = 7}}, 0xaefe, 100, 2),        // wrong VLAN
      make_frame(stranger, du, {{.id = 6, .pcp = 7}}, 0xaefe, 100, 3),  // neither end
      make_frame(ru, du, {{.id = 6, .pcp = 7}}, 0x0800, 100, 4),        // IPv4 on the FH VLAN
  };
  run_relay([&] {
    for (const auto& f : sent) ASSERT_TRUE(du_->send_frame(f));
    collect(*ru_, sent.size());
  });
  std::vector<std::string_view> rules;
  for (const auto& f : checks.findings()) {
    if (f.rule_id != rules::kL2Ethertype || f.message.find("0x86dd") == std::string::npos) {
      rules.push_back(f.rule_id);
    }
  }
  EXPECT_EQ(rules, (std::vector<std::string_view>{rules::kL2Vlan, rules::kL2DestinationMac,
                                                  rules::kL2Ethertype}));
  for (const auto& f : checks.findings()) EXPECT_TRUE(f.packet_index.has_value());
}

std::string run_out(const std::string& command) {
  std::string out;
  if (FILE* pipe = ::popen(command.c_str(), "r")) {
    char buffer[4096];
    while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) out += buffer;
    ::pclose(pipe);
  }
  return out;
}

std::size_t lines(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

// The relay's pcap opens in Wireshark's O-RAN dissector with no decode-as: C-plane and
// BFP 9 U-plane at 273 PRBs, both directions, tagged, dissected without a malformed frame
// once the profile's preferences (eAxC widths, IQ width and method per direction) are set.
TEST_F(EthernetRelayOverVeth, TsharkDissectsTheCaptureAsOranFronthaul) {
  if (!VethNamespaces::shell("tshark --version")) GTEST_SKIP() << "tshark is not installed";
  const auto dir =
      std::filesystem::temp_directory_path() / ("plugfest-l2-tshark-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto path = dir / "fronthaul.pcap";
  auto pcap = PcapTap::create(path.string());
  ASSERT_TRUE(pcap);
  relay_->add_tap(**pcap);
  std::size_t flows = 0;
  auto cell = bench::one_frame(4, flows);
  std::vector<Bytes> dl, ul;
  for (const auto& t : cell) {
    auto& side = t.from_du ? dl : ul;
    if (side.size() >= 40) continue;
    side.push_back(fronthaul::frame_ecpri_ethernet({t.from_du ? ru_->local_mac() : du_->local_mac(),
                                                    t.from_du ? du_->local_mac() : ru_->local_mac(),
                                                    {{.id = 6, .pcp = 7}},
                                                    true},
                                                   t.bytes));
  }
  ASSERT_EQ(dl.size(), 40u);
  ASSERT_EQ(ul.size(), 40u);
  run_relay([&] {
    for (const auto& f : dl) ASSERT_TRUE(du_->send_frame(f));
    ASSERT_EQ(collect(*ru_, dl.size()).size(), dl.size());
    for (const auto& f : ul) ASSERT_TRUE(ru_->send_frame(f));
    ASSERT_EQ(collect(*du_, ul.size()).size(), ul.size());
  });
  ASSERT_TRUE((*pcap)->close());
  FronthaulConfig config;
  config.dl_compression = {false, {fronthaul::CompressionMethod::kBlockFloatingPoint, 9}};
  config.ul_compression = config.dl_compression;
  const auto profile = wireshark_profile_dir(path);
  ASSERT_TRUE(write_wireshark_profile(profile, config, {}));
  const std::string tshark =
      "WIRESHARK_CONFIG_DIR=" + profile.string() + " tshark -r " + path.string() + " ";
  const std::string oran = run_out(tshark + "-Y oran_fh_cus -T fields -e frame.number");
  const std::string bad = run_out(tshark +
                                  "-Y '_ws.malformed || _ws.expert.severity == error' -T fields -e "
                                  "frame.number -e _ws.col.Info");
  // Without the preferences (IQ width 16, no compression) the same frames do not decode:
  // the check above can fail.
  std::filesystem::create_directories(dir / "empty");
  const std::string unset =
      run_out("WIRESHARK_CONFIG_DIR=" + (dir / "empty").string() + " tshark -r " + path.string() +
              " -Y '_ws.malformed || _ws.expert.severity == error' -T "
              "fields -e frame.number");
  std::filesystem::remove_all(dir);
  EXPECT_EQ(lines(oran), dl.size() + ul.size());
  EXPECT_EQ(bad, "");
  EXPECT_GT(lines(unset), 0u);
}

TEST(EthernetRelay, OpenErrorsNameTheSide) {
  asio::io_context io;
  auto same = EthernetRelay::open(io, {"lo", "lo", {}});
  ASSERT_FALSE(same);
  auto missing = EthernetRelay::open(io, {"lo", "pf-no-such-if", {}});
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("O-RU side"), std::string::npos);
  EXPECT_NE(missing.error().message.find("pf-no-such-if"), std::string::npos);
}

}  // namespace
}  // namespace plugfest::transport
