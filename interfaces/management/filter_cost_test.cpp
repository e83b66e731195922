#include "interfaces/management/filter_cost.h"

#include <gtest/gtest.h>

namespace plugfest::management {
namespace {

const TreeShape kShape{500, 20, 8, {}};

double cost(const std::string& xpath) {
  auto estimated = xpath_cost(xpath, kShape);
  EXPECT_TRUE(estimated.ok()) << estimated.error().to_string();
  return estimated.ok() ? *estimated : -1;
}

TEST(XpathCost, PlainPathsCostTheirListSizes) {
  EXPECT_LE(cost("/ietf-hardware:hardware/component[name='ru-module']/class"), 1e4);
  EXPECT_GT(cost("/ietf-hardware:hardware/component[name='ru-module']/class"), 0);
}

TEST(XpathCost, NestedPredicatesOfAnOrdinaryFilterStayCheap) {
  EXPECT_LT(cost("/o-ran-uplane-conf:user-plane-configuration/low-level-tx-links[tx-array-carrier="
                 "/o-ran-uplane-conf:user-plane-configuration/tx-array-carriers[active='ACTIVE']/"
                 "name]"),
            1e6);
}

TEST(XpathCost, EachNestedDescendantSearchMultipliesByTheTree) {
  const double one = cost("//*");
  const double two = cost("//*[//*]");
  const double three = cost("//*[//*[//*]]");
  EXPECT_GE(two, one * kShape.nodes / 2);
  EXPECT_GE(three, two * kShape.nodes / 2);
  EXPECT_GE(three, 1e8);
}

TEST(XpathCost, AxesAndNodeSetComparisonsAreCounted) {
  EXPECT_GE(cost("//a[following::*]"), kShape.nodes * kShape.nodes);
  EXPECT_GE(cost("//a = //b"), kShape.nodes * kShape.nodes);
  EXPECT_LT(cost("/a/b = 'x'"), 1000);
}

TEST(XpathCost, MultiplicationIsNotANameTest) {
  EXPECT_LT(cost("/a/b * 2 + count(/a/c) div 3"), 1000);
}

TEST(XpathCost, MalformedExpressionsAreLocatedErrors) {
  for (const char* bad : {"/a[(b", "/a]", "/a['x", "/a#b", "::b", "/a[b))"}) {
    auto estimated = xpath_cost(bad, kShape);
    ASSERT_FALSE(estimated.ok()) << bad;
    EXPECT_NE(estimated.error().where.find("offset"), std::string::npos) << bad;
  }
}

TEST(XpathCost, NestingAndLengthAreBounded) {
  std::string deep(200, '[');
  deep = "/a" + deep;
  auto nested = xpath_cost(deep, kShape);
  ASSERT_FALSE(nested.ok());
  EXPECT_NE(nested.error().message.find("nested deeper"), std::string::npos);
  auto long_one = xpath_cost(std::string(kMaxXpathLength + 1, 'a'), kShape);
  ASSERT_FALSE(long_one.ok());
  EXPECT_NE(long_one.error().message.find("longer than"), std::string::npos);
}

TEST(XpathCost, ManyXpathsAddUp) {
  const std::vector<std::string> one{"/a/b"};
  const std::vector<std::string> many(100, "/a/b");
  auto single = xpaths_cost(one, kShape);
  auto hundred = xpaths_cost(many, kShape);
  ASSERT_TRUE(single.ok() && hundred.ok());
  EXPECT_DOUBLE_EQ(*hundred, 100 * *single);
}

}  // namespace
}  // namespace plugfest::management
