#pragma once
// The seam between the harness and the devices under test. The harness reaches every DUT
// through a DutConnector, which yields one DutSession per DUT for the whole run:
//
//   - `plugfest run` asks make_dut_connector() for the connector built into the binary
//     (the adapter-protocol implementation registers itself with register_dut_connector
//     from a static initialiser); tests hand their own in-process connectors to run_plan.
//   - connect() is called once per DUT at the start of a run, in parallel for all DUTs.
//     A DUT whose connect() or describe() fails is not fatal: each of its items gets
//     verdict `error` with that reason and the other DUTs' items run.
//   - The executor runs at most one item per DUT at a time, so a session is never used by
//     two test cases at once. A session that dies mid-run reports it through failure();
//     the item that was running and every later item of that DUT get `error` with the
//     reason.
//   - close() is called once at the end of the run (also after Ctrl-C); it must release
//     everything (an adapter process the connector launched is killed there).
//   - Later planes reach the fronthaul port or the management session through extension()
//     (for example extension("mplane")), so this interface stays small.

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "interfaces/adapter/device.h"
#include "interfaces/common/result.h"

namespace plugfest::harness {

struct VendorDescriptor;

class DutSession {
 public:
  virtual ~DutSession() = default;

  // What the adapter says about its device (vendor, model, serial, software, role,
  // capabilities).
  virtual Result<adapter::DeviceDescription> describe() = 0;

  // Empty while the session is healthy; once it has died, why (adapter exited, connection
  // lost, protocol violation). Must be cheap and thread-safe.
  virtual std::string failure() const { return {}; }

  // A named extension object (a fronthaul port, a NETCONF session...), or nullptr when
  // this session has none. Context::extension<T>() casts it.
  virtual std::shared_ptr<void> extension(std::string_view /*name*/) { return nullptr; }

  // Ends the session and releases what it holds. Idempotent.
  virtual void close() = 0;
};

struct ConnectOptions {
  // Where the connector may keep evidence about the DUT for the whole run (for example the
  // adapter's stderr); created by the harness, absolute.
  std::filesystem::path evidence_dir;
  // Set when the run is interrupted; a connector waiting for an adapter should give up.
  const std::atomic<bool>* cancelled = nullptr;
};

class DutConnector {
 public:
  virtual ~DutConnector() = default;
  // Launches (descriptor.command) or reaches (descriptor.address) the DUT's adapter.
  // Must return within the descriptor's startup timeout.
  virtual Result<std::unique_ptr<DutSession>> connect(const VendorDescriptor& descriptor,
                                                      const ConnectOptions& options) = 0;
};

// The connector `plugfest run` uses; registered from a static initialiser of the file that
// implements it (one per binary; a second registration replaces the first).
using DutConnectorFactory = std::function<std::unique_ptr<DutConnector>()>;
bool register_dut_connector(DutConnectorFactory factory);
// nullptr when this binary has no connector built in.
std::unique_ptr<DutConnector> make_dut_connector();

}  // namespace plugfest::harness
