#pragma once
// Vendor descriptor: one DUT, how to reach its adapter, what it claims (the PICS), the
// bench's lab parameters (the PIXIT) and, for the simulator, the faults to inject.
//
//   name: acme-ru-1                 # [A-Za-z0-9._-]+, used in item IDs and folder names
//   role: o-ru                      # o-ru | o-du
//   description: Acme 4T4R O-RU     # optional, free text
//   command: [./acme-adapter, --bench, 3]   # launch the adapter (string or list) ...
//   address: bench3.lab:50051       # ... or connect to a running one (host:port, unix:PATH)
//   tls: {ca: ca.pem, cert: client.pem, key: client.key}   # with address: verify the
//                                   # adapter against ca; present the client certificate
//   timeouts: {startup: 10s, call: 5s}                       # optional
//   capabilities:                   # dotted names, or nested maps/lists flattened to them
//     section_type: [0, 1, 3]
//     compression: {bfp: [9, 14]}
//   capability_overrides:           # optional: cases apply by what Describe reports,
//     extension.11: supported       # except for names overridden here (recorded in the
//     section_type.0: unsupported   # manifest); supported must be claimed, unsupported not
//   lab: {mplane: {host: 10.0.0.5, port: 830}}              # free-form, dotted names, but
//                                   # `fronthaul:` is declared and checked (fronthaul_lab.h)
//   faults: [late-ul, {drop-prach: {every: 3}}]              # simulator only
//   simulator: {fronthaul_interface: veth1}                  # simulator only; not read here
// Relative paths (command program, tls files) are relative to the descriptor's folder.

#include <optional>
#include <string>
#include <vector>

#include "harness/inputs/applicability.h"
#include "harness/inputs/diagnostics.h"
#include "harness/inputs/parameters.h"
#include "interfaces/adapter/device.h"

namespace plugfest::harness {

struct TlsFiles {
  std::string ca;    // absolute paths
  std::string cert;  // empty when no client certificate
  std::string key;
};

struct Fault {
  std::string name;
  Parameters parameters;
};

struct VendorDescriptor {
  std::string file;      // the descriptor's path as given
  std::string base_dir;  // its folder (absolute), for relative paths
  std::string name;
  std::string description;
  adapter::Role role = adapter::Role::kOru;
  std::vector<std::string> command;  // empty when `address` is used
  std::string address;
  std::optional<TlsFiles> tls;
  long long startup_timeout_ms = 10000;
  long long call_timeout_ms = 5000;
  adapter::Capabilities capabilities;  // the claims (the PICS), compared with Describe
  std::vector<CapabilityOverride> capability_overrides;  // in descriptor order
  Parameters lab;
  std::vector<Fault> faults;
};

// Reads and checks a descriptor; every problem is added to `diagnostics`.
std::optional<VendorDescriptor> load_vendor_descriptor(const std::string& file,
                                                       const YAML::Node& root,
                                                       Diagnostics& diagnostics);
std::optional<VendorDescriptor> load_vendor_descriptor(const std::string& file,
                                                       Diagnostics& diagnostics);

// Flattens a capabilities node (a list of dotted names, or nested maps and lists) into
// names; every prefix of a name is a capability too ("compression.bfp.9" gives
// "compression.bfp" and "compression").
void flatten_capabilities(const std::string& file, const YAML::Node& node,
                          const std::string& prefix, adapter::Capabilities& out,
                          Diagnostics& diagnostics);

// Why reaching this DUT's adapter exposes its traffic (an `address:` over TCP without
// `tls:`: M-plane passwords readable and Shutdown accepted from anyone who reaches the
// port), or "" when it does not (launched adapters and unix sockets are local).
std::string plaintext_adapter_warning(const VendorDescriptor& descriptor);

// Whether `name` may name a DUT: letters, digits, '.', '_' and '-'.
bool is_dut_name(const std::string& name);

}  // namespace plugfest::harness
