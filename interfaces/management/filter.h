#pragma once
// Filter: what a <get>/<get-config> or a subscription selects (RFC 6241 clause 6 subtree
// filtering, or an XPath 1.0 expression with module names as prefixes).

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "interfaces/common/result.h"
#include "interfaces/management/xml_node.h"

namespace plugfest::management {

struct Filter {
  enum class Kind { kNone, kSubtree, kXpath };
  Kind kind = Kind::kNone;
  std::string content;  // subtree: XML fragment; xpath: the select expression

  static Filter none() { return {}; }
  static Filter subtree(std::string xml) { return {Kind::kSubtree, std::move(xml)}; }
  static Filter xpath(std::string expression) { return {Kind::kXpath, std::move(expression)}; }
};

// Maps an XML namespace to the YANG module name that defines it.
using NamespaceToModule = std::function<std::optional<std::string>(std::string_view ns)>;

// Rewrites a subtree filter as XPath expressions (module names as prefixes) whose union
// selects exactly what the filter selects: content-match leaves become predicates,
// selection and containment nodes become path steps. An element whose namespace no
// module defines is an Error naming it.
Result<std::vector<std::string>> subtree_filter_to_xpaths(const std::vector<XmlNode>& filter,
                                                          const NamespaceToModule& module_of);

}  // namespace plugfest::management
