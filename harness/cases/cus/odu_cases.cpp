// O-DU CUS-plane conformance: the harness plays the O-RU (profiles/o-du-cus-conformance.yaml).
// Preamble: PrepareSession and the harness's fronthaul end; stimulus: the O-DU schedules a
// DL test pattern (Stimulate); the harness answers the O-DU's UL requests as an O-RU
// would, with IQ it keeps; expected reaction: the O-DU's C-plane and U-plane on time and
// consistent, its decoded UL equal to what the harness sent; postamble: Reset.

#include <algorithm>
#include <map>
#include <queue>
#include <set>

#include "harness/cases/cus/fronthaul_fixture.h"
#include "harness/engine/test_case.h"
#include "interfaces/fronthaul/rules.h"

namespace plugfest::harness::cases {
namespace {

using fronthaul::CplaneMessage;
using fronthaul::DataDirection;
using fronthaul::SectionType;
using fronthaul::UplaneMessage;
using tester::PortPacket;
using transport::Timestamp;
namespace fr = fronthaul::rules;

constexpr std::uint64_t kUlSeed = 0x5eed;

struct AnsweredSlot {
  std::uint16_t antenna = 0;
  transport::SlotPoint point;
  tester::SlotIq iq;
};

struct OduExchange {
  std::vector<const PortPacket*> received;
  std::map<std::pair<std::uint16_t, std::int64_t>, AnsweredSlot> answered;  // (antenna, slot)
  std::size_t ul_requests = 0;
};

std::string where_packet(const PortPacket* p) { return tester::where(*p); }

// Answers one UL request the way an O-RU does: one U-plane message per symbol and section,
// at the middle of Ta3, with seeded QPSK the harness keeps for the Observe comparison.
void plan_answers(PeerSession& s, const PortPacket* request, OduExchange& x,
                  std::vector<std::pair<Timestamp, fronthaul::Message>>& queue) {
  const auto* c = std::get_if<CplaneMessage>(&request->decoded.message.body);
  if (!c || c->header.data_direction != DataDirection::kUplink) return;
  if (c->section_type != SectionType::kMostDlUl &&
      c->section_type != SectionType::kPrachAndMixedNumerology)
    return;
  ++x.ul_requests;
  const auto& setup = s.setup();
  const auto clock = s.clock();
  const auto ta3 = s.windows().ta3;
  const double power = s.ctx().params().get_double("signal.power_dbfs", -12.0);
  const auto slot = tester::slot_of_header(clock, c->header, request->at);
  const bool prach = c->section_type == SectionType::kPrachAndMixedNumerology;
  const auto eaxc = request->decoded.message.eaxc;
  const std::uint16_t antenna = eaxc.ru_port;
  for (const auto& section : c->sections) {
    const std::uint16_t prbs = transport::effective_prbs(section.num_prbc, setup.carrier_prbs);
    for (int k = 0; k < section.num_symbol; ++k) {
      const int symbol = c->header.start_symbol_id + k;
      if (symbol >= 14) break;
      const std::int64_t n = slot.first_symbol + symbol;
      auto iq = tester::symbol_signal(kUlSeed, antenna, n, prbs, power);
      auto m = tester::uplane_message(setup, DataDirection::kUplink, slot.point,
                                      static_cast<std::uint8_t>(symbol), eaxc, section.section_id,
                                      section.start_prbc, iq, setup.ul_compression,
                                      prach ? c->header.filter_index : std::uint8_t{0});
      if (!m) continue;
      if (!prach) {
        auto& a = x.answered[{antenna, slot.index}];
        a.antenna = antenna;
        a.point = slot.point;
        a.iq[static_cast<std::uint8_t>(symbol)].push_back({section.start_prbc, std::move(iq)});
      }
      queue.emplace_back(ta3.target(clock.symbol_start(n)), std::move(*m));
    }
  }
}

std::optional<OduExchange> odu_exchange(PeerSession& s) {
  auto& ctx = s.ctx();
  const auto clock = s.clock();
  const auto slots = static_cast<std::uint32_t>(ctx.params().get_int("slots", 10));
  adapter::DlTestPattern pattern;
  pattern.pattern = ctx.params().get_string("signal.pattern", "full-prb-qpsk");
  pattern.start_prb = 0;
  pattern.num_prbs = s.setup().carrier_prbs;
  pattern.num_slots = slots;
  pattern.seed = 11;
  auto first = s.link().client().stimulate(s.link().session_id(), pattern);
  if (!first) {
    ctx.error(first.error().where + ": " + first.error().message);
    return std::nullopt;
  }
  // Until the pattern's last slot has passed and its UL has been answered.
  const auto slot_length =
      clock.dilate(std::chrono::microseconds(1000 >> transport::mu_of(s.setup().numerology)));
  Timestamp end = transport::now() + slot_length * (slots + 2) + s.windows().t1a_cp_dl.max;
  if (*first) {
    const transport::SlotPoint p{(*first)->frame, (*first)->subframe, (*first)->slot, 0};
    const Timestamp start = clock.nearest_time(p, transport::now());
    end = start + slot_length * (slots + 1) + s.windows().ta3.max;
  }
  OduExchange x;
  std::vector<std::pair<Timestamp, fronthaul::Message>> queue;
  std::size_t seen = 0;
  for (;;) {
    Timestamp next = end;
    for (const auto& q : queue) next = std::min(next, q.first);
    if (auto got = s.port().receive_batch(next); !got) {
      ctx.error("receive: " + got.error().message);
      return std::nullopt;
    }
    const auto& packets = s.port().packets();
    for (; seen < packets.size(); ++seen) {
      if (!packets[seen]->sent) plan_answers(s, packets[seen].get(), x, queue);
    }
    std::stable_sort(queue.begin(), queue.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    const Timestamp now = transport::now();
    std::size_t done = 0;
    for (; done < queue.size() && queue[done].first <= now; ++done) {
      if (auto sent = s.port().send(std::move(queue[done].second)); !sent) {
        ctx.error("send: " + sent.error().message);
        return std::nullopt;
      }
    }
    queue.erase(queue.begin(), queue.begin() + static_cast<std::ptrdiff_t>(done));
    seen = s.port().packets().size();
    if (now >= end && queue.empty()) break;
  }
  x.received = s.port().received();
  ctx.add_measurement("du.received", static_cast<double>(x.received.size()), "count");
  ctx.add_measurement("du.ul_requests", static_cast<double>(x.ul_requests), "count");
  return x;
}

struct Run {
  std::unique_ptr<PeerSession> session;
  OduExchange exchange;
};

std::optional<Run> run_odu(Context& ctx) {
  auto s = PeerSession::start(ctx);
  if (!s) return std::nullopt;
  auto x = odu_exchange(*s);
  if (!x) return std::nullopt;
  if (x->received.empty()) {
    ctx.fail(case_finding("cus.du.silent", "O-RAN.WG4.CUS 7.2.1",
                          "the O-DU sent nothing for the DL test pattern"));
    return std::nullopt;
  }
  return Run{std::move(s), std::move(*x)};
}

const CplaneMessage* cplane_of(const PortPacket* p) {
  return std::get_if<CplaneMessage>(&p->decoded.message.body);
}
const UplaneMessage* uplane_of(const PortPacket* p) {
  return std::get_if<UplaneMessage>(&p->decoded.message.body);
}

void headers(Context& ctx) {
  auto r = run_odu(ctx);
  if (!r) return;
  FindingTally tally;
  tally_codec_findings(tally, r->session->port(),
                       [](std::string_view rule) { return rule.rfind("FH-STREAM-", 0) != 0; });
  tally.record(ctx);
  ctx.set_verdict(Verdict::kPass,
                  std::to_string(r->exchange.received.size()) + " messages checked");
}

void dl_timing(Context& ctx) {
  auto r = run_odu(ctx);
  if (!r) return;
  auto& s = *r->session;
  const auto clock = s.clock();
  const auto w = s.windows();
  const double dilation = s.setup().dilation;
  FindingTally tally;
  // Earliest C-plane arrival per (eAxC, frameId, subframe, slot, sectionId).
  std::map<std::tuple<std::uint16_t, std::uint8_t, std::uint8_t, std::uint8_t, std::uint16_t>,
           Timestamp>
      cplane;
  double up_min = 1e12, up_max = -1e12, cp_min = 1e12, cp_max = -1e12;
  for (const auto* p : r->exchange.received) {
    const auto wire = p->decoded.message.eaxc.to_wire(s.setup().eaxc_split);
    if (const auto* c = cplane_of(p)) {
      if (c->header.data_direction != DataDirection::kDownlink) continue;
      const auto slot = tester::slot_of_header(clock, c->header, p->at);
      const Timestamp symbol = slot.symbol_start(clock, c->header.start_symbol_id);
      const double advance = real_us(w.t1a_cp_dl.offset(p->at, symbol), dilation);
      cp_min = std::min(cp_min, advance);
      cp_max = std::max(cp_max, advance);
      if (w.t1a_cp_dl.classify(p->at, symbol) != transport::WindowPosition::kOnTime) {
        tally.add("cus.du.dl.cplane-t1a", "O-RAN.WG4.CUS 4.4.2",
                  "DL C-plane " + std::to_string(advance) + " us ahead of its symbol, outside T1a",
                  where_packet(p));
      }
      for (const auto& sec : c->sections) {
        const auto key = std::make_tuple(wire, c->header.frame_id, c->header.subframe_id,
                                         c->header.slot_id, sec.section_id);
        if (!cplane.count(key)) cplane[key] = p->at;
      }
    } else if (const auto* u = uplane_of(p)) {
      if (u->header.data_direction != DataDirection::kDownlink) continue;
      const auto slot = tester::slot_of_header(clock, u->header, p->at);
      const Timestamp symbol = slot.symbol_start(clock, u->header.start_symbol_id);
      const double advance = real_us(w.t1a_up.offset(p->at, symbol), dilation);
      up_min = std::min(up_min, advance);
      up_max = std::max(up_max, advance);
      const auto position = w.t1a_up.classify(p->at, symbol);
      if (position != transport::WindowPosition::kOnTime) {
        tally.add(position == transport::WindowPosition::kEarly ? "cus.du.dl.uplane-early"
                                                                : "cus.du.dl.uplane-late",
                  "O-RAN.WG4.CUS 4.4.2",
                  "DL U-plane " + std::to_string(advance) + " us ahead of its symbol, " +
                      std::string(transport::to_string(position)) + " against T1a",
                  where_packet(p));
      }
      for (const auto& sec : u->sections) {
        const auto key = std::make_tuple(wire, u->header.frame_id, u->header.subframe_id,
                                         u->header.slot_id, sec.section_id);
        const auto it = cplane.find(key);
        if (it == cplane.end() || it->second > p->at) {
          tally.add("cus.du.dl.uplane-before-cplane", "O-RAN.WG4.CUS 7.2.1",
                    "DL U-plane section without an earlier C-plane section", where_packet(p));
        }
      }
    }
  }
  if (cp_max > -1e12) {
    ctx.add_measurement("dl.t1a_cp.advance_min", cp_min, "us");
    ctx.add_measurement("dl.t1a_cp.advance_max", cp_max, "us");
  } else {
    tally.add("cus.du.dl.no-cplane", "O-RAN.WG4.CUS 7.2.1",
              "no DL C-plane during the DL test pattern: nothing to time", "");
  }
  if (up_max > -1e12) {
    ctx.add_measurement("dl.t1a_up.advance_min", up_min, "us");
    ctx.add_measurement("dl.t1a_up.advance_max", up_max, "us");
  } else {
    tally.add("cus.du.dl.no-uplane", "O-RAN.WG4.CUS 8.3",
              "no DL U-plane during the DL test pattern: nothing to time", "");
  }
  tally.record(ctx);
  ctx.set_verdict(Verdict::kPass, "DL C-plane before its U-plane, both inside T1a");
}

void dl_udcomphdr_zero(Context& ctx) {
  auto r = run_odu(ctx);
  if (!r) return;
  FindingTally tally;
  std::size_t checked = 0;
  for (const auto* p : r->exchange.received) {
    const auto* c = cplane_of(p);
    if (!c || c->header.data_direction != DataDirection::kDownlink) continue;
    if (c->section_type != SectionType::kMostDlUl &&
        c->section_type != SectionType::kPrachAndMixedNumerology)
      continue;
    ++checked;
    if (c->ud_comp_hdr.ud_comp_hdr() != 0) {
      tally.add("cus.du.dl.udcomphdr-nonzero", "O-RAN.WG4.CUS 7.5.2.10",
                "DL C-plane udCompHdr is 0x" + std::to_string(c->ud_comp_hdr.ud_comp_hdr()) +
                    ", not zero",
                where_packet(p));
    }
  }
  if (checked == 0) {
    tally.add("cus.du.dl.no-cplane", "O-RAN.WG4.CUS 7.2.1", "no DL C-plane section type 1 seen",
              "");
  }
  tally.record(ctx);
  ctx.set_verdict(Verdict::kPass,
                  std::to_string(checked) + " DL C-plane messages with udCompHdr zero");
}

void uplane_within_cplane(Context& ctx) {
  auto r = run_odu(ctx);
  if (!r) return;
  FindingTally tally;
  tally_codec_findings(tally, r->session->port(), [](std::string_view rule) {
    return rule == fr::kStreamUpPrbOutside || rule == fr::kStreamUpSymbolOutside ||
           rule == fr::kStreamUpSectionId || rule == fr::kStreamUpNoCplane ||
           rule == fr::kUpPrbRange || rule == fr::kCpPrbRange;
  });
  std::size_t sections = 0;
  for (const auto* p : r->exchange.received) {
    if (const auto* u = uplane_of(p)) sections += u->sections.size();
  }
  ctx.add_measurement("uplane.sections", static_cast<double>(sections), "count");
  if (sections == 0) {
    tally.add("cus.du.no-uplane", "O-RAN.WG4.CUS 8.3",
              "no U-plane section during the DL test pattern: nothing to hold against the C-plane",
              "");
  }
  tally.record(ctx);
  ctx.set_verdict(Verdict::kPass,
                  "U-plane PRBs, symbols and sectionIds inside the C-plane's sections");
}

void prach_requests(Context& ctx) {
  auto r = run_odu(ctx);
  if (!r) return;
  const auto& setup = r->session->setup();
  FindingTally tally;
  tally_codec_findings(tally, r->session->port(),
                       [](std::string_view rule) { return rule == fr::kCpNumSymbolZero; });
  std::size_t requests = 0;
  for (const auto* p : r->exchange.received) {
    const auto* c = cplane_of(p);
    if (!c || c->section_type != SectionType::kPrachAndMixedNumerology) continue;
    ++requests;
    const auto port = p->decoded.message.eaxc.ru_port;
    if (port < setup.antennas || port >= 2 * setup.antennas) {
      tally.add("cus.du.prach.eaxc", "O-RAN.WG4.CUS 5.1.3.2.6",
                "PRACH request on RU port " + std::to_string(port) + ", not a PRACH port (" +
                    std::to_string(setup.antennas) + ".." + std::to_string(2 * setup.antennas - 1) +
                    ")",
                where_packet(p));
    }
    if (c->header.data_direction != DataDirection::kUplink) {
      tally.add("cus.du.prach.direction", "O-RAN.WG4.CUS 7.5.2.1", "PRACH request marked DL",
                where_packet(p));
    }
    if (c->header.filter_index == 0) {
      tally.add("cus.du.prach.filter-index", "O-RAN.WG4.CUS 7.5.2.3",
                "PRACH request with filterIndex 0 (the standard channel filter)", where_packet(p));
    }
    for (const auto& sec : c->sections) {
      if (sec.num_symbol == 0) {
        tally.add("cus.du.prach.numsymbol-zero", "O-RAN.WG4.CUS 7.5.3.6",
                  "section type 3 with numSymbol 0", where_packet(p));
      }
    }
  }
  ctx.add_measurement("prach.requests", static_cast<double>(requests), "count");
  if (requests == 0 && ctx.params().get_bool("prach.expected", true)) {
    tally.add("cus.du.prach.none", "O-RAN.WG4.CUS 7.5.3.1",
              "no PRACH request during the pattern although PRACH occasions are configured", "");
  }
  tally.record(ctx);
  ctx.set_verdict(Verdict::kPass, std::to_string(requests) + " PRACH requests consistent");
}

void sequence_ids(Context& ctx) {
  auto r = run_odu(ctx);
  if (!r) return;
  FindingTally tally;
  tally_codec_findings(tally, r->session->port(), [](std::string_view rule) {
    return rule == fr::kStreamSeqIdGap || rule == fr::kStreamSeqIdReorder;
  });
  tally.record(ctx);
  // Continuity is seen only on a stream of two or more messages.
  if (longest_stream(r->exchange.received, r->session->setup().eaxc_split) < 2) {
    ctx.set_verdict(Verdict::kInconclusive,
                    "no eAxC carried two messages of one plane: ecpriSeqid continuity unseen");
    return;
  }
  ctx.set_verdict(Verdict::kPass, "ecpriSeqid per eAxC and plane");
}

void compression(Context& ctx) {
  auto r = run_odu(ctx);
  if (!r) return;
  const auto& setup = r->session->setup();
  const double power = ctx.params().get_double("signal.power_dbfs", -12.0);
  const double tolerance = ctx.params().get_double("signal.power_tolerance_db", 3.0);
  FindingTally tally;
  tally_codec_findings(tally, r->session->port(), [](std::string_view rule) {
    return rule == fr::kUpCompHdrMode || rule == fr::kUpCompMeth ||
           rule == fr::kStreamUpCompression;
  });
  std::vector<fronthaul::IqSample> all;
  for (const auto* p : r->exchange.received) {
    const auto* u = uplane_of(p);
    if (!u || u->header.data_direction != DataDirection::kDownlink) continue;
    for (const auto& sec : u->sections) {
      if (sec.ud_comp_hdr.has_value() != setup.dl_compression.dynamic) {
        tally.add("cus.du.dl.udcomphdr-mode", "O-RAN.WG4.CUS 8.3.3.13",
                  setup.dl_compression.dynamic ? "udCompHdr missing although it is dynamic"
                                               : "udCompHdr sent although it is static",
                  where_packet(p));
      }
      const auto params = sec.ud_comp_hdr.value_or(setup.dl_compression.static_params);
      if (!(params == setup.dl_compression.static_params)) {
        tally.add("cus.du.dl.compression", "O-RAN.WG4.CUS 8.3.3.13",
                  std::string("DL compressed as ") + tester::method_name(params.method) + " " +
                      std::to_string(params.iq_width) + ", not as configured",
                  where_packet(p));
      }
      if (!fronthaul::is_block_method(params.method)) continue;
      auto iq = tester::decompress_prbs(params, sec.iq_data,
                                        transport::effective_prbs(sec.num_prbu, setup.carrier_prbs));
      if (iq && all.size() < 200000) all.insert(all.end(), iq->begin(), iq->end());
    }
  }
  if (!all.empty()) {
    const double measured = tester::power_dbfs(all);
    ctx.add_measurement("dl.power", measured, "dBFS");
    if (std::abs(measured - power) > tolerance) {
      tally.add("cus.du.dl.iq-scale", "O-RAN.WG4.CUS A.1",
                "DL IQ at " + std::to_string(measured) + " dBFS, expected " +
                    std::to_string(power) + " dBFS for the test pattern",
                "DL U-plane");
    }
  } else {
    tally.add("cus.du.dl.no-uplane", "O-RAN.WG4.CUS 8.3", "no decodable DL U-plane", "");
  }
  tally.record(ctx);
  ctx.set_verdict(Verdict::kPass, "DL U-plane compressed as configured at the pattern's power");
}

void ul_decoded_iq(Context& ctx) {
  auto s = PeerSession::start(ctx);
  if (!s) return;
  if (!s->link().has(adapter::Instrument::kUlDecodedIq)) {
    ctx.set_verdict(Verdict::kInconclusive,
                    "the adapter lacks the Observe instrument ul-decoded-iq");
    return;
  }
  auto x = odu_exchange(*s);
  if (!x) return;
  if (x->answered.empty()) {
    ctx.fail(case_finding("cus.du.ul.no-request", "O-RAN.WG4.CUS 7.5.3.1",
                          "the O-DU requested no UL during the pattern"));
    return;
  }
  FindingTally tally;
  std::size_t compared = 0;
  for (const auto& [key, answered] : x->answered) {
    if (compared >= 4) break;  // a few slots per antenna are enough evidence
    adapter::ObservationRequest request;
    request.instrument = adapter::Instrument::kUlDecodedIq;
    request.antenna = answered.antenna;
    request.slot = {answered.point.frame, answered.point.subframe, answered.point.slot};
    auto o = s->link().client().observe(s->link().session_id(), request);
    if (!o) {
      ctx.error(o.error().where + ": " + o.error().message);
      return;
    }
    const std::string where =
        "antenna " + std::to_string(answered.antenna) + ", slot " + answered.point.to_string();
    if (!o->available) {
      tally.add("cus.du.ul.not-decoded", "O-RAN.WG4.CUS 8.3",
                "nothing decoded: " + o->unavailable_reason, where);
      ++compared;
      continue;
    }
    const tester::SlotIq seen = slot_iq_of(*o);
    const auto c = tester::compare_iq(answered.iq, seen);
    std::vector<fronthaul::IqSample> sample = answered.iq.begin()->second.front().iq;
    auto own = tester::compression_evm_percent(s->setup().ul_compression.static_params, sample);
    const double limit =
        (own ? *own : 0.0) * 1.5 + ctx.params().get_double("evm.margin_percent", 0.5);
    ctx.add_measurement("ul.evm.antenna" + std::to_string(answered.antenna), c.evm_percent, "%");
    if (c.missing > 0 || c.evm_percent > limit) {
      tally.add("cus.du.ul.evm", "O-RAN.WG4.CUS A.1",
                "decoded UL differs from the UL sent: EVM " + std::to_string(c.evm_percent) +
                    " % (limit " + std::to_string(limit) + " %), " + std::to_string(c.missing) +
                    " resource elements missing",
                where);
    }
    ++compared;
  }
  tally.record(ctx);
  ctx.set_verdict(Verdict::kPass, "decoded UL equals the UL the harness sent");
}

TestCase odu_case(std::string id, std::string title, std::string clause,
                  std::vector<std::string> requires_capabilities, void (*run)(Context&)) {
  return fronthaul_case(CaseKind::kConformance, adapter::Role::kOdu, std::move(id),
                        std::move(title), std::move(clause), std::move(requires_capabilities), run);
}

const bool registered = [] {
  register_test_case(odu_case("cus.du.headers",
                              "eCPRI and application headers of every O-DU packet",
                              "O-RAN.WG4.CUS 5.1.3, 7.5.2, 8.3.3", {"section_type.1"}, headers));
  register_test_case(odu_case("cus.du.dl.cplane-timing",
                              "DL C-plane before its U-plane, both inside the T1a windows",
                              "O-RAN.WG4.CUS 4.4.2, 7.2.1", {"section_type.1"}, dl_timing));
  register_test_case(odu_case("cus.du.dl.udcomphdr-zero", "DL C-plane udCompHdr is zero",
                              "O-RAN.WG4.CUS 7.5.2.10", {"section_type.1"}, dl_udcomphdr_zero));
  register_test_case(
      odu_case("cus.du.uplane-within-cplane",
               "U-plane PRBs and symbols inside the C-plane's sections, sectionIds consistent",
               "O-RAN.WG4.CUS 7.5.3.1, 8.3.3.9", {"section_type.1"}, uplane_within_cplane));
  register_test_case(odu_case(
      "cus.du.prach.requests", "PRACH requests consistent with the configured PRACH occasions",
      "O-RAN.WG4.CUS 7.5.3.1, 7.5.3.6", {"section_type.3"}, prach_requests));
  register_test_case(odu_case("cus.du.sequence-id",
                              "ecpriSeqid continuity per eAxC (gaps are warnings)",
                              "O-RAN.WG4.CUS 5.1.3.2.7", {"section_type.1"}, sequence_ids));
  register_test_case(
      odu_case("cus.du.dl.compression",
               "DL U-plane compressed as configured (method, width, header mode) at full power",
               "O-RAN.WG4.CUS 6.3.3, 8.3.3.13", {"compression"}, compression));
  register_test_case(odu_case("cus.du.ul.decoded-iq",
                              "UL decoded by the O-DU equals the UL sent (EVM)",
                              "O-RAN.WG4.CUS 8.3, A.1", {"section_type.1"}, ul_decoded_iq));
  return true;
}();

}  // namespace
}  // namespace plugfest::harness::cases
