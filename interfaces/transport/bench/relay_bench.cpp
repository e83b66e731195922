// A 100 MHz 4T4R NR cell (30 kHz, 273 PRBs, TDD DDDSU, BFP 9, static udCompHdr) pushed in
// real time through the UDP relay on loopback, with and without its taps (stream
// validation and pcap). Reports packet loss and the CPU share of the relay thread and of
// the validation alone.
//
// One thread plays both the O-DU and the O-RU from pre-encoded packets (patching frameId
// and sequence IDs as it goes), one runs the relay, one drains both receivers.

#include <benchmark/benchmark.h>
#include <sys/prctl.h>
#include <time.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <map>
#include <thread>

#include "interfaces/fronthaul/codec.h"
#include "interfaces/fronthaul/compression.h"
#include "interfaces/transport/pcap_tap.h"
#include "interfaces/transport/relay.h"
#include "interfaces/transport/slot_clock.h"
#include "interfaces/transport/validator_tap.h"

namespace plugfest::transport {
namespace {

using asio::ip::udp;
namespace fh = fronthaul;

constexpr int kAntennas = 4;
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
std::vector<Template> one_frame(std::size_t& flows) {
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
  flows = 4 * kAntennas;
  std::vector<Template> out;
  for (int slot = 0; slot < kSlotsPerFrame; ++slot) {
    const char kind = kTdd[slot % 5];
    const bool uplink = kind == 'U';
    const int symbols = kind == 'S' ? kSpecialDlSymbols : 14;
    const auto direction = uplink ? fh::DataDirection::kUplink : fh::DataDirection::kDownlink;
    const auto sf = static_cast<std::uint8_t>(slot / 2);
    const auto sl = static_cast<std::uint8_t>(slot % 2);
    for (int a = 0; a < kAntennas; ++a) {
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
                     static_cast<std::size_t>((uplink ? 1 : 0) * kAntennas + a), message(a, c)});
    }
    for (int symbol = 0; symbol < symbols; ++symbol) {
      for (int a = 0; a < kAntennas; ++a) {
        fh::UplaneMessage u;
        u.header = {direction, 1, 0, 0, sf, sl, static_cast<std::uint8_t>(symbol)};
        fh::UplaneSection s;
        s.section_id = 1;
        s.num_prbu = 0;
        s.iq_data = compressed;
        u.sections.push_back(std::move(s));
        // UL U-plane leaves the O-RU a little after its symbol (Ta3).
        out.push_back({!uplink, slot * 14 + symbol + (uplink ? 2 : 0),
                       static_cast<std::size_t>((uplink ? 3 : 2) * kAntennas + a), message(a, u)});
      }
    }
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Template& x, const Template& y) { return x.at < y.at; });
  return out;
}

std::chrono::nanoseconds thread_cpu() {
  timespec ts{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec);
}

void sleep_until(Timestamp t) {
  const auto since = t.time_since_epoch();
  timespec ts{static_cast<time_t>(since.count() / 1'000'000'000),
              static_cast<long>(since.count() % 1'000'000'000)};
  ::clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &ts, nullptr);
}

void BM_RelayCell100MHz4T4R(benchmark::State& state) {
  const bool taps = state.range(0) != 0;
  const auto duration = std::chrono::milliseconds(state.range(1));
  ::prctl(PR_SET_TIMERSLACK, 1UL);
  std::size_t flows = 0;
  std::vector<Template> frame = one_frame(flows);
  const SlotClock clock(Numerology::kMu1, Timestamp{});
  const udp::endpoint loopback(asio::ip::make_address("127.0.0.1"), 0);
  UdpOptions big;
  big.receive_buffer_bytes = 64 << 20;
  big.send_buffer_bytes = 8 << 20;
  big.batch_size = 64;
  const auto dir = std::filesystem::temp_directory_path() /
                   ("plugfest-relay-bench-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);

  for (auto _ : state) {
    asio::io_context relay_io, sink_io;
    auto relay = UdpRelay::open(relay_io, {loopback, loopback, {}, {}, big}).value();
    auto du = EcpriUdpSocket::open(sink_io, loopback, big).value();
    auto ru = EcpriUdpSocket::open(sink_io, loopback, big).value();
    relay->set_o_du(du->local_endpoint());
    relay->set_o_ru(ru->local_endpoint());
    ValidatorTap validator(decoder_config(), decoder_config());
    std::unique_ptr<PcapTap> pcap;
    if (taps) {
      pcap = PcapTap::create((dir / "cell.pcap").string(), CaptureFraming::kEthernet).value();
      relay->add_tap(validator);
      relay->add_tap(*pcap);
    }
    std::atomic<std::uint64_t> received{0};
    std::atomic<std::uint64_t> received_bytes{0};
    auto count = [&](std::span<const UdpDatagram> batch) {
      received += batch.size();
      for (const auto& d : batch) received_bytes += d.packet.bytes.size();
    };
    du->start_receiving(count);
    ru->start_receiving(count);
    relay->start();
    std::chrono::nanoseconds relay_cpu{0};
    std::thread relay_thread([&] {
      const auto start = thread_cpu();
      relay_io.run();
      relay_cpu = thread_cpu() - start;
    });
    std::thread sink_thread([&] { sink_io.run(); });

    // Play the cell from the next frame boundary.
    const std::int64_t frame_symbols = symbols_per_frame(Numerology::kMu1);
    const std::int64_t first = (clock.symbol_at(now()) / frame_symbols + 1) * frame_symbols;
    const Timestamp started = clock.symbol_start(first);
    const Timestamp until = started + duration;
    std::vector<std::uint8_t> seq(flows, 0);
    std::uint64_t sent = 0;
    std::uint64_t sent_bytes = 0;
    std::vector<std::span<const std::uint8_t>> batch;
    for (std::int64_t f = first / frame_symbols;; ++f) {
      if (clock.symbol_start(f * frame_symbols) >= until) break;
      // Everything due at one symbol from one side goes in one sendmmsg.
      for (std::size_t i = 0; i < frame.size();) {
        std::size_t j = i;
        batch.clear();
        while (j < frame.size() && frame[j].at == frame[i].at &&
               frame[j].from_du == frame[i].from_du) {
          std::vector<std::uint8_t>& packet = frame[j].bytes;
          packet[6] = seq[frame[j].flow]++;                 // ecpriSeqid
          packet[9] = static_cast<std::uint8_t>(f & 0xff);  // frameId
          batch.emplace_back(packet);
          sent_bytes += packet.size();
          ++j;
        }
        sleep_until(clock.symbol_start(f * frame_symbols + frame[i].at));
        const bool from_du = frame[i].from_du;
        (void)(from_du ? du : ru)
            ->send_batch(batch,
                         from_du ? relay->du_facing_endpoint() : relay->ru_facing_endpoint());
        sent += batch.size();
        i = j;
      }
    }
    const Timestamp finished = now();
    // Let the relay and the sinks drain.
    for (int i = 0; i < 100 && received < sent; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    asio::post(relay_io, [&] {
      relay->stop();
      relay_io.stop();
    });
    relay_thread.join();
    sink_io.stop();
    sink_thread.join();
    const double wall = std::chrono::duration<double>(finished - started).count();
    state.counters["packets_sent"] = static_cast<double>(sent);
    state.counters["packets_lost"] = static_cast<double>(sent - std::min(sent, received.load()));
    state.counters["offered_Gbit_s"] = static_cast<double>(sent_bytes) * 8 / wall / 1e9;
    state.counters["relay_cpu_share"] = std::chrono::duration<double>(relay_cpu).count() / wall;
    state.counters["validation_cpu_share"] =
        std::chrono::duration<double>(validator.busy_time()).count() / wall;
    const auto findings = validator.findings();
    state.counters["findings"] = static_cast<double>(findings.size());
    std::map<std::string_view, std::size_t> by_rule;
    for (const auto& f : findings) ++by_rule[f.rule_id];
    for (const auto& [rule, n] : by_rule)
      state.counters[std::string(rule)] = static_cast<double>(n);
    if (pcap) {
      (void)pcap->close();
      state.counters["pcap_frames"] = static_cast<double>(pcap->frames_written());
    }
  }
  std::filesystem::remove_all(dir);
}

BENCHMARK(BM_RelayCell100MHz4T4R)
    ->ArgNames({"taps", "ms"})
    ->Args({0, 1000})
    ->Args({1, 1000})
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace plugfest::transport

BENCHMARK_MAIN();
