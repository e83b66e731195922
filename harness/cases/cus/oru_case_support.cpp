// The UL exchange, packet helpers and case factory the O-RU CUS-plane cases share.

#include "harness/cases/cus/oru_case_support.h"

namespace plugfest::harness::cases::oru {
namespace {

using fronthaul::DataDirection;
using tester::SectionRequest;
using transport::Timestamp;

std::uint16_t section_id_for(std::uint16_t antenna) {
  return static_cast<std::uint16_t>(0x100 + antenna);
}

}  // namespace

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

const fronthaul::UplaneMessage* uplane_of(const tester::PortPacket* p) {
  return std::get_if<fronthaul::UplaneMessage>(&p->decoded.message.body);
}

std::string where_packet(const tester::PortPacket* p) { return tester::where(*p); }

void pass_unless_failed(Context& ctx, const std::string& reason) {
  ctx.set_verdict(Verdict::kPass, reason);
}

TestCase oru_case(std::string id, std::string title, std::string clause,
                  std::vector<std::string> requires_capabilities, void (*run)(Context&)) {
  return fronthaul_case(CaseKind::kConformance, adapter::Role::kOru, std::move(id),
                        std::move(title), std::move(clause), std::move(requires_capabilities), run);
}

}  // namespace plugfest::harness::cases::oru
