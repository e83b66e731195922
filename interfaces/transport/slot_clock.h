#pragma once
// The slot clock: NR numerologies 0-3, (frame, subframe, slot, symbol) <-> time from an
// epoch with exact symbol boundaries, and a dilation factor that stretches every duration
// so a loaded machine runs the same timing logic slower (3GPP TS 38.211 clause 4 and 5.3.1).

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "interfaces/common/result.h"
#include "interfaces/transport/timestamp.h"

namespace plugfest::transport {

// mu: subcarrier spacing 15 * 2^mu kHz and 2^mu slots per subframe.
enum class Numerology : std::uint8_t { kMu0 = 0, kMu1 = 1, kMu2 = 2, kMu3 = 3 };

Result<Numerology> numerology_from_mu(int mu);
Result<Numerology> numerology_from_scs_khz(int subcarrier_spacing_khz);

inline constexpr int kSymbolsPerSlot = 14;
inline constexpr int kSubframesPerFrame = 10;
inline constexpr int kFramesPerSfnCycle = 1024;  // SFN range; O-RAN frameId carries SFN mod 256

constexpr int mu_of(Numerology n) { return static_cast<int>(n); }
constexpr int subcarrier_spacing_khz(Numerology n) { return 15 << mu_of(n); }

// The PRB count of an NR channel of `bandwidth_mhz` at `numerology` (3GPP TS 38.101-1 and
// TS 38.101-2 table 5.3.2-1), nullopt when not a standard combination.
std::optional<std::uint16_t> nr_carrier_prbs(int bandwidth_mhz, Numerology numerology);
// True when `prbs` is the PRB count of an NR channel bandwidth (at `numerology`, or at any
// when not given).
bool is_nr_carrier_prbs(std::uint16_t prbs, std::optional<Numerology> numerology);
constexpr int slots_per_subframe(Numerology n) { return 1 << mu_of(n); }
constexpr int slots_per_frame(Numerology n) { return kSubframesPerFrame * slots_per_subframe(n); }
constexpr int symbols_per_frame(Numerology n) { return slots_per_frame(n) * kSymbolsPerSlot; }

// One symbol on the radio timeline. frame is the SFN (0..1023).
struct SlotPoint {
  std::uint16_t frame = 0;
  std::uint8_t subframe = 0;
  std::uint8_t slot = 0;  // within the subframe
  std::uint8_t symbol = 0;

  friend bool operator==(const SlotPoint&, const SlotPoint&) = default;
  std::uint8_t frame_id() const { return static_cast<std::uint8_t>(frame & 0xff); }
  std::string to_string() const;
};

// Maps symbols to time. Symbol n counts from the epoch (n = 0 is frame 0, subframe 0,
// slot 0, symbol 0 of an SFN cycle) and may be negative. Durations are the exact NR ones
// (the first symbol of each half subframe carries the longer cyclic prefix) multiplied by
// the dilation factor.
class SlotClock {
 public:
  SlotClock(Numerology numerology, Timestamp epoch, double dilation = 1.0);

  Numerology numerology() const { return numerology_; }
  Timestamp epoch() const { return epoch_; }
  double dilation() const { return dilation_; }

  SlotPoint point_of(std::int64_t symbol) const;
  // The symbol index of a point in SFN cycle `cycle` (cycle 0 starts at the epoch).
  std::int64_t symbol_of(const SlotPoint& point, std::int64_t cycle = 0) const;

  Timestamp symbol_start(std::int64_t symbol) const;
  std::chrono::nanoseconds symbol_duration(std::int64_t symbol) const;
  // The symbol whose interval contains t.
  std::int64_t symbol_at(Timestamp t) const;
  SlotPoint point_at(Timestamp t) const { return point_of(symbol_at(t)); }

  // Start of the occurrence of `point` nearest to `near`, treating point.frame modulo
  // frame_modulus (1024 for SFN, 256 for an O-RAN frameId).
  std::int64_t nearest_symbol(const SlotPoint& point, Timestamp near,
                              int frame_modulus = kFramesPerSfnCycle) const;
  Timestamp nearest_time(const SlotPoint& point, Timestamp near,
                         int frame_modulus = kFramesPerSfnCycle) const {
    return symbol_start(nearest_symbol(point, near, frame_modulus));
  }

  // Stretches a real-time duration by the dilation factor.
  std::chrono::nanoseconds dilate(std::chrono::nanoseconds d) const;

 private:
  Numerology numerology_;
  Timestamp epoch_;
  double dilation_;
};

// Whether a window is measured before the symbol's air time (O-DU transmit T1a and O-RU
// receive T2a: the packet must be that much ahead) or after it (O-RU transmit Ta3 and O-DU
// receive Ta4: UL leaves / arrives that much after).
enum class WindowAnchor : std::uint8_t { kBeforeSymbol, kAfterSymbol };
enum class WindowPosition : std::uint8_t { kEarly, kOnTime, kLate };

std::string_view to_string(WindowPosition position);

// One timing window, [min, max] around a symbol's start as its anchor says.
struct TimingWindow {
  std::chrono::nanoseconds min{0};
  std::chrono::nanoseconds max{0};
  WindowAnchor anchor = WindowAnchor::kBeforeSymbol;

  static TimingWindow before_symbol(std::chrono::nanoseconds min, std::chrono::nanoseconds max) {
    return {min, max, WindowAnchor::kBeforeSymbol};
  }
  static TimingWindow after_symbol(std::chrono::nanoseconds min, std::chrono::nanoseconds max) {
    return {min, max, WindowAnchor::kAfterSymbol};
  }
  friend bool operator==(const TimingWindow&, const TimingWindow&) = default;

  Result<void> check(std::string_view name) const;
  TimingWindow dilated(double factor) const;
  Timestamp opens(Timestamp symbol_start) const;
  Timestamp closes(Timestamp symbol_start) const;
  // Signed distance of an event from the symbol start in the window's own sense: the
  // advance for kBeforeSymbol (symbol_start - event), the delay for kAfterSymbol.
  std::chrono::nanoseconds offset(Timestamp event, Timestamp symbol_start) const;
  WindowPosition classify(Timestamp event, Timestamp symbol_start) const;
  // The middle of the window: where a well-behaved sender aims.
  Timestamp target(Timestamp symbol_start) const;
};

// The O-RAN CUS-plane delay management windows (O-RAN.WG4.CUS clause 4.4 "delay
// management"): O-DU transmit (T1a), O-RU receive (T2a), O-RU transmit (Ta3), O-DU receive
// (Ta4), per plane where they differ.
struct TimingWindows {
  TimingWindow t1a_cp_dl;
  TimingWindow t1a_cp_ul;
  TimingWindow t1a_up;
  TimingWindow t2a_cp_dl;
  TimingWindow t2a_cp_ul;
  TimingWindow t2a_up;
  TimingWindow ta3;
  TimingWindow ta4;

  friend bool operator==(const TimingWindows&, const TimingWindows&) = default;

  // Plausible values for a short, direct fronthaul link; profiles give the real ones.
  static TimingWindows typical();
  Result<void> check() const;
  TimingWindows dilated(double factor) const;
};

}  // namespace plugfest::transport
