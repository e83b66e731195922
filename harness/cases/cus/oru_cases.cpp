// O-RU CUS-plane conformance: the harness plays the O-DU (profiles/o-ru-cus-conformance.yaml).
// Each case is preamble (PrepareSession, harness fronthaul end), stimulus (C-plane and DL
// U-plane on the slot clock), expected reaction (UL U-plane, counters, radiated IQ) and
// postamble (Reset), with the pcap of the exchange as an artifact.

#include <algorithm>
#include <set>
#include <thread>

#include "harness/cases/cus/fronthaul_fixture.h"
#include "harness/engine/test_case.h"
#include "interfaces/fronthaul/rules.h"

namespace plugfest::harness::cases {
namespace {

using fronthaul::DataDirection;
using fronthaul::SectionType;
using tester::PortPacket;
using tester::SectionRequest;
using tester::SlotRef;
using transport::Timestamp;
namespace fr = fronthaul::rules;

constexpr const char* kHeadersClause = "O-RAN.WG4.CUS 5.1.3, 8.3.3";

// ---- The UL exchange: C-plane requests for one slot, the O-RU's U-plane answers ----

struct UlRequest {
  std::uint16_t antenna = 0;
  bool prach = false;
  fronthaul::EaxcId eaxc;
  std::vector<SectionRequest> sections;  // section type 1
  tester::PrachRequest prach_request;    // section type 3
};

struct UlOptions {
  bool st1 = true;
  bool prach = false;
  bool idle = false;           // section type 0 on symbols 0..6, the request on 7..13
  std::uint16_t antennas = 0;  // 0: all
};

struct UlExchange {
  SlotRef slot;
  std::vector<UlRequest> requests;
  std::vector<const PortPacket*> answers;  // U-plane received
};

std::uint16_t section_id_for(std::uint16_t antenna) {
  return static_cast<std::uint16_t>(0x100 + antenna);
}

std::optional<UlExchange> ul_exchange(PeerSession& s, const UlOptions& options) {
  const auto& setup = s.setup();
  const auto clock = s.clock();
  const auto windows = s.windows();
  UlExchange x;
  x.slot = s.next_slot();
  const std::uint16_t antennas = options.antennas ? options.antennas : setup.antennas;
  const Timestamp slot_start = x.slot.symbol_start(clock, 0);
  for (std::uint16_t a = 0; a < antennas; ++a) {
    if (options.idle) {
      SectionRequest idle{0, 0, 0, 0, 7, 0};
      auto m = tester::st0_cplane(setup, DataDirection::kUplink, x.slot.point, transport::data_eaxc(a),
                                  idle);
      if (auto sent = s.port().send(m, windows.t1a_cp_ul.target(slot_start)); !sent) {
        s.ctx().error("send: " + sent.error().message);
        return std::nullopt;
      }
    }
    if (options.st1) {
      UlRequest r;
      r.antenna = a;
      r.eaxc = transport::data_eaxc(a);
      SectionRequest section;
      section.section_id = section_id_for(a);
      section.start_symbol = options.idle ? 7 : 0;
      section.num_symbol = options.idle ? 7 : 14;
      r.sections.push_back(section);
      auto m = tester::st1_cplane(setup, DataDirection::kUplink, x.slot.point, r.eaxc, r.sections);
      const Timestamp first = x.slot.symbol_start(clock, section.start_symbol);
      if (auto sent = s.port().send(m, windows.t1a_cp_ul.target(first)); !sent) {
        s.ctx().error("send: " + sent.error().message);
        return std::nullopt;
      }
      x.requests.push_back(std::move(r));
    }
    if (options.prach) {
      UlRequest r;
      r.antenna = a;
      r.prach = true;
      r.eaxc = transport::prach_eaxc(setup, a);
      r.prach_request.start_symbol = 0;
      r.prach_request.num_symbol = 12;
      r.prach_request.frame_structure =
          static_cast<std::uint8_t>(0x90 | transport::mu_of(setup.numerology));
      auto m = tester::st3_cplane(setup, x.slot.point, a, r.prach_request);
      if (auto sent = s.port().send(m, windows.t1a_cp_ul.target(slot_start)); !sent) {
        s.ctx().error("send: " + sent.error().message);
        return std::nullopt;
      }
      x.requests.push_back(std::move(r));
    }
  }
  // A slot beyond Ta4: answers that late still arrive, for the Ta4 case to judge.
  const Timestamp slot_end = x.slot.symbol_start(clock, 14);
  const Timestamp until = slot_end + windows.ta4.max + (slot_end - slot_start);
  if (auto got = s.port().receive_until(until); !got) {
    s.ctx().error("receive: " + got.error().message);
    return std::nullopt;
  }
  for (const auto* p : s.port().received()) {
    if (p->decoded.message.is_uplane()) x.answers.push_back(p);
  }
  s.ctx().add_measurement("ul.answers", static_cast<double>(x.answers.size()), "count");
  return x;
}

const fronthaul::UplaneMessage* uplane_of(const PortPacket* p) {
  return std::get_if<fronthaul::UplaneMessage>(&p->decoded.message.body);
}

bool same_slot(const fronthaul::RadioApplicationHeader& h, const transport::SlotPoint& point) {
  return h.frame_id == point.frame_id() && h.subframe_id == point.subframe &&
         h.slot_id == point.slot;
}

std::string where_packet(const PortPacket* p) { return "packet " + std::to_string(p->index); }

void pass_unless_failed(Context& ctx, const std::string& reason) {
  ctx.set_verdict(Verdict::kPass, reason);
}

// ---- Cases ----

void ul_headers(Context& ctx) {
  auto s = PeerSession::start(ctx);
  if (!s) return;
  auto x = ul_exchange(*s, {.st1 = true, .prach = false});
  if (!x) return;
  if (x->answers.empty()) {
    ctx.fail(case_finding("cus.ru.ul.no-answer", "O-RAN.WG4.CUS 8.3", "no UL U-plane arrived"));
    return;
  }
  FindingTally tally;
  tally_codec_findings(tally, s->port(), [](std::string_view rule) {
    return rule.rfind("FH-STREAM-", 0) != 0;  // this case: each packet on its own
  });
  for (const auto* p : x->answers) {
    const auto& h = uplane_of(p)->header;
    if (h.data_direction != DataDirection::kUplink) {
      tally.add("cus.ru.ul.data-direction", "O-RAN.WG4.CUS 8.3.3.1",
                "UL U-plane with dataDirection DL", where_packet(p));
    }
    if (p->decoded.message.ecpri.revision != 1) {
      tally.add("cus.ru.ul.ecpri-revision", "eCPRI 2.0 3.1.3.1.1",
                "ecpriRevision " + std::to_string(p->decoded.message.ecpri.revision),
                where_packet(p));
    }
  }
  tally.record(ctx);
  pass_unless_failed(ctx, std::to_string(x->answers.size()) + " UL U-plane messages checked");
}

void ul_eaxc(Context& ctx) {
  auto s = PeerSession::start(ctx);
  if (!s) return;
  auto x = ul_exchange(*s, {.st1 = true, .prach = true});
  if (!x) return;
  std::set<std::uint16_t> requested;
  for (const auto& r : x->requests) requested.insert(r.eaxc.to_wire(s->setup().eaxc_split));
  FindingTally tally;
  const unsigned ports = 2u * s->setup().antennas;
  for (const auto* p : x->answers) {
    const auto& m = p->decoded.message;
    const std::uint16_t wire = m.eaxc.to_wire(s->setup().eaxc_split);
    if (m.eaxc.ru_port >= ports) {
      tally.add("cus.ru.eaxc.port-range", "O-RAN.WG4.CUS 5.1.3.2.6",
                "RU port " + std::to_string(m.eaxc.ru_port) + " beyond the " +
                    std::to_string(ports) + " configured ports",
                where_packet(p));
    }
    if (!requested.count(wire)) {
      tally.add("cus.ru.eaxc.unrequested", "O-RAN.WG4.CUS 5.1.3.2.6",
                "U-plane on eAxC 0x" + std::to_string(wire) + " that no C-plane requested",
                where_packet(p));
    }
  }
  if (x->answers.empty()) {
    tally.add("cus.ru.ul.no-answer", "O-RAN.WG4.CUS 8.3", "no UL U-plane arrived", "");
  }
  tally.record(ctx);
  pass_unless_failed(ctx, "eAxC IDs of " + std::to_string(x->answers.size()) + " answers");
}

// The U-plane answers of one section type 1 request, symbol by symbol.
void check_st1_coverage(Context& ctx, PeerSession& s, const UlExchange& x, FindingTally& tally) {
  const auto& setup = s.setup();
  const auto max_sections = ctx.params().get_int("uplane.max_sections_per_message", 1);
  for (const auto& r : x.requests) {
    if (r.prach) continue;
    const auto& req = r.sections.front();
    const std::uint16_t prbs = transport::effective_prbs(req.prbs, setup.carrier_prbs);
    for (std::uint8_t sym = req.start_symbol; sym < req.start_symbol + req.num_symbol; ++sym) {
      std::vector<bool> covered(setup.carrier_prbs + 256u, false);
      bool any = false;
      for (const auto* p : x.answers) {
        const auto& m = p->decoded.message;
        const auto* u = uplane_of(p);
        if (!(m.eaxc == r.eaxc) || !same_slot(u->header, x.slot.point) ||
            u->header.start_symbol_id != sym) {
          continue;
        }
        any = true;
        if (static_cast<std::int64_t>(u->sections.size()) > max_sections) {
          tally.add("cus.ru.ul.sections-per-message", "O-RAN.WG4.CUS 8.3.2",
                    std::to_string(u->sections.size()) +
                        " sections in one U-plane message (at most " +
                        std::to_string(max_sections) + " agreed)",
                    where_packet(p));
        }
        for (const auto& sec : u->sections) {
          if (sec.section_id != req.section_id) {
            tally.add("cus.ru.ul.section-id-echo", "O-RAN.WG4.CUS 8.3.3.9",
                      "sectionId " + std::to_string(sec.section_id) + " answers request " +
                          std::to_string(req.section_id),
                      where_packet(p));
          }
          if (sec.ud_comp_hdr.has_value() != setup.ul_compression.dynamic) {
            tally.add("cus.ru.ul.udcomphdr-mode", "O-RAN.WG4.CUS 8.3.3.13",
                      setup.ul_compression.dynamic ? "udCompHdr missing although it is dynamic"
                                                   : "udCompHdr sent although it is static",
                      where_packet(p));
          }
          const auto params = sec.ud_comp_hdr.value_or(setup.ul_compression.static_params);
          if (!(params == setup.ul_compression.static_params)) {
            tally.add("cus.ru.ul.compression", "O-RAN.WG4.CUS 8.3.3.13",
                      std::string("U-plane compressed as ") + tester::method_name(params.method) +
                          " " + std::to_string(params.iq_width) + " instead of the requested",
                      where_packet(p));
          }
          const std::uint16_t n = transport::effective_prbs(sec.num_prbu, setup.carrier_prbs);
          for (std::uint32_t k = sec.start_prbu; k < std::uint32_t{sec.start_prbu} + n; ++k) {
            if (k < req.start_prb || k >= std::uint32_t{req.start_prb} + prbs) {
              tally.add("cus.ru.ul.prb-outside-request", "O-RAN.WG4.CUS 8.3.3.11",
                        "PRB " + std::to_string(k) + " answered outside the requested " +
                            std::to_string(req.start_prb) + ".." +
                            std::to_string(req.start_prb + prbs - 1),
                        where_packet(p));
              break;
            }
            covered[k] = true;
          }
        }
      }
      const std::string where =
          "antenna " + std::to_string(r.antenna) + ", symbol " + std::to_string(sym);
      if (!any) {
        tally.add("cus.ru.ul.symbol-unanswered", "O-RAN.WG4.CUS 7.2.1",
                  "no U-plane for a requested symbol", where);
        continue;
      }
      const auto missing = std::count(covered.begin() + req.start_prb,
                                      covered.begin() + req.start_prb + prbs, false);
      if (missing > 0) {
        tally.add("cus.ru.ul.prb-missing", "O-RAN.WG4.CUS 8.3.3.11",
                  std::to_string(missing) + " requested PRBs not answered", where);
      }
    }
  }
  // Answers for symbols or slots nobody asked for.
  for (const auto* p : x.answers) {
    const auto* u = uplane_of(p);
    if (!same_slot(u->header, x.slot.point)) {
      tally.add("cus.ru.ul.unrequested-slot", "O-RAN.WG4.CUS 7.2.1",
                "U-plane for a slot no C-plane requested", where_packet(p));
    }
  }
}

void ul_st1_coverage(Context& ctx) {
  auto s = PeerSession::start(ctx);
  if (!s) return;
  auto x = ul_exchange(*s, {.st1 = true});
  if (!x) return;
  FindingTally tally;
  check_st1_coverage(ctx, *s, *x, tally);
  tally_codec_findings(tally, s->port(), [](std::string_view rule) {
    return rule == fr::kUpCompHdrMode || rule == fr::kUpPrbRange || rule == fr::kUpSectionTruncated;
  });
  tally.record(ctx);
  pass_unless_failed(ctx, "PRBs, symbols, sectionId and compression of every answer as requested");
}

void ul_ta4_window(Context& ctx) {
  auto s = PeerSession::start(ctx);
  if (!s) return;
  auto x = ul_exchange(*s, {.st1 = true});
  if (!x) return;
  if (x->answers.empty()) {
    ctx.fail(case_finding("cus.ru.ul.no-answer", "O-RAN.WG4.CUS 8.3", "no UL U-plane arrived"));
    return;
  }
  const auto clock = s->clock();
  const auto ta4 = s->windows().ta4;
  FindingTally tally;
  double worst = -1e12, best = 1e12;
  for (const auto* p : x->answers) {
    const auto& h = uplane_of(p)->header;
    const auto slot = tester::slot_of_header(clock, h, p->at);
    const Timestamp symbol = slot.symbol_start(clock, h.start_symbol_id);
    const double offset = real_us(ta4.offset(p->at, symbol), s->setup().dilation);
    worst = std::max(worst, offset);
    best = std::min(best, offset);
    const auto position = ta4.classify(p->at, symbol);
    if (position != transport::WindowPosition::kOnTime) {
      tally.add(position == transport::WindowPosition::kLate ? "cus.ru.ul.ta4-late"
                                                             : "cus.ru.ul.ta4-early",
                "O-RAN.WG4.CUS 4.4.2",
                std::string("UL U-plane arrived ") + std::string(transport::to_string(position)) +
                    ", " + std::to_string(offset) + " us after its symbol (Ta4 " +
                    std::to_string(real_us(ta4.min, s->setup().dilation)) + ".." +
                    std::to_string(real_us(ta4.max, s->setup().dilation)) + " us)",
                where_packet(p));
    }
  }
  ctx.add_measurement("ul.ta4.offset_min", best, "us");
  ctx.add_measurement("ul.ta4.offset_max", worst, "us");
  tally.record(ctx);
  pass_unless_failed(ctx, "every UL U-plane message inside Ta4");
}

void ul_sequence_ids(Context& ctx) {
  auto s = PeerSession::start(ctx);
  if (!s) return;
  auto x = ul_exchange(*s, {.st1 = true, .prach = true});
  if (!x) return;
  FindingTally tally;
  tally_codec_findings(tally, s->port(), [](std::string_view rule) {
    return rule == fr::kStreamSeqIdGap || rule == fr::kStreamSeqIdReorder;
  });
  if (x->answers.empty()) {
    tally.add("cus.ru.ul.no-answer", "O-RAN.WG4.CUS 8.3", "no UL U-plane arrived", "");
  }
  tally.record(ctx);
  pass_unless_failed(ctx,
                     "ecpriSeqid per eAxC of " + std::to_string(x->answers.size()) + " answers");
}

void prach_st3(Context& ctx) {
  auto s = PeerSession::start(ctx);
  if (!s) return;
  auto x = ul_exchange(*s, {.st1 = false, .prach = true});
  if (!x) return;
  FindingTally tally;
  for (const auto& r : x->requests) {
    const auto& q = r.prach_request;
    std::set<std::uint8_t> symbols;
    for (const auto* p : x->answers) {
      const auto* u = uplane_of(p);
      if (!(p->decoded.message.eaxc == r.eaxc)) continue;
      const auto& h = u->header;
      if (!same_slot(h, x->slot.point)) {
        tally.add("cus.ru.prach.wrong-slot", "O-RAN.WG4.CUS 7.5.2.4",
                  "PRACH answered in another slot or frame", where_packet(p));
        continue;
      }
      if (h.filter_index != q.filter_index) {
        tally.add("cus.ru.prach.filter-index", "O-RAN.WG4.CUS 7.5.2.3",
                  "filterIndex " + std::to_string(h.filter_index) + " instead of " +
                      std::to_string(q.filter_index),
                  where_packet(p));
      }
      symbols.insert(h.start_symbol_id);
      for (const auto& sec : u->sections) {
        if (sec.section_id != q.section_id) {
          tally.add("cus.ru.prach.section-id-echo", "O-RAN.WG4.CUS 8.3.3.9",
                    "sectionId " + std::to_string(sec.section_id) + " answers PRACH section " +
                        std::to_string(q.section_id),
                    where_packet(p));
        }
      }
    }
    std::set<std::uint8_t> expected;
    for (int k = q.start_symbol; k < q.start_symbol + q.num_symbol; ++k)
      expected.insert(static_cast<std::uint8_t>(k));
    const std::string where = "antenna " + std::to_string(r.antenna);
    if (symbols.empty()) {
      tally.add("cus.ru.prach.unanswered", "O-RAN.WG4.CUS 7.5.3.1",
                "no PRACH U-plane for a section type 3 request", where);
    } else if (symbols != expected) {
      tally.add("cus.ru.prach.start-symbol", "O-RAN.WG4.CUS 7.5.2.7",
                "PRACH answered on symbols " + std::to_string(*symbols.begin()) + ".." +
                    std::to_string(*symbols.rbegin()) + " instead of " +
                    std::to_string(*expected.begin()) + ".." + std::to_string(*expected.rbegin()),
                where);
    }
  }
  tally.record(ctx);
  pass_unless_failed(ctx, "PRACH answered on the requested slot, symbols and filter index");
}

void st0_idle(Context& ctx) {
  auto s = PeerSession::start(ctx);
  if (!s) return;
  auto x = ul_exchange(*s, {.st1 = true, .idle = true});
  if (!x) return;
  FindingTally tally;
  for (const auto* p : x->answers) {
    if (uplane_of(p)->header.start_symbol_id < 7 &&
        same_slot(uplane_of(p)->header, x->slot.point)) {
      tally.add("cus.ru.st0.uplane-for-idle", "O-RAN.WG4.CUS 7.4.2",
                "U-plane sent for symbols a section type 0 marked idle", where_packet(p));
    }
  }
  check_st1_coverage(ctx, *s, *x, tally);
  tally.record(ctx);
  pass_unless_failed(ctx, "idle symbols silent, requested ones answered");
}

// Each block compression method and width the O-RU claims: a UL request in each, answers
// decoded and at the power of the air signal.
void compression_methods(Context& ctx) {
  const auto base = setup_from(ctx, ctx.dut());
  std::vector<fronthaul::CompressionParams> claimed;
  for (const auto& name : ctx.dut().description.capabilities.names()) {
    // compression.METHOD.WIDTH
    const auto first = name.find('.');
    const auto last = name.rfind('.');
    if (name.rfind("compression.", 0) != 0 || first == last) continue;
    auto method = tester::parse_method(name.substr(first + 1, last - first - 1));
    if (!method || !fronthaul::is_block_method(*method)) continue;
    const int width = std::atoi(name.c_str() + last + 1);
    if (width < 1 || width > 16) continue;
    claimed.push_back({*method, static_cast<std::uint8_t>(width)});
  }
  if (claimed.empty()) {
    ctx.set_verdict(Verdict::kInconclusive, "the O-RU claims no block compression method");
    return;
  }
  const double power = ctx.params().get_double("signal.power_dbfs", -12.0);
  const double tolerance = ctx.params().get_double("signal.power_tolerance_db", 3.0);
  FindingTally tally;
  std::unique_ptr<PeerSession> last;
  for (const auto& params : claimed) {
    auto setup = base;
    setup.ul_compression.static_params = params;
    setup.dl_compression.static_params = params;
    last.reset();
    const std::string label = tester::compression_capability(params);
    auto s = PeerSession::start(ctx, setup, "fronthaul-" + label + ".pcap");
    if (!s) return;
    adapter::UlAirSignal signal;
    signal.antenna = 0;
    signal.kind = adapter::SignalKind::kQpskRandom;
    signal.seed = 77;
    signal.power_dbfs = power;
    if (auto ok = s->link().client().stimulate(s->link().session_id(), signal); !ok) {
      ctx.error(ok.error().where + ": " + ok.error().message);
      return;
    }
    auto x = ul_exchange(*s, {.st1 = true, .antennas = 1});
    if (!x) return;
    std::vector<fronthaul::IqSample> all;
    for (const auto* p : x->answers) {
      for (const auto& f : p->decoded.findings) {
        if (f.severity == fronthaul::Severity::kError) {
          tally.add("cus.ru.compression.decode", spec_clause(f.clause), label + ": " + f.message,
                    where_packet(p));
        }
      }
      for (const auto& sec : uplane_of(p)->sections) {
        const auto used = sec.ud_comp_hdr.value_or(params);
        if (!(used == params) || sec.ud_comp_hdr.has_value()) {
          tally.add("cus.ru.compression.header", "O-RAN.WG4.CUS 8.3.3.13",
                    label + ": answered with a udCompHdr although it is configured statically",
                    where_packet(p));
        }
        auto iq = tester::decompress_prbs(params, sec.iq_data,
                                          transport::effective_prbs(sec.num_prbu, setup.carrier_prbs));
        if (iq) all.insert(all.end(), iq->begin(), iq->end());
      }
    }
    if (all.empty()) {
      tally.add("cus.ru.compression.no-answer", "O-RAN.WG4.CUS 8.3",
                label + ": no decodable UL U-plane", "");
    } else {
      const double measured = tester::power_dbfs(all);
      ctx.add_measurement("ul.power." + label, measured, "dBFS");
      if (std::abs(measured - power) > tolerance) {
        tally.add("cus.ru.compression.power", "O-RAN.WG4.CUS A.1",
                  label + ": UL IQ at " + std::to_string(measured) + " dBFS for an air signal at " +
                      std::to_string(power) + " dBFS",
                  "antenna 0");
      }
    }
    s->finish();
    last = std::move(s);
  }
  tally.record(ctx);
  pass_unless_failed(ctx, std::to_string(claimed.size()) + " claimed compression settings");
}

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
  FindingTally tally;
  if (after->rx_malformed != before->rx_malformed || after->rx_dropped != before->rx_dropped) {
    tally.add("cus.ru.bf.rejected", "O-RAN.WG4.CUS 7.7.1",
              "C-plane with beamforming extensions counted malformed or dropped", "counters");
  }
  if (s->link().has(adapter::Instrument::kDlRadiatedIq)) {
    bool unavailable = false;
    auto seen = observe(ctx, s->link(), adapter::Instrument::kDlRadiatedIq, 0, sent->slot.point,
                        unavailable);
    if (!seen) return;
    if (unavailable || tester::compare_iq(sent->iq[0], *seen).compared == 0) {
      tally.add("cus.ru.bf.not-radiated", "O-RAN.WG4.CUS 7.7.1",
                "DL data under a beamformed section was not radiated", "antenna 0");
    }
  }
  tally.record(ctx);
  pass_unless_failed(ctx, std::to_string(extensions.size()) + " beamforming extensions accepted");
}

TestCase oru_case(std::string id, std::string title, std::string clause,
                  std::vector<std::string> requires_capabilities, void (*run)(Context&)) {
  return fronthaul_case(CaseKind::kConformance, adapter::Role::kOru, std::move(id),
                        std::move(title), std::move(clause), std::move(requires_capabilities), run);
}

const bool registered = [] {
  register_test_case(oru_case("cus.ru.ul.headers",
                              "eCPRI and application headers of every UL packet", kHeadersClause,
                              {"section_type.1"}, ul_headers));
  register_test_case(oru_case("cus.ru.ul.eaxc",
                              "UL eAxC IDs within the split and mapped to the requested ports",
                              "O-RAN.WG4.CUS 5.1.3.2.6", {"section_type.1"}, ul_eaxc));
  register_test_case(
      oru_case("cus.ru.ul.st1-coverage",
               "Section type 1 UL answered on exactly the requested PRBs and symbols, "
               "sectionId echoed, in the requested compression and header mode",
               "O-RAN.WG4.CUS 7.5.3.1, 8.3.3", {"section_type.1"}, ul_st1_coverage));
  register_test_case(oru_case("cus.ru.ul.ta4-window", "UL U-plane inside the Ta4 window",
                              "O-RAN.WG4.CUS 4.4.2", {"section_type.1"}, ul_ta4_window));
  register_test_case(oru_case("cus.ru.ul.sequence-id",
                              "ecpriSeqid continuity per eAxC (gaps are warnings)",
                              "O-RAN.WG4.CUS 5.1.3.2.7", {"section_type.1"}, ul_sequence_ids));
  register_test_case(
      oru_case("cus.ru.prach.st3-response",
               "Section type 3 PRACH answered on the requested slot, symbols and filter index",
               "O-RAN.WG4.CUS 7.5.2.3, 7.5.3.1", {"section_type.3"}, prach_st3));
  register_test_case(oru_case(
      "cus.ru.st0.idle-without-uplane", "Section type 0 idle symbols handled without U-plane",
      "O-RAN.WG4.CUS 7.4.2", {"section_type.0", "section_type.1"}, st0_idle));
  register_test_case(
      oru_case("cus.ru.compression.claimed-methods",
               "Every claimed compression method and width decodes at the air signal's power",
               "O-RAN.WG4.CUS 6.3.3, A.1", {"compression"}, compression_methods));
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
}  // namespace plugfest::harness::cases
