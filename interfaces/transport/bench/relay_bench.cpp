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

#include "interfaces/transport/bench/cell_traffic.h"
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

using namespace bench;

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
        generated[side] = generate(
            std::move(by_side[side]), flows, clock, first, until,
            [&, to = side == 0 ? relay->du_facing_endpoint() : relay->ru_facing_endpoint(),
             socket = side == 0 ? du.get()
                                : ru.get()](std::span<const std::span<const std::uint8_t>> batch) {
              (void)socket->send_batch(batch, to);
            },
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
