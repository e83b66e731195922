#pragma once
// The DutConnector `plugfest run` uses: reaches each DUT through its adapter, launched
// from the descriptor's `command:` (unix socket, own process group, stderr kept as
// evidence in adapter.stderr) or connected at its `address:` (optionally with mutual TLS;
// a refused handshake is reported as what TLS refused),
// speaking the adapter protocol (interfaces/adapter). Sessions expose the adapter client
// to test cases as the extension "adapter" (plugfest::adapter::AdapterClient).

#include <memory>

#include "harness/engine/dut.h"

namespace plugfest::harness {

// The extension name under which a session offers its adapter::AdapterClient.
inline constexpr const char* kAdapterExtension = "adapter";

std::unique_ptr<DutConnector> make_adapter_connector();

}  // namespace plugfest::harness
