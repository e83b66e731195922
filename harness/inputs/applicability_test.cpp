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

}  // namespace
}  // namespace plugfest::harness
