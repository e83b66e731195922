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

TEST(TerminalProgress, WarningsAreSaidOnTheirOwnLine) {
  std::ostringstream out;
  TerminalProgress progress(out, false);
  progress.warned("ru\x1b", "the adapter at h:1 is reached without TLS");
  progress.warned("", "whole run");
  EXPECT_EQ(out.str(),
            "plugfest: warning: ru\\x1b: the adapter at h:1 is reached without TLS\n"
            "plugfest: warning: whole run\n");
}

}  // namespace
}  // namespace plugfest::harness
