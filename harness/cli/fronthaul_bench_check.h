#pragma once
// What `plugfest validate` checks of this host for each DUT whose lab parameters put the
// fronthaul on Ethernet (harness/inputs/fronthaul_lab.h): the interface exists here, this
// process may open raw sockets on it (CAP_NET_RAW in its effective capability set), and its
// MTU holds the largest eCPRI message the given profiles' CUS-plane cases exchange with a
// DUT of that role. Each error names the descriptor's file:line:col of the value concerned.

#include <cstddef>
#include <optional>
#include <string>

#include "harness/engine/test_case.h"
#include "harness/inputs/inputs.h"

namespace plugfest::cli {

// Octets of the largest eCPRI message a CUS-plane case with these parameters sends or
// expects: a U-plane message carrying the whole carrier in one section, as encoded.
Result<std::size_t> largest_ecpri_message(const harness::Parameters& params);

// Whether the effective capability set of this process has capability number `cap`
// (CAP_NET_RAW is 13), as /proc/self/status CapEff says; nullopt when it cannot be read.
std::optional<bool> has_effective_capability(int cap);

// The MTU of a network interface of this host's (this namespace's), nullopt when there is
// no such interface.
std::optional<int> interface_mtu(const std::string& interface);

void check_fronthaul_bench(const harness::Inputs& inputs, const harness::Registry& registry,
                           harness::Diagnostics& diagnostics);

}  // namespace plugfest::cli
