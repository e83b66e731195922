#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <thread>

#include "interfaces/transport/l2/ethernet_relay.h"
#include "interfaces/transport/l2/frame_checks.h"
#include "interfaces/transport/testing/network_namespace.h"

namespace plugfest::transport {
namespace {

using std::chrono::milliseconds;
using testing::VethNamespaces;
using Bytes = std::vector<std::uint8_t>;

Bytes make_frame(const MacAddress& to, const MacAddress& from, std::vector<VlanTag> vlans,
                 std::uint16_t ethertype, std::size_t payload, std::uint8_t fill) {
  Bytes body(payload, fill);
  body[0] = 0x10;
  auto f = fronthaul::frame_ecpri_ethernet({to, from, std::move(vlans), false}, body);
  f[f.size() - payload - 2] = static_cast<std::uint8_t>(ethertype >> 8);
  f[f.size() - payload - 1] = static_cast<std::uint8_t>(ethertype & 0xff);
  return f;
}

struct Recorder : PacketTap {
  std::vector<std::pair<RelayDirection, Bytes>> ecpri;
  std::vector<Bytes> others;
  void on_packet(const TappedPacket& p) override {
    ecpri.emplace_back(p.direction, Bytes(p.frame.begin(), p.frame.end()));
  }
  void on_other_frames(std::span<const TappedPacket> frames) override {
    for (const auto& p : frames) others.emplace_back(p.frame.begin(), p.frame.end());
  }
};

std::uint64_t tx_packets(const std::string& ns, const std::string& ifname) {
  const std::string command =
      "ip netns exec " + ns + " cat /sys/class/net/" + ifname + "/statistics/tx_packets";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return ~0ull;
  unsigned long long n = ~0ull;
  if (std::fscanf(pipe, "%llu", &n) != 1) n = ~0ull;
  ::pclose(pipe);
  return n;
}

// O-DU in namespace a, O-RU in b; tc mirrors both directions of the O-DU's interface to a
// second veth whose far end, in namespace m, is the monitor's: a mirror port, in software.
TEST(EthernetMonitor, SeesBothDirectionsOfAMirrorPortAndNeverSends) {
  auto pair = VethNamespaces::create();
  if (!pair) GTEST_SKIP() << "monitor test skipped: " << pair.error().to_string();
  auto& veth = **pair;
  auto ns_m = veth.add_namespace("m");
  ASSERT_TRUE(ns_m);
  ASSERT_TRUE(VethNamespaces::shell("ip netns exec " + *ns_m +
                                    " sysctl -qw net.ipv6.conf.all.disable_ipv6=1"));
  ASSERT_TRUE(VethNamespaces::shell("ip netns exec " + *ns_m +
                                    " sysctl -qw net.ipv6.conf.default.disable_ipv6=1"));
  auto link = veth.add_link(veth.namespace_a(), *ns_m, "m");
  ASSERT_TRUE(link) << link.error().to_string();
  const std::string tc = "ip netns exec " + veth.namespace_a() + " tc ";
  const std::string dev = veth.interface_a();
  if (!VethNamespaces::shell(tc + "qdisc add dev " + dev + " clsact")) {
    GTEST_SKIP() << "monitor test skipped: no clsact qdisc (sch_ingress) in this kernel";
  }
  for (const char* hook : {"egress", "ingress"}) {
    const std::string mirror = " action mirred egress mirror dev " + link->first;
    const std::string filter = tc + "filter add dev " + dev + " " + hook;
    if (!VethNamespaces::shell(filter + " matchall" + mirror) &&
        !VethNamespaces::shell(filter + " protocol all u32 match u32 0 0" + mirror)) {
      GTEST_SKIP() << "monitor test skipped: the kernel lacks cls_matchall/cls_u32 or act_mirred";
    }
  }
  asio::io_context io, monitor_io;
  std::unique_ptr<EcpriEthernetSocket> du, ru;
  EthernetOptions options;
  options.interface = veth.interface_a();
  (void)VethNamespaces::run_in(veth.namespace_a(),
                               [&] { du = std::move(EcpriEthernetSocket::open(io, options).value()); });
  options.interface = veth.interface_b();
  (void)VethNamespaces::run_in(veth.namespace_b(),
                               [&] { ru = std::move(EcpriEthernetSocket::open(io, options).value()); });
  ASSERT_TRUE(du && ru);
  std::unique_ptr<EthernetMonitor> monitor;
  (void)VethNamespaces::run_in(*ns_m, [&] {
    auto opened =
        EthernetMonitor::open(monitor_io, {link->second, du->local_mac(), ru->local_mac(), {}});
    ASSERT_TRUE(opened) << opened.error().to_string();
    monitor = std::move(*opened);
  });
  ASSERT_TRUE(monitor);
  Recorder recorder;
  FrameCheckTap checks({du->local_mac(), ru->local_mac(), 6});
  monitor->add_tap(recorder);
  monitor->add_tap(checks);
  const std::uint64_t tx_before = tx_packets(*ns_m, link->second);
  monitor->start();
  std::thread thread([&] { monitor_io.run(); });

  const Bytes dl =
      make_frame(ru->local_mac(), du->local_mac(), {{.id = 6, .pcp = 7}}, 0xaefe, 1200, 1);
  const Bytes ul =
      make_frame(du->local_mac(), ru->local_mac(), {{.id = 6, .pcp = 7}}, 0xaefe, 600, 2);
  const Bytes bad =
      make_frame(ru->local_mac(), du->local_mac(), {{.id = 9, .pcp = 7}}, 0xaefe, 100, 3);
  const Bytes stray =
      make_frame({0x02, 0x77, 0, 0, 0, 1}, {0x02, 0x77, 0, 0, 0, 2}, {}, 0xaefe, 100, 4);
  ASSERT_TRUE(du->send_frame(dl));
  ASSERT_TRUE(ru->send_frame(ul));
  ASSERT_TRUE(du->send_frame(bad));
  ASSERT_TRUE(du->send_frame(stray));
  for (int i = 0; i < 50 && recorder.ecpri.size() + recorder.others.size() < 4; ++i) {
    std::this_thread::sleep_for(milliseconds(20));
  }
  std::this_thread::sleep_for(milliseconds(50));
  asio::post(monitor_io, [&] {
    monitor->stop();
    monitor_io.stop();
  });
  thread.join();

  // Every eCPRI frame as it was on the wire, with the direction its MACs give.
  std::vector<std::pair<RelayDirection, Bytes>> expected = {{RelayDirection::kDownlink, dl},
                                                            {RelayDirection::kUplink, ul},
                                                            {RelayDirection::kDownlink, bad}};
  std::vector<std::pair<RelayDirection, Bytes>> ours;
  for (auto& e : recorder.ecpri) {
    if (e.second.size() > 14 && e.second[12] != 0x86) ours.push_back(e);
  }
  EXPECT_EQ(ours, expected);
  bool stray_seen = false;
  for (const auto& o : recorder.others) stray_seen = stray_seen || o == stray;
  EXPECT_TRUE(stray_seen);
  EXPECT_GE(monitor->unclassified(), 1u);
  const RelayCounters c = monitor->counters();
  EXPECT_GE(c.received[0], 2u);
  EXPECT_GE(c.received[1], 1u);
  EXPECT_EQ(c.forwarded[0] + c.forwarded[1], 0u);
  std::vector<std::string_view> rules;
  for (const auto& f : checks.findings()) rules.push_back(f.rule_id);
  EXPECT_NE(std::find(rules.begin(), rules.end(), rules::kL2Vlan), rules.end());
  EXPECT_NE(std::find(rules.begin(), rules.end(), rules::kL2DestinationMac), rules.end());
  EXPECT_EQ(tx_packets(*ns_m, link->second), tx_before);  // listened only
}

TEST(EthernetMonitor, TheEndsMustDiffer) {
  asio::io_context io;
  const MacAddress same{2, 0, 0, 0, 0, 1};
  auto monitor = EthernetMonitor::open(io, {"lo", same, same, {}});
  ASSERT_FALSE(monitor);
  EXPECT_NE(monitor.error().message.find("differ"), std::string::npos);
}

}  // namespace
}  // namespace plugfest::transport
