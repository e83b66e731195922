#pragma once
// The simulated O-DU: schedules C-plane and DL U-plane from a slot pattern (TDD pattern,
// PRB allocation, PRACH occasions) on the slot clock, inside the T1a windows; receives
// and decodes the UL, keeping it per antenna and slot for Observe, and counts UL arrival
// against Ta4.

#include <optional>
#include <string>

#include "vendors/sim/core/engine.h"
#include "vendors/sim/core/signal.h"

namespace plugfest::sim {

struct SlotPattern {
  std::string tdd = "DDDSU";  // per slot: D downlink, U uplink, S special (DL symbols 0..9)
  std::uint16_t start_prb = 0;
  std::uint16_t num_prbs = 0;     // 0: the whole carrier
  std::uint16_t prach_every = 2;  // PRACH request on every n-th U slot (0: never)
  std::uint32_t num_slots = 0;    // 0: until stopped
  SignalSpec dl_signal;           // seeded QPSK at -12 dBFS by default

  Result<void> check(std::uint16_t carrier_prbs) const;
};

// Section IDs the O-DU uses (sectionId per O-RAN CUS 7.5.3.1): constant per purpose.
inline constexpr std::uint16_t kDlSectionId = 1;
inline constexpr std::uint16_t kUlSectionId = 2;
inline constexpr std::uint16_t kPrachSectionId = 3;
inline constexpr std::uint8_t kPrachFilterIndex = 1;
inline constexpr std::uint8_t kPrachSymbols = 12;
inline constexpr std::uint8_t kSpecialSlotDlSymbols = 10;

class SimulatedOdu : public SimulatedEnd {
 public:
  SimulatedOdu(transport::FronthaulConfig config, FaultSet faults);

  void on_packet(std::span<const std::uint8_t> ecpri, transport::Timestamp rx_time,
                 std::vector<Transmission>& out) override;
  void on_time(transport::Timestamp now, std::vector<Transmission>& out) override;
  void reset() override;

  // Starts the pattern with the first slot whose C-plane can still leave in time after
  // `now`; returns that slot's index on the slot clock (slots since the epoch).
  Result<std::int64_t> start(const SlotPattern& pattern, transport::Timestamp now);
  void stop();
  bool active() const;

  // Everything one slot of the pattern sends (also used by start/on_time).
  void schedule_slot(std::int64_t slot, std::vector<Transmission>& out);
  // The UL decoded from an antenna in a slot (frame is an O-RAN frameId).
  std::vector<IqRecord> decoded(std::uint16_t antenna, std::uint8_t frame_id, std::uint8_t subframe,
                                std::uint8_t slot) const {
    return decoded_ul_.get(antenna, frame_id, subframe, slot);
  }

 private:
  void schedule_locked(std::int64_t slot, std::vector<Transmission>& out);
  void downlink(std::int64_t slot, std::uint8_t symbols, std::vector<Transmission>& out);
  void uplink(std::int64_t slot, bool prach, std::vector<Transmission>& out);
  fronthaul::Message message_for(const fronthaul::EaxcId& eaxc) const;
  transport::Timestamp slot_symbol_start(std::int64_t slot, int symbol) const;
  std::chrono::nanoseconds planning_lead() const;

  std::optional<SlotPattern> pattern_;
  std::int64_t first_slot_ = 0;
  std::int64_t next_slot_ = 0;
  std::uint64_t uplink_slots_ = 0;
  IqStore decoded_ul_;
};

}  // namespace plugfest::sim
