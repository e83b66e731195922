#pragma once
// OruNetconfAdapter: the standard O-RU adapter. It drives any O-RU that implements the
// O-RAN M-plane through NETCONF alone: Describe reads the device's capabilities,
// PrepareSession configures and activates a fronthaul session (session_plan.h), Counters
// reads the reception-window measurements of o-ran-performance-management, Reset starts
// the counters afresh, and whatever it configured is removed again when a new session
// replaces it, on cleanup() and on destruction. It has no instrument: radiated IQ and a
// UL air signal need lab equipment, so Observe and the UL air-signal Stimulate say so.
// While a session runs it supervises the O-RU (o-ran-supervision watchdog resets).

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <optional>
#include <string>

#include "interfaces/adapter/adapter_server.h"
#include "interfaces/management/netconf_client.h"
#include "vendors/oru-netconf/device_model.h"
#include "vendors/oru-netconf/oru_descriptor.h"
#include "vendors/oru-netconf/session_plan.h"

namespace plugfest::oru_netconf {

// What an O-RU's rx-window measurement objects counted (RX_* by name).
struct RxWindowReading {
  std::uint64_t on_time = 0;
  std::uint64_t early = 0;
  std::uint64_t late = 0;
  std::uint64_t corrupt = 0;
  std::uint64_t dropped = 0;
  std::uint64_t total = 0;
};

class OruNetconfAdapter : public adapter::AdapterHandler {
 public:
  explicit OruNetconfAdapter(OruDescriptor descriptor) : descriptor_(std::move(descriptor)) {}
  ~OruNetconfAdapter() override;

  Result<adapter::AdapterDescription> describe() override;
  Result<adapter::SessionSetup> prepare_session(const adapter::SessionRequest& request) override;
  Result<std::optional<adapter::SlotPoint>> stimulate(const std::string& session_id,
                                                      const adapter::Stimulus& stimulus) override;
  Result<adapter::Observation> observe(const std::string& session_id,
                                       const adapter::ObservationRequest& request) override;
  Result<adapter::FronthaulCounters> counters(const std::string& session_id) override;
  Result<void> reset(const std::string& session_id) override;

  // Deactivates and removes what the current session configured on the O-RU (nothing when
  // there is none); the session is gone afterwards either way.
  Result<void> cleanup();

 private:
  struct Session {
    std::string id;
    SessionPlan plan;
    bool configured = false;  // the configure edit went through: carriers exist
    RxWindowReading baseline;
  };

  // The NETCONF session to the O-RU, connected on first use and again after a failure.
  Result<management::NetconfSession*> netconf_locked();
  // An operation's answer: an Error for the transport failing (the session is then
  // dropped) or for an rpc-error of the device (its error-tag, path and message).
  Result<management::Reply> checked_locked(Result<management::Reply> reply, const std::string& what);
  Result<void> edit_locked(const std::string& config, const std::string& what);
  Result<DeviceModel> read_device_locked();
  Result<void> await_carriers_locked(const SessionPlan& plan);
  Result<RxWindowReading> read_counters_locked();
  Result<void> cleanup_locked();
  Result<Session*> find_locked(const std::string& session_id);
  // o-ran-supervision: while a session runs, a supervision-watchdog-reset every half
  // interval, so the O-RU keeps its carriers (it deactivates them when supervision stops).
  void supervise();
  void start_supervision_locked();

  OruDescriptor descriptor_;
  std::mutex mutex_;
  std::unique_ptr<management::NetconfSession> netconf_;
  std::unique_ptr<Session> session_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread supervisor_;
};

// The rx-window counts of a <get> answer; an Error names each object that is active but
// reports no count.
Result<RxWindowReading> read_rx_window(const std::vector<management::XmlNode>& data);

}  // namespace plugfest::oru_netconf
