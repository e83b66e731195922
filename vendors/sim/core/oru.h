#pragma once
// The simulated O-RU: receives C-plane and DL U-plane, "radiates" the DL IQ (kept per
// antenna and slot for Observe), answers section type 1 and 3 UL requests with U-plane
// carrying the UL air signal, compressed as configured, and counts DL reception against
// the T2a windows of the slot clock. One default carrier per direction is active until the
// M-plane says otherwise (set_carriers_active).

#include <set>

#include "vendors/sim/core/engine.h"
#include "vendors/sim/core/signal.h"

namespace plugfest::sim {

class SimulatedOru : public SimulatedEnd {
 public:
  SimulatedOru(transport::FronthaulConfig config, FaultSet faults);

  void on_packet(std::span<const std::uint8_t> ecpri, transport::Timestamp rx_time,
                 std::vector<Transmission>& out) override;
  void on_time(transport::Timestamp, std::vector<Transmission>&) override {}
  void reset() override;

  // The UL signal an antenna receives from the air (Stimulate). Default: seeded QPSK.
  void set_ul_signal(std::uint16_t antenna, const SignalSpec& signal);
  SignalSpec ul_signal(std::uint16_t antenna) const;
  // Carrier activation from the M-plane (o-ran-uplane-conf tx/rx-array-carriers, or all
  // deactivated on supervision failure). On an inactive TX carrier the O-RU radiates no DL,
  // on an inactive RX carrier it answers no UL or PRACH request; what it receives for an
  // inactive carrier counts as dropped.
  void set_carriers_active(bool tx, bool rx);
  // The DL IQ radiated on an antenna in a slot (frame is an O-RAN frameId).
  std::vector<IqRecord> radiated(std::uint16_t antenna, std::uint8_t frame_id,
                                 std::uint8_t subframe, std::uint8_t slot) const {
    return radiated_.get(antenna, frame_id, subframe, slot);
  }

 private:
  void on_cplane(const fronthaul::Message& message, const fronthaul::CplaneMessage& cplane,
                 transport::Timestamp rx_time, std::vector<Transmission>& out);
  void on_uplane(const fronthaul::Message& message, const fronthaul::UplaneMessage& uplane,
                 transport::Timestamp rx_time);
  void count_dl_reception(transport::WindowPosition position);
  void answer(const fronthaul::Message& request, const fronthaul::CplaneMessage& cplane,
              std::int64_t first_symbol, std::vector<Transmission>& out);

  std::vector<SignalSpec> ul_signals_;
  IqStore radiated_;
  std::set<std::uint64_t> rejected_;  // (RU port, frame, subframe, slot) of refused C-plane
  bool tx_active_ = true;
  bool rx_active_ = true;
};

}  // namespace plugfest::sim
