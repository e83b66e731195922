#include "harness/engine/context.h"

#include <gtest/gtest.h>

#include "harness/engine/test_case.h"

namespace plugfest::harness {
namespace {

TEST(Context, VerdictOnlyGetsWorseAndErrorWins) {
  TestCase tc{.id = "x", .run = [](Context&) {}};
  Context ctx("i", tc, {}, {}, "/tmp", "evidence/x/y", std::chrono::steady_clock::now());
  ItemResult r;
  ctx.fill(r);
  EXPECT_EQ(r.verdict, Verdict::kError);  // no verdict set
  ctx.set_verdict(Verdict::kPass);
  ctx.set_verdict(Verdict::kFail, "first");
  ctx.set_verdict(Verdict::kInconclusive, "later");
  ctx.set_verdict(Verdict::kPass);
  ctx.fill(r);
  EXPECT_EQ(r.verdict, Verdict::kFail);
  EXPECT_EQ(r.reason, "first");
  ctx.error("adapter gone");
  EXPECT_EQ(ctx.verdict(), Verdict::kError);
}

}  // namespace
}  // namespace plugfest::harness
