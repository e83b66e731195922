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

}  // namespace
}  // namespace plugfest::management
