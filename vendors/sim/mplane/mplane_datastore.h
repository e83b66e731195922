#pragma once
// MplaneDatastore: the simulated O-RU's running configuration and operational state as
// one libyang data tree, with the NETCONF read and edit semantics and the O-RAN NACM
// group rules the server applies. Not thread-safe: the server serialises access.

#include <libyang/libyang.h>

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "interfaces/common/result.h"
#include "interfaces/management/filter.h"
#include "vendors/sim/mplane/mplane_server.h"

namespace plugfest::sim {

// Node visits one filtered read may cost at most (management::xpath_cost), about a tenth
// of a second of evaluation: a request beyond it is refused, not evaluated.
constexpr double kMaxFilterCost = 2e6;
// Elements one subtree filter may have (each may become an XPath of its own).
constexpr std::size_t kMaxFilterElements = 4000;

bool is_nacm_group(const std::string& group);
// RPC given as "module:name".
bool nacm_may_execute(const std::string& group, const std::string& rpc);
bool nacm_may_write(const std::string& group, const std::string& module);
bool nacm_may_read(const std::string& group, const std::string& module);

class MplaneDatastore {
 public:
  // fronthaul_mac: the MAC the fronthaul port reports instead of the factory data's.
  static Result<std::unique_ptr<MplaneDatastore>> create(const std::string& yang_dir,
                                                         const std::set<MplaneFault>& faults,
                                                         const std::vector<MplaneUser>& users,
                                                         const std::string& fronthaul_mac = "");
  ~MplaneDatastore();

  ly_ctx* context() const { return ctx_; }

  // A copy (owned by the caller) of what <get> or <get-config> reads, with what `group`
  // may not read left out. nullptr is a valid, empty tree.
  lyd_node* snapshot(bool config_only, const std::string& group) const;
  // What `filter` selects of a snapshot (which it takes and frees). Needs no lock: the
  // snapshot is the caller's own and the context is only read. A filter whose estimated
  // cost exceeds kMaxFilterCost is refused before evaluation (an Error starting
  // "too costly"); a malformed one is an Error naming the offset.
  Result<lyd_node*> filtered(lyd_node* snapshot, const management::Filter& filter) const;
  // snapshot() and filtered() in one call.
  Result<lyd_node*> read(const management::Filter& filter, bool config_only,
                         const std::string& group) {
    return filtered(snapshot(config_only, group), filter);
  }
  // Applies an <edit-config> <config> body. Errors start with "access denied",
  // "data exists", "data missing" or describe the invalid value.
  Result<void> edit(const std::string& config_xml, const std::string& default_operation,
                    const std::string& group);

  // The carriers in state READY (set ACTIVE, and taken up by the O-RU), each with its
  // linked endpoints and their transport flows.
  std::vector<ActiveCarrier> active_carriers() const;
  void deactivate_all_carriers();
  // Writes `counts` (nullopt: zeros) as the result of every active rx-window measurement
  // object (object unit RU, counted for the O-RU module); inactive ones report nothing.
  void set_rx_window_counts(const std::optional<RxWindowCounts>& counts);
  // Adds to the active alarm list; returns the alarm-notif XML to send.
  Result<std::string> add_active_alarm(uint16_t fault_id, const std::string& source,
                                       const std::string& severity, const std::string& text,
                                       const std::string& event_time);

 private:
  MplaneDatastore() = default;
  Result<void> check_unique_eaxc(const lyd_node* tree) const;
  void refresh_carrier_state(lyd_node* tree) const;

  ly_ctx* ctx_ = nullptr;
  lyd_node* data_ = nullptr;
  std::set<MplaneFault> faults_;
};

// The O-RU's factory data: hardware, capabilities, software slots, users, static
// endpoints. XML in the namespaces of the project's models.
const char* initial_oru_data();

}  // namespace plugfest::sim
