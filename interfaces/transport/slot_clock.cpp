#include "interfaces/transport/slot_clock.h"

#include <array>
#include <cmath>
#include <cstdlib>

namespace plugfest::transport {
namespace {

using std::chrono::nanoseconds;

// Basic time unit Tc = 1 / (480 kHz * 4096); a half subframe is 983040 Tc = 500 us.
constexpr std::int64_t kHalfSubframeTc = 983040;
constexpr std::int64_t kHalfSubframeNs = 500000;
constexpr std::int64_t kLongCpExtraTc = 16 * 64;  // 16 kappa, first symbol of each half subframe

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

std::int64_t symbols_per_half_subframe(Numerology n) { return 7LL << mu_of(n); }
// A symbol with the normal cyclic prefix: (2048 + 144) kappa * 2^-mu Tc.
std::int64_t normal_symbol_tc(Numerology n) { return (2192LL * 64) >> mu_of(n); }

// Undilated nanoseconds from the epoch to the start of symbol n.
std::int64_t undilated_start_ns(Numerology num, std::int64_t n) {
  const std::int64_t per_half = symbols_per_half_subframe(num);
  const std::int64_t half = floor_div(n, per_half);
  const std::int64_t l = n - half * per_half;
  const std::int64_t offset_tc = l * normal_symbol_tc(num) + (l > 0 ? kLongCpExtraTc : 0);
  // ns = Tc * 10^9 / 1966080000 = Tc * 3125 / 6144, rounded to nearest.
  return half * kHalfSubframeNs + (offset_tc * 3125 + 3072) / 6144;
}

}  // namespace

Result<Numerology> numerology_from_mu(int mu) {
  if (mu < 0 || mu > 3) {
    return Error{"numerology mu " + std::to_string(mu) + " is not supported (expected 0..3)",
                 "numerology"};
  }
  return static_cast<Numerology>(mu);
}

Result<Numerology> numerology_from_scs_khz(int khz) {
  for (int mu = 0; mu <= 3; ++mu) {
    if (khz == (15 << mu)) return static_cast<Numerology>(mu);
  }
  return Error{"subcarrier spacing " + std::to_string(khz) +
                   " kHz is not supported (expected 15, 30, 60 or 120)",
               "subcarrier_spacing"};
}

std::string SlotPoint::to_string() const {
  return "frame " + std::to_string(frame) + " subframe " + std::to_string(subframe) + " slot " +
         std::to_string(slot) + " symbol " + std::to_string(symbol);
}

SlotClock::SlotClock(Numerology numerology, Timestamp epoch, double dilation)
    : numerology_(numerology), epoch_(epoch), dilation_(dilation > 0 ? dilation : 1.0) {}

SlotPoint SlotClock::point_of(std::int64_t symbol) const {
  const std::int64_t per_frame = symbols_per_frame(numerology_);
  const std::int64_t cycle = per_frame * kFramesPerSfnCycle;
  const std::int64_t m = symbol - floor_div(symbol, cycle) * cycle;
  const std::int64_t in_frame = m % per_frame;
  const std::int64_t slot_in_frame = in_frame / kSymbolsPerSlot;
  const int sps = slots_per_subframe(numerology_);
  return SlotPoint{static_cast<std::uint16_t>(m / per_frame),
                   static_cast<std::uint8_t>(slot_in_frame / sps),
                   static_cast<std::uint8_t>(slot_in_frame % sps),
                   static_cast<std::uint8_t>(in_frame % kSymbolsPerSlot)};
}

std::int64_t SlotClock::symbol_of(const SlotPoint& p, std::int64_t cycle) const {
  const std::int64_t per_frame = symbols_per_frame(numerology_);
  return cycle * per_frame * kFramesPerSfnCycle + p.frame * per_frame +
         (std::int64_t{p.subframe} * slots_per_subframe(numerology_) + p.slot) * kSymbolsPerSlot +
         p.symbol;
}

Timestamp SlotClock::symbol_start(std::int64_t symbol) const {
  const long double ns = static_cast<long double>(undilated_start_ns(numerology_, symbol));
  return epoch_ + nanoseconds(std::llround(ns * dilation_));
}

nanoseconds SlotClock::symbol_duration(std::int64_t symbol) const {
  return symbol_start(symbol + 1) - symbol_start(symbol);
}

std::int64_t SlotClock::symbol_at(Timestamp t) const {
  const long double since = static_cast<long double>((t - epoch_).count()) / dilation_;
  const auto u = static_cast<std::int64_t>(std::floor(since));
  const std::int64_t half = floor_div(u, kHalfSubframeNs);
  const std::int64_t tc = (u - half * kHalfSubframeNs) * 6144 / 3125;
  const std::int64_t normal = normal_symbol_tc(numerology_);
  const std::int64_t per_half = symbols_per_half_subframe(numerology_);
  std::int64_t l = tc < normal + kLongCpExtraTc ? 0 : 1 + (tc - normal - kLongCpExtraTc) / normal;
  if (l >= per_half) l = per_half - 1;
  std::int64_t n = half * per_half + l;
  // Rounding of the dilated boundaries may put t one symbol off: settle on the exact one.
  while (symbol_start(n + 1) <= t) ++n;
  while (symbol_start(n) > t) --n;
  return n;
}

std::int64_t SlotClock::nearest_symbol(const SlotPoint& point, Timestamp near,
                                       int frame_modulus) const {
  const std::int64_t per_frame = symbols_per_frame(numerology_);
  const std::int64_t modulus = frame_modulus > 0 ? frame_modulus : kFramesPerSfnCycle;
  const std::int64_t period = modulus * per_frame;
  SlotPoint reduced = point;
  reduced.frame = static_cast<std::uint16_t>(point.frame % modulus);
  const std::int64_t base = symbol_of(reduced);
  const std::int64_t here = symbol_at(near);
  const std::int64_t k = floor_div(here - base + period / 2, period);
  return base + k * period;
}

nanoseconds SlotClock::dilate(nanoseconds d) const {
  return nanoseconds(std::llround(static_cast<long double>(d.count()) * dilation_));
}

std::string_view to_string(WindowPosition position) {
  switch (position) {
    case WindowPosition::kEarly:
      return "early";
    case WindowPosition::kOnTime:
      return "on-time";
    case WindowPosition::kLate:
      return "late";
  }
  return "unknown";
}

Result<void> TimingWindow::check(std::string_view name) const {
  if (min > max) {
    return Error{"window minimum " + std::to_string(min.count()) + " ns exceeds its maximum " +
                     std::to_string(max.count()) + " ns",
                 std::string(name)};
  }
  return {};
}

TimingWindow TimingWindow::dilated(double factor) const {
  auto scale = [factor](nanoseconds d) {
    return nanoseconds(std::llround(static_cast<long double>(d.count()) * factor));
  };
  return {scale(min), scale(max), anchor};
}

Timestamp TimingWindow::opens(Timestamp s) const {
  return anchor == WindowAnchor::kBeforeSymbol ? s - max : s + min;
}

Timestamp TimingWindow::closes(Timestamp s) const {
  return anchor == WindowAnchor::kBeforeSymbol ? s - min : s + max;
}

nanoseconds TimingWindow::offset(Timestamp event, Timestamp s) const {
  return anchor == WindowAnchor::kBeforeSymbol ? s - event : event - s;
}

WindowPosition TimingWindow::classify(Timestamp event, Timestamp s) const {
  if (event < opens(s)) return WindowPosition::kEarly;
  if (event > closes(s)) return WindowPosition::kLate;
  return WindowPosition::kOnTime;
}

Timestamp TimingWindow::target(Timestamp s) const { return opens(s) + (closes(s) - opens(s)) / 2; }

TimingWindows TimingWindows::typical() {
  using std::chrono::microseconds;
  auto before = [](int lo, int hi) {
    return TimingWindow::before_symbol(microseconds(lo), microseconds(hi));
  };
  auto after = [](int lo, int hi) {
    return TimingWindow::after_symbol(microseconds(lo), microseconds(hi));
  };
  // O-RU receive windows, then the O-DU's derived from them with a 0..10 us link delay.
  TimingWindows w;
  w.t2a_cp_dl = before(285, 428);
  w.t2a_cp_ul = before(285, 428);
  w.t2a_up = before(71, 428);
  w.t1a_cp_dl = before(295, 428);
  w.t1a_cp_ul = before(295, 428);
  w.t1a_up = before(81, 428);
  w.ta3 = after(20, 100);
  w.ta4 = after(20, 110);
  return w;
}

Result<void> TimingWindows::check() const {
  const std::pair<const TimingWindow*, const char*> all[] = {{&t1a_cp_dl, "t1a_cp_dl"},
                                                             {&t1a_cp_ul, "t1a_cp_ul"},
                                                             {&t1a_up, "t1a_up"},
                                                             {&t2a_cp_dl, "t2a_cp_dl"},
                                                             {&t2a_cp_ul, "t2a_cp_ul"},
                                                             {&t2a_up, "t2a_up"},
                                                             {&ta3, "ta3"},
                                                             {&ta4, "ta4"}};
  for (const auto& [window, name] : all) {
    if (auto ok = window->check(name); !ok) return ok;
  }
  return {};
}

TimingWindows TimingWindows::dilated(double f) const {
  return {t1a_cp_dl.dilated(f), t1a_cp_ul.dilated(f), t1a_up.dilated(f), t2a_cp_dl.dilated(f),
          t2a_cp_ul.dilated(f), t2a_up.dilated(f),    ta3.dilated(f),    ta4.dilated(f)};
}

namespace {

// NR channel bandwidths and their PRB counts (3GPP TS 38.101-1 / 38.101-2 table 5.3.2-1).
struct NrCarrier {
  int scs_khz;
  int mhz;
  std::uint16_t prbs;
};
constexpr std::array kNrCarriers = {
    NrCarrier{15, 5, 25},    NrCarrier{15, 10, 52},   NrCarrier{15, 15, 79},
    NrCarrier{15, 20, 106},  NrCarrier{15, 25, 133},  NrCarrier{15, 30, 160},
    NrCarrier{15, 40, 216},  NrCarrier{15, 50, 270},  NrCarrier{30, 5, 11},
    NrCarrier{30, 10, 24},   NrCarrier{30, 15, 38},   NrCarrier{30, 20, 51},
    NrCarrier{30, 25, 65},   NrCarrier{30, 30, 78},   NrCarrier{30, 40, 106},
    NrCarrier{30, 50, 133},  NrCarrier{30, 60, 162},  NrCarrier{30, 70, 189},
    NrCarrier{30, 80, 217},  NrCarrier{30, 90, 245},  NrCarrier{30, 100, 273},
    NrCarrier{60, 10, 11},   NrCarrier{60, 15, 18},   NrCarrier{60, 20, 24},
    NrCarrier{60, 25, 31},   NrCarrier{60, 30, 38},   NrCarrier{60, 40, 51},
    NrCarrier{60, 50, 65},   NrCarrier{60, 60, 79},   NrCarrier{60, 70, 93},
    NrCarrier{60, 80, 107},  NrCarrier{60, 90, 121},  NrCarrier{60, 100, 135},
    NrCarrier{120, 50, 32},  NrCarrier{120, 100, 66}, NrCarrier{120, 200, 132},
    NrCarrier{120, 400, 264}};

}  // namespace

std::optional<std::uint16_t> nr_carrier_prbs(int bandwidth_mhz, Numerology n) {
  for (const NrCarrier& e : kNrCarriers) {
    if (e.scs_khz == subcarrier_spacing_khz(n) && e.mhz == bandwidth_mhz) {
      return e.prbs;
    }
  }
  return std::nullopt;
}

bool is_nr_carrier_prbs(std::uint16_t prbs, std::optional<Numerology> n) {
  for (const NrCarrier& e : kNrCarriers) {
    if (e.prbs == prbs && (!n || e.scs_khz == subcarrier_spacing_khz(*n))) return true;
  }
  return false;
}

}  // namespace plugfest::transport
