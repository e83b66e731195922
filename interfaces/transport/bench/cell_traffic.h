#pragma once
// The traffic of the relay benches: one frame of a 100 MHz NR cell (30 kHz, 273 PRBs, TDD
// DDDSU, BFP 9, static udCompHdr) pre-encoded per antenna, played on the slot clock by one
// generator per direction (the O-RU's gated on the DL it has received), and the helpers
// both benches report with. The transport is the caller's: generate() hands each pacing
// period's messages to a sender.

#include <pthread.h>
#include <sched.h>
#include <time.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <functional>
#include <span>
#include <thread>
#include <vector>

#include "interfaces/fronthaul/codec.h"
#include "interfaces/fronthaul/compression.h"
#include "interfaces/transport/slot_clock.h"
#include "interfaces/transport/timestamp.h"

namespace plugfest::transport::bench {

namespace fh = fronthaul;

inline constexpr std::uint16_t kPrbs = 273;
inline constexpr char kTdd[] = "DDDSU";
inline constexpr int kSpecialDlSymbols = 10;
inline constexpr int kSlotsPerFrame = 20;  // 30 kHz

struct Template {
  bool from_du;      // sent by the O-DU (DL U-plane and all C-plane)
  int at;            // symbol of the frame it is sent at
  std::size_t flow;  // sequence ID counter
  std::vector<std::uint8_t> bytes;
};

inline fh::DecoderConfig decoder_config() {
  fh::DecoderConfig config;
  config.carrier_prbs = kPrbs;
  config.uplane_compression = {false, {fh::CompressionMethod::kBlockFloatingPoint, 9}};
  return config;
}

// One frame of the cell's traffic (frame 0, sequence IDs 0), in sending order.
inline std::vector<Template> one_frame(int antennas, std::size_t& flows) {
  const fh::CompressionParams bfp9{fh::CompressionMethod::kBlockFloatingPoint, 9};
  std::vector<fh::IqSample> iq(std::size_t{kPrbs} * 12);
  for (std::size_t i = 0; i < iq.size(); ++i) {
    iq[i] = {static_cast<std::int16_t>((i * 7919) % 2 ? 5000 : -5000),
             static_cast<std::int16_t>((i * 104729) % 3 ? 5000 : -5000)};
  }
  std::vector<std::uint8_t> compressed(fh::compressed_size(bfp9, kPrbs));
  (void)fh::compress(bfp9, iq, compressed);

  auto message = [](int antenna, auto body) {
    fh::Message m;
    m.eaxc = {0, 0, 0, static_cast<std::uint16_t>(antenna)};
    m.body = std::move(body);
    return fh::encode(m);
  };
  // Flows: C-plane DL, C-plane UL, U-plane DL, U-plane UL per antenna.
  flows = 4 * antennas;
  std::vector<Template> out;
  for (int slot = 0; slot < kSlotsPerFrame; ++slot) {
    const char kind = kTdd[slot % 5];
    const bool uplink = kind == 'U';
    const int symbols = kind == 'S' ? kSpecialDlSymbols : 14;
    const auto direction = uplink ? fh::DataDirection::kUplink : fh::DataDirection::kDownlink;
    const auto sf = static_cast<std::uint8_t>(slot / 2);
    const auto sl = static_cast<std::uint8_t>(slot % 2);
    for (int a = 0; a < antennas; ++a) {
      fh::CplaneMessage c;
      c.header = {direction, 1, 0, 0, sf, sl, 0};
      c.section_type = fh::SectionType::kMostDlUl;
      c.ud_comp_hdr = uplink ? bfp9 : fh::CompressionParams::from_ud_comp_hdr(0);
      fh::CplaneSection s;
      s.section_id = 1;
      s.num_prbc = 0;
      s.num_symbol = static_cast<std::uint8_t>(symbols);
      c.sections.push_back(s);
      // C-plane half a slot ahead, as T1a wants it (the first slot's at the frame start).
      out.push_back({true, std::max(0, slot * 14 - 7),
                     static_cast<std::size_t>((uplink ? 1 : 0) * antennas + a), message(a, c)});
    }
    for (int symbol = 0; symbol < symbols; ++symbol) {
      for (int a = 0; a < antennas; ++a) {
        fh::UplaneMessage u;
        u.header = {direction, 1, 0, 0, sf, sl, static_cast<std::uint8_t>(symbol)};
        fh::UplaneSection s;
        s.section_id = 1;
        s.num_prbu = 0;
        s.iq_data = compressed;
        u.sections.push_back(std::move(s));
        // UL U-plane leaves the O-RU a little after its symbol (Ta3).
        out.push_back({!uplink, slot * 14 + symbol + (uplink ? 2 : 0),
                       static_cast<std::size_t>((uplink ? 3 : 2) * antennas + a), message(a, u)});
      }
    }
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Template& x, const Template& y) { return x.at < y.at; });
  return out;
}

inline void sleep_until(Timestamp t) {
  const auto since = t.time_since_epoch();
  timespec ts{static_cast<time_t>(since.count() / 1'000'000'000),
              static_cast<long>(since.count() % 1'000'000'000)};
  ::clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &ts, nullptr);
}

struct Generated {
  std::uint64_t packets = 0;
  std::uint64_t bytes = 0;
  std::chrono::nanoseconds late{0};  // how far behind the slot clock it ended
};

// The O-RU answers only what reached it: its generator holds each UL U-plane until the O-RU's
// receiver has seen every DL packet sent up to the C-plane requesting it (kUlLead symbols
// earlier), so UL never overtakes its C-plane at the relay even when the DL path lags.
struct UplinkGate {
  const std::atomic<std::uint64_t>* received_downlink = nullptr;
  std::vector<std::uint64_t> downlink_through;  // DL packets sent at symbols <= index of a frame
  std::int64_t first = 0;                       // the first symbol played
  std::uint64_t frames = 0;                     // frames played
  // DL packets given up on (lost): later waits do not wait for them again.
  mutable std::uint64_t forgiven = 0;

  std::uint64_t needed(std::int64_t symbol) const {
    if (symbol < first) return 0;
    const auto frame_symbols = static_cast<std::int64_t>(downlink_through.size());
    const auto whole = static_cast<std::uint64_t>((symbol - first) / frame_symbols);
    if (whole >= frames) return frames * downlink_through.back();
    return whole * downlink_through.back() +
           downlink_through[static_cast<std::size_t>((symbol - first) % frame_symbols)];
  }
  void wait_for(std::int64_t symbol) const {
    const std::uint64_t all = needed(symbol);
    const std::uint64_t need = all > forgiven ? all - forgiven : 0;
    // Lost DL packets must not hang it: give up once DL stopped arriving for a while.
    std::uint64_t seen = received_downlink->load(std::memory_order_acquire);
    auto give_up = std::chrono::steady_clock::now() + std::chrono::milliseconds(200);
    while (seen < need && std::chrono::steady_clock::now() < give_up) {
      std::this_thread::sleep_for(std::chrono::microseconds(50));
      const std::uint64_t now_seen = received_downlink->load(std::memory_order_acquire);
      if (now_seen != seen)
        give_up = std::chrono::steady_clock::now() + std::chrono::milliseconds(200);
      seen = now_seen;
    }
    if (seen < need) forgiven += need - seen;
  }
};
// UL U-plane leaves `at` symbols into the frame; its C-plane was sent kUlLead symbols before.
inline constexpr int kUlLead = 9;

// Sends one direction's packets of every frame from `first` (a symbol index) until `until`;
// the O-RU's side passes its gate.
using BatchSender = std::function<void(std::span<const std::span<const std::uint8_t>>)>;

inline Generated generate(std::vector<Template> frame, std::size_t flows, const SlotClock& clock,
                          std::int64_t first, Timestamp until, const BatchSender& send,
                          const UplinkGate* gate, int pace) {
  Generated out;
  const std::int64_t frame_symbols = symbols_per_frame(Numerology::kMu1);
  std::vector<std::uint8_t> seq(flows, 0);
  std::vector<std::span<const std::uint8_t>> batch;
  for (std::int64_t f = first / frame_symbols;; ++f) {
    if (clock.symbol_start(f * frame_symbols) >= until) break;
    for (std::size_t i = 0; i < frame.size();) {
      std::size_t j = i;
      batch.clear();
      // Everything due in one pacing period leaves together, never before its symbol.
      const auto due = [pace](int at) { return (at + pace - 1) / pace * pace; };
      while (j < frame.size() && due(frame[j].at) == due(frame[i].at)) {
        std::vector<std::uint8_t>& packet = frame[j].bytes;
        packet[6] = seq[frame[j].flow]++;                 // ecpriSeqid
        packet[9] = static_cast<std::uint8_t>(f & 0xff);  // frameId
        batch.emplace_back(packet);
        out.bytes += packet.size();
        ++j;
      }
      const std::int64_t symbol = f * frame_symbols + due(frame[i].at);
      sleep_until(clock.symbol_start(symbol));
      if (gate != nullptr) gate->wait_for(symbol - kUlLead);
      send(batch);
      out.packets += batch.size();
      i = j;
    }
  }
  out.late = std::max(std::chrono::nanoseconds(0), now() - until);
  return out;
}

// PLUGFEST_BENCH_REALTIME=1 runs the real-time path (generators, relay, receivers) under
// SCHED_FIFO, as a fronthaul deployment would; =2 the evidence threads (validation, pcap)
// too, one priority lower. Otherwise everything runs at normal priority.
inline int real_time_level() {
  const char* wanted = std::getenv("PLUGFEST_BENCH_REALTIME");
  return wanted == nullptr ? 0 : std::atoi(wanted);
}
inline void maybe_real_time(bool evidence = false) {
  const int level = real_time_level();
  if (level < (evidence ? 2 : 1)) return;
  sched_param param{};
  param.sched_priority = evidence ? 9 : 10;
  (void)::pthread_setschedparam(::pthread_self(), SCHED_FIFO, &param);
}

inline double share(std::chrono::nanoseconds cpu, double wall_seconds) {
  return std::chrono::duration<double>(cpu).count() / wall_seconds;
}

}  // namespace plugfest::transport::bench
