// A 100 MHz NR cell (30 kHz, 273 PRBs, TDD DDDSU, BFP 9, static udCompHdr, 4T4R unless
// fewer antennas are asked for) pushed in real time through the UDP relay on loopback, with
// and without its taps (stream validation and pcap, each on a TapWorker thread of its own).
// Reports per direction packets sent / forwarded / lost (before the relay: its socket
// overflowed; after: the receiver's), evidence dropped by the TapWorker rings, and CPU
// (thread CPU time / wall time, and per packet) of the relay's forwarding thread, of the
// validation alone, of each evidence thread and of the generators.
//
// Two generator threads, one per direction (the O-DU sends C-plane and DL U-plane, the O-RU
// UL U-plane, and only for C-plane that reached it), send pre-encoded packets (patching
// frameId and sequence IDs) with one sendmmsg per pacing period (one symbol, or `pace`
// symbols), on the slot clock. One thread runs the relay, one drains both receivers; they
// read only each datagram's first bytes (the kernel discards the rest), as the bench
// measures the relay, not the end points. The capture goes to $TMPDIR (or /tmp).
// PLUGFEST_BENCH_REALTIME=1 or 2 runs threads under SCHED_FIFO (see maybe_real_time).

#include <benchmark/benchmark.h>
#include <pthread.h>
#include <sched.h>
#include <sys/prctl.h>
#include <time.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <thread>

#include "interfaces/fronthaul/codec.h"
#include "interfaces/fronthaul/compression.h"
#include "interfaces/transport/cpu_time.h"
#include "interfaces/transport/pcap_tap.h"
#include "interfaces/transport/relay.h"
#include "interfaces/transport/slot_clock.h"
#include "interfaces/transport/tap_worker.h"
#include "interfaces/transport/validator_tap.h"

namespace plugfest::transport {
namespace {

using asio::ip::udp;
namespace fh = fronthaul;

constexpr std::uint16_t kPrbs = 273;
constexpr char kTdd[] = "DDDSU";
constexpr int kSpecialDlSymbols = 10;
constexpr int kSlotsPerFrame = 20;  // 30 kHz

struct Template {
  bool from_du;      // sent by the O-DU (DL U-plane and all C-plane)
  int at;            // symbol of the frame it is sent at
  std::size_t flow;  // sequence ID counter
  std::vector<std::uint8_t> bytes;
};

fh::DecoderConfig decoder_config() {
  fh::DecoderConfig config;
  config.carrier_prbs = kPrbs;
  config.uplane_compression = {false, {fh::CompressionMethod::kBlockFloatingPoint, 9}};
  return config;
}

// One frame of the cell's traffic (frame 0, sequence IDs 0), in sending order.
std::vector<Template> one_frame(int antennas, std::size_t& flows) {
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

void sleep_until(Timestamp t) {
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

  std::uint64_t needed(std::int64_t symbol) const {
    if (symbol < first) return 0;
    const auto frame_symbols = static_cast<std::int64_t>(downlink_through.size());
    const auto whole = static_cast<std::uint64_t>((symbol - first) / frame_symbols);
    if (whole >= frames) return frames * downlink_through.back();
    return whole * downlink_through.back() +
           downlink_through[static_cast<std::size_t>((symbol - first) % frame_symbols)];
  }
  void wait_for(std::int64_t symbol) const {
    const std::uint64_t need = needed(symbol);
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
  }
};
// UL U-plane leaves `at` symbols into the frame; its C-plane was sent kUlLead symbols before.
constexpr int kUlLead = 9;

// Sends one direction's packets of every frame from `first` (a symbol index) until `until`;
// the O-RU's side passes its gate.
Generated generate(std::vector<Template> frame, std::size_t flows, const SlotClock& clock,
                   std::int64_t first, Timestamp until, EcpriUdpSocket& socket,
                   const udp::endpoint& to, const UplinkGate* gate, int pace) {
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
      (void)socket.send_batch(batch, to);
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
int real_time_level() {
  const char* wanted = std::getenv("PLUGFEST_BENCH_REALTIME");
  return wanted == nullptr ? 0 : std::atoi(wanted);
}
void maybe_real_time(bool evidence = false) {
  const int level = real_time_level();
  if (level < (evidence ? 2 : 1)) return;
  sched_param param{};
  param.sched_priority = evidence ? 9 : 10;
  (void)::pthread_setschedparam(::pthread_self(), SCHED_FIFO, &param);
}

double share(std::chrono::nanoseconds cpu, double wall_seconds) {
  return std::chrono::duration<double>(cpu).count() / wall_seconds;
}

void BM_RelayCell100MHz(benchmark::State& state) {
  const bool taps = state.range(0) != 0;
  const int antennas = static_cast<int>(state.range(1));
  const auto duration = std::chrono::milliseconds(state.range(2));
  const bool offload = state.range(3) != 0;
  const auto poll_interval = std::chrono::microseconds(state.range(4));
  const int pace = static_cast<int>(std::max<std::int64_t>(1, state.range(5)));
  ::prctl(PR_SET_TIMERSLACK, 1UL);
  std::size_t flows = 0;
  std::vector<Template> frame = one_frame(antennas, flows);
  std::array<std::vector<Template>, 2> by_side;  // [0] from the O-DU, [1] from the O-RU
  for (Template& t : frame) by_side[t.from_du ? 0 : 1].push_back(std::move(t));
  const SlotClock clock(Numerology::kMu1, Timestamp{});
  const udp::endpoint loopback(asio::ip::make_address("127.0.0.1"), 0);
  UdpOptions big;
  big.receive_buffer_bytes = 64 << 20;
  big.send_buffer_bytes = 16 << 20;
  big.batch_size = 64;
  big.max_datagram_bytes = 9216;
  big.segmentation_offload = offload;
  UdpOptions sink = big;
  sink.max_datagram_bytes = 64;  // the sinks count packets; the payload copy is not the relay's
  const auto dir = std::filesystem::temp_directory_path() /
                   ("plugfest-relay-bench-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);

  for (auto _ : state) {
    asio::io_context relay_io, sink_io;
    auto relay = UdpRelay::open(relay_io, {loopback, loopback, {}, {}, big}).value();
    auto du = EcpriUdpSocket::open(sink_io, loopback, sink).value();
    auto ru = EcpriUdpSocket::open(sink_io, loopback, sink).value();
    relay->set_o_du(du->local_endpoint());
    relay->set_o_ru(ru->local_endpoint());
    relay->set_poll_interval(poll_interval);
    ValidatorTap validator(decoder_config(), decoder_config());
    std::unique_ptr<PcapTap> pcap;
    // Validation and pcap each on a TapWorker of their own: a slow capture then never costs
    // the validator packets (which would show as false sequence / C-plane findings).
    std::unique_ptr<TapWorker> validation_worker;
    std::unique_ptr<TapWorker> pcap_worker;
    if (taps) {
      pcap = PcapTap::create((dir / "cell.pcap").string(), CaptureFraming::kEthernet).value();
      TapWorkerConfig ring;
      ring.ring_bytes = std::size_t{64} << 20;
      ring.ring_packets = 16384;
      ring.on_thread_start = [] { maybe_real_time(true); };
      validation_worker = std::make_unique<TapWorker>(std::vector<PacketTap*>{&validator}, ring);
      pcap_worker = std::make_unique<TapWorker>(std::vector<PacketTap*>{pcap.get()}, ring);
      relay->add_tap(*validation_worker);
      relay->add_tap(*pcap_worker);
    }
    std::array<std::atomic<std::uint64_t>, 2> delivered{};  // by RelayDirection, at the sinks
    ru->start_receiving([&](std::span<const UdpDatagram> batch) { delivered[0] += batch.size(); });
    du->start_receiving([&](std::span<const UdpDatagram> batch) { delivered[1] += batch.size(); });
    relay->start();
    std::chrono::nanoseconds relay_cpu{0};
    std::thread relay_thread([&] {
      maybe_real_time();
      const auto start = thread_cpu_time();
      relay_io.run();
      relay_cpu = thread_cpu_time() - start;
    });
    std::thread sink_thread([&] {
      maybe_real_time();
      sink_io.run();
    });

    // Play the cell from the next frame boundary but one, each direction on its thread.
    const std::int64_t frame_symbols = symbols_per_frame(Numerology::kMu1);
    const std::int64_t first = (clock.symbol_at(now()) / frame_symbols + 2) * frame_symbols;
    const Timestamp started = clock.symbol_start(first);
    const Timestamp until = started + duration;
    std::array<Generated, 2> generated;
    std::array<std::chrono::nanoseconds, 2> generator_cpu{};
    std::array<std::thread, 2> generators;
    UplinkGate gate{&delivered[0], std::vector<std::uint64_t>(frame_symbols, 0), first, 0};
    for (std::int64_t f = first / frame_symbols; clock.symbol_start(f * frame_symbols) < until; ++f)
      ++gate.frames;
    for (const Template& t : by_side[0]) ++gate.downlink_through[static_cast<std::size_t>(t.at)];
    for (std::size_t k = 1; k < gate.downlink_through.size(); ++k)
      gate.downlink_through[k] += gate.downlink_through[k - 1];
    for (std::size_t side = 0; side < 2; ++side) {
      generators[side] = std::thread([&, side] {
        maybe_real_time();
        const auto start = thread_cpu_time();
        generated[side] =
            generate(std::move(by_side[side]), flows, clock, first, until, side == 0 ? *du : *ru,
                     side == 0 ? relay->du_facing_endpoint() : relay->ru_facing_endpoint(),
                     side == 1 ? &gate : nullptr, pace);
        generator_cpu[side] = thread_cpu_time() - start;
      });
    }
    for (std::thread& g : generators) g.join();
    // Real time if the generators kept up with the slot clock, longer when they fell behind.
    const double wall =
        std::chrono::duration<double>(duration + std::max(generated[0].late, generated[1].late))
            .count();
    // Let the relay and the sinks drain.
    const std::uint64_t sent = generated[0].packets + generated[1].packets;
    for (int i = 0; i < 100 && delivered[0] + delivered[1] < sent; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    asio::post(relay_io, [&] {
      relay->stop();
      relay_io.stop();
    });
    relay_thread.join();
    if (validation_worker) validation_worker->stop();
    if (pcap_worker) pcap_worker->stop();
    sink_io.stop();
    sink_thread.join();

    const RelayCounters c = relay->counters();
    const char* names[] = {"dl", "ul"};
    for (std::size_t d = 0; d < 2; ++d) {
      const std::string n = names[d];
      state.counters[n + "_sent"] = static_cast<double>(generated[d].packets);
      state.counters[n + "_forwarded"] = static_cast<double>(c.forwarded[d]);
      state.counters[n + "_lost"] = static_cast<double>(
          generated[d].packets - std::min<std::uint64_t>(generated[d].packets, delivered[d]));
      state.counters[n + "_lost_before_relay"] = static_cast<double>(
          generated[d].packets - std::min<std::uint64_t>(generated[d].packets, c.received[d]));
      state.counters[n + "_late_ms"] =
          std::chrono::duration<double, std::milli>(generated[d].late).count();
      state.counters[n + "_gen_cpu"] = share(generator_cpu[d], wall);
    }
    state.counters["offered_Gbit_s"] =
        static_cast<double>(generated[0].bytes + generated[1].bytes) * 8 / wall / 1e9;
    state.counters["packets_s"] = static_cast<double>(sent) / wall;
    state.counters["relay_cpu"] = share(relay_cpu, wall);
    state.counters["rcvbuf_MiB"] = du->receive_buffer_bytes() / double(1 << 20);
    state.counters["relay_us_per_packet"] =
        std::chrono::duration<double, std::micro>(relay_cpu).count() / static_cast<double>(sent);
    if (validation_worker) {
      const TapWorkerCounters v = validation_worker->counters();
      const TapWorkerCounters p = pcap_worker->counters();
      state.counters["validation_cpu"] = share(validator.busy_time(), wall);
      state.counters["validation_thread_cpu"] = share(validation_worker->cpu_time(), wall);
      state.counters["pcap_thread_cpu"] = share(pcap_worker->cpu_time(), wall);
      state.counters["validation_dropped"] = static_cast<double>(v.dropped);
      state.counters["pcap_dropped"] = static_cast<double>(p.dropped);
      state.counters["validated"] = static_cast<double>(validator.packets());
      state.counters["validation_us_per_packet"] =
          std::chrono::duration<double, std::micro>(validator.busy_time()).count() /
          static_cast<double>(std::max<std::uint64_t>(1, v.delivered));
      state.counters["pcap_us_per_packet"] =
          std::chrono::duration<double, std::micro>(pcap_worker->cpu_time()).count() /
          static_cast<double>(std::max<std::uint64_t>(1, p.delivered));
      const auto findings = validator.findings();
      state.counters["findings"] = static_cast<double>(findings.size());
      std::map<std::string_view, std::size_t> by_rule;
      for (const auto& f : findings) ++by_rule[f.rule_id];
      for (const auto& [rule, count] : by_rule)
        state.counters[std::string(rule)] = static_cast<double>(count);
      (void)pcap->close();
      state.counters["pcap_frames"] = static_cast<double>(pcap->frames_written());
    }
  }
  std::filesystem::remove_all(dir);
}

// Arguments: taps (0: relay alone, the baseline; 1: validation + pcap), antennas, ms,
// gso (1: generators and relay send with UDP segmentation offload), poll (relay poll
// interval in us, 0: event-driven) and pace (symbols the generators send together).
BENCHMARK(BM_RelayCell100MHz)
    ->ArgNames({"taps", "ant", "ms", "gso", "poll", "pace"})
    ->Args({0, 4, 1000, 1, 0, 1})
    ->Args({1, 4, 1000, 1, 0, 1})
    ->Args({0, 4, 1000, 0, 0, 1})
    ->Args({1, 4, 1000, 0, 0, 1})
    ->Args({0, 4, 1000, 1, 0, 14})
    ->Args({1, 4, 1000, 1, 0, 14})
    ->Args({1, 3, 1000, 1, 0, 1})
    ->Args({1, 2, 1000, 1, 0, 1})
    ->Args({1, 1, 1000, 1, 0, 1})
    ->Iterations(1)
    ->Repetitions(3)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace plugfest::transport

BENCHMARK_MAIN();
