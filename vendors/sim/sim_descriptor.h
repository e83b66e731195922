#pragma once
// What plugfest-sim reads from its vendor descriptor: identity, role, capabilities (the
// PICS it claims), faults, and under `lab:` the defaults of its simulated radio.
//
//   lab:
//     vendor: Acme            # Describe identity (defaults: the descriptor's name)
//     model: AC-RU-4T4R
//     serial: SIM-0001
//     software_version: 1.0.0
//     fronthaul: {host: 127.0.0.1}      # where the simulated device binds its UDP port
//     timing: {dilation: 100}           # slot clock stretch (PLUGFEST_TIME_DILATION wins)
//     pattern: {tdd: DDDSU, start_prb: 0, num_prbs: 0, prach_every: 2}   # O-DU only
//     observe: false                    # no Observe instrument (as most real benches)
//     mplane: {host: 127.0.0.1, user: oranuser, password: secret}       # O-RU: a NETCONF
//                                    # server; M-plane faults then go in `faults:` too
//       accounts:                    # optional; the user above is the sudo account.
//         - {user: oran-fm, password: fm-secret, group: fm-pm}
//                                    # absent: one account per other NACM group (nms, fm-pm,
//                                    # swm) named and keyed after the sudo one: oranuser-fm-pm
//   faults: [ul-late, seqid-gap]     # fronthaul faults (fault.h) and M-plane faults
//   faults: [silent]                 # the null device: answers the adapter protocol, sends
//                                    # and counts nothing (no other fronthaul fault with it)
//   simulator:                       # read by plugfest-sim only (the harness ignores it)
//     fronthaul_interface: veth1     # its own end of eCPRI over Ethernet: when PrepareSession
//                                    # gives an Ethernet harness endpoint, the device sends
//                                    # and receives on this interface with its MAC, on the
//                                    # VLAN and PCP the harness asked, and answers that MAC
//                                    # and VLAN. Absent: UDP only (an Ethernet request is
//                                    # refused saying so). Needs CAP_NET_RAW.

#include <optional>
#include <set>
#include <string>

#include <yaml-cpp/yaml.h>

#include "interfaces/adapter/device.h"
#include "interfaces/common/result.h"
#include "vendors/sim/core/fault.h"
#include "vendors/sim/core/odu.h"
#include "interfaces/transport/fronthaul_config.h"
#include "vendors/sim/mplane/mplane_server.h"

namespace plugfest::sim {

// The embedded NETCONF server of a simulated O-RU, when the descriptor asks for one.
struct MplaneSettings {
  std::string host = "127.0.0.1";
  std::string user = "oranuser";
  std::string password = "o-ran-sim";
  std::vector<MplaneUser> accounts;  // besides the sudo account above
  std::set<MplaneFault> faults;
};

struct SimDescriptor {
  adapter::DeviceDescription device;
  FaultSet faults;
  std::string fronthaul_host = "127.0.0.1";
  std::string fronthaul_interface;  // simulator.fronthaul_interface; empty: UDP only
  double dilation = 1.0;
  SlotPattern pattern;  // the O-DU's defaults; Stimulate overrides allocation and length
  bool observe = true;  // the Observe instrument of the role (dl-radiated-iq / ul-decoded-iq)
  std::optional<MplaneSettings> mplane;
};

Result<SimDescriptor> load_sim_descriptor(const std::string& path);
// The same for a document already read (through load_yaml_file); `path` names it.
Result<SimDescriptor> sim_descriptor_from_yaml(const std::string& path, const YAML::Node& root);

// Environment variable that overrides the descriptor's timing dilation.
inline constexpr const char* kDilationEnvironmentVariable = "PLUGFEST_TIME_DILATION";

}  // namespace plugfest::sim
