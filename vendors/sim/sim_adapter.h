#pragma once
// The adapter side of plugfest-sim: translates adapter-protocol calls (as domain types)
// into the simulated O-RU or O-DU of a session, which runs on its own socket: UDP, or raw
// Ethernet on the descriptor's simulator.fronthaul_interface when the harness asks for it.

#include <memory>
#include <mutex>

#include "interfaces/adapter/adapter_server.h"
#include "vendors/sim/core/odu.h"
#include "vendors/sim/core/oru.h"
#include "vendors/sim/core/runner.h"
#include "vendors/sim/sim_descriptor.h"

namespace plugfest::sim {

class SimAdapter : public adapter::AdapterHandler {
 public:
  explicit SimAdapter(SimDescriptor descriptor) : descriptor_(std::move(descriptor)) {}
  ~SimAdapter() override;

  // Starts the embedded NETCONF server when the descriptor asks for one.
  Result<void> start_mplane();

  Result<adapter::AdapterDescription> describe() override;
  Result<adapter::SessionSetup> prepare_session(const adapter::SessionRequest& request) override;
  Result<std::optional<adapter::SlotPoint>> stimulate(const std::string& session_id,
                                                      const adapter::Stimulus& stimulus) override;
  Result<adapter::Observation> observe(const std::string& session_id,
                                       const adapter::ObservationRequest& request) override;
  Result<adapter::FronthaulCounters> counters(const std::string& session_id) override;
  Result<void> reset(const std::string& session_id) override;

 private:
  // One prepared session: the engine of the role (or the null device's) and the runner
  // putting it on a socket.
  struct Session {
    std::string id;
    transport::FronthaulConfig radio;
    std::unique_ptr<SimulatedOru> oru;
    std::unique_ptr<SimulatedOdu> odu;
    std::unique_ptr<SilentEnd> silent;
    std::unique_ptr<FronthaulRunner> runner;
    FronthaulEngine& engine() {
      if (silent) return *silent;
      return oru ? static_cast<FronthaulEngine&>(*oru) : *odu;
    }
  };
  bool silent() const { return descriptor_.faults.has(Fault::kSilent); }
  Result<Session*> find(const std::string& session_id);

  SimDescriptor descriptor_;
  std::mutex mutex_;
  std::unique_ptr<Session> session_;  // one session at a time; a new one replaces it
  std::unique_ptr<MplaneServer> mplane_;
};

}  // namespace plugfest::sim
