#include "interfaces/fronthaul/stream_validator.h"

#include <gtest/gtest.h>

#include "interfaces/fronthaul/testing/message_generator.h"

namespace plugfest::fronthaul {
namespace {

using testing::CellTraffic;

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

TEST(StreamValidator, LossIsAGapWarningAndLateArrivalAReorderWarning) {
  DecoderConfig config;
  CellTraffic cell(2, config, 2);
  auto packets = slots_of_traffic(cell, 2);
  // Packet 10 (a U-plane packet) arrives after packet 12 of the same antenna.
  std::swap(packets[10], packets[12]);
  StreamValidator validator(config);
  for (const auto& packet : packets) validator.feed(packet, {});
  ASSERT_EQ(validator.findings().size(), 2u);
  EXPECT_EQ(validator.findings()[0].rule_id, rules::kStreamSeqIdGap);
  EXPECT_EQ(validator.findings()[0].packet_index, 10u);
  EXPECT_EQ(validator.findings()[0].severity, Severity::kWarning);
  EXPECT_EQ(validator.findings()[1].rule_id, rules::kStreamSeqIdReorder);
  EXPECT_EQ(validator.findings()[1].packet_index, 12u);
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
