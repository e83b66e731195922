#pragma once
// What the O-RU CUS-plane cases share (internal to the oru_*_cases.cpp files): the UL
// exchange (C-plane requests for one slot, the O-RU's U-plane answers), the packet helpers
// their findings use, and oru_case, which makes each of them a conformance case of the O-RU.
//
// O-RU CUS-plane conformance: the harness plays the O-DU (profiles/o-ru-cus-conformance.yaml).
// Each case is preamble (PrepareSession, harness fronthaul end), stimulus (C-plane and DL
// U-plane on the slot clock), expected reaction (UL U-plane, counters, radiated IQ) and
// postamble (Reset), with the pcap of the exchange as an artifact.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/cases/cus/fronthaul_fixture.h"
#include "harness/engine/test_case.h"

namespace plugfest::harness::cases::oru {

// ---- The UL exchange: C-plane requests for one slot, the O-RU's U-plane answers ----

struct UlRequest {
  std::uint16_t antenna = 0;
  bool prach = false;
  fronthaul::EaxcId eaxc;
  std::vector<tester::SectionRequest> sections;  // section type 1
  tester::PrachRequest prach_request;            // section type 3
};

struct UlOptions {
  bool st1 = true;
  bool prach = false;
  bool idle = false;           // section type 0 on symbols 0..6, the request on 7..13
  std::uint16_t antennas = 0;  // 0: all
};

struct UlExchange {
  tester::SlotRef slot;
  std::vector<UlRequest> requests;
  std::vector<const tester::PortPacket*> answers;  // U-plane received
};

// Sends the requests `options` asks for on the next slot and collects the U-plane that
// arrives until a slot beyond Ta4; nullopt (ctx.error set) when sending or receiving fails.
std::optional<UlExchange> ul_exchange(PeerSession& s, const UlOptions& options);

// ---- Packets and verdicts ----

const fronthaul::UplaneMessage* uplane_of(const tester::PortPacket* p);

std::string where_packet(const tester::PortPacket* p);

void pass_unless_failed(Context& ctx, const std::string& reason);

// A conformance case of the O-RU (the harness plays the O-DU).
TestCase oru_case(std::string id, std::string title, std::string clause,
                  std::vector<std::string> requires_capabilities, void (*run)(Context&));

}  // namespace plugfest::harness::cases::oru
