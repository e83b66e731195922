#include "interfaces/management/transcript.h"

#include <gtest/gtest.h>

namespace plugfest::management {
namespace {

TEST(Transcript, KeepsOrderDirectionAndTimestamps) {
  Transcript transcript;
  transcript.add(TranscriptDirection::kSent, "<rpc/>");
  transcript.add(TranscriptDirection::kReceived, "<rpc-reply/>");
  auto entries = transcript.entries();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_LE(entries[0].at, entries[1].at);
  std::string text = transcript.to_text();
  EXPECT_LT(text.find(">>> <rpc/>"), text.find("<<< <rpc-reply/>"));
  EXPECT_NE(text.find("Z >>> "), std::string::npos);
}

TEST(Transcript, TimestampIsRfc3339Utc) {
  auto text = format_timestamp(std::chrono::system_clock::time_point{} +
                               std::chrono::microseconds(1500001));
  EXPECT_EQ(text, "1970-01-01T00:00:01.500001Z");
}

TEST(Transcript, TimestampParsesBackWithOffsets) {
  const auto epoch = std::chrono::system_clock::time_point{};
  auto utc = parse_timestamp("1970-01-01T00:00:01.500001Z");
  ASSERT_TRUE(utc.ok()) << utc.error().to_string();
  EXPECT_EQ(*utc, epoch + std::chrono::microseconds(1500001));
  auto ahead = parse_timestamp("1970-01-01T01:00:00+01:00");
  ASSERT_TRUE(ahead.ok()) << ahead.error().to_string();
  EXPECT_EQ(*ahead, epoch);
  EXPECT_FALSE(parse_timestamp("1970-01-01 00:00:00Z").ok());
  EXPECT_FALSE(parse_timestamp("1970-01-01T00:00:00").ok());
  EXPECT_FALSE(parse_timestamp("1970-01-01T00:00:00+1").ok());
}

}  // namespace
}  // namespace plugfest::management
