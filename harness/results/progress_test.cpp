#include "harness/results/progress.h"

#include <gtest/gtest.h>

#include <sstream>

namespace plugfest::harness {
namespace {

TEST(TerminalProgress, ProgressLinesCarryNoControlCharacterFromTheDevice) {
  std::ostringstream out;
  TerminalProgress progress(out, false);
  progress.started(1, 0);
  ItemResult r;
  r.item_id = "p/c@ru\x1b[1A";
  r.verdict = Verdict::kFail;
  r.reason = "late\r\n[1/1] pass p/c@ru\x07";
  progress.finished(r);
  EXPECT_EQ(out.str(),
            "plugfest: 1 items planned\n[1/1] fail p/c@ru\\x1b[1A (late\\r\\n[1/1] pass "
            "p/c@ru\\x07)\n");
}

}  // namespace
}  // namespace plugfest::harness
