#pragma once
// XmlNode: a schema-free XML element tree, the form NETCONF content (filters, replies,
// notifications, edits) takes in the management API.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "interfaces/common/result.h"

namespace plugfest::management {

struct XmlNode {
  std::string name;  // local name, no prefix
  std::string ns;    // XML namespace (inherited from the parent when not declared)
  std::string text;  // text content of a leaf element; empty for inner elements
  // Prefix declarations the text needs: an identityref "o-ran-hw:O-RAN-RADIO" names the
  // namespace of its prefix here.
  std::vector<std::pair<std::string, std::string>> prefixes;
  std::vector<XmlNode> children;

  // Every descendant reached by a slash-separated chain of local names, starting at the
  // children of this node ("component/name"). Namespaces are not compared.
  std::vector<const XmlNode*> find_all(std::string_view path) const;
  const XmlNode* find(std::string_view path) const;
  // Text of find(path), or empty.
  std::string text_of(std::string_view path) const;
};

// Parses an XML fragment (any number of top-level elements) into trees. Bad XML is an
// Error that names the position libyang reported.
Result<std::vector<XmlNode>> parse_xml(std::string_view xml);

// Serialises elements; a namespace is declared wherever it differs from the parent's.
std::string to_xml(const std::vector<XmlNode>& nodes);
std::string to_xml(const XmlNode& node);

// Every node reached by the path from any of the top-level elements, the first path step
// naming the top-level element itself ("hardware/component/name").
std::vector<const XmlNode*> find_all(const std::vector<XmlNode>& roots, std::string_view path);

std::string xml_escape(std::string_view text);

}  // namespace plugfest::management
