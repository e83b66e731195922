#pragma once
// The harness's end of the fronthaul on one bench: a DUT's lab parameters `fronthaul:`
// (descriptor `lab:`), declared with their types and checked like a profile's parameters.
//
//   lab:
//     fronthaul:
//       transport: ethernet          # udp (the default) or ethernet
//       interface: ens1f0            # ethernet: the harness's own interface toward the DUT
//       vlan: 6                      # 802.1Q VLAN ID 1..4094 the harness sends on; 0 or
//                                    # absent: untagged
//       pcp: 7                       # 802.1Q priority 0..7 (default 0)
//       dut_mac: "aa:bb:cc:dd:ee:ff" # optional: the DUT's MAC when its adapter names none,
//                                    # and a cross-check when it does (a mismatch warns)
//       mtu: 9000                    # the interface's MTU on this bench (default: what the
//                                    # interface says); checked against the largest frame
//       host: 127.0.0.1              # udp: the DUT's address, read by its adapter

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/inputs/case_catalog.h"
#include "harness/inputs/diagnostics.h"
#include "harness/inputs/parameters.h"
#include "interfaces/fronthaul/framing.h"

namespace plugfest::harness {

enum class FronthaulTransport : std::uint8_t { kUdp, kEthernet };

struct FronthaulLab {
  FronthaulTransport transport = FronthaulTransport::kUdp;
  std::string interface;
  std::uint16_t vlan = 0;  // 0: untagged
  std::uint8_t pcp = 0;
  std::optional<fronthaul::MacAddress> dut_mac;
  std::optional<std::uint32_t> mtu;
  // file:line:col of each value as given ("" when absent), for errors about it.
  std::string transport_where, interface_where, mtu_where;
};

// The names under `fronthaul.` and their types.
const std::vector<ParameterDeclaration>& fronthaul_lab_parameters();

// Reports, at each value's position, unknown names under `fronthaul.` (with the nearest
// one), wrong types, values out of range, a MAC that is none, and an Ethernet transport
// without an interface.
void check_fronthaul_lab(const Parameters& lab, Diagnostics& diagnostics);

// The parameters read; a ParameterError names the value's file:line:col when one is wrong.
FronthaulLab fronthaul_lab_of(const Parameters& lab);

}  // namespace plugfest::harness
