#include "interfaces/management/xml_node.h"

#include <gtest/gtest.h>

namespace plugfest::management {
namespace {

TEST(XmlNode, ParsesNamespacesTextAndNesting) {
  auto nodes = parse_xml(
      "<a xmlns=\"urn:x\"><b>1</b><c xmlns=\"urn:y\"><d>two &amp; more</d></c></a>"
      "<e xmlns=\"urn:z\"/>");
  ASSERT_TRUE(nodes.ok()) << nodes.error().to_string();
  ASSERT_EQ(nodes->size(), 2u);
  const XmlNode& a = (*nodes)[0];
  EXPECT_EQ(a.ns, "urn:x");
  EXPECT_EQ(a.text_of("b"), "1");
  ASSERT_NE(a.find("c"), nullptr);
  EXPECT_EQ(a.find("c")->ns, "urn:y");
  EXPECT_EQ(a.text_of("c/d"), "two & more");
  EXPECT_EQ(find_all(*nodes, "a/c/d").size(), 1u);
  EXPECT_EQ((*nodes)[1].name, "e");
}

TEST(XmlNode, PrintsWhatItParses) {
  std::string xml = "<a xmlns=\"urn:x\"><b>1 &lt; 2</b><c xmlns=\"urn:y\"/></a>";
  auto nodes = parse_xml(xml);
  ASSERT_TRUE(nodes.ok());
  EXPECT_EQ(to_xml(*nodes), xml);
}

TEST(XmlNode, MalformedXmlIsAnError) {
  auto nodes = parse_xml("<a xmlns=\"urn:x\"><b></a>");
  EXPECT_FALSE(nodes.ok());
  EXPECT_TRUE(parse_xml("  \n").ok());
}

}  // namespace
}  // namespace plugfest::management
