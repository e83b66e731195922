#include "interfaces/management/filter.h"

#include <gtest/gtest.h>

namespace plugfest::management {
namespace {

std::optional<std::string> modules(std::string_view ns) {
  if (ns == "urn:ietf:params:xml:ns:yang:ietf-hardware") return "ietf-hardware";
  if (ns == "urn:o-ran:hardware:1.0") return "o-ran-hardware";
  return std::nullopt;
}

std::vector<std::string> convert(const std::string& xml) {
  auto parsed = parse_xml(xml);
  EXPECT_TRUE(parsed.ok()) << parsed.error().to_string();
  auto xpaths = subtree_filter_to_xpaths(*parsed, modules);
  EXPECT_TRUE(xpaths.ok()) << xpaths.error().to_string();
  return xpaths.ok() ? *xpaths : std::vector<std::string>{};
}

TEST(SubtreeFilter, SelectionNodeSelectsTheWholeSubtree) {
  EXPECT_EQ(convert("<hardware xmlns=\"urn:ietf:params:xml:ns:yang:ietf-hardware\"/>"),
            std::vector<std::string>{"/ietf-hardware:hardware"});
}

TEST(SubtreeFilter, ContentMatchBecomesPredicateAndSiblingsAreSteps) {
  EXPECT_EQ(
      convert("<hardware xmlns=\"urn:ietf:params:xml:ns:yang:ietf-hardware\"><component>"
              "<name>ru-module</name><class/></component></hardware>"),
      (std::vector<std::string>{"/ietf-hardware:hardware/component[name='ru-module']/name",
                                "/ietf-hardware:hardware/component[name='ru-module']/class"}));
}

TEST(SubtreeFilter, OnlyContentMatchSelectsTheMatchingInstances) {
  EXPECT_EQ(convert("<hardware xmlns=\"urn:ietf:params:xml:ns:yang:ietf-hardware\"><component>"
                    "<name>ru-module</name></component></hardware>"),
            std::vector<std::string>{"/ietf-hardware:hardware/component[name='ru-module']"});
}

TEST(SubtreeFilter, ForeignNamespaceGetsItsModulePrefix) {
  EXPECT_EQ(
      convert("<hardware xmlns=\"urn:ietf:params:xml:ns:yang:ietf-hardware\"><component>"
              "<label-content xmlns=\"urn:o-ran:hardware:1.0\"/></component></hardware>"),
      std::vector<std::string>{"/ietf-hardware:hardware/component/o-ran-hardware:label-content"});
}

TEST(SubtreeFilter, ContentWithBothQuoteCharactersBecomesAConcat) {
  EXPECT_EQ(convert("<hardware xmlns=\"urn:ietf:params:xml:ns:yang:ietf-hardware\"><component>"
                    "<name>it's \"x\"</name></component></hardware>"),
            std::vector<std::string>{
                "/ietf-hardware:hardware/component[name=concat('it', \"'\", 's \"x\"')]"});
}

TEST(SubtreeFilter, UnknownNamespaceIsAnErrorNamingIt) {
  auto parsed = parse_xml("<thing xmlns=\"urn:nobody\"/>");
  ASSERT_TRUE(parsed.ok());
  auto xpaths = subtree_filter_to_xpaths(*parsed, modules);
  ASSERT_FALSE(xpaths.ok());
  EXPECT_NE(xpaths.error().message.find("urn:nobody"), std::string::npos);
}

}  // namespace
}  // namespace plugfest::management
