// The same 100 MHz cell as relay_bench.cpp, over Ethernet: eCPRI frames (VLAN 6, PCP 7,
// jumbo MTU 9000) from an O-DU and an O-RU in network namespaces of their own, through the
// L2 relay (EthernetRelay, TPACKET_V3 receive rings, sendmmsg forwarding) in a third
// namespace, with validation, the link-layer frame checks and the pcap on TapWorker
// threads when taps are on. Reports what relay_bench does (loss per direction, relay CPU,
// validation CPU, evidence dropped) plus evidence completeness: every frame the relay saw
// is in the pcap and every eCPRI frame was validated. Needs root (namespaces, veth).
// Run it together with BM_RelayCell100MHz so the UDP relay's figures come from the same run.

#include <benchmark/benchmark.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <filesystem>

#include "interfaces/transport/bench/cell_traffic.h"
#include "interfaces/transport/cpu_time.h"
#include "interfaces/transport/l2/ethernet_relay.h"
#include "interfaces/transport/l2/frame_checks.h"
#include "interfaces/transport/pcap_tap.h"
#include "interfaces/transport/tap_worker.h"
#include "interfaces/transport/testing/network_namespace.h"
#include "interfaces/transport/validator_tap.h"

namespace plugfest::transport {
namespace {

using namespace bench;
using testing::VethNamespaces;

constexpr std::uint16_t kVlan = 6;

// O-DU in namespace a, the relay's interfaces in b, O-RU in c; all at MTU 9000.
struct Wiring {
  std::unique_ptr<VethNamespaces> veth;
  std::string ns_ru, relay_ru_if, ru_if;

  static Result<Wiring> make() {
    Wiring w;
    auto pair = VethNamespaces::create();
    if (!pair) return pair.error();
    w.veth = std::move(*pair);
    auto c = w.veth->add_namespace("c");
    if (!c) return c.error();
    w.ns_ru = *c;
    auto link = w.veth->add_link(w.veth->namespace_b(), w.ns_ru, "r");
    if (!link) return link.error();
    w.relay_ru_if = link->first;
    w.ru_if = link->second;
    for (const auto& [ns, ifname] :
         {std::pair{w.veth->namespace_a(), w.veth->interface_a()},
          std::pair{w.veth->namespace_b(), w.veth->interface_b()},
          std::pair{w.veth->namespace_b(), w.relay_ru_if}, std::pair{w.ns_ru, w.ru_if}}) {
      if (!VethNamespaces::shell("ip -n " + ns + " link set " + ifname + " mtu 9000")) {
        return Error{"cannot set MTU 9000", ifname};
      }
    }
    return w;
  }
};

std::unique_ptr<EcpriEthernetSocket> open_in(asio::io_context& io, const std::string& ns,
                                             EthernetOptions options) {
  std::unique_ptr<EcpriEthernetSocket> socket;
  (void)VethNamespaces::run_in(ns, [&] {
    auto opened = EcpriEthernetSocket::open(io, options);
    if (opened) socket = std::move(*opened);
  });
  return socket;
}

bool is_ecpri_frame(const ReceivedPacket& p) {
  return p.bytes.size() >= 18 && p.bytes[16] == 0xae && p.bytes[17] == 0xfe;
}

void BM_EthernetRelayCell100MHz(benchmark::State& state) {
  const bool taps = state.range(0) != 0;
  const int antennas = static_cast<int>(state.range(1));
  const auto duration = std::chrono::milliseconds(state.range(2));
  const std::size_t block_bytes = static_cast<std::size_t>(state.range(3)) << 10;
  ::prctl(PR_SET_TIMERSLACK, 1UL);
  auto wiring = Wiring::make();
  if (!wiring) {
    state.SkipWithError(("needs root and veth: " + wiring.error().to_string()).c_str());
    return;
  }
  Wiring& w = *wiring;
  std::size_t flows = 0;
  std::vector<Template> frame = one_frame(antennas, flows);
  const SlotClock clock(Numerology::kMu1, Timestamp{});
  const auto dir = std::filesystem::temp_directory_path() /
                   ("plugfest-l2-relay-bench-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);

  for (auto _ : state) {
    std::array<std::vector<Template>, 2> by_side;
    for (const Template& t : frame) by_side[t.from_du ? 0 : 1].push_back(t);
    asio::io_context relay_io, sink_io;
    EthernetOptions end;
    end.vlan = VlanTag{.id = kVlan, .pcp = 7};
    end.send_buffer_bytes = 16 << 20;
    end.ring_block_bytes = std::size_t{1} << 20;
    end.ring_blocks = 32;
    end.interface = w.veth->interface_a();
    auto du = open_in(sink_io, w.veth->namespace_a(), end);
    end.interface = w.ru_if;
    auto ru = open_in(sink_io, w.ns_ru, end);
    EthernetRelayConfig config;
    config.du_interface = w.veth->interface_b();
    config.ru_interface = w.relay_ru_if;
    config.socket_options.ring_block_bytes = block_bytes;
    config.socket_options.ring_blocks = (std::size_t{64} << 20) / block_bytes;
    config.socket_options.send_buffer_bytes = 16 << 20;
    config.socket_options.qdisc_bypass = state.range(4) != 0;
    std::unique_ptr<EthernetRelay> relay;
    (void)VethNamespaces::run_in(w.veth->namespace_b(), [&] {
      auto opened = EthernetRelay::open(relay_io, config);
      if (opened) relay = std::move(*opened);
    });
    if (!du || !ru || !relay) {
      state.SkipWithError("cannot open the sockets or the relay");
      break;
    }
    ValidatorTap validator(decoder_config(), decoder_config());
    FrameCheckTap checks({du->local_mac(), ru->local_mac(), kVlan});
    std::unique_ptr<PcapTap> pcap;
    std::unique_ptr<TapWorker> validation_worker, pcap_worker;
    if (taps) {
      pcap = PcapTap::create((dir / "cell.pcap").string()).value();
      TapWorkerConfig ring;
      ring.ring_bytes = std::size_t{64} << 20;
      ring.ring_packets = 16384;
      ring.on_thread_start = [] { maybe_real_time(true); };
      validation_worker =
          std::make_unique<TapWorker>(std::vector<PacketTap*>{&validator, &checks}, ring);
      pcap_worker = std::make_unique<TapWorker>(std::vector<PacketTap*>{pcap.get()}, ring);
      relay->add_tap(*validation_worker);
      relay->add_tap(*pcap_worker);
    }
    std::array<std::atomic<std::uint64_t>, 2> delivered{};
    std::array<std::uint64_t, 2> send_failed{};
    ru->start_receiving_frames([&](std::span<const ReceivedPacket> batch) {
      std::uint64_t n = 0;
      for (const auto& p : batch) n += is_ecpri_frame(p) ? 1 : 0;
      delivered[0] += n;
    });
    du->start_receiving_frames([&](std::span<const ReceivedPacket> batch) {
      std::uint64_t n = 0;
      for (const auto& p : batch) n += is_ecpri_frame(p) ? 1 : 0;
      delivered[1] += n;
    });
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

    const std::int64_t frame_symbols = symbols_per_frame(Numerology::kMu1);
    const std::int64_t first = (clock.symbol_at(now()) / frame_symbols + 2) * frame_symbols;
    const Timestamp until = clock.symbol_start(first) + duration;
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
        EcpriEthernetSocket& socket = side == 0 ? *du : *ru;
        const MacAddress to = side == 0 ? ru->local_mac() : du->local_mac();
        generated[side] = generate(
            std::move(by_side[side]), flows, clock, first, until,
            [&](std::span<const std::span<const std::uint8_t>> batch) {
              std::size_t done = 0;
              for (std::size_t stalls = 0; done < batch.size() && stalls < 1000;) {
                auto sent = socket.send_batch(batch.subspan(done), to);
                if (!sent) break;
                done += *sent;
                if (*sent == 0) {
                  ++stalls;
                  std::this_thread::sleep_for(std::chrono::microseconds(20));
                }
              }
              send_failed[side] += batch.size() - done;
            },
            side == 1 ? &gate : nullptr, 1);
        generator_cpu[side] = thread_cpu_time() - start;
      });
    }
    for (std::thread& g : generators) g.join();
    const double wall =
        std::chrono::duration<double>(duration + std::max(generated[0].late, generated[1].late))
            .count();
    const std::uint64_t sent = generated[0].packets + generated[1].packets;
    for (int i = 0; i < 100 && delivered[0] + delivered[1] < sent; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    std::uint64_t ring_drops = 0;
    asio::post(relay_io, [&] {
      ring_drops = relay->du_side().kernel_drops() + relay->ru_side().kernel_drops();
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
      state.counters[n + "_lost"] = static_cast<double>(
          generated[d].packets - std::min<std::uint64_t>(generated[d].packets, delivered[d]));
      state.counters[n + "_lost_before_relay"] = static_cast<double>(
          generated[d].packets -
          std::min<std::uint64_t>(generated[d].packets, c.received[d] - c.non_ecpri[d]));
      state.counters[n + "_not_forwarded"] = static_cast<double>(c.not_forwarded[d]);
      state.counters[n + "_late_ms"] =
          std::chrono::duration<double, std::milli>(generated[d].late).count();
      state.counters[n + "_gen_cpu"] = share(generator_cpu[d], wall);
    }
    state.counters["offered_Gbit_s"] =
        static_cast<double>(generated[0].bytes + generated[1].bytes) * 8 / wall / 1e9;
    state.counters["packets_s"] = static_cast<double>(sent) / wall;
    state.counters["relay_cpu"] = share(relay_cpu, wall);
    state.counters["relay_us_per_packet"] =
        std::chrono::duration<double, std::micro>(relay_cpu).count() / static_cast<double>(sent);
    state.counters["ring_drops"] = static_cast<double>(ring_drops);
    state.counters["send_failed"] = static_cast<double>(send_failed[0] + send_failed[1]);
    if (validation_worker) {
      const TapWorkerCounters v = validation_worker->counters();
      const TapWorkerCounters p = pcap_worker->counters();
      (void)pcap->close();
      const std::uint64_t seen = c.received[0] + c.received[1];
      const std::uint64_t ecpri = seen - c.non_ecpri[0] - c.non_ecpri[1];
      state.counters["validation_cpu"] = share(validator.busy_time(), wall);
      state.counters["validation_thread_cpu"] = share(validation_worker->cpu_time(), wall);
      state.counters["pcap_thread_cpu"] = share(pcap_worker->cpu_time(), wall);
      state.counters["validation_dropped"] = static_cast<double>(v.dropped);
      state.counters["pcap_dropped"] = static_cast<double>(p.dropped);
      state.counters["validated"] = static_cast<double>(validator.packets());
      state.counters["pcap_frames"] = static_cast<double>(pcap->frames_written());
      // 1 when the pcap holds every frame the relay saw and every eCPRI one was validated.
      state.counters["evidence_complete"] =
          pcap->frames_written() == seen && validator.packets() == ecpri ? 1 : 0;
      state.counters["findings"] = static_cast<double>(validator.findings().size());
      state.counters["frame_findings"] = static_cast<double>(checks.findings().size());
    }
  }
  std::filesystem::remove_all(dir);
}

// Arguments: taps (0: relay alone; 1: validation + frame checks + pcap), antennas, ms,
// ring block size of the relay's sockets in KiB (smaller blocks reach user space sooner),
// bypass (1: the relay's sockets send past the qdisc, PACKET_QDISC_BYPASS).
BENCHMARK(BM_EthernetRelayCell100MHz)
    ->ArgNames({"taps", "ant", "ms", "block_kib", "bypass"})
    ->Args({0, 4, 1000, 256, 1})
    ->Args({1, 4, 1000, 256, 1})
    ->Args({1, 4, 1000, 256, 0})
    ->Args({1, 4, 1000, 1024, 1})
    ->Iterations(1)
    ->Repetitions(3)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace plugfest::transport
