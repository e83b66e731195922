#include "interfaces/fronthaul/framing.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "interfaces/fronthaul/pcap.h"

namespace plugfest::fronthaul {
namespace {

const MacAddress kDu = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};
const MacAddress kRu = {0x02, 0x00, 0x00, 0x00, 0x00, 0x02};
constexpr std::uint16_t kPort = 44000;

std::vector<std::uint8_t> ecpri_message(std::size_t payload) {
  // eCPRI common header: revision 1, IQ data, payload size; then payload bytes.
  std::vector<std::uint8_t> m = {0x10, 0x00, static_cast<std::uint8_t>(payload >> 8),
                                 static_cast<std::uint8_t>(payload)};
  for (std::size_t i = 0; i < payload; ++i) m.push_back(static_cast<std::uint8_t>(i * 13 + 1));
  return m;
}

UdpFraming udp_v4() {
  UdpFraming f;
  f.ethernet.destination = kRu;
  f.ethernet.source = kDu;
  f.source_ip = Ipv4Address{192, 168, 10, 1};
  f.destination_ip = Ipv4Address{192, 168, 10, 2};
  f.source_port = 50000;
  f.destination_port = kPort;
  return f;
}

TEST(Framing, EthernetRoundTripWithAndWithoutVlans) {
  const auto message = ecpri_message(40);
  for (std::size_t tags = 0; tags <= 2; ++tags) {
    EthernetFraming f{kRu, kDu, {}, false};
    if (tags >= 1) f.vlans.push_back({100, 7, false, kEthertypeServiceVlan});
    if (tags >= 2) f.vlans.push_back({4094, 3, true, kEthertypeVlan});
    const auto frame = frame_ecpri_ethernet(f, message);
    ASSERT_EQ(frame.size(), 14 + 4 * tags + message.size());
    auto found = locate_ecpri(frame);
    ASSERT_TRUE(found.ok()) << found.error().to_string();
    EXPECT_EQ(found->transport, EcpriTransport::kEthernet);
    EXPECT_EQ(found->offset, 14 + 4 * tags);
    EXPECT_EQ(found->destination, kRu);
    EXPECT_EQ(found->source, kDu);
    EXPECT_EQ(found->vlans, f.vlans);
    EXPECT_TRUE(
        std::equal(found->payload.begin(), found->payload.end(), message.begin(), message.end()));
  }
}

TEST(Framing, PaddingToMinimumFrame) {
  EthernetFraming f{kRu, kDu, {}, true};
  const auto frame = frame_ecpri_ethernet(f, ecpri_message(4));
  EXPECT_EQ(frame.size(), kMinimumEthernetFrame);
  auto found = locate_ecpri(frame);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->payload.size(), kMinimumEthernetFrame - 14);  // padding included

  UdpFraming u = udp_v4();
  u.ethernet.pad_to_minimum = true;
  auto datagram = frame_ecpri_udp(u, ecpri_message(0));
  ASSERT_TRUE(datagram.ok());
  EXPECT_EQ(datagram->size(), kMinimumEthernetFrame);
  auto in_udp = locate_ecpri(*datagram, std::array{kPort});
  ASSERT_TRUE(in_udp.ok()) << in_udp.error().to_string();
  EXPECT_EQ(in_udp->payload.size(), 4u);  // UDP length excludes the padding
  EXPECT_TRUE(in_udp->checksums_valid);
}

TEST(Framing, RecognisesEcpriOverUdpOnUnnamedPorts) {
  auto datagram = frame_ecpri_udp(udp_v4(), ecpri_message(40));
  ASSERT_TRUE(datagram.ok());
  EXPECT_FALSE(locate_ecpri(*datagram, {}).ok());
  auto found = locate_ecpri(*datagram, {}, true);
  ASSERT_TRUE(found.ok()) << found.error().to_string();
  EXPECT_EQ(found->payload.size(), 44u);

  // Other UDP payloads stay unrecognised: wrong revision, undefined type, wrong size.
  for (auto corrupt : {std::pair<int, std::uint8_t>{0, 0x20}, {1, 0x40}, {3, 41}}) {
    auto message = ecpri_message(40);
    message[static_cast<std::size_t>(corrupt.first)] = corrupt.second;
    auto other = frame_ecpri_udp(udp_v4(), message);
    ASSERT_TRUE(other.ok());
    auto rejected = locate_ecpri(*other, {}, true);
    ASSERT_FALSE(rejected.ok()) << "byte " << corrupt.first;
    EXPECT_NE(rejected.error().message.find("carry no eCPRI message"), std::string::npos);
  }
  EXPECT_FALSE(looks_like_ecpri(std::vector<std::uint8_t>{0x10, 0x00}));
}

TEST(Framing, UdpIpv4RoundTripWithChecksums) {
  const auto message = ecpri_message(101);  // odd length exercises checksum padding
  UdpFraming f = udp_v4();
  f.ethernet.vlans.push_back({5, 6, false, kEthertypeVlan});
  auto frame = frame_ecpri_udp(f, message);
  ASSERT_TRUE(frame.ok());
  ASSERT_EQ(frame->size(), 18 + 20 + 8 + message.size());
  const std::array<std::uint16_t, 2> ports = {1234, kPort};
  auto found = locate_ecpri(*frame, ports);
  ASSERT_TRUE(found.ok()) << found.error().to_string();
  EXPECT_EQ(found->transport, EcpriTransport::kUdpIpv4);
  EXPECT_EQ(found->offset, 18u + 28u);
  EXPECT_EQ(found->vlans.size(), 1u);
  EXPECT_EQ(found->source_port, 50000);
  EXPECT_EQ(found->destination_port, kPort);
  EXPECT_EQ(to_string(*found->source_ip), "192.168.10.1");
  EXPECT_EQ(to_string(*found->destination_ip), "192.168.10.2");
  EXPECT_TRUE(found->checksums_valid);
  EXPECT_TRUE(
      std::equal(found->payload.begin(), found->payload.end(), message.begin(), message.end()));

  (*frame)[frame->size() - 1] ^= 0x01;
  auto corrupted = locate_ecpri(*frame, ports);
  ASSERT_TRUE(corrupted.ok());
  EXPECT_FALSE(corrupted->checksums_valid);
}

TEST(Framing, UdpIpv6RoundTrip) {
  UdpFraming f = udp_v4();
  f.source_ip = *parse_ip("fd00::1");
  f.destination_ip = *parse_ip("fd00::2");
  const auto message = ecpri_message(64);
  auto frame = frame_ecpri_udp(f, message);
  ASSERT_TRUE(frame.ok());
  auto found = locate_ecpri(*frame, std::array{kPort});
  ASSERT_TRUE(found.ok()) << found.error().to_string();
  EXPECT_EQ(found->transport, EcpriTransport::kUdpIpv6);
  EXPECT_EQ(to_string(*found->source_ip), "fd00::1");
  EXPECT_EQ(found->payload.size(), message.size());
  EXPECT_TRUE(found->checksums_valid);
  f.destination_ip = Ipv4Address{1, 2, 3, 4};
  EXPECT_FALSE(frame_ecpri_udp(f, message).ok());
}

void expect_error(std::span<const std::uint8_t> frame, const std::string& fragment,
                  std::span<const std::uint16_t> ports = {}) {
  auto found = locate_ecpri(frame, ports);
  ASSERT_FALSE(found.ok()) << "expected an error mentioning " << fragment;
  EXPECT_NE(found.error().message.find(fragment), std::string::npos) << found.error().message;
  EXPECT_EQ(found.error().where.rfind("byte ", 0), 0u) << found.error().where;
}

TEST(Framing, SaysWhyAFrameHoldsNoEcpri) {
  expect_error(std::vector<std::uint8_t>(10, 0), "truncated Ethernet header");
  std::vector<std::uint8_t> arp(60, 0);
  arp[12] = 0x08;
  arp[13] = 0x06;
  expect_error(arp, "0x0806");
  std::vector<std::uint8_t> llc(60, 0);
  llc[13] = 46;
  expect_error(llc, "802.3 length");

  EthernetFraming tagged{kRu, kDu, {{7, 0, false, kEthertypeVlan}}, false};
  auto frame = frame_ecpri_ethernet(tagged, ecpri_message(0));
  expect_error(std::span(frame).first(15), "truncated VLAN tag");

  auto udp = *frame_ecpri_udp(udp_v4(), ecpri_message(20));
  expect_error(udp, "not configured for eCPRI", std::array<std::uint16_t, 1>{9});
  expect_error(std::span(udp).first(30), "truncated IPv4 header", std::array{kPort});
  expect_error(std::span(udp).first(50), "IPv4 total length", std::array{kPort});
  auto fragment = udp;
  fragment[14 + 6] |= 0x20;  // more fragments
  expect_error(fragment, "fragment", std::array{kPort});
  auto tcp = udp;
  tcp[14 + 9] = 6;
  expect_error(tcp, "not UDP", std::array{kPort});
  auto bad_udp_length = udp;
  bad_udp_length[14 + 20 + 4] = 0xff;
  expect_error(bad_udp_length, "UDP length", std::array{kPort});
}

TEST(Framing, EveryPrefixOfEveryFrameIsHandled) {
  UdpFraming v6 = udp_v4();
  v6.source_ip = *parse_ip("::1");
  v6.destination_ip = *parse_ip("::2");
  const std::vector<std::vector<std::uint8_t>> frames = {
      *frame_ecpri_udp(udp_v4(), ecpri_message(30)), *frame_ecpri_udp(v6, ecpri_message(30)),
      frame_ecpri_ethernet({kRu, kDu, {{1, 1, false, kEthertypeVlan}}, false}, ecpri_message(30))};
  for (const auto& frame : frames) {
    std::size_t accepted = 0;
    for (std::size_t n = 0; n <= frame.size(); ++n) {
      auto found = locate_ecpri(std::span(frame).first(n), std::array{kPort});
      if (!found.ok()) continue;
      ++accepted;
      EXPECT_LE(found->offset + found->payload.size(), n);
    }
    EXPECT_GE(accepted, 1u);
  }
}

TEST(Framing, MacAndIpText) {
  EXPECT_EQ(to_string(kDu), "02:00:00:00:00:01");
  EXPECT_EQ(parse_mac("02:00:00:00:00:01"), kDu);
  EXPECT_EQ(parse_mac("AA-bb-CC-dd-EE-ff"), (MacAddress{0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff}));
  EXPECT_FALSE(parse_mac("02:00:00:00:00").has_value());
  EXPECT_FALSE(parse_mac("02:00:00:00:00:0g").has_value());
  EXPECT_FALSE(parse_ip("300.1.1.1").has_value());
}

// tshark, an independent dissector, reads the frames as written.
TEST(Framing, TsharkReadsWhatWasWritten) {
  const std::string tshark = PLUGFEST_TSHARK;
  if (tshark.empty()) GTEST_SKIP() << "tshark is not installed; oracle check skipped";
  std::string pattern =
      (std::filesystem::temp_directory_path() / "plugfest-framing-XXXXXX").string();
  ASSERT_NE(mkdtemp(pattern.data()), nullptr);
  const std::filesystem::path dir = pattern;
  const std::string path = (dir / "framing.pcap").string();
  {
    auto writer = PcapWriter::create(path);
    ASSERT_TRUE(writer.ok());
    EthernetFraming tagged{kRu, kDu, {{100, 5, false, kEthertypeVlan}}, true};
    ASSERT_TRUE(writer
                    ->write(frame_ecpri_ethernet(tagged, ecpri_message(8)),
                            std::chrono::nanoseconds(1'000'000'001))
                    .ok());
    UdpFraming udp = udp_v4();
    udp.ethernet.vlans.push_back({200, 3, false, kEthertypeVlan});
    ASSERT_TRUE(writer
                    ->write(*frame_ecpri_udp(udp, ecpri_message(33)),
                            std::chrono::nanoseconds(2'000'000'002))
                    .ok());
    UdpFraming v6 = udp_v4();
    v6.source_ip = *parse_ip("fd00::a");
    v6.destination_ip = *parse_ip("fd00::b");
    ASSERT_TRUE(writer
                    ->write(*frame_ecpri_udp(v6, ecpri_message(17)),
                            std::chrono::nanoseconds(3'000'000'003))
                    .ok());
    ASSERT_TRUE(writer->close().ok());
  }
  const std::string command =
      tshark + " -r " + path +
      " -o ip.check_checksum:TRUE -o udp.check_checksum:TRUE -T fields -E separator=, "
      "-e frame.time_epoch -e eth.src -e eth.type -e vlan.id -e vlan.priority -e vlan.etype "
      "-e ip.src -e ipv6.dst -e ip.checksum.status -e udp.dstport -e udp.length "
      "-e udp.checksum.status 2>/dev/null";
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  char buffer[512];
  while (std::fgets(buffer, sizeof buffer, pipe)) output += buffer;
  ASSERT_EQ(pclose(pipe), 0) << output;
  std::filesystem::remove_all(dir);
  std::istringstream lines(output);
  std::vector<std::string> rows;
  for (std::string line; std::getline(lines, line);) rows.push_back(line);
  ASSERT_EQ(rows.size(), 3u) << output;
  // checksum.status 1 is "Good".
  EXPECT_EQ(rows[0], "1.000000001,02:00:00:00:00:01,0x8100,100,5,0xaefe,,,,,,") << output;
  EXPECT_EQ(rows[1], "2.000000002,02:00:00:00:00:01,0x8100,200,3,0x0800,192.168.10.1,,1,44000,45,1")
      << output;
  EXPECT_EQ(rows[2], "3.000000003,02:00:00:00:00:01,0x86dd,,,,,fd00::b,,44000,29,1") << output;
}

}  // namespace
}  // namespace plugfest::fronthaul
