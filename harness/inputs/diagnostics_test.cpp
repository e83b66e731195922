#include "harness/inputs/diagnostics.h"

#include <gtest/gtest.h>

#include "harness/inputs/parameters.h"

namespace plugfest::harness {
namespace {

TEST(EditDistance, CountsInsertionsDeletionsSubstitutions) {
  EXPECT_EQ(edit_distance("", ""), 0u);
  EXPECT_EQ(edit_distance("role", "rol"), 1u);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
}

TEST(Nearest, FindsCloseWordsOnly) {
  EXPECT_EQ(nearest("capabilites", {"capabilities", "command"}), "capabilities");
  EXPECT_EQ(nearest("zzzzzz", {"capabilities", "command"}), "");
}

TEST(MappingReader, UnknownKeyNamesPositionAndNearest) {
  Diagnostics d;
  const YAML::Node node = YAML::Load("name: a\nrol: o-ru\n");
  MappingReader reader("f.yaml", node, "vendor descriptor", {"name", "role"}, d);
  ASSERT_EQ(d.errors().size(), 1u);
  EXPECT_EQ(d.errors()[0].where, "f.yaml:2:1");
  EXPECT_NE(d.errors()[0].message.find("did you mean 'role'"), std::string::npos);
  reader.get("role", true);
  EXPECT_EQ(d.errors().size(), 2u);
}

TEST(Durations, AcceptUnitsAndRefuseNonsense) {
  Diagnostics d;
  long long ms = 0;
  EXPECT_TRUE(read_duration_ms("f", YAML::Load("30"), "t", d, ms));
  EXPECT_EQ(ms, 30000);
  EXPECT_TRUE(read_duration_ms("f", YAML::Load("250ms"), "t", d, ms));
  EXPECT_EQ(ms, 250);
  EXPECT_TRUE(read_duration_ms("f", YAML::Load("2m"), "t", d, ms));
  EXPECT_EQ(ms, 120000);
  EXPECT_FALSE(read_duration_ms("f", YAML::Load("-1"), "t", d, ms));
  EXPECT_FALSE(read_duration_ms("f", YAML::Load("soon"), "t", d, ms));
  EXPECT_EQ(d.errors().size(), 2u);
}

TEST(Parameters, TypedGettersSayWhereAndWhat) {
  const auto p = Parameters::from_yaml("p.yaml", YAML::Load("a: 3\nb: {c: x, d: [1, 2]}\ne: true"));
  EXPECT_EQ(p.get_int("a"), 3);
  EXPECT_EQ(p.get_string("b.c"), "x");
  EXPECT_EQ(p.get_list("b.d"), (std::vector<std::string>{"1", "2"}));
  EXPECT_TRUE(p.get_bool("e"));
  EXPECT_EQ(p.get_int("zz", 7), 7);
  try {
    (void)p.get_int("b.c");
    FAIL() << "expected ParameterError";
  } catch (const ParameterError& e) {
    EXPECT_NE(std::string(e.what()).find("p.yaml:2:8"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("expected an integer"), std::string::npos);
  }
  EXPECT_THROW((void)p.get_int("b.cc"), ParameterError);
}

TEST(Diagnostics, QuotedValuesReachNoTerminalWithTheirControlCharacters) {
  Diagnostics d;
  d.add("f.yaml:1:7", "key 'role': expected o-ru or o-du, got 'o-\x1b[2Jru\nerror: forged'");
  EXPECT_EQ(d.to_string(),
            "error: f.yaml:1:7: key 'role': expected o-ru or o-du, got "
            "'o-\\x1b[2Jru\\nerror: forged'\n");
}

}  // namespace
}  // namespace plugfest::harness
