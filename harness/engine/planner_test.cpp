#include "harness/engine/planner.h"

#include <gtest/gtest.h>

#include <set>

#include "interfaces/common/testing/temp_dir.h"

namespace plugfest::harness {
namespace {

using adapter::Role;

class PlannerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto noop = [](Context&) {};
    registry_.add({.id = "cus.ru.a",
                   .title = "a",
                   .plane = "cus",
                   .role = Role::kOru,
                   .requires_capabilities = {"section_type.1"},
                   .run = noop});
    registry_.add({.id = "cus.du.b",
                   .title = "b",
                   .plane = "cus",
                   .role = Role::kOdu,
                   .timeout = std::chrono::seconds(7),
                   .run = noop});
    registry_.add({.id = "iot.c",
                   .title = "c",
                   .plane = "cus",
                   .kind = CaseKind::kInteroperability,
                   .run = noop});
    const auto file = dir_.write("p.yaml", R"(
id: p
title: t
specification: {document: D, version: '1'}
defaults: {numerology: 1}
cases:
  - id: cus.ru.a
    parameters: {numerology: 0}
    timeout: 2s
  - id: cus.du.b
  - id: iot.c
    requires: [o-ru:compression.bfp]
)");
    Diagnostics d;
    auto p = load_profile(file, registry_, d);
    ASSERT_TRUE(p) << d.to_string();
    profiles_.push_back(std::move(*p));
    duts_ = {{"ru1", Role::kOru, {"section_type.1", "compression.bfp"}},
             {"du1", Role::kOdu, {}},
             {"ru2", Role::kOru, {}},
             {"du2", Role::kOdu, {}}};
  }

  std::vector<std::string> ids(const PlanOptions& options = {}) {
    std::vector<std::string> out;
    for (const auto& item : make_plan(profiles_, duts_, registry_, options)) out.push_back(item.id);
    return out;
  }

  plugfest::testing::TempDir dir_;
  Registry registry_;
  std::vector<Profile> profiles_;
  std::vector<PlannedDut> duts_;
};

TEST_F(PlannerTest, ExpandsCasesByRoleAndPairsInStableOrder) {
  EXPECT_EQ(ids(), (std::vector<std::string>{"p/cus.ru.a@ru1", "p/cus.ru.a@ru2", "p/cus.du.b@du1",
                                             "p/cus.du.b@du2", "p/iot.c@du1+ru1", "p/iot.c@du1+ru2",
                                             "p/iot.c@du2+ru1", "p/iot.c@du2+ru2"}));
}

TEST_F(PlannerTest, RecordsNotApplicableWithTheReason) {
  const auto plan = make_plan(profiles_, duts_, registry_, {});
  EXPECT_FALSE(plan[0].not_applicable);
  ASSERT_TRUE(plan[1].not_applicable);
  EXPECT_EQ(*plan[1].not_applicable, "requires section_type.1");
  EXPECT_FALSE(plan[4].not_applicable);
  ASSERT_TRUE(plan[5].not_applicable);
  EXPECT_EQ(*plan[5].not_applicable, "requires o-ru:compression.bfp");
}

TEST_F(PlannerTest, MergesParametersTimeoutsAndEvidenceFolders) {
  const auto plan = make_plan(profiles_, duts_, registry_, {});
  EXPECT_EQ(plan[0].parameters.get_int("numerology"), 0);
  EXPECT_EQ(plan[2].parameters.get_int("numerology"), 1);
  EXPECT_EQ(plan[0].timeout, std::chrono::seconds(2));
  EXPECT_EQ(plan[2].timeout, std::chrono::seconds(7));
  EXPECT_EQ(plan[4].timeout, PlanOptions{}.default_timeout);
  EXPECT_EQ(plan[0].evidence_dir, "evidence/cus.ru.a/ru1");
  EXPECT_EQ(plan[4].evidence_dir, "evidence/iot.c/du1+ru1");
}

TEST_F(PlannerTest, FilterMatchesItemOrCaseIds) {
  PlanOptions options;
  options.filters = {"iot.*"};
  EXPECT_EQ(ids(options).size(), 4u);
  options.filters = {"*ru2", "cus.du.*"};
  EXPECT_EQ(ids(options),
            (std::vector<std::string>{"p/cus.ru.a@ru2", "p/cus.du.b@du1", "p/cus.du.b@du2",
                                      "p/iot.c@du1+ru2", "p/iot.c@du2+ru2"}));
}

TEST_F(PlannerTest, FiltersThatMatchNothingNameTheNearestCaseAndItem) {
  const auto plan = make_plan(profiles_, duts_, registry_, {});
  EXPECT_TRUE(unmatched_filters(plan, {"iot.*", "*ru2"}).empty());
  const auto unmatched = unmatched_filters(plan, {"iot.*", "cus.ru.aa", "p/cus.du.b@du3"});
  ASSERT_EQ(unmatched.size(), 2u);
  EXPECT_EQ(unmatched[0].glob, "cus.ru.aa");
  EXPECT_EQ(unmatched[0].nearest_case, "cus.ru.a");
  EXPECT_EQ(unmatched[1].glob, "p/cus.du.b@du3");
  EXPECT_EQ(unmatched[1].nearest_item, "p/cus.du.b@du1");
}

TEST_F(PlannerTest, ShardsPartitionThePlanDeterministically) {
  const auto all = ids();
  std::multiset<std::string> union_of_shards;
  for (unsigned k = 1; k <= 3; ++k) {
    PlanOptions options;
    options.shard = Shard{k, 3};
    const auto shard = ids(options);
    EXPECT_EQ(shard, ids(options));  // same answer every time
    union_of_shards.insert(shard.begin(), shard.end());
  }
  EXPECT_EQ(union_of_shards, std::multiset<std::string>(all.begin(), all.end()));
  // The hash is fixed (FNV-1a 64), so the partition is the same on every machine.
  EXPECT_TRUE(in_shard("p/cus.ru.a@ru1", Shard{1, 1}));
  EXPECT_EQ(in_shard("x", Shard{1, 2}), !in_shard("x", Shard{2, 2}));
}

TEST(Shard, ParsesKOverN) {
  ASSERT_TRUE(parse_shard("2/5").ok());
  EXPECT_EQ(parse_shard("2/5")->index, 2u);
  EXPECT_FALSE(parse_shard("0/5").ok());
  EXPECT_FALSE(parse_shard("6/5").ok());
  EXPECT_FALSE(parse_shard("a/5").ok());
  EXPECT_FALSE(parse_shard("3").ok());
}

TEST(PathComponent, NeutralisesSeparatorsAndDots) {
  EXPECT_EQ(path_component("a/b<c>"), "a_b_c_");
  EXPECT_EQ(path_component(".."), "_..");
}

}  // namespace
}  // namespace plugfest::harness
