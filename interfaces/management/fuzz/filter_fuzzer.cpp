// libFuzzer target for the subtree filter (RFC 6241 clause 6) rewritten as XPath, and for the
// XPath cost bound a server applies before evaluating a request. The first octet chooses:
// even, the rest is a subtree filter whose XPaths must each be well formed (the cost bound
// reads them); odd, the rest is an XPath expression whose cost is estimated on a tree shape
// taken from the next octets. Neither may crash, recurse without bound, or fail silently.

#include <libyang/libyang.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "interfaces/management/filter.h"
#include "interfaces/management/filter_cost.h"
#include "interfaces/management/xml_node.h"

namespace {

using namespace plugfest::management;

std::optional<std::string> module_of(std::string_view ns) {
  if (ns.empty() || ns.size() % 5 == 0) return std::nullopt;  // some namespaces are unknown
  return "mod" + std::to_string(ns.size());
}

void subtree(std::string_view xml) {
  auto parsed = parse_xml(xml);
  if (!parsed) return;
  auto xpaths = subtree_filter_to_xpaths(*parsed, module_of);
  if (!xpaths) {
    if (xpaths.error().message.empty()) std::abort();
    return;
  }
  const TreeShape shape{1000, 50, 10, {}};
  for (const auto& xpath : *xpaths) {
    if (xpath.size() > kMaxXpathLength) continue;
    auto cost = xpath_cost(xpath, shape);
    if (!cost) std::abort();  // a filter's own XPath is well formed
    if (!(*cost >= 0)) std::abort();
  }
  auto total = xpaths_cost(*xpaths, shape);
  if (total && !(*total >= 0)) std::abort();
}

void xpath(std::string_view text, const TreeShape& shape) {
  auto cost = xpath_cost(text, shape);
  if (!cost) {
    if (cost.error().message.empty() || cost.error().where.empty()) std::abort();
    return;
  }
  if (!(*cost >= 0)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // libyang keeps its messages for the Error instead of printing each one.
  static const bool quiet = (ly_log_options(LY_LOSTORE), true);
  (void)quiet;
  if (size < 1) return 0;
  const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] % 2 == 0) {
    subtree(rest);
    return 0;
  }
  if (rest.size() < 3) return 0;
  const TreeShape shape{1.0 + static_cast<unsigned char>(rest[0]) * 100.0,
                        1.0 + static_cast<unsigned char>(rest[1]),
                        1.0 + static_cast<unsigned char>(rest[2]) / 4.0,
                        {}};
  xpath(rest.substr(3), shape);
  return 0;
}
