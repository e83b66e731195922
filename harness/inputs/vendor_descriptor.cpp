#include "harness/inputs/vendor_descriptor.h"

#include <filesystem>

#include "harness/inputs/applicability.h"
#include "harness/inputs/fronthaul_lab.h"

namespace plugfest::harness {
namespace fs = std::filesystem;

bool is_dut_name(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  for (const char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return name != "." && name != "..";
}

namespace {

void add_with_prefixes(const std::string& name, adapter::Capabilities& out) {
  out.add(name);
  for (std::size_t dot = name.find('.'); dot != std::string::npos; dot = name.find('.', dot + 1)) {
    out.add(name.substr(0, dot));
  }
}

void add_capability(const std::string& file, const YAML::Node& at, const std::string& name,
                    adapter::Capabilities& out, Diagnostics& diagnostics) {
  if (!is_capability_name(name)) {
    diagnostics.add(where(file, at), "key 'capabilities': '" + name +
                                         "' is not a capability name (dotted words of letters, "
                                         "digits, '_' and '-', such as section_type.3)");
    return;
  }
  add_with_prefixes(name, out);
}

std::string join_prefix(const std::string& prefix, const std::string& name) {
  return prefix.empty() ? name : prefix + "." + name;
}

}  // namespace

void flatten_capabilities(const std::string& file, const YAML::Node& node,
                          const std::string& prefix, adapter::Capabilities& out,
                          Diagnostics& diagnostics) {
  switch (node.Type()) {
    case YAML::NodeType::Scalar: {
      const std::string& s = node.Scalar();
      if (s == "true" || s == "yes") {
        if (!prefix.empty()) add_capability(file, node, prefix, out, diagnostics);
      } else if (s != "false" && s != "no") {
        add_capability(file, node, join_prefix(prefix, s), out, diagnostics);
      }
      return;
    }
    case YAML::NodeType::Sequence:
      for (const auto& item : node) flatten_capabilities(file, item, prefix, out, diagnostics);
      return;
    case YAML::NodeType::Map:
      for (const auto& entry : node) {
        if (!entry.first.IsScalar()) {
          diagnostics.add(where(file, entry.first), "key 'capabilities': expected a name");
          continue;
        }
        flatten_capabilities(file, entry.second, join_prefix(prefix, entry.first.Scalar()), out,
                             diagnostics);
      }
      return;
    default:
      diagnostics.add(
          where(file, node),
          "key 'capabilities': expected names, a list or a mapping, got " + describe_node(node));
  }
}

namespace {

std::string resolve(const std::string& base_dir, const std::string& path) {
  if (path.empty() || fs::path(path).is_absolute()) return path;
  return (fs::path(base_dir) / path).lexically_normal().string();
}

void read_tls(const std::string& file, const YAML::Node& node, VendorDescriptor& d,
              Diagnostics& diagnostics) {
  MappingReader tls(file, node, "tls", {"ca", "cert", "key"}, diagnostics);
  if (!tls.ok()) return;
  TlsFiles files;
  bool ok = true;
  for (const auto& [key, target] :
       {std::pair{"ca", &files.ca}, std::pair{"cert", &files.cert}, std::pair{"key", &files.key}}) {
    const YAML::Node value = tls.get(key, std::string(key) == "ca");
    if (!value.IsDefined()) continue;
    std::string path;
    if (!read_string(file, value, std::string("tls.") + key, diagnostics, path)) {
      ok = false;
      continue;
    }
    *target = resolve(d.base_dir, path);
    if (!fs::is_regular_file(*target)) {
      diagnostics.add(where(file, value),
                      std::string("key 'tls.") + key + "': no such file '" + *target + "'");
      ok = false;
    }
  }
  if (files.cert.empty() != files.key.empty()) {
    diagnostics.add(where(file, node),
                    "key 'tls': 'cert' and 'key' go together (a client certificate needs its key)");
    ok = false;
  }
  if (ok) d.tls = files;
}

void read_faults(const std::string& file, const YAML::Node& node, VendorDescriptor& d,
                 Diagnostics& diagnostics) {
  if (!node.IsSequence()) {
    diagnostics.add(where(file, node),
                    "key 'faults': expected a list of fault names, got " + describe_node(node));
    return;
  }
  for (const auto& item : node) {
    Fault fault;
    if (item.IsScalar() && !item.Scalar().empty()) {
      fault.name = item.Scalar();
    } else if (item.IsMap() && item.size() == 1 && item.begin()->second.IsMap()) {
      fault.name = item.begin()->first.Scalar();
      fault.parameters = Parameters::from_yaml(file, item.begin()->second);
    } else {
      diagnostics.add(where(file, item),
                      "key 'faults': expected a fault name or 'name: {parameters}', got " +
                          describe_node(item));
      continue;
    }
    if (!is_capability_name(fault.name)) {
      diagnostics.add(where(file, item), "key 'faults': '" + fault.name +
                                             "' is not a fault name (letters, digits, '_', '-')");
      continue;
    }
    d.faults.push_back(std::move(fault));
  }
}

void read_capability_overrides(const std::string& file, const YAML::Node& node, VendorDescriptor& d,
                               Diagnostics& diagnostics) {
  if (!node.IsMap() || node.size() == 0) {
    diagnostics.add(where(file, node),
                    "key 'capability_overrides': expected a mapping of capability names to "
                    "supported or unsupported, got " +
                        describe_node(node));
    return;
  }
  for (const auto& entry : node) {
    const YAML::Node& key = entry.first;
    const YAML::Node& value = entry.second;
    if (!key.IsScalar() || !is_capability_name(key.Scalar())) {
      diagnostics.add(where(file, key), "key 'capability_overrides': '" +
                                            (key.IsScalar() ? key.Scalar() : describe_node(key)) +
                                            "' is not a capability name (such as extension.11)");
      continue;
    }
    const std::string& name = key.Scalar();
    const std::string state = value.IsScalar() ? value.Scalar() : "";
    if (state != "supported" && state != "unsupported") {
      std::string message = "key 'capability_overrides." + name +
                            "': expected supported or unsupported, got " +
                            (value.IsScalar() ? "'" + state + "'" : describe_node(value));
      if (const auto near = nearest(state, {"supported", "unsupported"}); !near.empty()) {
        message += "; did you mean '" + near + "'?";
      }
      diagnostics.add(where(file, value), message);
      continue;
    }
    const bool supported = state == "supported";
    // An override corrects Describe in the direction of the vendor's own claim, never
    // against it.
    if (supported != d.capabilities.has(name)) {
      diagnostics.add(where(file, key),
                      "key 'capability_overrides." + name + "': " +
                          (supported ? "overridden as supported but not claimed under "
                                       "'capabilities'"
                                     : "overridden as unsupported but claimed under "
                                       "'capabilities'"));
      continue;
    }
    d.capability_overrides.push_back({name, supported});
  }
}

void check_lab(const std::string& file, const YAML::Node& node, Diagnostics& diagnostics) {
  if (node.IsMap()) {
    for (const auto& entry : node) check_lab(file, entry.second, diagnostics);
    return;
  }
  if (node.IsSequence()) {
    for (const auto& item : node) {
      if (!item.IsScalar()) {
        diagnostics.add(where(file, item),
                        "key 'lab': list items must be scalars, got " + describe_node(item));
      }
    }
    return;
  }
  if (!node.IsScalar()) {
    diagnostics.add(where(file, node), "key 'lab': expected a value, got " + describe_node(node));
  }
}

}  // namespace

std::optional<VendorDescriptor> load_vendor_descriptor(const std::string& file,
                                                       const YAML::Node& root,
                                                       Diagnostics& diagnostics) {
  Diagnostics local;
  VendorDescriptor d;
  d.file = file;
  // Absolute, so relative paths in the descriptor mean the same from any working folder
  // (the adapter itself starts in this folder).
  d.base_dir = fs::absolute(fs::path(file)).lexically_normal().parent_path().string();
  MappingReader top(file, root, "vendor descriptor",
                    {"name", "role", "description", "command", "address", "tls", "timeouts",
                     "capabilities", "capability_overrides", "lab", "faults", "simulator"},
                    local);
  if (!top.ok()) {
    diagnostics.append(local);
    return std::nullopt;
  }

  if (const YAML::Node name = top.get("name", true); name.IsDefined()) {
    if (read_string(file, name, "name", local, d.name) && !is_dut_name(d.name)) {
      local.add(where(file, name), "key 'name': '" + d.name +
                                       "' is not a DUT name (up to 64 letters, digits, '.', '_' "
                                       "and '-')");
    }
  }
  if (const YAML::Node role = top.get("role", true); role.IsDefined()) {
    std::string text;
    if (read_string(file, role, "role", local, text)) {
      if (text == "o-ru") {
        d.role = adapter::Role::kOru;
      } else if (text == "o-du") {
        d.role = adapter::Role::kOdu;
      } else {
        std::string message = "key 'role': expected o-ru or o-du, got '" + text + "'";
        if (const auto near = nearest(text, {"o-ru", "o-du"}); !near.empty()) {
          message += "; did you mean '" + near + "'?";
        }
        local.add(where(file, role), message);
      }
    }
  }
  if (const YAML::Node text = top.get("description"); text.IsDefined()) {
    if (!text.IsScalar()) {
      local.add(where(file, text), "key 'description': expected text, got " + describe_node(text));
    } else {
      d.description = text.Scalar();
    }
  }

  const YAML::Node command = top.get("command");
  const YAML::Node address = top.get("address");
  if (command.IsDefined() == address.IsDefined()) {
    local.add(where(file, command.IsDefined() ? command : root),
              "exactly one of 'command' (launch the adapter) or 'address' (connect to a running "
              "adapter) is required");
  }
  if (command.IsDefined()) {
    if (command.IsScalar() && !command.Scalar().empty()) {
      d.command = {command.Scalar()};
    } else if (command.IsSequence() && command.size() > 0) {
      for (const auto& arg : command) {
        if (!arg.IsScalar()) {
          local.add(where(file, arg),
                    "key 'command': expected program and arguments as strings, got " +
                        describe_node(arg));
          continue;
        }
        d.command.push_back(arg.Scalar());
      }
    } else {
      local.add(where(file, command), "key 'command': expected a program (string or list), got " +
                                          describe_node(command));
    }
    if (!d.command.empty() && d.command[0].find('/') != std::string::npos) {
      d.command[0] = resolve(d.base_dir, d.command[0]);
    }
  }
  if (address.IsDefined() && read_string(file, address, "address", local, d.address)) {
    const bool unix_socket = d.address.rfind("unix:", 0) == 0 && d.address.size() > 5;
    const auto colon = d.address.rfind(':');
    bool tcp = false;
    if (!unix_socket && colon != std::string::npos && colon > 0 && colon + 1 < d.address.size()) {
      const std::string port = d.address.substr(colon + 1);
      tcp = port.find_first_not_of("0123456789") == std::string::npos && port.size() <= 5 &&
            std::stoi(port) > 0 && std::stoi(port) < 65536;
    }
    if (!unix_socket && !tcp) {
      local.add(
          where(file, address),
          "key 'address': expected host:port (port 1-65535) or unix:PATH, got '" + d.address + "'");
    }
  }
  if (const YAML::Node tls = top.get("tls"); tls.IsDefined()) {
    if (!address.IsDefined()) {
      local.add(where(file, tls), "key 'tls': only meaningful with 'address'");
    }
    read_tls(file, tls, d, local);
  }
  if (const YAML::Node timeouts = top.get("timeouts"); timeouts.IsDefined()) {
    MappingReader t(file, timeouts, "timeouts", {"startup", "call"}, local);
    if (const YAML::Node v = t.get("startup"); v.IsDefined()) {
      read_duration_ms(file, v, "timeouts.startup", local, d.startup_timeout_ms);
    }
    if (const YAML::Node v = t.get("call"); v.IsDefined()) {
      read_duration_ms(file, v, "timeouts.call", local, d.call_timeout_ms);
    }
  }
  if (const YAML::Node caps = top.get("capabilities"); caps.IsDefined()) {
    if (caps.IsNull()) {
      local.add(top.key_where("capabilities"),
                "key 'capabilities': expected names, got an empty value");
    } else {
      flatten_capabilities(file, caps, "", d.capabilities, local);
    }
  }
  if (const YAML::Node overrides = top.get("capability_overrides"); overrides.IsDefined()) {
    read_capability_overrides(file, overrides, d, local);
  }
  if (const YAML::Node lab = top.get("lab"); lab.IsDefined()) {
    if (!lab.IsMap()) {
      local.add(where(file, lab), "key 'lab': expected a mapping, got " + describe_node(lab));
    } else {
      check_lab(file, lab, local);
      d.lab = Parameters::from_yaml(file, lab);
      check_fronthaul_lab(d.lab, local);
    }
  }
  if (const YAML::Node faults = top.get("faults"); faults.IsDefined()) {
    read_faults(file, faults, d, local);
  }

  const bool ok = local.ok();
  diagnostics.append(local);
  if (!ok) return std::nullopt;
  return d;
}

std::string plaintext_adapter_warning(const VendorDescriptor& descriptor) {
  if (descriptor.address.empty() || descriptor.tls) return {};
  if (descriptor.address.rfind("unix:", 0) == 0) return {};
  return "the adapter at " + descriptor.address +
         " is reached without TLS: anyone who can reach that port reads the device's M-plane "
         "credentials and may shut the adapter down; give the descriptor a 'tls:' key "
         "(mutual TLS with cert and key)";
}

std::optional<VendorDescriptor> load_vendor_descriptor(const std::string& file,
                                                       Diagnostics& diagnostics) {
  YAML::Node root;
  if (!parse_yaml_file(file, root, diagnostics)) return std::nullopt;
  return load_vendor_descriptor(file, root, diagnostics);
}

}  // namespace plugfest::harness
