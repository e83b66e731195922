#include "interfaces/fronthaul/stream_validator.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "interfaces/fronthaul/testing/message_generator.h"

namespace plugfest::fronthaul {
namespace {

using testing::CellTraffic;

constexpr bool kFromCapture = true;

std::vector<std::vector<std::uint8_t>> slots_of_traffic(CellTraffic& cell, int slots) {
  std::vector<std::vector<std::uint8_t>> packets;
  for (int i = 0; i < slots; ++i) {
    for (const Message& m : cell.next_slot()) packets.push_back(encode(m));
  }
  return packets;
}

TEST(StreamValidator, ConformantCellTrafficHasNoFindings) {
  for (bool dynamic : {false, true}) {
    for (DataDirection direction : {DataDirection::kDownlink, DataDirection::kUplink}) {
      DecoderConfig config;
      config.uplane_compression.dynamic = dynamic;
      CellTraffic cell(1, config, 4, direction);
      StreamValidator validator(config);
      // 40 slots: the 8-bit sequence IDs wrap around.
      const auto packets = slots_of_traffic(cell, 40);
      for (std::size_t i = 0; i < packets.size(); ++i) {
        validator.feed(packets[i], std::chrono::microseconds(i));
      }
      EXPECT_TRUE(validator.findings().empty())
          << validator.findings().front().rule_id << ": " << validator.findings().front().message;
      EXPECT_EQ(validator.packets(), packets.size());
    }
  }
}

TEST(StreamValidator, LateArrivalWithinTheWindowIsAReorderNotAGap) {
  DecoderConfig config;
  CellTraffic cell(2, config, 2);
  auto packets = slots_of_traffic(cell, 2);
  // Packet 10 (a U-plane packet) arrives after packet 12 of the same antenna.
  std::swap(packets[10], packets[12]);
  StreamValidator validator(config, kFromCapture);
  for (const auto& packet : packets) validator.feed(packet, {});
  validator.finish();
  ASSERT_EQ(validator.findings().size(), 1u) << validator.findings()[0].message;
  EXPECT_EQ(validator.findings()[0].rule_id, rules::kStreamSeqIdReorder);
  EXPECT_EQ(validator.findings()[0].packet_index, 12u);
  EXPECT_EQ(validator.findings()[0].severity, Severity::kWarning);
  EXPECT_EQ(validator.sequence_totals().missing, 0u);
  EXPECT_EQ(validator.sequence_totals().reordered, 1u);
}

TEST(StreamValidator, PermutedIdsWithinEachSlotAreReordersOnly) {
  DecoderConfig config;
  CellTraffic cell(5, config, 1);
  std::vector<std::vector<std::uint8_t>> packets;
  for (int slot = 0; slot < 40; ++slot) {
    auto messages = cell.next_slot();
    // Every slot's U-plane sent in reverse: each ID present, up to 13 places late.
    std::reverse(messages.begin() + 1, messages.end());
    for (const auto& m : messages) packets.push_back(encode(m));
  }
  StreamValidator validator(config, kFromCapture);
  for (const auto& packet : packets) validator.feed(packet, {});
  validator.finish();
  for (const auto& f : validator.findings()) EXPECT_EQ(f.rule_id, rules::kStreamSeqIdReorder);
  EXPECT_EQ(validator.sequence_totals().missing, 0u);
  EXPECT_EQ(validator.sequence_totals().unexpected, 0u);
  // 13 of 14 messages arrive behind the highest ID in each of the 40 slots.
  EXPECT_EQ(validator.sequence_totals().reordered, 40u * 13u);
}

TEST(StreamValidator, LossIsOneGapPerHoleOnceTheWindowPassed) {
  DecoderConfig config;
  CellTraffic cell(2, config, 1);
  auto packets = slots_of_traffic(cell, 6);
  // Packets 5 and 6 (U-plane symbols 3 and 4) are lost.
  packets.erase(packets.begin() + 5, packets.begin() + 7);
  StreamValidator validator(config, kFromCapture);
  for (const auto& packet : packets) validator.feed(packet, {});
  validator.finish();
  ASSERT_EQ(validator.findings().size(), 1u);
  const Finding& gap = validator.findings()[0];
  EXPECT_EQ(gap.rule_id, rules::kStreamSeqIdGap);
  EXPECT_EQ(gap.packet_index, 5u);  // the packet that skipped ahead
  EXPECT_NE(gap.message.find("2 missing"), std::string::npos) << gap.message;
  EXPECT_EQ(validator.sequence_totals().missing, 2u);
}

TEST(StreamValidator, LossNearTheEndIsUnresolvedNotAGap) {
  DecoderConfig config;
  CellTraffic cell(2, config, 1);
  auto packets = slots_of_traffic(cell, 1);
  packets.erase(packets.begin() + 5);
  StreamValidator validator(config, kFromCapture);
  for (const auto& packet : packets) validator.feed(packet, {});
  validator.finish();
  EXPECT_TRUE(validator.findings().empty());
  EXPECT_EQ(validator.sequence_totals().unresolved, 1u);
}

TEST(StreamValidator, UplaneOfASlotWhoseCplanePrecedesTheStartIsNotJudged) {
  DecoderConfig config;
  CellTraffic cell(6, config, 1);
  auto packets = slots_of_traffic(cell, 4);
  // The capture starts at symbol 6 of the first slot: its C-plane was before it.
  packets.erase(packets.begin(), packets.begin() + 7);
  // And ends at symbol 9 of the last slot.
  packets.resize(packets.size() - 4);
  StreamValidator validator(config, kFromCapture);
  for (const auto& packet : packets) validator.feed(packet, {});
  validator.finish();
  EXPECT_TRUE(validator.findings().empty()) << validator.findings().front().message;
  EXPECT_EQ(validator.boundary().uplane_before_start, 8u);
  EXPECT_EQ(validator.boundary().sections_open_at_end, 1u);
}

TEST(StreamValidator, UplaneWithoutCplaneInsideTheCaptureIsStillReported) {
  DecoderConfig config;
  CellTraffic cell(6, config, 1);
  auto packets = slots_of_traffic(cell, 4);
  packets.erase(packets.begin() + 30);  // the C-plane of the third slot
  StreamValidator validator(config, kFromCapture);
  for (const auto& packet : packets) validator.feed(packet, {});
  // 14 U-plane (the C-plane's seqid gap is still in its window at the end).
  ASSERT_EQ(validator.findings().size(), 14u);
  EXPECT_EQ(validator.findings()[0].rule_id, rules::kStreamUpNoCplane);
  EXPECT_EQ(validator.boundary().uplane_before_start, 0u);
}

TEST(StreamValidator, MessageCutByTheCaptureIsCheckedAsFarAsItGoes) {
  DecoderConfig config;
  CellTraffic cell(7, config, 1);
  auto packets = slots_of_traffic(cell, 1);
  for (auto& p : packets) p.resize(std::min<std::size_t>(p.size(), 28));
  for (bool cut : {true, false}) {
    StreamValidator validator(config, kFromCapture);
    for (const auto& packet : packets) validator.feed(packet, {}, cut);
    if (cut) {
      EXPECT_TRUE(validator.findings().empty()) << validator.findings().front().message;
    } else {
      EXPECT_FALSE(validator.findings().empty());
      EXPECT_EQ(validator.findings()[0].rule_id, rules::kEcpriPayloadSize);
    }
  }
  // What is there is still checked: a sectionId the C-plane did not request.
  auto wrong = cell.next_slot();
  std::get<UplaneMessage>(wrong[3].body).sections[0].section_id = 99;
  StreamValidator validator(config, kFromCapture);
  for (const auto& packet : packets) validator.feed(packet, {}, true);
  for (const auto& m : wrong) {
    auto bytes = encode(m);
    bytes.resize(std::min<std::size_t>(bytes.size(), 28));
    validator.feed(bytes, {}, true);
  }
  ASSERT_EQ(validator.findings().size(), 1u);
  EXPECT_EQ(validator.findings()[0].rule_id, rules::kStreamUpSectionId);
}

TEST(StreamValidator, StreamLayoutDecodesItsStreamWithItsOwnCompression) {
  DecoderConfig uncompressed;
  uncompressed.uplane_compression = {false, {CompressionMethod::kNone, 16}};
  uncompressed.carrier_prbs = 51;
  CellTraffic cell(8, uncompressed, 1, DataDirection::kUplink);
  const auto packets = slots_of_traffic(cell, 2);
  for (bool layout : {true, false}) {
    StreamValidator validator(DecoderConfig{});  // static 9-bit BFP, 273 PRBs
    if (layout) {
      validator.set_stream_layout(DataDirection::kUplink, 0, {uncompressed.uplane_compression, 51});
    }
    for (const auto& packet : packets) validator.feed(packet, {});
    EXPECT_EQ(validator.findings().empty(), layout);
  }
}

TEST(StreamValidator, UplinkCplaneUdCompHdrZeroMeansUncompressed) {
  DecoderConfig config;  // U-plane static 9-bit BFP
  CellTraffic cell(9, config, 1, DataDirection::kUplink);
  auto messages = cell.next_slot();
  std::get<CplaneMessage>(messages[0].body).ud_comp_hdr = CompressionParams::from_ud_comp_hdr(0);
  StreamValidator validator(config);
  for (const auto& m : messages) validator.feed(encode(m), {});
  ASSERT_FALSE(validator.findings().empty());
  EXPECT_EQ(validator.findings()[0].rule_id, rules::kStreamUpCompression);
}

TEST(StreamValidator, StreamsAreKeptApartByEaxcAndDirection) {
  DecoderConfig config;
  CellTraffic downlink(3, config, 2, DataDirection::kDownlink);
  CellTraffic uplink(3, config, 2, DataDirection::kUplink);
  const auto dl = slots_of_traffic(downlink, 3);
  const auto ul = slots_of_traffic(uplink, 3);
  StreamValidator validator(config);
  // Interleave both directions packet by packet.
  for (std::size_t i = 0; i < dl.size(); ++i) {
    validator.feed(dl[i], {});
    validator.feed(ul[i], {});
  }
  EXPECT_TRUE(validator.findings().empty());
}

TEST(StreamValidator, LiveStreamReportsAGapAtOnceAndJudgesItsFirstSlot) {
  DecoderConfig config;
  CellTraffic cell(2, config, 1);
  auto packets = slots_of_traffic(cell, 1);
  packets.erase(packets.begin() + 5);
  // A sectionId of the first slot that its C-plane did not request.
  auto wrong = decode(packets[8], config).message;
  std::get<UplaneMessage>(wrong.body).sections[0].section_id = 99;
  packets[8] = encode(wrong);
  StreamValidator validator(config);
  for (const auto& packet : packets) validator.feed(packet, {});
  ASSERT_EQ(validator.findings().size(), 2u);
  EXPECT_EQ(validator.findings()[0].rule_id, rules::kStreamSeqIdGap);
  EXPECT_EQ(validator.findings()[0].packet_index, 5u);
  EXPECT_EQ(validator.findings()[1].rule_id, rules::kStreamUpSectionId);
}

TEST(StreamValidator, BrokenPacketsAreReportedWithTheirIndexAndDoNotDerailTheStream) {
  DecoderConfig config;
  CellTraffic cell(4, config, 1);
  auto packets = slots_of_traffic(cell, 1);
  packets.insert(packets.begin() + 3, std::vector<std::uint8_t>{0x10, 0x00, 0x00});
  StreamValidator validator(config);
  for (const auto& packet : packets) validator.feed(packet, {});
  ASSERT_EQ(validator.findings().size(), 1u);
  EXPECT_EQ(validator.findings()[0].rule_id, rules::kEcpriTruncated);
  EXPECT_EQ(validator.findings()[0].packet_index, 3u);
}

}  // namespace
}  // namespace plugfest::fronthaul
