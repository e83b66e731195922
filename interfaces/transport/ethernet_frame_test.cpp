#include "interfaces/transport/ethernet_frame.h"

#include <gtest/gtest.h>

namespace plugfest::transport {
namespace {

TEST(MacAddress, ParsesAndPrints) {
  auto mac = parse_mac("02:00:5E:10:00:ff");
  ASSERT_TRUE(mac);
  EXPECT_EQ(to_string(*mac), "02:00:5e:10:00:ff");
  EXPECT_TRUE(parse_mac("02-00-5e-10-00-01"));
  for (const char* bad : {"", "02:00:5e:10:00", "02:00:5e:10:00:zz", "02:00:5e:10:00:011"}) {
    auto r = parse_mac(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_NE(r.error().message.find("MAC"), std::string::npos);
  }
}

TEST(VlanTag, TciPacksPcpDeiAndVid) {
  const VlanTag tag{5, true, 0x123};
  EXPECT_EQ(tag.tci(), (5 << 13) | 0x1000 | 0x123);
  EXPECT_EQ(VlanTag::from_tci(tag.tci()), tag);
}

TEST(EthernetFrame, TaggedFrameRoundTrips) {
  const MacAddress dst{2, 0, 0, 0, 0, 1};
  const MacAddress src{2, 0, 0, 0, 0, 2};
  const std::vector<std::uint8_t> payload(100, 0x5a);
  std::vector<std::uint8_t> frame;
  append_ecpri_frame(frame, dst, src, VlanTag{6, false, 42}, payload);
  ASSERT_EQ(frame.size(), 14u + 4 + 100);
  EXPECT_EQ(frame[12], 0x81);
  EXPECT_EQ(frame[16], 0xae);
  EXPECT_EQ(frame[17], 0xfe);
  auto h = parse_ethernet_header(frame);
  ASSERT_TRUE(h);
  EXPECT_EQ(h->destination, dst);
  EXPECT_EQ(h->source, src);
  ASSERT_TRUE(h->vlan);
  EXPECT_EQ(h->vlan->pcp, 6);
  EXPECT_EQ(h->vlan->vid, 42);
  EXPECT_EQ(h->ethertype, kEcpriEthertype);
  EXPECT_EQ(h->payload_offset, 18u);
}

TEST(EthernetFrame, ShortFramesArePaddedAndBadOnesNamed) {
  std::vector<std::uint8_t> frame;
  append_ecpri_frame(frame, {}, {}, std::nullopt, std::vector<std::uint8_t>(8, 1));
  EXPECT_EQ(frame.size(), kMinimumFrameBytes);
  auto h = parse_ethernet_header(frame);
  ASSERT_TRUE(h);
  EXPECT_FALSE(h->vlan);
  EXPECT_EQ(h->payload_offset, 14u);
  EXPECT_FALSE(parse_ethernet_header(std::span(frame).first(10)));
  std::vector<std::uint8_t> cut(frame.begin(), frame.begin() + 15);
  cut[12] = 0x81;
  cut[13] = 0x00;
  auto r = parse_ethernet_header(cut);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("802.1Q"), std::string::npos);
}

}  // namespace
}  // namespace plugfest::transport
