#pragma once
// The simulated devices' fronthaul behaviour as plain objects: packets in, timed packets
// out. No sockets here, so the behaviour (and every fault) is testable in-process; the
// runner (runner.h) puts an engine on a real socket.

#include <cstdint>
#include <map>
#include <mutex>
#include <span>
#include <vector>

#include "interfaces/fronthaul/codec.h"
#include "interfaces/fronthaul/message.h"
#include "interfaces/transport/fronthaul_config.h"
#include "interfaces/transport/slot_clock.h"
#include "vendors/sim/core/fault.h"

namespace plugfest::sim {

// One eCPRI message to send at a given time (as soon as possible when that is past).
struct Transmission {
  transport::Timestamp at;
  std::vector<std::uint8_t> ecpri;
};

// Reception-window and health counters, as the adapter protocol's Counters reports them.
struct ReceptionCounters {
  std::uint64_t on_time = 0;
  std::uint64_t early = 0;
  std::uint64_t late = 0;
  std::uint64_t dropped = 0;
  std::uint64_t malformed = 0;
  std::uint64_t transmitted = 0;
};

// Adds one reception to the counter its window position names.
void count_reception(ReceptionCounters& counters, transport::WindowPosition position);

// When a sender aims into a window its peer checks: a tenth into it, leaving the rest of
// the window for a late wake-up on a loaded machine (timers fire late, never early).
transport::Timestamp send_time(const transport::TimingWindow& window,
                               transport::Timestamp symbol_start);

class FronthaulEngine {
 public:
  virtual ~FronthaulEngine() = default;
  // A packet from the peer received at rx_time; replies are appended to out.
  virtual void on_packet(std::span<const std::uint8_t> ecpri, transport::Timestamp rx_time,
                         std::vector<Transmission>& out) = 0;
  // Time passes: appends what is due to be sent up to a little after `now`.
  virtual void on_time(transport::Timestamp now, std::vector<Transmission>& out) = 0;
  virtual ReceptionCounters counters() const = 0;
  // Back to the state after construction (counters, stores, activity).
  virtual void reset() = 0;
};

// The null device's fronthaul (fault `silent`): takes in every packet and ignores it,
// sends nothing, and its counters stay zero.
class SilentEnd : public FronthaulEngine {
 public:
  void on_packet(std::span<const std::uint8_t>, transport::Timestamp,
                 std::vector<Transmission>&) override {}
  void on_time(transport::Timestamp, std::vector<Transmission>&) override {}
  ReceptionCounters counters() const override { return {}; }
  void reset() override {}
};

// Encodes messages with per-flow sequence IDs and applies the faults that live in the
// eCPRI transport header (seqid-gap, ecpri-payload-size-wrong) and truncation.
class MessageEmitter {
 public:
  explicit MessageEmitter(FaultSet faults) : faults_(std::move(faults)) {}
  // truncate: cut the message in the middle of its last section's IQ (truncated-uplane);
  // the payload size then matches the shorter message.
  std::vector<std::uint8_t> emit(fronthaul::Message message, bool truncate = false);
  void reset() { next_.clear(); }

 private:
  FaultSet faults_;
  std::map<std::uint32_t, std::uint32_t> next_;  // per (message type, direction, eAxC)
};

// What the simulated O-DU and O-RU have alike: the session's configuration, clock and
// dilated windows, the faults, the emitter, a decoder set up for the direction the end
// receives, and the reception counters, all behind one lock.
class SimulatedEnd : public FronthaulEngine {
 public:
  ReceptionCounters counters() const override;
  const transport::FronthaulConfig& config() const { return config_; }

 protected:
  SimulatedEnd(transport::FronthaulConfig config, FaultSet faults,
               fronthaul::DataDirection receives);
  // Zeroes the counters and restarts the sequence IDs; the caller holds mutex_.
  void reset_reception_locked();

  const transport::FronthaulConfig config_;
  const FaultSet faults_;
  const transport::SlotClock clock_;
  const transport::TimingWindows windows_;
  fronthaul::DecoderConfig decoder_config_;

  mutable std::mutex mutex_;
  MessageEmitter emitter_;
  fronthaul::DecodeResult decoded_;
  ReceptionCounters counters_;
};

}  // namespace plugfest::sim
