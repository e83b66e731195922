#pragma once
// SessionPlan: the NETCONF edits that give an O-RU one fronthaul session, worked out from
// what the device has (DeviceModel), what the harness asked (SessionRequest) and the bench
// (OruDescriptor): a VLAN interface when the O-RU has none for the VLAN, the processing
// element's Ethernet flow (RU MAC, VLAN, O-DU MAC), one low-level endpoint per antenna
// and direction (plus PRACH receive endpoints where the O-RU has static endpoints for
// them), one tx and one rx array carrier with their links, and the reception-window
// measurement objects. Each edit is an <edit-config> <config> body; the cleanup edit
// removes what the plan created and puts back what it changed.

#include <cstdint>
#include <string>
#include <vector>

#include "interfaces/adapter/session.h"
#include "interfaces/common/result.h"
#include "vendors/oru-netconf/device_model.h"
#include "vendors/oru-netconf/oru_descriptor.h"

namespace plugfest::oru_netconf {

// Names the plan gives what it creates on the device.
inline constexpr const char* kProcessingElement = "plugfest-pe";
inline constexpr const char* kTxCarrier = "plugfest-tx-carrier";
inline constexpr const char* kRxCarrier = "plugfest-rx-carrier";

// The reception-window measurement objects the plan turns on (o-ran-performance-management).
inline constexpr const char* kRxWindowObjects[] = {"RX_ON_TIME", "RX_EARLY",    "RX_LATE",
                                                   "RX_CORRUPT", "RX_ERR_DROP", "RX_TOTAL"};

// Configuration the device had before the plan, read with <get-config>: the low-level
// endpoints and measurement objects the plan is about to change, as their XML elements.
struct PriorConfig {
  std::vector<management::XmlNode> tx_endpoints;   // low-level-tx-endpoints entries
  std::vector<management::XmlNode> rx_endpoints;   // low-level-rx-endpoints entries
  std::vector<management::XmlNode> measurements;   // rx-window-measurement-objects entries
};

struct SessionPlan {
  std::string interface_name;  // the O-RU's interface of the flow (a VLAN interface)
  bool creates_interface = false;
  std::string ru_mac;
  std::uint16_t vlan_id = 0;
  std::uint64_t center_frequency_hz = 0;
  std::uint64_t bandwidth_hz = 0;
  std::vector<std::string> tx_endpoints;  // one per antenna
  std::vector<std::string> rx_endpoints;  // one per antenna, then one per antenna for PRACH
  bool measures = false;                  // the O-RU has o-ran-performance-management

  std::string configure;   // everything, carriers INACTIVE
  std::string activate;    // both carriers ACTIVE
  std::string deactivate;  // both carriers INACTIVE
  std::string cleanup;     // removes what `configure` created, restores what it changed
};

// The plan, or an Error saying what the device or the request lacks (an Ethernet harness
// endpoint, a VLAN, the fronthaul interface, enough static endpoints, a carrier of that
// many PRBs, a compression the O-RU supports).
Result<SessionPlan> plan_session(const DeviceModel& device, const PriorConfig& prior,
                                 const adapter::SessionRequest& request,
                                 const OruDescriptor& descriptor, bool has_performance_management);

// The <get-config> filter that reads PriorConfig.
management::Filter prior_config_filter();
PriorConfig read_prior_config(const std::vector<management::XmlNode>& data);

}  // namespace plugfest::oru_netconf
