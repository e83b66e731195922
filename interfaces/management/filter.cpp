#include "interfaces/management/filter.h"

namespace plugfest::management {
namespace {

std::string quoted(const std::string& text) {
  if (text.find('\'') == std::string::npos) return "'" + text + "'";
  if (text.find('"') == std::string::npos) return "\"" + text + "\"";
  // Both quote characters: XPath 1.0 literals have no escape, so the value is a concat() of
  // pieces, each apostrophe one of them (at least two arguments, as concat() needs).
  std::string out = "concat(";
  auto add = [&](const std::string& argument) {
    if (out.back() != '(') out += ", ";
    out += argument;
  };
  std::size_t start = 0;
  while (true) {
    const auto apostrophe = text.find('\'', start);
    const std::string piece = text.substr(start, apostrophe - start);
    if (!piece.empty()) add("'" + piece + "'");
    if (apostrophe == std::string::npos) break;
    add("\"'\"");
    start = apostrophe + 1;
  }
  return out + ")";
}

bool is_content_match(const XmlNode& node) { return node.children.empty() && !node.text.empty(); }

Result<std::string> step_name(const XmlNode& node, const std::string& parent_ns,
                              const NamespaceToModule& module_of) {
  if (node.ns == parent_ns) return node.name;
  auto module = module_of(node.ns);
  if (!module) {
    return Error{"no module of the device defines namespace '" + node.ns + "'",
                 "filter element <" + node.name + ">"};
  }
  return *module + ":" + node.name;
}

Result<void> convert(const XmlNode& node, const std::string& parent_ns, const std::string& prefix,
                     const NamespaceToModule& module_of, std::vector<std::string>& out) {
  auto step = step_name(node, parent_ns, module_of);
  if (!step) return step.error();
  std::string here = prefix + "/" + *step;
  if (is_content_match(node)) {
    out.push_back(here + "[.=" + quoted(node.text) + "]");
    return {};
  }
  std::vector<const XmlNode*> matches;
  std::vector<const XmlNode*> others;
  for (const auto& child : node.children) {
    (is_content_match(child) ? matches : others).push_back(&child);
  }
  std::vector<std::string> match_steps;
  for (const XmlNode* match : matches) {
    auto match_step = step_name(*match, node.ns, module_of);
    if (!match_step) return match_step.error();
    here += "[" + *match_step + "=" + quoted(match->text) + "]";
    match_steps.push_back(*match_step);
  }
  if (others.empty()) {
    out.push_back(here);
    return {};
  }
  for (const auto& match_step : match_steps) out.push_back(here + "/" + match_step);
  for (const XmlNode* other : others) {
    auto converted = convert(*other, node.ns, here, module_of, out);
    if (!converted) return converted;
  }
  return {};
}

}  // namespace

Result<std::vector<std::string>> subtree_filter_to_xpaths(const std::vector<XmlNode>& filter,
                                                          const NamespaceToModule& module_of) {
  std::vector<std::string> out;
  for (const auto& node : filter) {
    auto converted = convert(node, "", "", module_of, out);
    if (!converted) return converted.error();
  }
  return out;
}

}  // namespace plugfest::management
