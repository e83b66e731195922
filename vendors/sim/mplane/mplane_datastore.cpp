#include "vendors/sim/mplane/mplane_datastore.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>

#include "interfaces/management/filter_cost.h"
#include "interfaces/management/xml_node.h"
#include "interfaces/management/yang_models.h"

namespace plugfest::sim {
namespace {

constexpr const char* kUplane = "/o-ran-uplane-conf:user-plane-configuration";

std::string libyang_error(const ly_ctx* ctx, const std::string& fallback) {
  const char* message = ly_errmsg(ctx);
  return message ? message : fallback;
}

// The XPath of the node libyang's last error is about: its location reads
// 'Data location "/m:a/b[k='v']", line number 4.' (or 'Schema location ...').
std::string libyang_error_path(const ly_ctx* ctx) {
  const char* located = ly_errpath(ctx);
  if (!located) return "";
  const std::string text = located;
  for (const char* marker : {"Data location \"", "data location \"", "Schema location \"",
                             "schema location \""}) {
    const auto start = text.find(marker);
    if (start == std::string::npos) continue;
    const auto from = start + std::string_view(marker).size();
    auto end = text.find("\", line number", from);
    if (end == std::string::npos) end = text.rfind('"');
    if (end == std::string::npos || end < from) return "";
    return text.substr(from, end - from);
  }
  return "";
}

// The text between the first pair of double quotes of `message`.
std::string first_quoted(const std::string& message) {
  const auto open = message.find('"');
  const auto close = open == std::string::npos ? open : message.find('"', open + 1);
  return close == std::string::npos ? "" : message.substr(open + 1, close - open - 1);
}

// The local name of the element that declares namespace `ns` in `xml`, or empty.
std::string element_declaring(const std::string& xml, const std::string& ns) {
  const auto at = xml.find("\"" + ns + "\"");
  const auto open = at == std::string::npos ? at : xml.rfind('<', at);
  if (open == std::string::npos) return "";
  const auto end = xml.find_first_of(" \t\r\n/>", open + 1);
  std::string name = xml.substr(open + 1, end - open - 1);
  const auto colon = name.find(':');
  return colon == std::string::npos ? name : name.substr(colon + 1);
}

// An edit libyang could not read, as the NETCONF error it is (RFC 6241 appendix A): an
// element the schema does not have is unknown-element, a namespace no module defines
// unknown-namespace, anything else a bad value; the path is the offending node's XPath.
Error edit_parse_error(const ly_ctx* ctx, const std::string& config_xml) {
  const std::string message = libyang_error(ctx, "cannot parse");
  const std::string path = libyang_error_path(ctx);
  if (message.rfind("Node \"", 0) == 0 && message.find("not found as a child") != std::string::npos) {
    const std::string element = first_quoted(message);
    return Error{"unknown element \"" + element + "\": " + message, path + "/" + element};
  }
  if (message.rfind("No module with namespace", 0) == 0) {
    const std::string ns = first_quoted(message);
    const std::string element = element_declaring(config_xml, ns);
    return Error{"unknown namespace \"" + ns + "\" of element \"" + element + "\": " + message,
                 "/" + element};
  }
  return Error{"invalid edit: " + message, path};
}

// Frees every node (at any depth, starting with `*first` and its siblings) for which
// `drop` says so.
void prune(lyd_node** first, const std::function<bool(const lyd_node*)>& drop) {
  lyd_node* node = *first;
  while (node) {
    lyd_node* next = node->next;
    if (drop(node)) {
      if (node == *first) *first = next;
      lyd_free_tree(node);
    } else if (node->schema && (node->schema->nodetype & LYD_NODE_INNER)) {
      lyd_node* child = lyd_child(node);
      prune(&child, drop);
    }
    node = next;
  }
}

bool is_state(const lyd_node* node) {
  return node->schema && !(node->schema->flags & LYS_CONFIG_W);
}

std::string value_at(const lyd_node* from, const std::string& path) {
  lyd_node* found = nullptr;
  if (lyd_find_path(from, path.c_str(), 0, &found) != LY_SUCCESS || !found) return "";
  return lyd_get_value(found);
}

std::vector<lyd_node*> select(const lyd_node* tree, const std::string& xpath) {
  std::vector<lyd_node*> out;
  ly_set* set = nullptr;
  if (!tree || lyd_find_xpath(tree, xpath.c_str(), &set) != LY_SUCCESS) return out;
  for (uint32_t i = 0; i < set->count; ++i) out.push_back(set->dnodes[i]);
  ly_set_free(set, nullptr);
  return out;
}

bool in_group(const std::string& group, std::initializer_list<const char*> groups) {
  return std::any_of(groups.begin(), groups.end(), [&](const char* g) { return group == g; });
}

}  // namespace

bool is_nacm_group(const std::string& group) {
  return in_group(group, {"sudo", "nms", "fm-pm", "swm"});
}

bool nacm_may_execute(const std::string& group, const std::string& rpc) {
  static const std::set<std::string> everyone = {"ietf-netconf:get",
                                                 "ietf-netconf:get-config",
                                                 "ietf-netconf:edit-config",
                                                 "ietf-netconf:lock",
                                                 "ietf-netconf:unlock",
                                                 "ietf-netconf:close-session",
                                                 "notifications:create-subscription",
                                                 "ietf-netconf-monitoring:get-schema"};
  if (!is_nacm_group(group)) return false;
  if (everyone.count(rpc) || in_group(group, {"sudo", "nms"})) return true;
  std::string module = rpc.substr(0, rpc.find(':'));
  if (group == "swm")
    return module == "o-ran-software-management" || module == "o-ran-file-management";
  if (group == "fm-pm") return module == "o-ran-fm" || module == "o-ran-performance-management";
  return false;
}

bool nacm_may_write(const std::string& group, const std::string& module) {
  if (group == "sudo") return true;
  if (group == "nms") return module != "o-ran-usermgmt" && module != "ietf-netconf-acm";
  if (group == "fm-pm") return module == "o-ran-fm" || module == "o-ran-performance-management";
  if (group == "swm")
    return module == "o-ran-software-management" || module == "o-ran-file-management";
  return false;
}

bool nacm_may_read(const std::string& group, const std::string& module) {
  if (!is_nacm_group(group)) return false;
  if (module == "o-ran-usermgmt" || module == "ietf-netconf-acm") return group == "sudo";
  return true;
}

namespace {

// The accounts (o-ran-usermgmt, without passwords: they are never readable) and their
// NACM group membership (ietf-netconf-acm).
std::string accounts_xml(const std::vector<MplaneUser>& users) {
  std::string out = "<users xmlns=\"urn:o-ran:user-mgmt:1.0\">";
  for (const auto& user : users) {
    out += "<user><name>" + management::xml_escape(user.name) + "</name><account-type>" +
           (user.password.empty() ? "SSHPUBLICKEY" : "PASSWORD") +
           "</account-type><enabled>true</enabled></user>";
  }
  out +=
      "</users><nacm xmlns=\"urn:ietf:params:xml:ns:yang:ietf-netconf-acm\">"
      "<denied-operations>0</denied-operations><denied-data-writes>0</denied-data-writes>"
      "<denied-notifications>0</denied-notifications><groups>";
  for (const char* group : {"sudo", "nms", "fm-pm", "swm"}) {
    out += std::string("<group><name>") + group + "</name>";
    for (const auto& user : users) {
      if (user.group == group)
        out += "<user-name>" + management::xml_escape(user.name) + "</user-name>";
    }
    out += "</group>";
  }
  return out + "</groups></nacm>";
}

}  // namespace

Result<std::unique_ptr<MplaneDatastore>> MplaneDatastore::create(
    const std::string& yang_dir, const std::set<MplaneFault>& faults,
    const std::vector<MplaneUser>& users, const std::string& fronthaul_mac) {
  std::unique_ptr<MplaneDatastore> store(new MplaneDatastore());
  store->faults_ = faults;
  if (ly_ctx_new(yang_dir.c_str(), 0, &store->ctx_) != LY_SUCCESS) {
    return Error{"cannot create a libyang context", yang_dir};
  }
  for (const auto& spec : management::oru_modules()) {
    if (faults.count(MplaneFault::kMissingMandatoryModule) && spec.name == "o-ran-operations") {
      continue;
    }
    std::vector<const char*> features;
    for (const auto& feature : spec.features) {
      // The server's <hello> announces the ietf-netconf features of this context.
      if (faults.count(MplaneFault::kWritableRunningNotAdvertised) &&
          feature == "writable-running") {
        continue;
      }
      features.push_back(feature.c_str());
    }
    features.push_back(nullptr);
    if (!ly_ctx_load_module(store->ctx_, spec.name.c_str(), nullptr, features.data())) {
      return Error{"cannot load module: " + libyang_error(store->ctx_, "unknown error"),
                   yang_dir + "/" + spec.name + ".yang"};
    }
  }
  std::string initial = std::string(initial_oru_data()) + accounts_xml(users);
  if (!fronthaul_mac.empty()) {
    const std::string factory = "02:00:00:00:00:01";
    for (auto at = initial.find(factory); at != std::string::npos;
         at = initial.find(factory, at + fronthaul_mac.size())) {
      initial.replace(at, factory.size(), fronthaul_mac);
    }
  }
  if (lyd_parse_data_mem(store->ctx_, initial.c_str(), LYD_XML, 0, LYD_VALIDATE_PRESENT,
                         &store->data_) != LY_SUCCESS) {
    return Error{"initial O-RU data invalid: " + libyang_error(store->ctx_, "unknown error"),
                 libyang_error_path(store->ctx_)};
  }
  store->refresh_carrier_state(store->data_);
  return store;
}

MplaneDatastore::~MplaneDatastore() {
  lyd_free_all(data_);
  ly_ctx_destroy(ctx_);
}

lyd_node* MplaneDatastore::snapshot(bool config_only, const std::string& group) const {
  lyd_node* full = nullptr;
  if (data_) lyd_dup_siblings(data_, nullptr, LYD_DUP_RECURSIVE, &full);
  if (!config_only) {
    lyd_node* library = nullptr;
    if (ly_ctx_get_yanglib_data(ctx_, &library, "%u", ly_ctx_get_change_count(ctx_)) ==
        LY_SUCCESS) {
      lyd_merge_siblings(&full, library, LYD_MERGE_DESTRUCT);
    }
  } else {
    prune(&full, is_state);
  }
  if (faults_.count(MplaneFault::kNoSoftwareSlots) && full) {
    // Only in what is read: the slots stay in the tree, whose validation needs them.
    ly_set* slots = nullptr;
    if (lyd_find_xpath(full, "/o-ran-software-management:software-inventory/software-slot",
                       &slots) == LY_SUCCESS) {
      for (uint32_t i = 0; i < slots->count; ++i) lyd_free_tree(slots->dnodes[i]);
      ly_set_free(slots, nullptr);
    }
  }
  const bool fm_denied = faults_.count(MplaneFault::kFmReadDenied) != 0 && group == "fm-pm";
  prune(&full, [&](const lyd_node* node) {
    if (node->parent || !node->schema) return false;
    const std::string module = node->schema->module->name;
    return !nacm_may_read(group, module) || (fm_denied && module == "o-ran-fm");
  });
  return full;
}

namespace {

void measure(const lyd_node* first, management::TreeShape& shape) {
  double children = 0;
  std::map<const lysc_node*, double> per_name;
  for (const lyd_node* node = first; node; node = node->next) {
    shape.nodes += 1;
    children += 1;
    const double same = ++per_name[node->schema];
    shape.max_instances = std::max(shape.max_instances, same);
    if (node->schema) {
      double& longest = shape.by_name[node->schema->name];
      longest = std::max(longest, same);
    }
    measure(lyd_child(node), shape);
  }
  shape.max_children = std::max(shape.max_children, children);
}

}  // namespace

Result<lyd_node*> MplaneDatastore::filtered(lyd_node* full, const management::Filter& filter) const {
  if (filter.kind == management::Filter::Kind::kNone) return full;
  std::unique_ptr<lyd_node, void (*)(lyd_node*)> owner(full, lyd_free_all);
  std::vector<std::string> xpaths;
  if (filter.kind == management::Filter::Kind::kXpath) {
    xpaths.push_back(filter.content);
  } else {
    // Each element may become an XPath of its own: bound their number before reading them.
    std::size_t elements = 0;
    for (std::size_t at = filter.content.find('<'); at != std::string::npos;
         at = filter.content.find('<', at + 1)) {
      const char next = at + 1 < filter.content.size() ? filter.content[at + 1] : '\0';
      if (next != '/' && next != '!' && next != '?') ++elements;
    }
    if (elements > kMaxFilterElements) {
      return Error{"too costly: the subtree filter has " + std::to_string(elements) +
                       " elements, more than the " + std::to_string(kMaxFilterElements) +
                       " this O-RU reads for one request",
                   "/ietf-netconf:get/filter"};
    }
    auto parsed = management::parse_xml(filter.content);
    if (!parsed) return Error{"subtree filter: " + parsed.error().message, "/ietf-netconf:get/filter"};
    auto converted = management::subtree_filter_to_xpaths(
        *parsed, [&](std::string_view ns) -> std::optional<std::string> {
          const lys_module* module =
              ly_ctx_get_module_implemented_ns(ctx_, std::string(ns).c_str());
          if (!module) return std::nullopt;
          return std::string(module->name);
        });
    // RFC 6241 6.2.5: a namespace the device does not know selects nothing.
    if (!converted) return static_cast<lyd_node*>(nullptr);
    xpaths = std::move(converted.value());
  }
  management::TreeShape shape;
  measure(full, shape);
  auto cost = management::xpaths_cost(xpaths, shape);
  if (!cost) {
    // Too long or too deeply nested to estimate is too costly, not malformed.
    const bool bound = cost.error().message.find("longer than") != std::string::npos ||
                       cost.error().message.find("nested deeper") != std::string::npos;
    return Error{std::string(bound ? "too costly: " : "filter: ") + cost.error().message + " (" +
                     cost.error().where + ")",
                 "/ietf-netconf:get/filter"};
  }
  if (*cost > kMaxFilterCost) {
    char estimate[64];
    std::snprintf(estimate, sizeof estimate, "%.3g", *cost);
    return Error{"too costly: the filter may visit up to " + std::string(estimate) +
                     " data nodes, more than the " + std::to_string(int64_t(kMaxFilterCost)) +
                     " this O-RU evaluates for one request",
                 "/ietf-netconf:get/filter"};
  }
  lyd_node* result = nullptr;
  for (const auto& xpath : xpaths) {
    if (!full) break;
    ly_set* set = nullptr;
    if (lyd_find_xpath(full, xpath.c_str(), &set) != LY_SUCCESS) {
      lyd_free_all(result);
      return Error{"invalid XPath '" + xpath + "': " + libyang_error(ctx_, "cannot evaluate"),
                   "/ietf-netconf:get/filter"};
    }
    for (uint32_t i = 0; i < set->count; ++i) {
      lyd_node* copy = nullptr;
      if (lyd_dup_single(set->dnodes[i], nullptr, LYD_DUP_RECURSIVE | LYD_DUP_WITH_PARENTS,
                         &copy) != LY_SUCCESS) {
        continue;
      }
      while (copy->parent) copy = lyd_parent(copy);
      lyd_merge_siblings(&result, copy, LYD_MERGE_DESTRUCT);
    }
    ly_set_free(set, nullptr);
  }
  return result;
}

Result<void> MplaneDatastore::edit(const std::string& config_xml,
                                   const std::string& default_operation, const std::string& group) {
  bool lenient = faults_.count(MplaneFault::kInvalidEditAccepted) != 0;
  lyd_node* edit = nullptr;
  if (lyd_parse_data_mem(ctx_, config_xml.c_str(), LYD_XML,
                         LYD_PARSE_ONLY | LYD_PARSE_STRICT | LYD_PARSE_NO_STATE, 0,
                         &edit) != LY_SUCCESS) {
    if (lenient) return {};  // the fault: claim success, change nothing
    return edit_parse_error(ctx_, config_xml);
  }
  std::unique_ptr<lyd_node*, std::function<void(lyd_node**)>> edit_owner(
      &edit, [](lyd_node** tree) { lyd_free_all(*tree); });
  if (!edit) return {};

  bool escalate = faults_.count(MplaneFault::kRoleEscalationAllowed) != 0;
  for (lyd_node* top = edit; top; top = top->next) {
    std::string module = top->schema->module->name;
    if (!escalate && !nacm_may_write(group, module)) {
      return Error{"access denied: group '" + group + "' may not write " + module,
                   "/" + module + ":" + top->schema->name};
    }
  }

  lyd_node* candidate = nullptr;
  if (data_) lyd_dup_siblings(data_, nullptr, LYD_DUP_RECURSIVE, &candidate);
  std::unique_ptr<lyd_node*, std::function<void(lyd_node**)>> candidate_owner(
      &candidate, [](lyd_node** tree) { lyd_free_all(*tree); });

  if (default_operation == "replace") {
    for (lyd_node* top = edit; top; top = top->next) {
      for (lyd_node* existing : select(
               candidate, "/" + std::string(top->schema->module->name) + ":" + top->schema->name)) {
        lyd_node* child = lyd_child(existing);
        prune(&child, [](const lyd_node* node) { return !is_state(node); });
      }
    }
  }

  // RFC 6241 7.2 operation attributes: create, delete, remove, replace act here; what is
  // left of the edit is merged. Under default-operation none, a node without an operation
  // of its own or of an ancestor only names where an operation applies: its leaves are not
  // applied, and a list entry or presence container it names must exist (data-missing).
  std::vector<lyd_node*> consumed;
  std::optional<Error> failure;
  auto path_of = [](const lyd_node* node) {
    char* text = lyd_path(node, LYD_PATH_STD, nullptr, 0);
    std::string path = text ? text : "";
    free(text);
    return path;
  };
  std::function<void(lyd_node*, const std::string&)> visit = [&](lyd_node* node,
                                                                 const std::string& inherited) {
    for (; node && !failure; node = node->next) {
      lyd_meta* meta = lyd_find_meta(node->meta, nullptr, "ietf-netconf:operation");
      if (!meta) {
        if (inherited == "none") {
          if (node->schema->nodetype & LYD_NODE_TERM) {
            if (!(node->schema->flags & LYS_KEY)) consumed.push_back(node);
            continue;
          }
          const bool must_exist = node->schema->nodetype == LYS_LIST ||
                                  (node->schema->nodetype == LYS_CONTAINER &&
                                   (node->schema->flags & LYS_PRESENCE));
          lyd_node* existing = nullptr;
          if (must_exist &&
              lyd_find_path(candidate, path_of(node).c_str(), 0, &existing) != LY_SUCCESS) {
            failure = Error{"data missing: default-operation none and no such entry",
                            path_of(node)};
            continue;
          }
        }
        if (node->schema->nodetype & LYD_NODE_INNER) visit(lyd_child(node), inherited);
        continue;
      }
      std::string operation = lyd_get_meta_value(meta);
      lyd_free_meta_single(meta);
      const std::string path = path_of(node);
      // Only the node itself counts: for a missing node libyang points at its nearest
      // existing ancestor (LY_EINCOMPLETE), which must not be taken for it.
      lyd_node* existing = nullptr;
      if (lyd_find_path(candidate, path.c_str(), 0, &existing) != LY_SUCCESS) existing = nullptr;
      if (operation == "create" && existing) {
        failure = Error{"data exists", path};
      } else if (operation == "delete" && !existing) {
        failure = Error{"data missing", path};
      } else if (operation == "delete" || operation == "remove") {
        if (existing) {
          if (existing == candidate) candidate = candidate->next;
          lyd_free_tree(existing);
        }
        consumed.push_back(node);
      } else {
        if (operation == "replace" && existing) {
          if (existing == candidate) candidate = candidate->next;
          lyd_free_tree(existing);
        }
        if (node->schema->nodetype & LYD_NODE_INNER) visit(lyd_child(node), operation);
      }
    }
  };
  visit(edit, default_operation);
  if (failure) return *failure;
  for (lyd_node* node : consumed) {
    if (node == edit) edit = edit->next;
    lyd_free_tree(node);
  }
  if (edit && lyd_merge_siblings(&candidate, edit, 0) != LY_SUCCESS) {
    return Error{"cannot merge the edit: " + libyang_error(ctx_, "merge failed"),
                 libyang_error_path(ctx_)};
  }
  // An interface a client creates (a VLAN interface for a transport flow) has the state
  // any interface of this O-RU has: it is up, counted from now.
  for (lyd_node* interface : select(candidate, "/ietf-interfaces:interfaces/interface")) {
    if (value_at(interface, "oper-status").empty()) {
      lyd_new_path(interface, nullptr, "oper-status", "up", 0, nullptr);
    }
    if (value_at(interface, "statistics/discontinuity-time").empty()) {
      lyd_new_path(interface, nullptr, "statistics/discontinuity-time", "2026-01-01T00:00:00Z", 0,
                   nullptr);
    }
  }
  refresh_carrier_state(candidate);  // a carrier created by the edit has a state at once
  if (!lenient) {
    if (lyd_validate_all(&candidate, ctx_, LYD_VALIDATE_PRESENT, nullptr) != LY_SUCCESS) {
      return Error{"invalid edit: " + libyang_error(ctx_, "validation failed"),
                   libyang_error_path(ctx_)};
    }
  }
  if (!faults_.count(MplaneFault::kDuplicateEaxcAccepted)) {
    auto unique = check_unique_eaxc(candidate);
    if (!unique) return unique;
  }
  refresh_carrier_state(candidate);
  std::swap(data_, candidate);
  return {};
}

// O-RAN WG4 CUS-plane: an eAxC ID identifies one endpoint per direction; two endpoints of
// one direction sharing it would make the fronthaul ambiguous.
Result<void> MplaneDatastore::check_unique_eaxc(const lyd_node* tree) const {
  for (const char* list : {"low-level-tx-endpoints", "low-level-rx-endpoints"}) {
    std::map<std::string, std::string> owner;
    for (lyd_node* endpoint : select(tree, std::string(kUplane) + "/" + list)) {
      std::string eaxc = value_at(endpoint, "e-axcid/eaxc-id");
      std::string name = value_at(endpoint, "name");
      if (eaxc.empty()) continue;
      auto [it, inserted] = owner.emplace(eaxc, name);
      if (!inserted) {
        return Error{"eaxc-id " + eaxc + " of " + list + " '" + name + "' is already used by '" +
                         it->second + "'",
                     std::string(kUplane) + "/" + list + "[name='" + name + "']/e-axcid/eaxc-id"};
      }
    }
  }
  return {};
}

void MplaneDatastore::refresh_carrier_state(lyd_node* tree) const {
  for (const char* list : {"tx-array-carriers", "rx-array-carriers"}) {
    for (lyd_node* carrier : select(tree, std::string(kUplane) + "/" + list)) {
      bool active = value_at(carrier, "active") == "ACTIVE" &&
                    !faults_.count(MplaneFault::kCarrierActivationIgnored);
      lyd_new_path(carrier, nullptr, "state", active ? "READY" : "DISABLED", LYD_NEW_PATH_UPDATE,
                   nullptr);
    }
  }
}

namespace {

uint16_t number_at(const lyd_node* from, const std::string& path) {
  const std::string text = value_at(from, path);
  return text.empty() ? 0 : static_cast<uint16_t>(std::strtoul(text.c_str(), nullptr, 10));
}

std::optional<ActiveFlow> flow_of(const lyd_node* data, const std::string& element) {
  const std::string base =
      "/o-ran-processing-element:processing-elements/ru-elements[name='" + element + "']";
  lyd_node* found = nullptr;
  if (lyd_find_path(data, base.c_str(), 0, &found) != LY_SUCCESS || !found) return std::nullopt;
  ActiveFlow flow;
  flow.processing_element = element;
  flow.interface_name = value_at(found, "transport-flow/interface-name");
  flow.ru_mac = value_at(found, "transport-flow/eth-flow/ru-mac-address");
  flow.vlan_id = number_at(found, "transport-flow/eth-flow/vlan-id");
  flow.odu_mac = value_at(found, "transport-flow/eth-flow/o-du-mac-address");
  if (flow.ru_mac.empty() || flow.odu_mac.empty()) return std::nullopt;
  return flow;
}

ActiveEndpoint endpoint_of(const lyd_node* endpoint) {
  ActiveEndpoint e;
  e.name = value_at(endpoint, "name");
  e.eaxc_id = number_at(endpoint, "e-axcid/eaxc-id");
  e.o_du_port_bitmask = number_at(endpoint, "e-axcid/o-du-port-bitmask");
  e.band_sector_bitmask = number_at(endpoint, "e-axcid/band-sector-bitmask");
  e.ccid_bitmask = number_at(endpoint, "e-axcid/ccid-bitmask");
  e.ru_port_bitmask = number_at(endpoint, "e-axcid/ru-port-bitmask");
  e.compression_method = value_at(endpoint, "compression/compression-method");
  e.compression_type = value_at(endpoint, "compression/compression-type");
  e.iq_bitwidth = static_cast<uint8_t>(number_at(endpoint, "compression/iq-bitwidth"));
  for (lyd_node* per_scs : select(endpoint, "number-of-prb-per-scs")) {
    e.scs = value_at(per_scs, "scs");
    e.number_of_prb = number_at(per_scs, "number-of-prb");
    break;
  }
  return e;
}

}  // namespace

std::vector<ActiveCarrier> MplaneDatastore::active_carriers() const {
  std::vector<ActiveCarrier> out;
  struct Direction {
    ActiveCarrier::Direction direction;
    const char* carriers;
    const char* links;
    const char* carrier_leaf;
    const char* endpoint_leaf;
    const char* endpoints;
  };
  const Direction directions[] = {
      {ActiveCarrier::Direction::kTx, "tx-array-carriers", "low-level-tx-links", "tx-array-carrier",
       "low-level-tx-endpoint", "low-level-tx-endpoints"},
      {ActiveCarrier::Direction::kRx, "rx-array-carriers", "low-level-rx-links", "rx-array-carrier",
       "low-level-rx-endpoint", "low-level-rx-endpoints"},
  };
  for (const auto& d : directions) {
    for (lyd_node* carrier :
         select(data_, std::string(kUplane) + "/" + d.carriers + "[state='READY']")) {
      ActiveCarrier active;
      active.direction = d.direction;
      active.name = value_at(carrier, "name");
      active.center_of_channel_bandwidth_hz =
          std::strtoull(value_at(carrier, "center-of-channel-bandwidth").c_str(), nullptr, 10);
      active.channel_bandwidth_hz =
          std::strtoull(value_at(carrier, "channel-bandwidth").c_str(), nullptr, 10);
      for (lyd_node* link : select(data_, std::string(kUplane) + "/" + d.links + "[" +
                                              d.carrier_leaf + "='" + active.name + "']")) {
        std::string endpoint = value_at(link, d.endpoint_leaf);
        lyd_node* found = nullptr;
        const std::string path =
            std::string(kUplane) + "/" + d.endpoints + "[name='" + endpoint + "']";
        if (lyd_find_path(data_, path.c_str(), 0, &found) != LY_SUCCESS || !found) continue;
        if (value_at(found, "e-axcid/eaxc-id").empty()) continue;
        ActiveEndpoint e = endpoint_of(found);
        e.flow = flow_of(data_, value_at(link, "processing-element"));
        active.endpoints.push_back(std::move(e));
      }
      std::sort(active.endpoints.begin(), active.endpoints.end(),
                [](const ActiveEndpoint& a, const ActiveEndpoint& b) {
                  return a.eaxc_id < b.eaxc_id;
                });
      for (const auto& e : active.endpoints) active.eaxc_ids.push_back(e.eaxc_id);
      out.push_back(std::move(active));
    }
  }
  return out;
}

void MplaneDatastore::set_rx_window_counts(const std::optional<RxWindowCounts>& counts) {
  const RxWindowCounts c = counts.value_or(RxWindowCounts{});
  const std::map<std::string, uint64_t> by_object = {
      {"RX_ON_TIME", c.on_time}, {"RX_EARLY", c.early},     {"RX_LATE", c.late},
      {"RX_CORRUPT", c.corrupt}, {"RX_DUPL", c.duplicate},  {"RX_TOTAL", c.total},
      {"RX_ERR_DROP", c.dropped}};
  for (lyd_node* object : select(data_,
                                 "/o-ran-performance-management:performance-measurement-objects/"
                                 "rx-window-measurement-objects")) {
    const auto known = by_object.find(value_at(object, "measurement-object"));
    const bool report = value_at(object, "active") == "true" && known != by_object.end();
    for (const char* leaf : {"name", "count"}) {
      lyd_node* old = nullptr;
      if (lyd_find_path(object, leaf, 0, &old) == LY_SUCCESS && old) lyd_free_tree(old);
    }
    if (!report) continue;
    lyd_new_path(object, nullptr, "name", "ru-module", LYD_NEW_PATH_UPDATE, nullptr);
    lyd_new_path(object, nullptr, "count", std::to_string(known->second).c_str(),
                 LYD_NEW_PATH_UPDATE, nullptr);
  }
}

void MplaneDatastore::deactivate_all_carriers() {
  for (const char* list : {"tx-array-carriers", "rx-array-carriers"}) {
    for (lyd_node* carrier : select(data_, std::string(kUplane) + "/" + list)) {
      lyd_new_path(carrier, nullptr, "active", "INACTIVE", LYD_NEW_PATH_UPDATE, nullptr);
    }
  }
  refresh_carrier_state(data_);
}

Result<std::string> MplaneDatastore::add_active_alarm(uint16_t fault_id, const std::string& source,
                                                      const std::string& severity,
                                                      const std::string& text,
                                                      const std::string& event_time) {
  std::string body = "<fault-id>" + std::to_string(fault_id) + "</fault-id><fault-source>" +
                     management::xml_escape(source) + "</fault-source><affected-objects><name>" +
                     management::xml_escape(source) + "</name></affected-objects><fault-severity>" +
                     severity + "</fault-severity><is-cleared>false</is-cleared><fault-text>" +
                     management::xml_escape(text) + "</fault-text><event-time>" + event_time +
                     "</event-time>";
  std::string entry = "<active-alarm-list xmlns=\"urn:o-ran:fm:1.0\"><active-alarms>" + body +
                      "</active-alarms></active-alarm-list>";
  lyd_node* alarm = nullptr;
  if (lyd_parse_data_mem(ctx_, entry.c_str(), LYD_XML, LYD_PARSE_ONLY | LYD_PARSE_STRICT, 0,
                         &alarm) != LY_SUCCESS) {
    return Error{"cannot record alarm: " + libyang_error(ctx_, "parse failed"), "o-ran-fm"};
  }
  lyd_merge_siblings(&data_, alarm, LYD_MERGE_DESTRUCT);
  return "<alarm-notif xmlns=\"urn:o-ran:fm:1.0\">" + body + "</alarm-notif>";
}

}  // namespace plugfest::sim
