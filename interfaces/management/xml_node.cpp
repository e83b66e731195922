#include "interfaces/management/xml_node.h"

#include "interfaces/common/utf8.h"

#include <libyang/libyang.h>

#include <cctype>
#include <cstdint>
#include <cstdio>
#include <memory>

#include "interfaces/management/libyang_xml.h"

namespace plugfest::management {
namespace {

// One schema-less libyang context per thread: parsing with LYD_PARSE_OPAQ turns every
// element into an opaque node that keeps its name, namespace and text.
ly_ctx* opaque_context() {
  struct Holder {
    ly_ctx* ctx = nullptr;
    Holder() { ly_ctx_new(nullptr, LY_CTX_NO_YANGLIBRARY, &ctx); }
    ~Holder() { ly_ctx_destroy(ctx); }
  };
  thread_local Holder holder;
  return holder.ctx;
}

XmlNode convert(const lyd_node* node);

void convert_children(const lyd_node* first, std::vector<XmlNode>& out) {
  for (const lyd_node* child = first; child; child = child->next) out.push_back(convert(child));
}

XmlNode convert(const lyd_node* node) {
  XmlNode out;
  if (!node->schema) {
    const auto* opaq = reinterpret_cast<const lyd_node_opaq*>(node);
    out.name = opaq->name.name;
    // No namespace (xmlns="") stays none: NETCONF content names its namespace, and a
    // parent's is not inherited by an element that undeclares it.
    out.ns = opaq->name.module_ns ? opaq->name.module_ns : "";
    if (!opaq->child && opaq->value) out.text = opaq->value;
    convert_children(opaq->child, out.children);
    return out;
  }
  out.name = node->schema->name;
  out.ns = node->schema->module->ns;
  if (node->schema->nodetype & LYD_NODE_TERM) {
    out.text = lyd_get_value(node);
    const auto* term = reinterpret_cast<const lyd_node_term*>(node);
    const lysc_type* type = term->value.realtype;
    if (type && type->basetype == LY_TYPE_IDENT && term->value.ident) {
      const lys_module* module = term->value.ident->module;
      out.prefixes.emplace_back(module->name, module->ns);
    }
  } else if (node->schema->nodetype & LYD_NODE_ANY) {
    const auto* any = reinterpret_cast<const lyd_node_any*>(node);
    if (any->value_type == LYD_ANYDATA_DATATREE) {
      // Printing would drop empty containers, which in a filter are selection nodes.
      for (const lyd_node* child = any->value.tree; child; child = child->next) {
        // Implicit default leaves are not content; an empty container (flagged default
        // too) is a selection node.
        bool implicit_leaf = (child->flags & LYD_DEFAULT) && child->schema &&
                             (child->schema->nodetype & LYD_NODE_TERM);
        if (!implicit_leaf) out.children.push_back(convert(child));
      }
      return out;
    }
    char* text = nullptr;
    if (lyd_any_value_str(node, &text) == LY_SUCCESS && text) {
      auto parsed = parse_xml(text);
      if (parsed.ok()) {
        out.children = std::move(parsed.value());
      } else {
        out.text = text;
      }
      free(text);
    }
  } else {
    convert_children(lyd_child(node), out.children);
  }
  return out;
}

void print(const XmlNode& node, const std::string& parent_ns, std::string& out) {
  out += '<';
  out += node.name;
  if (node.ns != parent_ns) {
    out += " xmlns=\"";
    out += xml_escape(node.ns);
    out += '"';
  }
  for (const auto& [prefix, ns] : node.prefixes) {
    out += " xmlns:" + prefix + "=\"" + xml_escape(ns) + '"';
  }
  if (node.children.empty() && node.text.empty()) {
    out += "/>";
    return;
  }
  out += '>';
  out += xml_escape(node.text);
  for (const auto& child : node.children) print(child, node.ns, out);
  out += "</";
  out += node.name;
  out += '>';
}

void collect(const XmlNode& node, std::string_view path, std::vector<const XmlNode*>& out) {
  auto slash = path.find('/');
  std::string_view step = path.substr(0, slash);
  for (const auto& child : node.children) {
    if (child.name != step) continue;
    if (slash == std::string_view::npos) {
      out.push_back(&child);
    } else {
      collect(child, path.substr(slash + 1), out);
    }
  }
}

}  // namespace

XmlNode xml_from_libyang(const lyd_node* node) { return convert(node); }

std::vector<XmlNode> xml_from_libyang_siblings(const lyd_node* first) {
  std::vector<XmlNode> out;
  convert_children(first, out);
  return out;
}

namespace {

// The byte offset of a namespace declaration with an empty name (xmlns="", xmlns='' or
// xmlns:p=""), or npos.
// libyang 2.1 dereferences a null namespace when such an element has two children of one
// name, so these never reach it; NETCONF content has no use for them.
std::size_t undeclared_default_namespace(std::string_view xml) {
  for (std::size_t at = xml.find("xmlns"); at != std::string_view::npos;
       at = xml.find("xmlns", at + 1)) {
    std::size_t i = at + 5;
    if (i < xml.size() && xml[i] == ':') {  // xmlns:p="" binds a prefix to no namespace
      ++i;
      while (i < xml.size() && !std::isspace(static_cast<unsigned char>(xml[i])) && xml[i] != '=')
        ++i;
    }
    while (i < xml.size() && std::isspace(static_cast<unsigned char>(xml[i]))) ++i;
    if (i >= xml.size() || xml[i] != '=') continue;
    ++i;
    while (i < xml.size() && std::isspace(static_cast<unsigned char>(xml[i]))) ++i;
    if (i + 1 < xml.size() && (xml[i] == '"' || xml[i] == '\'') && xml[i + 1] == xml[i]) return at;
  }
  return std::string_view::npos;
}

// The byte offset of the first byte that is not XML 1.0 text: a byte sequence that is not
// UTF-8, or a control character other than tab, line feed and carriage return; or npos.
// libyang lets some of these through (in CDATA) that it then cannot read back.
std::size_t first_non_xml_text(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') return i;
      ++i;
      continue;
    }
    const std::size_t length = utf8_sequence_length(text, i);
    if (length == 0) return i;
    i += length;
  }
  return std::string_view::npos;
}

}  // namespace

Result<std::vector<XmlNode>> parse_xml(std::string_view xml) {
  std::vector<XmlNode> out;
  if (auto at = first_non_xml_text(xml); at != std::string_view::npos) {
    const auto c = static_cast<unsigned char>(xml[at]);
    char what[64];
    if (c < 0x20) {
      std::snprintf(what, sizeof what, "a control character U+%04X", c);
    } else {
      std::snprintf(what, sizeof what, "not UTF-8 (an invalid byte sequence)");
    }
    return Error{std::string("malformed XML: ") + what, "byte " + std::to_string(at)};
  }
  if (auto at = undeclared_default_namespace(xml); at != std::string_view::npos) {
    return Error{
        "malformed XML: a namespace declaration without a namespace (xmlns=\"\" or xmlns:p=\"\") "
        "is not NETCONF content",
        "byte " + std::to_string(at)};
  }
  // Blank input is an empty fragment.
  if (xml.find_first_not_of(" \t\r\n") == std::string_view::npos) return out;
  ly_ctx* ctx = opaque_context();
  if (!ctx) return Error{"cannot create a libyang context", "xml"};
  lyd_node* tree = nullptr;
  std::string text(xml);
  if (lyd_parse_data_mem(ctx, text.c_str(), LYD_XML, LYD_PARSE_ONLY | LYD_PARSE_OPAQ, 0, &tree) !=
      LY_SUCCESS) {
    const char* msg = ly_errmsg(ctx);
    const char* path = ly_errpath(ctx);
    return Error{std::string("malformed XML: ") + (msg ? msg : "unknown error"),
                 path ? path : "xml"};
  }
  convert_children(tree, out);
  lyd_free_siblings(tree);
  // libyang refuses a top-level element without namespace (<a/>); <a xmlns=""/> is the same.
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (out[i].ns.empty()) {
      return Error{"malformed XML: element <" + out[i].name + "> has no XML namespace",
                   "top-level element " + std::to_string(i + 1)};
    }
  }
  return out;
}

std::string to_xml(const std::vector<XmlNode>& nodes) {
  std::string out;
  for (const auto& node : nodes) print(node, "", out);
  return out;
}

std::string to_xml(const XmlNode& node) {
  std::string out;
  print(node, "", out);
  return out;
}

std::vector<const XmlNode*> XmlNode::find_all(std::string_view path) const {
  std::vector<const XmlNode*> out;
  collect(*this, path, out);
  return out;
}

const XmlNode* XmlNode::find(std::string_view path) const {
  auto all = find_all(path);
  return all.empty() ? nullptr : all.front();
}

std::string XmlNode::text_of(std::string_view path) const {
  const XmlNode* node = find(path);
  return node ? node->text : std::string();
}

std::vector<const XmlNode*> find_all(const std::vector<XmlNode>& roots, std::string_view path) {
  std::vector<const XmlNode*> out;
  auto slash = path.find('/');
  std::string_view first = path.substr(0, slash);
  for (const auto& root : roots) {
    if (root.name != first) continue;
    if (slash == std::string_view::npos) {
      out.push_back(&root);
    } else {
      collect(root, path.substr(slash + 1), out);
    }
  }
  return out;
}

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace plugfest::management
