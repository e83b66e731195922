#include "interfaces/common/result.h"

#include <gtest/gtest.h>

namespace plugfest {
namespace {

Result<int> parse_port(int raw) {
  if (raw < 0 || raw > 65535) return Error{"port out of range", "lab.yaml:3:9"};
  return raw;
}

TEST(Result, HoldsValue) {
  auto r = parse_port(830);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, 830);
}

TEST(Result, HoldsErrorWithWhere) {
  auto r = parse_port(70000);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().to_string(), "lab.yaml:3:9: port out of range");
}

TEST(Result, VoidSuccessAndFailure) {
  Result<void> good;
  Result<void> bad = Error{"no such file", ""};
  EXPECT_TRUE(good.ok());
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().to_string(), "no such file");
}

}  // namespace
}  // namespace plugfest
