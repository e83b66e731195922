#include "harness/inputs/fronthaul_lab.h"

#include "harness/inputs/parameter_check.h"

namespace plugfest::harness {
namespace {

constexpr const char* kPrefix = "fronthaul.";

}  // namespace

const std::vector<ParameterDeclaration>& fronthaul_lab_parameters() {
  using T = ParameterType;
  static const std::vector<ParameterDeclaration> declared = {
      {"fronthaul.transport", T::kString}, {"fronthaul.interface", T::kString},
      {"fronthaul.vlan", T::kInteger},     {"fronthaul.pcp", T::kInteger},
      {"fronthaul.dut_mac", T::kString},   {"fronthaul.mtu", T::kInteger},
      {"fronthaul.host", T::kString}};
  return declared;
}

void check_fronthaul_lab(const Parameters& lab, Diagnostics& diagnostics) {
  Parameters mine;
  for (const auto& [name, value] : lab.values()) {
    if (name == "fronthaul" || name.rfind(kPrefix, 0) == 0) mine.set(name, value);
  }
  if (mine.values().empty()) return;
  Diagnostics local;
  if (const auto it = mine.values().find("fronthaul"); it != mine.values().end()) {
    local.add(it->second.where, "parameter 'fronthaul': expected a mapping of its members, got " +
                                    describe_node(it->second.node));
    diagnostics.append(local);
    return;
  }
  check_parameters(mine, fronthaul_lab_parameters(), "lab", local);
  diagnostics.append(local);
  if (!local.ok()) return;  // one error per value
  try {
    (void)fronthaul_lab_of(lab);
  } catch (const ParameterError& e) {
    const std::string text = e.what();
    // "file:line:col: message" as the reader throws it.
    const auto colon = text.find(": ");
    if (colon == std::string::npos) {
      diagnostics.add("lab", text);
    } else {
      diagnostics.add(text.substr(0, colon), text.substr(colon + 2));
    }
  }
}

FronthaulLab fronthaul_lab_of(const Parameters& lab) {
  FronthaulLab out;
  const auto where = [&lab](const std::string& name) {
    const auto it = lab.values().find(name);
    return it == lab.values().end() ? std::string() : it->second.where;
  };
  const auto bad = [&](const std::string& name, const std::string& expected) {
    const auto& value = lab.values().at(name);
    return ParameterError(value.where + ": parameter '" + name + "': expected " + expected +
                          ", got " + describe_node(value.node));
  };
  const std::string transport = lab.get_string("fronthaul.transport", "udp");
  out.transport_where = where("fronthaul.transport");
  if (transport == "ethernet") {
    out.transport = FronthaulTransport::kEthernet;
  } else if (transport != "udp") {
    throw bad("fronthaul.transport", "udp or ethernet");
  }
  out.interface = lab.get_string("fronthaul.interface", "");
  out.interface_where = where("fronthaul.interface");
  if (lab.has("fronthaul.interface") &&
      (out.interface.empty() || out.interface.size() > 15 ||
       out.interface.find_first_of("/ \t") != std::string::npos)) {
    throw bad("fronthaul.interface", "an interface name of 1 to 15 characters");
  }
  if (out.transport == FronthaulTransport::kEthernet && out.interface.empty()) {
    const std::string at = out.transport_where;
    throw ParameterError(at + ": parameter 'fronthaul.transport': ethernet needs "
                              "'fronthaul.interface' (the harness's interface toward the DUT)");
  }
  const std::int64_t vlan = lab.get_int("fronthaul.vlan", 0);
  if (vlan < 0 || vlan > 4094) throw bad("fronthaul.vlan", "a VLAN ID 0-4094 (0: untagged)");
  out.vlan = static_cast<std::uint16_t>(vlan);
  const std::int64_t pcp = lab.get_int("fronthaul.pcp", 0);
  if (pcp < 0 || pcp > 7) throw bad("fronthaul.pcp", "a priority 0-7");
  out.pcp = static_cast<std::uint8_t>(pcp);
  if (lab.has("fronthaul.dut_mac")) {
    out.dut_mac = fronthaul::parse_mac(lab.get_string("fronthaul.dut_mac"));
    if (!out.dut_mac) throw bad("fronthaul.dut_mac", "a MAC address aa:bb:cc:dd:ee:ff");
  }
  if (lab.has("fronthaul.mtu")) {
    const std::int64_t mtu = lab.get_int("fronthaul.mtu");
    if (mtu < 68 || mtu > 65535) throw bad("fronthaul.mtu", "an MTU 68-65535 (octets)");
    out.mtu = static_cast<std::uint32_t>(mtu);
    out.mtu_where = where("fronthaul.mtu");
  }
  return out;
}

}  // namespace plugfest::harness
