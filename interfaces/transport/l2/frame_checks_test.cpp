#include "interfaces/transport/l2/frame_checks.h"

#include <gtest/gtest.h>

#include <thread>

#include "interfaces/transport/tap_worker.h"

namespace plugfest::transport {
namespace {

using fronthaul::Finding;
using fronthaul::MacAddress;
using fronthaul::VlanTag;

const MacAddress kDu{0x02, 0, 0, 0, 0x0d, 1};
const MacAddress kRu{0x02, 0, 0, 0, 0x0e, 1};

std::vector<std::uint8_t> frame(const MacAddress& to, const MacAddress& from,
                                std::vector<VlanTag> vlans, std::uint16_t ethertype = 0xaefe,
                                std::size_t payload = 20) {
  auto f = fronthaul::frame_ecpri_ethernet({to, from, std::move(vlans), false},
                                           std::vector<std::uint8_t>(payload, 0x10));
  f[f.size() - payload - 2] = static_cast<std::uint8_t>(ethertype >> 8);
  f[f.size() - payload - 1] = static_cast<std::uint8_t>(ethertype & 0xff);
  return f;
}

std::vector<Finding> check(std::span<const std::uint8_t> bytes, std::optional<std::uint16_t> vlan,
                           std::uint64_t index = 5) {
  std::vector<Finding> out;
  check_frame(bytes, {kDu, kRu, vlan}, index, out);
  return out;
}

TEST(ParseL2Header, ReadsAddressesTagsAndEthertype) {
  const auto f =
      frame(kRu, kDu, {{.id = 300, .pcp = 3, .dei = true, .tpid = 0x88a8}, {.id = 6, .pcp = 7}});
  auto h = parse_l2_header(f);
  ASSERT_TRUE(h) << h.error().to_string();
  EXPECT_EQ(h->destination, kRu);
  EXPECT_EQ(h->source, kDu);
  ASSERT_TRUE(h->outer_vlan);
  EXPECT_EQ(*h->outer_vlan, (VlanTag{.id = 300, .pcp = 3, .dei = true, .tpid = 0x88a8}));
  EXPECT_EQ(h->vlan_count, 2u);
  EXPECT_EQ(h->ethertype, 0xaefe);
  EXPECT_EQ(h->payload_offset, 22u);
}

TEST(ParseL2Header, ShortFramesAreErrorsNamingTheByte) {
  const auto f = frame(kRu, kDu, {{.id = 6}});
  auto runt = parse_l2_header(std::span(f).first(10));
  ASSERT_FALSE(runt);
  EXPECT_NE(runt.error().message.find("10 bytes"), std::string::npos);
  auto cut = parse_l2_header(std::span(f).first(15));
  ASSERT_FALSE(cut);
  EXPECT_NE(cut.error().message.find("VLAN tag cut short"), std::string::npos);
  EXPECT_EQ(cut.error().where, "byte 12");
  std::vector<std::uint8_t> stacked(12, 0);
  for (int i = 0; i < 6; ++i) stacked.insert(stacked.end(), {0x81, 0x00, 0x00, 0x06});
  stacked.insert(stacked.end(), {0xae, 0xfe});
  auto many = parse_l2_header(stacked);
  ASSERT_FALSE(many);
  EXPECT_NE(many.error().message.find("more than 4"), std::string::npos);
}

TEST(CheckFrame, FrameOnThePlanHasNoFinding) {
  EXPECT_TRUE(check(frame(kRu, kDu, {{.id = 6, .pcp = 7}}), 6).empty());
  EXPECT_TRUE(check(frame(kDu, kRu, {{.id = 6, .pcp = 7}}), 6).empty());
  EXPECT_TRUE(check(frame(kRu, kDu, {}), std::nullopt).empty());
  // Untagged PTP and a broadcast ARP off the fronthaul VLAN are none of the checks' business.
  EXPECT_TRUE(check(frame({0x01, 0x1b, 0x19, 0, 0, 0}, kDu, {}, 0x88f7), 6).empty());
  EXPECT_TRUE(
      check(frame({0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, kDu, {{.id = 9}}, 0x0806), 6).empty());
}

TEST(CheckFrame, WrongVlanIsAFindingWithTheFrameIndex) {
  auto f = check(frame(kRu, kDu, {{.id = 7, .pcp = 7}}), 6, 41);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].rule_id, rules::kL2Vlan);
  EXPECT_EQ(f[0].packet_index, 41u);
  EXPECT_NE(f[0].message.find("VLAN 7"), std::string::npos) << f[0].message;
  EXPECT_NE(f[0].message.find("VLAN 6"), std::string::npos) << f[0].message;
  auto untagged = check(frame(kRu, kDu, {}), 6);
  ASSERT_EQ(untagged.size(), 1u);
  EXPECT_NE(untagged[0].message.find("no VLAN tag"), std::string::npos);
  auto tagged_on_untagged_plan = check(frame(kRu, kDu, {{.id = 6}}), std::nullopt);
  ASSERT_EQ(tagged_on_untagged_plan.size(), 1u);
  EXPECT_EQ(tagged_on_untagged_plan[0].rule_id, rules::kL2Vlan);
}

TEST(CheckFrame, DestinationOfNeitherEndIsAFinding) {
  const MacAddress stranger{0x02, 0x55, 0, 0, 0, 9};
  auto f = check(frame(stranger, kDu, {{.id = 6}}), 6);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].rule_id, rules::kL2DestinationMac);
  EXPECT_NE(f[0].message.find("02:55:00:00:00:09"), std::string::npos) << f[0].message;
  // eCPRI to a multicast group is no end's either.
  EXPECT_EQ(check(frame({0x01, 0, 0x5e, 0, 0, 1}, kDu, {{.id = 6}}), 6).size(), 1u);
}

TEST(CheckFrame, OtherProtocolOnTheFronthaulVlanIsAFinding) {
  auto f = check(frame({0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, kDu, {{.id = 6}}, 0x0806), 6);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].rule_id, rules::kL2Ethertype);
  EXPECT_NE(f[0].message.find("0x0806"), std::string::npos) << f[0].message;
  EXPECT_EQ(f[0].byte_offset, 16u);
}

TEST(CheckFrame, RuntIsAFindingNotACrash) {
  const std::vector<std::uint8_t> tiny{1, 2, 3};
  auto f = check(tiny, 6);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].rule_id, rules::kL2Runt);
  EXPECT_TRUE(check({}, 6).size() == 1u);
}

TEST(FrameRuleCatalog, EveryRuleHasAClauseAndTitle) {
  for (const auto& rule : frame_rule_catalog()) {
    EXPECT_FALSE(rule.clause.empty()) << rule.id;
    EXPECT_FALSE(rule.title.empty()) << rule.id;
  }
  EXPECT_EQ(frame_rule_catalog().size(), 4u);
}

TEST(DescribeFrame, PointsTheEcpriMessageIntoTheFrame) {
  const auto f = frame(kRu, kDu, {{.id = 6, .pcp = 7}}, 0xaefe, 30);
  TappedPacket t;
  ASSERT_TRUE(describe_frame(f, t));
  EXPECT_TRUE(t.is_ecpri);
  EXPECT_EQ(t.ecpri.data(), f.data() + 18);
  EXPECT_EQ(t.ecpri.size(), 30u);
  EXPECT_EQ(t.vlan->pcp, 7);
  const auto arp = frame(kRu, kDu, {}, 0x0806);
  ASSERT_TRUE(describe_frame(arp, t));
  EXPECT_FALSE(t.is_ecpri);
  EXPECT_TRUE(t.ecpri.empty());
  EXPECT_FALSE(describe_frame(std::span(arp).first(5), t));
}

// Collects what reaches it.
struct Recorder : PacketTap {
  std::vector<std::pair<bool, std::vector<std::uint8_t>>> seen;  // is_ecpri, frame
  std::vector<std::size_t> ecpri_offsets;
  void on_packet(const TappedPacket& p) override {
    seen.emplace_back(true, std::vector<std::uint8_t>(p.frame.begin(), p.frame.end()));
    ecpri_offsets.push_back(static_cast<std::size_t>(p.ecpri.data() - p.frame.data()));
  }
  void on_other_frames(std::span<const TappedPacket> frames) override {
    for (const auto& p : frames) {
      seen.emplace_back(false, std::vector<std::uint8_t>(p.frame.begin(), p.frame.end()));
    }
  }
};

TEST(TapWorker, CarriesWholeFramesAndOtherFramesInOrder) {
  Recorder recorder;
  const auto a = frame(kRu, kDu, {{.id = 6}});
  const auto arp = frame(kRu, kDu, {}, 0x0806);
  const auto b = frame(kDu, kRu, {});
  {
    TapWorker worker({&recorder}, TapWorkerConfig{});
    std::vector<TappedPacket> tapped(3);
    describe_frame(a, tapped[0]);
    describe_frame(arp, tapped[1]);
    describe_frame(b, tapped[2]);
    worker.on_batch(std::span(tapped).first(1));
    worker.on_other_frames(std::span(tapped).subspan(1, 1));
    worker.on_batch(std::span(tapped).subspan(2));
    worker.stop();
  }
  ASSERT_EQ(recorder.seen.size(), 3u);
  EXPECT_EQ(recorder.seen[0], std::make_pair(true, a));
  EXPECT_EQ(recorder.seen[1], std::make_pair(false, arp));
  EXPECT_EQ(recorder.seen[2], std::make_pair(true, b));
  EXPECT_EQ(recorder.ecpri_offsets, (std::vector<std::size_t>{18, 14}));
}

}  // namespace
}  // namespace plugfest::transport
