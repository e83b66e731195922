// O-RU CUS-plane conformance, DL: the harness plays the O-DU and sends DL C-plane and
// U-plane for one slot, on time or on purpose early and late; the expected reaction is the
// IQ the O-RU radiated (Observe dl-radiated-iq, compared by EVM), its reception-window
// counters, and beamforming section extensions accepted.

#include <algorithm>
#include <array>
#include <thread>

#include "harness/cases/cus/oru_case_support.h"

namespace plugfest::harness::cases::oru {
namespace {

using fronthaul::DataDirection;
using tester::SectionRequest;
using tester::SlotRef;
using transport::Timestamp;

// ---- DL: what the harness sends, what the O-RU radiated and counted ----

struct DlSent {
  SlotRef slot;
  std::vector<tester::SlotIq> iq;  // per antenna, as sent (before compression)
  std::uint64_t cplane = 0;
  std::array<std::uint64_t, 3> uplane{};  // by WindowPosition of the actual send time
  std::array<std::uint64_t, 3> cplane_at{};
};

enum class Timing { kOnTime, kMixed };

std::optional<DlSent> send_dl_slot(
    PeerSession& s, Timing timing, std::uint16_t antennas, std::uint64_t seed,
    const std::vector<fronthaul::SectionExtension>& extensions = {}) {
  const auto& setup = s.setup();
  const auto clock = s.clock();
  const auto w = s.windows();
  const double power = s.ctx().params().get_double("signal.power_dbfs", -12.0);
  DlSent out;
  out.slot = s.next_slot();
  out.iq.resize(antennas);
  // Early sends go out before the window opens: start far enough ahead.
  if (timing == Timing::kMixed) {
    out.slot = tester::first_slot_at_or_after(
        clock, transport::now() + w.t2a_up.max + (w.t2a_up.max - w.t2a_up.min) +
                   clock.dilate(std::chrono::microseconds(300)));
  }
  const Timestamp slot_start = out.slot.symbol_start(clock, 0);
  struct Pending {
    Timestamp at;
    fronthaul::Message message;
    bool cplane;
    Timestamp symbol;
  };
  std::vector<Pending> plan;
  for (std::uint16_t a = 0; a < antennas; ++a) {
    auto c = tester::st1_cplane(setup, DataDirection::kDownlink, out.slot.point,
                                transport::data_eaxc(a), {SectionRequest{}});
    std::get<fronthaul::CplaneMessage>(c.body).sections.front().extensions = extensions;
    plan.push_back({w.t1a_cp_dl.target(slot_start), std::move(c), true, slot_start});
    for (std::uint8_t sym = 0; sym < 14; ++sym) {
      auto iq =
          tester::symbol_signal(seed, a, out.slot.first_symbol + sym, setup.carrier_prbs, power);
      out.iq[a][sym].push_back({0, iq});
      auto u = tester::uplane_message(setup, DataDirection::kDownlink, out.slot.point, sym,
                                      transport::data_eaxc(a), 1, 0, iq, setup.dl_compression);
      if (!u) {
        s.ctx().error("encode: " + u.error().message);
        return std::nullopt;
      }
      const Timestamp start = out.slot.symbol_start(clock, sym);
      Timestamp at = w.t1a_up.target(start);
      const auto half = (w.t2a_up.max - w.t2a_up.min) / 2;
      if (timing == Timing::kMixed && a == 0 && sym < 4) at = w.t2a_up.opens(start) - half;
      if (timing == Timing::kMixed && a == 0 && sym >= 11) at = w.t2a_up.closes(start) + half;
      plan.push_back({at, std::move(*u), false, start});
    }
  }
  std::stable_sort(plan.begin(), plan.end(),
                   [](const Pending& x, const Pending& y) { return x.at < y.at; });
  for (auto& p : plan) {
    auto sent = s.port().send(std::move(p.message), p.at);
    if (!sent) {
      s.ctx().error("send: " + sent.error().message);
      return std::nullopt;
    }
    const auto& window = p.cplane ? w.t2a_cp_dl : w.t2a_up;
    const auto position = static_cast<std::size_t>(window.classify((*sent)->at, p.symbol));
    (p.cplane ? out.cplane_at : out.uplane)[position]++;
    if (p.cplane) ++out.cplane;
  }
  // Let the last symbol pass, and a slot more for the O-RU to take in what arrived (a
  // loaded machine delays it), before asking it.
  const Timestamp slot_end = out.slot.symbol_start(clock, 14);
  std::this_thread::sleep_until(slot_end + (slot_end - slot_start));
  (void)s.port().receive_until(transport::now());
  return out;
}

// The radiated IQ of one antenna in one slot, as the Observe instrument says.
std::optional<tester::SlotIq> observe(Context& ctx, DutLink& link, adapter::Instrument instrument,
                                      std::uint16_t antenna, const transport::SlotPoint& point,
                                      bool& unavailable) {
  adapter::ObservationRequest request;
  request.instrument = instrument;
  request.antenna = antenna;
  request.slot = {point.frame, point.subframe, point.slot};
  auto o = link.client().observe(link.session_id(), request);
  if (!o) {
    ctx.error(o.error().where + ": " + o.error().message);
    return std::nullopt;
  }
  if (!o->available) {
    unavailable = true;
    ctx.log("observe antenna " + std::to_string(antenna) + ": " + o->unavailable_reason);
    return tester::SlotIq{};
  }
  return slot_iq_of(*o);
}

// EVM limit for IQ that went through `params`: the compression's own error plus margin.
double evm_limit(Context& ctx, const fronthaul::CompressionParams& params,
                 const tester::SlotIq& reference) {
  std::vector<fronthaul::IqSample> sample;
  for (const auto& [sym, pieces] : reference) {
    for (const auto& p : pieces) sample.insert(sample.end(), p.iq.begin(), p.iq.end());
    if (sample.size() >= 12 * 273) break;
  }
  sample.resize(sample.size() / 12 * 12);
  auto own = tester::compression_evm_percent(params, sample);
  const double margin = ctx.params().get_double("evm.margin_percent", 0.5);
  return (own ? *own : 0.0) * 1.5 + margin;
}

void dl_radiated_iq(Context& ctx) {
  auto s = PeerSession::start(ctx);
  if (!s) return;
  if (!s->link().has(adapter::Instrument::kDlRadiatedIq)) {
    ctx.set_verdict(Verdict::kInconclusive,
                    "the adapter lacks the Observe instrument dl-radiated-iq");
    return;
  }
  const auto antennas = s->setup().antennas;
  auto sent = send_dl_slot(*s, Timing::kOnTime, antennas, 4242);
  if (!sent) return;
  FindingTally tally;
  for (std::uint16_t a = 0; a < antennas; ++a) {
    bool unavailable = false;
    auto seen = observe(ctx, s->link(), adapter::Instrument::kDlRadiatedIq, a, sent->slot.point,
                        unavailable);
    if (!seen) return;
    if (unavailable) {
      tally.add("cus.ru.dl.not-radiated", "O-RAN.WG4.CUS 8.3",
                "nothing radiated for a DL slot sent on time", "antenna " + std::to_string(a));
      continue;
    }
    const auto c = tester::compare_iq(sent->iq[a], *seen);
    const double limit = evm_limit(ctx, s->setup().dl_compression.static_params, sent->iq[a]);
    ctx.add_measurement("dl.evm.antenna" + std::to_string(a), c.evm_percent, "%");
    if (c.missing > 0) {
      tally.add("cus.ru.dl.iq-missing", "O-RAN.WG4.CUS 8.3",
                std::to_string(c.missing) + " resource elements sent but not radiated",
                "antenna " + std::to_string(a));
    }
    if (c.evm_percent > limit) {
      tally.add("cus.ru.dl.evm", "O-RAN.WG4.CUS A.1",
                "radiated IQ differs from the IQ sent: EVM " + std::to_string(c.evm_percent) +
                    " % above the " + std::to_string(limit) + " % the compression allows",
                "antenna " + std::to_string(a));
    }
  }
  tally.record(ctx);
  pass_unless_failed(ctx, "radiated IQ equals the DL IQ sent on every antenna");
}

void dl_reception_counters(Context& ctx) {
  auto s = PeerSession::start(ctx);
  if (!s) return;
  auto before = s->counters();
  if (!before) return;
  auto sent = send_dl_slot(*s, Timing::kMixed, 1, 99);
  if (!sent) return;
  auto after = s->counters();
  if (!after) return;
  using P = transport::WindowPosition;
  const auto idx = [](P p) { return static_cast<std::size_t>(p); };
  const std::uint64_t early = sent->uplane[idx(P::kEarly)] + sent->cplane_at[idx(P::kEarly)];
  const std::uint64_t late = sent->uplane[idx(P::kLate)] + sent->cplane_at[idx(P::kLate)];
  const std::uint64_t on_time = sent->uplane[idx(P::kOnTime)] + sent->cplane_at[idx(P::kOnTime)];
  const std::uint64_t got_early = after->rx_early - before->rx_early;
  const std::uint64_t got_late = after->rx_late - before->rx_late;
  const std::uint64_t got_on_time = after->rx_on_time - before->rx_on_time;
  ctx.add_measurement("dl.sent.early", double(early), "count");
  ctx.add_measurement("dl.sent.on_time", double(on_time), "count");
  ctx.add_measurement("dl.sent.late", double(late), "count");
  ctx.add_measurement("dl.counted.early", double(got_early), "count");
  ctx.add_measurement("dl.counted.on_time", double(got_on_time), "count");
  ctx.add_measurement("dl.counted.late", double(got_late), "count");
  FindingTally tally;
  const auto check = [&](const char* what, std::uint64_t expected, std::uint64_t counted) {
    if (expected != counted) {
      tally.add(std::string("cus.ru.dl.counter-") + what, "O-RAN.WG4.CUS 4.4.2",
                std::string("reception counter ") + what + " counted " + std::to_string(counted) +
                    " where the harness sent " + std::to_string(expected),
                "counters");
    }
  };
  check("early", early, got_early);
  check("on-time", on_time, got_on_time);
  check("late", late, got_late);
  tally.record(ctx);
  // A counter is checked only by messages that landed in its window: a send the machine
  // delayed out of the early window leaves that counter untested.
  if (early == 0 || on_time == 0 || late == 0) {
    ctx.set_verdict(Verdict::kInconclusive,
                    "the harness did not get DL messages early, on time and late (sent " +
                        std::to_string(early) + " / " + std::to_string(on_time) + " / " +
                        std::to_string(late) + ")");
    return;
  }
  pass_unless_failed(ctx, "early / on-time / late counters match what was sent on purpose");
}

void dl_beamforming_extensions(Context& ctx) {
  auto s = PeerSession::start(ctx);
  if (!s) return;
  const auto& caps = ctx.dut().description.capabilities;
  std::vector<fronthaul::SectionExtension> extensions;
  if (caps.has("extension.1")) {
    fronthaul::BeamformingWeightsExtension e1;
    e1.bfw_comp_hdr = {fronthaul::CompressionMethod::kNone, 16};
    e1.bfw.assign(2u * s->setup().antennas, 0x4000);
    extensions.push_back(e1);
  }
  if (caps.has("extension.11")) {
    fronthaul::FlexibleWeightsExtension e11;
    e11.disable_bfws = true;
    e11.num_bund_prb = 16;
    const std::size_t bundles = (s->setup().carrier_prbs + 15) / 16;
    for (std::size_t b = 0; b < bundles; ++b)
      e11.bundles.push_back({0, static_cast<std::uint16_t>(b + 1), {}});
    extensions.push_back(e11);
  }
  if (extensions.empty()) {
    ctx.set_verdict(Verdict::kInconclusive, "no beamforming extension (1, 11) claimed");
    return;
  }
  auto before = s->counters();
  if (!before) return;
  auto sent = send_dl_slot(*s, Timing::kOnTime, 1, 5, extensions);
  if (!sent) return;
  auto after = s->counters();
  if (!after) return;
  // Acceptance needs positive evidence: the DL data under the beamformed section radiated
  // (Observe), or else every message of the slot counted as received. A refusal counted
  // as malformed or dropped is a failure either way.
  const std::uint64_t sent_messages =
      sent->cplane + sent->uplane[0] + sent->uplane[1] + sent->uplane[2];
  const std::uint64_t counted = (after->rx_on_time + after->rx_early + after->rx_late) -
                                (before->rx_on_time + before->rx_early + before->rx_late);
  ctx.add_measurement("dl.sent", double(sent_messages), "count");
  ctx.add_measurement("dl.counted", double(counted), "count");
  FindingTally tally;
  if (after->rx_malformed != before->rx_malformed || after->rx_dropped != before->rx_dropped) {
    tally.add("cus.ru.bf.rejected", "O-RAN.WG4.CUS 7.7.1",
              "C-plane with beamforming extensions counted malformed or dropped", "counters");
  }
  std::string evidence;
  if (s->link().has(adapter::Instrument::kDlRadiatedIq)) {
    bool unavailable = false;
    auto seen = observe(ctx, s->link(), adapter::Instrument::kDlRadiatedIq, 0, sent->slot.point,
                        unavailable);
    if (!seen) return;
    const std::size_t compared = unavailable ? 0 : tester::compare_iq(sent->iq[0], *seen).compared;
    if (compared == 0) {
      tally.add("cus.ru.bf.not-radiated", "O-RAN.WG4.CUS 7.7.1",
                "DL data under a beamformed section was not radiated", "antenna 0");
    }
    evidence = std::to_string(compared) + " resource elements radiated";
  } else if (counted < sent_messages) {
    tally.record(ctx);
    ctx.set_verdict(Verdict::kInconclusive,
                    "no evidence the beamformed sections were taken in: the adapter lacks the "
                    "Observe instrument dl-radiated-iq and its reception counters counted " +
                        std::to_string(counted) + " of the " + std::to_string(sent_messages) +
                        " DL messages sent");
    return;
  } else {
    evidence = std::to_string(counted) + " DL messages counted as received";
  }
  tally.record(ctx);
  pass_unless_failed(ctx, std::to_string(extensions.size()) + " beamforming extensions accepted (" +
                              evidence + ")");
}

const bool registered = [] {
  register_test_case(oru_case("cus.ru.dl.st1-radiated-iq",
                              "Section type 1 DL radiated IQ equals the IQ sent (EVM per antenna)",
                              "O-RAN.WG4.CUS 7.5.3.1, 8.3", {"section_type.1"}, dl_radiated_iq));
  register_test_case(oru_case("cus.ru.dl.reception-window-counters",
                              "DL reception-window counters match early, on-time and late sends",
                              "O-RAN.WG4.CUS 4.4.2", {"section_type.1"}, dl_reception_counters));
  register_test_case(oru_case("cus.ru.dl.beamforming-extensions",
                              "Beamforming section extensions 1 and 11 accepted when claimed",
                              "O-RAN.WG4.CUS 7.7.1, 7.7.11", {"extension.1|extension.11"},
                              dl_beamforming_extensions));
  return true;
}();

}  // namespace
}  // namespace plugfest::harness::cases::oru
