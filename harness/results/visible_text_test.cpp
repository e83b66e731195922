#include "harness/results/visible_text.h"

#include <gtest/gtest.h>

#include <sstream>

#include "harness/results/progress.h"

namespace plugfest::harness {
namespace {

TEST(VisibleText, ControlCharactersBecomeVisibleEscapes) {
  EXPECT_EQ(escape_terminal("a\x1b[2Jb\x07"), "a\\x1b[2Jb\\x07");
  EXPECT_EQ(escape_terminal("one\r\ntwo\tthree\x7f"), "one\\r\\ntwo\\tthree\\x7f");
  EXPECT_EQ(escape_terminal("csi \x9b" "31m, c1 \xc2\x9b, nel \xc2\x85"),
            "csi \\x9b31m, c1 \\u009b, nel \\u0085");
  EXPECT_EQ(escape_terminal("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x93\xa1"),
            "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x93\xa1");  // printable UTF-8 is kept
  EXPECT_EQ(escape_terminal("\xc0\xaf \xed\xa0\x80 \xe2\x82"), "\\xc0\\xaf \\xed\\xa0\\x80 \\xe2\\x82");
  EXPECT_EQ(visible_controls("a\nb\tc\rd", "\n\t"), "a\nb\tc\\rd");
}

TEST(VisibleText, ProgressLinesCarryNoControlCharacterFromTheDevice) {
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
