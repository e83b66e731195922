// O-RU CUS-plane conformance, UL: the harness plays the O-DU (profiles/o-ru-cus-conformance.yaml)
// and sends UL C-plane for one slot (section type 1, 3 for PRACH, 0 for idle symbols); the
// expected reaction is the O-RU's UL U-plane: its headers, eAxC IDs, PRBs, symbols,
// sectionId echo, compression, Ta4 timing and ecpriSeqid, and silence on idle symbols.

#include <algorithm>
#include <set>

#include "harness/cases/cus/oru_case_support.h"
#include "interfaces/fronthaul/rules.h"

namespace plugfest::harness::cases::oru {
namespace {

using fronthaul::DataDirection;
using transport::Timestamp;
namespace fr = fronthaul::rules;

constexpr const char* kHeadersClause = "O-RAN.WG4.CUS 5.1.3, 8.3.3";

bool same_slot(const fronthaul::RadioApplicationHeader& h, const transport::SlotPoint& point) {
  return h.frame_id == point.frame_id() && h.subframe_id == point.subframe &&
         h.slot_id == point.slot;
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
  // Continuity is seen only on a stream of two or more messages.
  if (!x->answers.empty() && longest_stream(x->answers, s->setup().eaxc_split) < 2) {
    ctx.set_verdict(Verdict::kInconclusive,
                    "no eAxC carried two UL U-plane messages: ecpriSeqid continuity unseen");
    return;
  }
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
  return true;
}();

}  // namespace
}  // namespace plugfest::harness::cases::oru
