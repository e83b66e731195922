#pragma once
// MplaneSession: the simulated O-RU's fronthaul as its M-plane configures it, the way a
// real O-RU works: when tx and rx array carriers are ACTIVE and READY with low-level
// endpoints linked through a processing element's Ethernet flow, an O-RU fronthaul session
// runs on the simulator's fronthaul interface with that configuration (eAxC split from the
// endpoints' bitmasks, compression, PRBs and numerology per direction, the flow's O-DU MAC
// as peer on its VLAN); a change restarts it, deactivation stops it. Its reception counts
// are what o-ran-performance-management reports.

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "interfaces/common/result.h"
#include "interfaces/fronthaul/framing.h"
#include "interfaces/transport/fronthaul_config.h"
#include "vendors/sim/core/fault.h"
#include "vendors/sim/core/oru.h"
#include "vendors/sim/core/runner.h"
#include "vendors/sim/mplane/mplane_server.h"

namespace plugfest::sim {

// What the active carriers amount to for the fronthaul.
struct MplaneFronthaul {
  transport::FronthaulConfig radio;
  fronthaul::MacAddress odu_mac{};
  std::uint16_t vlan_id = 0;
};

// The fronthaul of `carriers`; nullopt when no tx and rx carrier pair is active (nothing to
// run), an Error naming the endpoint when the configuration is one this O-RU cannot run.
Result<std::optional<MplaneFronthaul>> fronthaul_of(const std::vector<ActiveCarrier>& carriers,
                                                    double dilation);

// The MAC of a network interface of this host (in the caller's namespace), as "aa:..:ff".
Result<std::string> interface_mac(const std::string& interface);

class MplaneSession {
 public:
  // interface: the simulator's own fronthaul interface (empty: none, nothing ever runs).
  MplaneSession(std::string interface, double dilation, FaultSet faults);
  ~MplaneSession();
  MplaneSession(const MplaneSession&) = delete;
  MplaneSession& operator=(const MplaneSession&) = delete;

  // Starts, restarts or stops the session for the carriers now active.
  void on_carriers_changed(const std::vector<ActiveCarrier>& carriers);
  void stop();
  bool running() const;
  // The running session's reception counts; nullopt when none runs.
  std::optional<RxWindowCounts> rx_window_counts() const;
  // Why the last configuration did not start ("" when it did, or when nothing was asked).
  std::string last_error() const;

 private:
  void stop_locked();

  const std::string interface_;
  const double dilation_;
  const FaultSet faults_;
  mutable std::mutex mutex_;
  std::optional<MplaneFronthaul> current_;
  std::unique_ptr<SimulatedOru> oru_;
  std::unique_ptr<FronthaulRunner> runner_;
  std::string last_error_;
};

}  // namespace plugfest::sim
