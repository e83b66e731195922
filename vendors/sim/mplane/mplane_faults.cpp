// The spelling of each injectable MplaneFault (as descriptors and --fault name them) and
// the conversions between the two.
#include <string>
#include <string_view>
#include <vector>

#include "vendors/sim/mplane/mplane_server.h"

namespace plugfest::sim {
namespace {

struct FaultName {
  MplaneFault fault;
  std::string_view name;
};
constexpr FaultName kFaultNames[] = {
    {MplaneFault::kWrongCredentialsAccepted, "wrong-credentials-accepted"},
    {MplaneFault::kWatchdogIgnored, "watchdog-ignored"},
    {MplaneFault::kMissingMandatoryModule, "missing-mandatory-module"},
    {MplaneFault::kInvalidEditAccepted, "invalid-edit-accepted"},
    {MplaneFault::kDuplicateEaxcAccepted, "duplicate-eaxc-accepted"},
    {MplaneFault::kAlarmNeverRaised, "alarm-never-raised"},
    {MplaneFault::kRoleEscalationAllowed, "role-escalation-allowed"},
    {MplaneFault::kCallHomeIgnored, "call-home-ignored"},
    {MplaneFault::kSubscriptionRefused, "subscription-refused"},
    {MplaneFault::kNextUpdateAtStale, "next-update-at-stale"},
    {MplaneFault::kSubtreeFilterIgnored, "subtree-filter-ignored"},
    {MplaneFault::kFmReadDenied, "fm-read-denied"},
    {MplaneFault::kNoSoftwareSlots, "no-software-slots"},
    {MplaneFault::kWritableRunningNotAdvertised, "writable-running-not-advertised"},
    {MplaneFault::kRefuseAllRpcs, "refuse-all-rpcs"},
    {MplaneFault::kNotificationNotAdvertised, "notification-not-advertised"},
    {MplaneFault::kCarrierActivationIgnored, "carrier-activation-ignored"},
};

}  // namespace

std::string_view to_string(MplaneFault fault) {
  for (const auto& entry : kFaultNames) {
    if (entry.fault == fault) return entry.name;
  }
  return "unknown";
}

Result<MplaneFault> parse_mplane_fault(std::string_view name) {
  std::string known;
  for (const auto& entry : kFaultNames) {
    if (entry.name == name) return entry.fault;
    known += (known.empty() ? "" : ", ") + std::string(entry.name);
  }
  return Error{"unknown M-plane fault '" + std::string(name) + "' (known: " + known + ")",
               "faults"};
}

std::vector<MplaneFault> all_mplane_faults() {
  std::vector<MplaneFault> out;
  for (const auto& entry : kFaultNames) out.push_back(entry.fault);
  return out;
}

}  // namespace plugfest::sim
