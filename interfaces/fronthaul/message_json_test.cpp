// The JSON of a message holds what the decoder read, nothing default-filled.
#include "interfaces/fronthaul/message_json.h"

#include <gtest/gtest.h>

#include "interfaces/fronthaul/codec.h"
#include "interfaces/fronthaul/testing/message_generator.h"

namespace plugfest::fronthaul {
namespace {

std::vector<Message> slot_messages() {
  DecoderConfig config;
  testing::CellTraffic cell(5, config, 1);
  return cell.next_slot();
}

nlohmann::json decoded_json(const std::vector<std::uint8_t>& bytes) {
  DecoderConfig config;
  return to_json(decode(bytes, config), bytes);
}

TEST(MessageJson, AWholeMessageHasEveryField) {
  const auto messages = slot_messages();
  const auto bytes = encode(messages.back());  // a U-plane message
  const auto j = decoded_json(bytes);
  EXPECT_EQ(j["decoded_octets"], bytes.size());
  EXPECT_EQ(j["ecpri"]["message_type"], 0);
  ASSERT_TRUE(j.contains("uplane")) << j.dump();
  EXPECT_FALSE(j["uplane"]["sections"].empty());
  EXPECT_EQ(j["eaxc"], to_json(messages.back())["eaxc"]);
}

TEST(MessageJson, AnUnknownMessageTypeKeepsItsOwnTypeAndNothingElse) {
  std::vector<std::uint8_t> bytes = {0x10, 0x09, 0x00, 0x04, 1, 2, 3, 4};
  const auto j = decoded_json(bytes);
  EXPECT_EQ(j["ecpri"]["message_type"], 9) << j.dump();
  EXPECT_FALSE(j.contains("eaxc"));
  EXPECT_FALSE(j.contains("uplane"));
  EXPECT_FALSE(j.contains("cplane"));
}

TEST(MessageJson, ATruncatedMessageShowsOnlyTheHeadersRead) {
  const auto messages = slot_messages();
  std::vector<std::uint8_t> cplane = encode(messages.front());  // a C-plane message
  ASSERT_EQ(cplane[1], 2);
  cplane.resize(6);  // common header and half the ecpriRtcid
  auto j = decoded_json(cplane);
  EXPECT_EQ(j["ecpri"]["message_type"], 2) << j.dump();
  EXPECT_FALSE(j.contains("eaxc")) << j.dump();
  EXPECT_FALSE(j.contains("cplane")) << j.dump();

  std::vector<std::uint8_t> uplane = encode(messages.back());
  uplane.resize(12);  // headers, no section
  j = decoded_json(uplane);
  EXPECT_TRUE(j.contains("eaxc")) << j.dump();
  ASSERT_TRUE(j.contains("uplane")) << j.dump();
  EXPECT_FALSE(j["uplane"].contains("sections")) << j.dump();

  EXPECT_EQ(decoded_json({0x10, 0x00}).dump(), R"({"decoded_octets":0})");
}

}  // namespace
}  // namespace plugfest::fronthaul
