#include "vendors/oru-netconf/oru_descriptor.h"

#include <cctype>
#include <limits>

#include "interfaces/common/yaml_file.h"

namespace plugfest::oru_netconf {
namespace {

std::string where(const std::string& path, const YAML::Node& node) {
  const YAML::Mark mark = node.Mark();
  if (mark.line < 0) return path;
  return path + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
}

Error at(const std::string& path, const YAML::Node& node, const std::string& message) {
  return Error{message, where(path, node)};
}

Result<std::string> text(const std::string& path, const YAML::Node& parent, const char* key,
                         const std::string& qualified, bool required) {
  const YAML::Node node = parent[key];
  if (!node) {
    if (required) return at(path, parent, "key '" + qualified + "' is missing");
    return std::string();
  }
  if (!node.IsScalar() || node.as<std::string>().empty()) {
    return at(path, node, "key '" + qualified + "': expected a non-empty value");
  }
  return node.as<std::string>();
}

Result<std::uint64_t> number(const std::string& path, const YAML::Node& parent, const char* key,
                             const std::string& qualified, std::uint64_t low, std::uint64_t high,
                             std::uint64_t fallback) {
  const YAML::Node node = parent[key];
  if (!node) return fallback;
  const std::string value = node.IsScalar() ? node.as<std::string>() : "";
  bool digits = !value.empty() && value.size() <= 20;
  for (char c : value) digits = digits && std::isdigit(static_cast<unsigned char>(c));
  std::uint64_t parsed = 0;
  if (digits) {
    try {
      parsed = std::stoull(value);
    } catch (...) {
      digits = false;
    }
  }
  if (!digits || parsed < low || parsed > high) {
    return at(path, node,
              "key '" + qualified + "': expected a whole number " + std::to_string(low) + ".." +
                  std::to_string(high));
  }
  return parsed;
}

bool is_mac(const std::string& mac) {
  if (mac.size() != 17) return false;
  for (std::size_t i = 0; i < mac.size(); ++i) {
    const bool colon = i % 3 == 2;
    if (colon ? mac[i] != ':' : !std::isxdigit(static_cast<unsigned char>(mac[i]))) return false;
  }
  return true;
}

}  // namespace

Result<OruDescriptor> load_oru_descriptor(const std::string& path) {
  auto loaded = load_yaml_file(path);
  if (!loaded) {
    return Error{"cannot read the descriptor: " + loaded.error().message, loaded.error().where};
  }
  return oru_descriptor_from_yaml(path, *loaded);
}

Result<OruDescriptor> oru_descriptor_from_yaml(const std::string& path, const YAML::Node& root) {
  if (!root.IsMap()) return Error{"a vendor descriptor is a mapping", path};
  OruDescriptor d;
  if (const YAML::Node name = root["name"]; name && name.IsScalar()) d.name = name.as<std::string>();
  if (const YAML::Node role = root["role"]; role && role.IsScalar() &&
                                            role.as<std::string>() != "o-ru") {
    return at(path, role, "key 'role': plugfest-oru-netconf drives an o-ru, not '" +
                              role.as<std::string>() + "'");
  }
  const YAML::Node lab = root["lab"];
  if (!lab || !lab.IsMap()) {
    return at(path, root, "key 'lab' with 'mplane:' is missing: the O-RU's NETCONF server");
  }
  const YAML::Node m = lab["mplane"];
  if (!m || !m.IsMap()) {
    return at(path, lab, "key 'lab.mplane' is missing: host, user, password, fronthaul_interface");
  }
  auto host = text(path, m, "host", "lab.mplane.host", true);
  if (!host) return host.error();
  d.host = *host;
  auto port = number(path, m, "port", "lab.mplane.port", 1, 65535, 830);
  if (!port) return port.error();
  d.port = static_cast<std::uint16_t>(*port);
  auto user = text(path, m, "user", "lab.mplane.user", true);
  if (!user) return user.error();
  d.user = *user;
  auto password = text(path, m, "password", "lab.mplane.password", true);
  if (!password) return password.error();
  d.password = *password;
  auto interface = text(path, m, "fronthaul_interface", "lab.mplane.fronthaul_interface", true);
  if (!interface) return interface.error();
  d.fronthaul_interface = *interface;
  if (m["center_frequency_hz"]) {
    auto hz = number(path, m, "center_frequency_hz", "lab.mplane.center_frequency_hz", 1,
                     std::numeric_limits<std::uint64_t>::max(), 0);
    if (!hz) return hz.error();
    d.center_frequency_hz = *hz;
  }
  auto timeout = number(path, m, "activation_timeout_ms", "lab.mplane.activation_timeout_ms", 1,
                        600000, d.activation_timeout_ms);
  if (!timeout) return timeout.error();
  d.activation_timeout_ms = static_cast<std::uint32_t>(*timeout);
  auto interval = number(path, m, "supervision_interval_s", "lab.mplane.supervision_interval_s", 1,
                         65535, d.supervision_interval_s);
  if (!interval) return interval.error();
  d.supervision_interval_s = static_cast<std::uint16_t>(*interval);
  auto guard = number(path, m, "supervision_guard_s", "lab.mplane.supervision_guard_s", 1, 65535,
                      d.supervision_guard_s);
  if (!guard) return guard.error();
  d.supervision_guard_s = static_cast<std::uint16_t>(*guard);
  if (const YAML::Node f = lab["fronthaul"]; f && f.IsMap()) {
    auto vlan = number(path, f, "vlan", "lab.fronthaul.vlan", 1, 4094, 0);
    if (!vlan) return vlan.error();
    d.vlan = static_cast<std::uint16_t>(*vlan);
    auto mac = text(path, f, "dut_mac", "lab.fronthaul.dut_mac", false);
    if (!mac) return mac.error();
    if (!mac->empty() && !is_mac(*mac)) {
      return at(path, f["dut_mac"], "key 'lab.fronthaul.dut_mac': '" + *mac +
                                        "' is not a MAC address (aa:bb:cc:dd:ee:ff)");
    }
    d.dut_mac = *mac;
  }
  return d;
}

}  // namespace plugfest::oru_netconf
