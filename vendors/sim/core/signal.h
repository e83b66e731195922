#pragma once
// IQ the simulated devices put on the air or on the fronthaul: seeded QPSK, a tone, or
// zeros, at a power relative to full scale; and a store of IQ seen per antenna and slot.

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <tuple>
#include <vector>

#include "interfaces/fronthaul/compression.h"

namespace plugfest::sim {

enum class SignalKind : std::uint8_t { kZeros, kTone, kQpskRandom };

struct SignalSpec {
  SignalKind kind = SignalKind::kQpskRandom;
  std::uint16_t subcarrier = 0;  // tone: which subcarrier of the allocation
  std::uint64_t seed = 0;
  double power_dbfs = -12.0;  // per resource element, relative to a full-scale complex sample
};

// prbs * 12 samples of one symbol; the same (spec, symbol_key) always gives the same IQ.
std::vector<fronthaul::IqSample> generate_signal(const SignalSpec& spec, std::uint16_t prbs,
                                                 std::uint64_t symbol_key);

// Average power of samples in dB relative to full scale (-inf for silence).
double power_dbfs(const std::vector<fronthaul::IqSample>& samples);

// The IQ of one symbol of one antenna as decoded from (or sent on) the fronthaul.
struct IqRecord {
  std::uint8_t symbol = 0;
  std::uint16_t start_prb = 0;
  std::vector<fronthaul::IqSample> iq;
};

// IQ per (antenna, frameId, subframe, slot), keeping the most recent `capacity` slots.
// Thread-safe.
class IqStore {
 public:
  explicit IqStore(std::size_t capacity = 512) : capacity_(capacity) {}
  void add(std::uint16_t antenna, std::uint8_t frame_id, std::uint8_t subframe, std::uint8_t slot,
           IqRecord record);
  std::vector<IqRecord> get(std::uint16_t antenna, std::uint8_t frame_id, std::uint8_t subframe,
                            std::uint8_t slot) const;
  std::size_t slots() const;
  void clear();

 private:
  using Key = std::tuple<std::uint16_t, std::uint8_t, std::uint8_t, std::uint8_t>;
  mutable std::mutex mutex_;
  std::size_t capacity_;
  std::map<Key, std::vector<IqRecord>> records_;
  std::deque<Key> order_;
};

}  // namespace plugfest::sim
