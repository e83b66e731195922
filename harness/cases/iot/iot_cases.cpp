// Interoperability of an O-DU and an O-RU through the harness's relay / tap
// (profiles/iot-*.yaml). The O-DU and O-RU are prepared with the relay's sockets as their
// peer, the O-DU schedules a DL test pattern, and the tap validates both directions with
// the stream validator, writes the pcap, and keeps the U-plane IQ for the end-to-end
// comparison with what the O-RU radiated and what the O-DU decoded (Observe).

#include <map>
#include <mutex>
#include <thread>

#include "harness/cases/cus/fronthaul_fixture.h"
#include "harness/engine/test_case.h"
#include "interfaces/transport/analysis_settings.h"
#include "interfaces/transport/pcap_tap.h"
#include "interfaces/transport/wireshark_profile.h"
#include "interfaces/transport/relay.h"
#include "interfaces/transport/validator_tap.h"

namespace plugfest::harness::cases {
namespace {

using fronthaul::DataDirection;
using transport::Timestamp;

using SlotKey = std::tuple<std::uint16_t, std::uint8_t, std::uint8_t,
                           std::uint8_t>;  // antenna, frameId, subframe, slot

// Keeps the U-plane IQ of each direction per antenna and slot, as it crossed the relay.
class IqTap : public transport::PacketTap {
 public:
  explicit IqTap(const transport::FronthaulConfig& setup) : setup_(setup) {}
  void on_packet(const transport::TappedPacket& packet) override {
    const bool down = packet.direction == transport::RelayDirection::kDownlink;
    const auto direction = down ? DataDirection::kDownlink : DataDirection::kUplink;
    auto decoded = fronthaul::decode(packet.ecpri, setup_.decoder_config(direction));
    const auto* u = std::get_if<fronthaul::UplaneMessage>(&decoded.message.body);
    if (!u || decoded.has_errors()) return;
    const auto port = decoded.message.eaxc.ru_port;
    if (port >= setup_.antennas) return;  // PRACH ports are not compared
    const SlotKey key{port, u->header.frame_id, u->header.subframe_id, u->header.slot_id};
    std::lock_guard lock(mutex_);
    auto& slots = down ? dl_ : ul_;
    tester::add_uplane_iq(slots[key], *u, down ? setup_.dl_compression : setup_.ul_compression,
                          setup_.carrier_prbs);
  }
  std::map<SlotKey, tester::SlotIq> dl() const {
    std::lock_guard lock(mutex_);
    return dl_;
  }
  std::map<SlotKey, tester::SlotIq> ul() const {
    std::lock_guard lock(mutex_);
    return ul_;
  }

 private:
  transport::FronthaulConfig setup_;
  mutable std::mutex mutex_;
  std::map<SlotKey, tester::SlotIq> dl_, ul_;
};

struct PairRun {
  transport::FronthaulConfig setup;
  std::optional<DutLink> odu, oru;
  std::unique_ptr<transport::PcapTap> pcap;
  std::unique_ptr<transport::ValidatorTap> validator;
  std::unique_ptr<IqTap> iq;
  transport::RelayCounters counters;
  std::size_t validated_packets = 0;
};

// Runs the pattern through the relay; nullopt when something outside the DUTs failed
// (ctx has the error).
std::optional<PairRun> run_pair(Context& ctx) {
  PairRun run;
  run.setup = setup_from(ctx, ctx.oru());
  const double du_dilation = bench_dilation(ctx.params(), ctx.odu());
  if (du_dilation != run.setup.dilation) {
    ctx.error("the O-DU and O-RU benches declare different timing.dilation");
    return std::nullopt;
  }
  run.odu = DutLink::open(ctx, ctx.odu());
  if (!run.odu) return std::nullopt;
  run.oru = DutLink::open(ctx, ctx.oru());
  if (!run.oru) return std::nullopt;

  asio::io_context io;
  transport::UdpRelayConfig config;
  config.du_facing = *transport::make_udp_endpoint("127.0.0.1", 0);
  config.ru_facing = *transport::make_udp_endpoint("127.0.0.1", 0);
  config.socket_options.receive_buffer_bytes = 4 << 20;
  auto relay = transport::UdpRelay::open(io, config);
  if (!relay) {
    ctx.error("relay: " + relay.error().message);
    return std::nullopt;
  }
  const auto capture = ctx.artifact(
      "fronthaul.pcap", "the fronthaul between the O-DU and the O-RU, as the tap saw it");
  auto pcap = transport::PcapTap::create(capture.string());
  if (!pcap) {
    ctx.error("pcap: " + pcap.error().message);
    return std::nullopt;
  }
  run.pcap = std::move(*pcap);
  run.validator =
      std::make_unique<transport::ValidatorTap>(run.setup.decoder_config(DataDirection::kDownlink),
                                                run.setup.decoder_config(DataDirection::kUplink));
  run.iq = std::make_unique<IqTap>(run.setup);
  (*relay)->add_tap(*run.pcap);
  (*relay)->add_tap(*run.validator);
  (*relay)->add_tap(*run.iq);

  auto oru_end = run.oru->prepare(run.setup, (*relay)->ru_facing_endpoint());
  if (!oru_end) {
    ctx.error(oru_end.error().where + ": " + oru_end.error().message);
    return std::nullopt;
  }
  auto odu_end = run.odu->prepare(run.setup, (*relay)->du_facing_endpoint());
  if (!odu_end) {
    ctx.error(odu_end.error().where + ": " + odu_end.error().message);
    return std::nullopt;
  }
  (*relay)->set_o_ru(*oru_end);
  (*relay)->set_o_du(*odu_end);
  // The tap records each packet between the two DUTs' ports or the relay's.
  const std::vector<std::uint16_t> ports = {odu_end->port(), oru_end->port(),
                                            (*relay)->du_facing_endpoint().port(),
                                            (*relay)->ru_facing_endpoint().port()};
  if (auto profile = transport::write_wireshark_profile(transport::wireshark_profile_dir(capture),
                                                        run.setup, ports);
      !profile) {
    ctx.error("Wireshark settings: " + profile.error().message);
    return std::nullopt;
  }
  // And the settings `plugfest analyze` reads, so the evidence judges as the run did. The
  // relay forwards each packet as it arrives: its receive times are when the O-DU sent DL
  // and, within the relay's forwarding, when the O-DU received UL.
  if (auto settings = transport::write_analysis_settings(capture, run.setup, ports, true);
      !settings) {
    ctx.error("analysis settings: " + settings.error().message);
    return std::nullopt;
  }
  (*relay)->start();
  std::thread worker([&io] { io.run(); });

  const auto slots = static_cast<std::uint32_t>(ctx.params().get_int("slots", 10));
  adapter::DlTestPattern pattern;
  pattern.pattern = ctx.params().get_string("signal.pattern", "full-prb-qpsk");
  pattern.num_prbs = run.setup.carrier_prbs;
  pattern.num_slots = slots;
  pattern.seed = 21;
  auto first = run.odu->client().stimulate(run.odu->session_id(), pattern);
  if (first) {
    const auto clock = run.setup.clock();
    const auto slot_length =
        clock.dilate(std::chrono::microseconds(1000 >> transport::mu_of(run.setup.numerology)));
    const auto w = run.setup.dilated_windows();
    std::this_thread::sleep_for(slot_length * (slots + 2) + w.t1a_cp_dl.max + w.ta4.max);
  }
  asio::post(io, [&] { (*relay)->stop(); });
  io.stop();
  worker.join();
  (void)run.pcap->close();
  if (!first) {
    ctx.error(first.error().where + ": " + first.error().message);
    return std::nullopt;
  }
  run.counters = (*relay)->counters();
  run.validated_packets = run.validator->packets();
  ctx.add_measurement("relay.dl.packets", double(run.counters.received[0]), "count");
  ctx.add_measurement("relay.ul.packets", double(run.counters.received[1]), "count");
  ctx.log("relay: DL " + std::to_string(run.counters.received[0]) + " packets, UL " +
          std::to_string(run.counters.received[1]) + ", receive timestamps " +
          std::string(transport::to_string((*relay)->timestamp_source())));
  return run;
}

void finish(PairRun& run) {
  if (run.odu) (void)run.odu->client().reset(run.odu->session_id());
  if (run.oru) (void)run.oru->client().reset(run.oru->session_id());
}

void require_traffic(FindingTally& tally, const PairRun& run) {
  if (run.counters.received[0] == 0) {
    tally.add("iot.cus.no-downlink", "O-RAN.WG4.CUS 7.2.1",
              "the O-DU sent no fronthaul through the tap", "relay");
  }
  if (run.counters.received[1] == 0) {
    tally.add("iot.cus.no-uplink", "O-RAN.WG4.CUS 8.3",
              "the O-RU sent no UL U-plane through the tap", "relay");
  }
}

// Where a validator finding is: "frame N byte M" in the evidence pcap.
std::string where(const PairRun& run, const fronthaul::Finding& f) {
  const std::string byte = "byte " + std::to_string(f.byte_offset);
  if (!f.packet_index) return byte;
  if (auto at = run.pcap->locate(*f.packet_index)) return transport::where_in_frame(*at, f.byte_offset);
  return byte + " of relay packet " + std::to_string(*f.packet_index) +
         ", which the capture does not hold";
}

void stream_validation(Context& ctx) {
  auto run = run_pair(ctx);
  if (!run) return;
  FindingTally tally;
  require_traffic(tally, *run);
  for (const auto& f : run->validator->findings()) {
    Finding e = evidence_of(f);
    tally.add(e.rule_id, e.clause, e.message, where(*run, f), e.severity);
  }
  tally.record(ctx);
  finish(*run);
  ctx.set_verdict(Verdict::kPass,
                  std::to_string(run->validated_packets) + " packets validated in both directions");
}

// Compares up to `limit` slots of tapped IQ with what an instrument observed.
void compare_through(Context& ctx, DutLink& link, adapter::Instrument instrument,
                     const std::map<SlotKey, tester::SlotIq>& tapped,
                     const transport::FronthaulConfig& setup,
                     const fronthaul::CompressionParams& params, const char* what,
                     FindingTally& tally) {
  const auto clock = setup.clock();
  const double margin = ctx.params().get_double("evm.margin_percent", 0.5);
  std::map<std::uint16_t, int> per_antenna;
  double worst = 0;
  for (const auto& [key, reference] : tapped) {
    const auto& [antenna, frame_id, subframe, slot] = key;
    if (per_antenna[antenna]++ >= 2) continue;
    const auto near = tester::slot_of_header(
        clock, tester::radio_header(DataDirection::kDownlink, {frame_id, subframe, slot, 0}, 0),
        transport::now());
    adapter::ObservationRequest request;
    request.instrument = instrument;
    request.antenna = antenna;
    request.slot = {near.point.frame, near.point.subframe, near.point.slot};
    auto o = link.client().observe(link.session_id(), request);
    const std::string where = std::string(what) + ", antenna " + std::to_string(antenna) +
                              ", slot " + near.point.to_string();
    if (!o) {
      ctx.error(o.error().where + ": " + o.error().message);
      return;
    }
    if (!o->available) {
      tally.add(std::string("iot.cus.") + what + "-unobserved", "O-RAN.WG4.CUS 8.3",
                "nothing observed: " + o->unavailable_reason, where);
      continue;
    }
    const tester::SlotIq seen = slot_iq_of(*o);
    const auto c = tester::compare_iq(reference, seen);
    worst = std::max(worst, c.evm_percent);
    // Both sides hold the same decompressed IQ: only the margin is allowed.
    (void)params;
    if (c.missing > 0 || c.evm_percent > margin) {
      tally.add(std::string("iot.cus.") + what + "-evm", "O-RAN.WG4.CUS A.1",
                std::string(what) + " IQ differs end to end: EVM " + std::to_string(c.evm_percent) +
                    " %, " + std::to_string(c.missing) + " resource elements missing",
                where);
    }
  }
  ctx.add_measurement(std::string(what) + ".evm.worst", worst, "%");
}

void end_to_end_iq(Context& ctx) {
  auto run = run_pair(ctx);
  if (!run) return;
  std::vector<std::string> missing;
  if (!run->oru->has(adapter::Instrument::kDlRadiatedIq))
    missing.push_back("dl-radiated-iq (O-RU)");
  if (!run->odu->has(adapter::Instrument::kUlDecodedIq)) missing.push_back("ul-decoded-iq (O-DU)");
  FindingTally tally;
  require_traffic(tally, *run);
  const auto dl = run->iq->dl();
  const auto ul = run->iq->ul();
  // Traffic that carried no decodable U-plane IQ leaves nothing to compare end to end.
  if (run->counters.received[0] > 0 && dl.empty()) {
    tally.add("iot.cus.dl-no-iq", "O-RAN.WG4.CUS 8.3",
              "no decodable DL U-plane IQ crossed the tap", "tap");
  }
  if (run->counters.received[1] > 0 && ul.empty()) {
    tally.add("iot.cus.ul-no-iq", "O-RAN.WG4.CUS 8.3",
              "no decodable UL U-plane IQ crossed the tap", "tap");
  }
  if (run->oru->has(adapter::Instrument::kDlRadiatedIq)) {
    compare_through(ctx, *run->oru, adapter::Instrument::kDlRadiatedIq, dl, run->setup,
                    run->setup.dl_compression.static_params, "dl", tally);
  }
  if (run->odu->has(adapter::Instrument::kUlDecodedIq)) {
    compare_through(ctx, *run->odu, adapter::Instrument::kUlDecodedIq, ul, run->setup,
                    run->setup.ul_compression.static_params, "ul", tally);
  }
  // The UL air signal's power survives the O-RU's compression.
  const double power = ctx.params().get_double("signal.power_dbfs", -12.0);
  const double tolerance = ctx.params().get_double("signal.power_tolerance_db", 3.0);
  for (const auto& [what, tapped] : {std::pair{"dl", &dl}, std::pair{"ul", &ul}}) {
    std::vector<fronthaul::IqSample> all;
    for (const auto& [key, slot] : *tapped) {
      for (const auto& [sym, pieces] : slot) {
        for (const auto& p : pieces) all.insert(all.end(), p.iq.begin(), p.iq.end());
      }
      if (all.size() > 100000) break;
    }
    if (all.empty()) continue;
    const double measured = tester::power_dbfs(all);
    ctx.add_measurement(std::string(what) + ".power", measured, "dBFS");
    if (std::abs(measured - power) > tolerance) {
      tally.add(std::string("iot.cus.") + what + "-power", "O-RAN.WG4.CUS A.1",
                std::string(what) + " IQ at " + std::to_string(measured) + " dBFS, expected " +
                    std::to_string(power) + " dBFS",
                "tap");
    }
  }
  tally.record(ctx);
  finish(*run);
  if (!missing.empty()) {
    std::string which;
    for (const auto& m : missing) which += (which.empty() ? "" : ", ") + m;
    ctx.set_verdict(Verdict::kInconclusive, "missing Observe instrument: " + which);
    return;
  }
  ctx.set_verdict(Verdict::kPass, "DL radiated and UL decoded IQ equal what crossed the fronthaul");
}

TestCase iot_case(std::string id, std::string title, std::string clause, void (*run)(Context&)) {
  return fronthaul_case(CaseKind::kInteroperability, std::nullopt, std::move(id), std::move(title),
                        std::move(clause), {"section_type.1"}, run);
}

const bool registered = [] {
  register_test_case(iot_case("iot.cus.stream-validation",
                              "Both directions through the tap pass the stream validator",
                              "O-RAN.WG4.CUS 5.1.3, 7.5, 8.3", stream_validation));
  register_test_case(iot_case("iot.cus.end-to-end-iq",
                              "DL IQ radiated and UL IQ decoded equal what crossed the fronthaul",
                              "O-RAN.WG4.CUS 8.3, A.1", end_to_end_iq));
  return true;
}();

}  // namespace
}  // namespace plugfest::harness::cases
