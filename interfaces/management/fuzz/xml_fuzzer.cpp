// libFuzzer target for the NETCONF XML reader (parse_xml, the schema-free element tree that
// filters, replies and notifications take) and its writer. Any input either parses or is an
// Error; what parses prints as XML that parses again to the same print (one normalisation,
// then a fixed point), and path look-ups stay inside the tree.

#include <libyang/libyang.h>

#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "interfaces/management/xml_node.h"

using plugfest::management::parse_xml;
using plugfest::management::to_xml;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // libyang keeps its messages for the Error instead of printing each one.
  static const bool quiet = (ly_log_options(LY_LOSTORE), true);
  (void)quiet;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto parsed = parse_xml(input);
  if (!parsed) {
    if (parsed.error().message.empty()) std::abort();
    return 0;
  }
  const std::string printed = to_xml(*parsed);
  auto again = parse_xml(printed);
  if (!again) std::abort();  // what we write we must be able to read
  if (to_xml(*again) != printed) std::abort();
  for (const auto& root : *parsed) {
    for (const auto* found : plugfest::management::find_all(
             *parsed, root.name + "/" +
                          (root.children.empty() ? std::string("x") : root.children[0].name))) {
      if (!found) std::abort();
    }
    (void)root.text_of("a/b");
  }
  return 0;
}
