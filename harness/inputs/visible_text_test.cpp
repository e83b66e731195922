#include "harness/inputs/visible_text.h"

#include <gtest/gtest.h>


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

}  // namespace
}  // namespace plugfest::harness
