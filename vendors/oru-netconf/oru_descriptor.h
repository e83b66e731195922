#pragma once
// What plugfest-oru-netconf reads from its vendor descriptor: where the O-RU's NETCONF
// server is and how to log in, which of the O-RU's own interfaces carries the fronthaul,
// and optional bench facts. All of it lives under `lab:`, beside what the harness reads:
//
//   lab:
//     mplane:
//       host: 192.0.2.10              # the O-RU's NETCONF server (SSH)
//       port: 830                     # default 830
//       user: oranuser                # a sudo (or nms) account of o-ran-usermgmt
//       password: secret
//       fronthaul_interface: eth0     # the O-RU's interface (ietf-interfaces name) for CU-plane
//       center_frequency_hz: 3500000000   # optional; default: the middle of the first band
//       activation_timeout_ms: 5000   # optional; how long carriers may take to become READY
//       supervision_interval_s: 60    # optional; o-ran-supervision watchdog: a reset is sent
//       supervision_guard_s: 10       # every interval/2 while a session runs
//     fronthaul: {vlan: 6, dut_mac: "aa:bb:cc:dd:ee:ff"}   # optional, see below
//
// fronthaul.vlan is used when the harness endpoint carries no VLAN; fronthaul.dut_mac is
// the O-RU's MAC when its interface reports none (the device's own answer wins).

#include <cstdint>
#include <optional>
#include <string>

#include <yaml-cpp/yaml.h>

#include "interfaces/common/result.h"

namespace plugfest::oru_netconf {

struct OruDescriptor {
  std::string name;
  std::string host;
  std::uint16_t port = 830;
  std::string user;
  std::string password;
  std::string fronthaul_interface;
  std::optional<std::uint64_t> center_frequency_hz;
  std::uint32_t activation_timeout_ms = 5000;
  std::uint16_t supervision_interval_s = 60;
  std::uint16_t supervision_guard_s = 10;
  std::uint16_t vlan = 0;  // 0: none given
  std::string dut_mac;     // empty: none given
};

Result<OruDescriptor> load_oru_descriptor(const std::string& path);
// The same for a document already read; `path` names it in errors (file:line:col).
Result<OruDescriptor> oru_descriptor_from_yaml(const std::string& path, const YAML::Node& root);

}  // namespace plugfest::oru_netconf
