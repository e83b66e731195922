#include "harness/inputs/applicability.h"

#include <gtest/gtest.h>

namespace plugfest::harness {
namespace {

using adapter::Capabilities;

TEST(Applicability, ConjunctionNegationAlternatives) {
  auto rule = Applicability::parse(
      {"section_type.3", "!extension.11", "compression.bfp.9|compression.bfp.14"});
  ASSERT_TRUE(rule.ok());
  EXPECT_FALSE(rule->unmet(Capabilities{"section_type.3", "compression.bfp.14"}));
  EXPECT_EQ(*rule->unmet(Capabilities{"compression.bfp.9"}), "section_type.3");
  EXPECT_EQ(*rule->unmet(Capabilities{"section_type.3", "extension.11", "compression.bfp.9"}),
            "!extension.11");
  EXPECT_EQ(*rule->unmet(Capabilities{"section_type.3"}), "compression.bfp.9|compression.bfp.14");
}

TEST(Applicability, PairSides) {
  auto rule = Applicability::parse({"o-du:prach", "o-ru:beamforming", "section_type.1"});
  ASSERT_TRUE(rule.ok());
  EXPECT_FALSE(rule->unmet(Capabilities{"prach", "section_type.1"},
                           Capabilities{"beamforming", "section_type.1"}));
  EXPECT_TRUE(rule->unmet(Capabilities{"prach", "section_type.1"}, Capabilities{"beamforming"}));
}

TEST(Applicability, RefusesMalformedTerms) {
  EXPECT_FALSE(Applicability::parse({"section type"}).ok());
  EXPECT_FALSE(Applicability::parse({"a||b"}).ok());
  EXPECT_FALSE(Applicability::parse({"."}).ok());
  EXPECT_TRUE(Applicability::parse({}).ok());
}

// Describe decides; every difference with the claims is listed by its most specific names.
TEST(CapabilityReconciliation, DescribeDecidesAndEveryDifferenceIsListed) {
  const Capabilities claimed = with_prefixes(Capabilities{
      "section_type.0", "section_type.1", "section_type.3", "extension.1", "extension.11"});
  const Capabilities described{"section_type.1", "section_type.3", "udp"};
  const auto r = reconcile_capabilities(claimed, described, {});
  EXPECT_EQ(r.claimed_not_described,
            (std::vector<std::string>{"extension.1", "extension.11", "section_type.0"}));
  EXPECT_EQ(r.described_not_claimed, (std::vector<std::string>{"udp"}));
  EXPECT_EQ(r.effective, (Capabilities{"section_type", "section_type.1", "section_type.3", "udp"}));
  EXPECT_TRUE(r.overrides.empty());
}

TEST(CapabilityReconciliation, AgreementAndNoClaimsListNothing) {
  const Capabilities described{"compression.bfp.9", "udp"};
  const auto same = reconcile_capabilities(with_prefixes(described), described, {});
  EXPECT_TRUE(same.claimed_not_described.empty());
  EXPECT_TRUE(same.described_not_claimed.empty());
  EXPECT_TRUE(same.effective.has("compression.bfp"));
  const auto unclaimed = reconcile_capabilities({}, described, {});
  EXPECT_TRUE(unclaimed.described_not_claimed.empty());
  EXPECT_EQ(unclaimed.effective, with_prefixes(described));
}

TEST(CapabilityReconciliation, OverridesCorrectDescribeBothWays) {
  const Capabilities claimed = with_prefixes(Capabilities{"extension.11", "section_type.1"});
  const Capabilities described{"section_type.1", "section_type.3"};
  const auto r = reconcile_capabilities(claimed, described,
                                        {{"extension.11", true}, {"section_type.3", false}});
  EXPECT_TRUE(r.effective.has("extension.11"));
  EXPECT_TRUE(r.effective.has("extension"));
  EXPECT_FALSE(r.effective.has("section_type.3"));
  EXPECT_TRUE(r.effective.has("section_type"));  // section_type.1 still needs it
  ASSERT_EQ(r.overrides.size(), 2u);
  EXPECT_FALSE(r.overrides[0].described);
  EXPECT_TRUE(r.overrides[1].described);
  // The differences are still listed: an override corrects, it does not hide.
  EXPECT_EQ(r.claimed_not_described, (std::vector<std::string>{"extension.11"}));
  EXPECT_EQ(r.described_not_claimed, (std::vector<std::string>{"section_type.3"}));
  // A prefix only the removed name needed goes with it.
  const auto alone =
      reconcile_capabilities({}, Capabilities{"mplane.call-home"}, {{"mplane.call-home", false}});
  EXPECT_TRUE(alone.effective.empty());
}

}  // namespace
}  // namespace plugfest::harness
