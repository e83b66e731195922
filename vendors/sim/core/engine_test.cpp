#include <gtest/gtest.h>

#include <algorithm>
#include <functional>

#include "interfaces/fronthaul/codec.h"
#include "vendors/sim/core/odu.h"
#include "vendors/sim/core/oru.h"
#include "vendors/sim/core/virtual_link.h"

namespace plugfest::sim {
namespace {

using fronthaul::DataDirection;
using std::chrono::milliseconds;
using transport::Timestamp;

struct PairRun {
  std::vector<LinkPacket> packets;  // in the order they were delivered
  ReceptionCounters oru, odu;
  std::vector<IqRecord> radiated, decoded;
  transport::SlotPoint first_slot;
};

transport::FronthaulConfig small_config() {
  transport::FronthaulConfig config;
  config.carrier_prbs = 51;
  config.antennas = 2;
  config.dl_compression = {false, {fronthaul::CompressionMethod::kBlockFloatingPoint, 9}};
  config.ul_compression = config.dl_compression;
  return config;
}

// Runs an O-DU against an O-RU for `slots` slots of virtual time, delivering every
// packet at the time it was sent (a zero-delay link).
PairRun run_pair(const FaultSet& odu_faults, const FaultSet& oru_faults, int slots = 10,
                 transport::FronthaulConfig config = small_config(),
                 const std::function<void(SimulatedOru&)>& prepare_oru = {}) {
  SimulatedOdu odu(config, odu_faults);
  SimulatedOru oru(config, oru_faults);
  if (prepare_oru) prepare_oru(oru);
  const transport::SlotClock clock = config.clock();
  Timestamp now = clock.symbol_start(1'000'000);
  PairRun run;
  SlotPattern pattern;
  pattern.num_slots = static_cast<std::uint32_t>(slots);
  const std::int64_t first_slot = odu.start(pattern, now).value();
  run.first_slot = clock.point_of(first_slot * transport::kSymbolsPerSlot);
  run_virtual_link(odu, oru, clock, now, slots, [&](LinkPacket&& p) {
    run.packets.push_back(std::move(p));
    return true;
  });
  run.oru = oru.counters();
  run.odu = odu.counters();
  std::int64_t d_slot = first_slot;  // a full D slot, not S or U
  while (d_slot % 5 >= 3) ++d_slot;
  const auto d = clock.point_of(d_slot * transport::kSymbolsPerSlot);
  run.radiated = oru.radiated(0, d.frame_id(), d.subframe, d.slot);
  // DDDSU by slot number on the clock.
  const std::int64_t u_slot = first_slot + (4 - first_slot % 5 + 5) % 5;
  const auto ul = clock.point_of(u_slot * transport::kSymbolsPerSlot);
  run.decoded = odu.decoded(0, ul.frame_id(), ul.subframe, ul.slot);
  return run;
}

std::vector<fronthaul::Finding> findings_of(const PairRun& run, const transport::FronthaulConfig& config) {
  std::vector<fronthaul::Finding> all;
  for (const auto& p : run.packets) {
    auto r = fronthaul::decode(p.bytes, config.decoder_config(p.downlink ? DataDirection::kDownlink
                                                                         : DataDirection::kUplink));
    all.insert(all.end(), r.findings.begin(), r.findings.end());
  }
  return all;
}

bool any_rule(const std::vector<fronthaul::Finding>& findings, std::string_view rule) {
  return std::any_of(findings.begin(), findings.end(),
                     [rule](const auto& f) { return f.rule_id == rule; });
}

TEST(SimulatedPair, ConformantPairExchangesCleanTrafficOnTime) {
  const PairRun run = run_pair({}, {});
  const auto findings = findings_of(run, small_config());
  for (const auto& f : findings) ADD_FAILURE() << f.rule_id << ": " << f.message;
  std::size_t downlink = 0, uplink = 0;
  for (const auto& p : run.packets) (p.downlink ? downlink : uplink)++;
  // 10 slots of DDDSU with 2 antennas: 6 D + 2 S slots of C-plane and U-plane, 2 U slots
  // with one UL request each plus a PRACH request on the first.
  EXPECT_EQ(downlink, 2u * (6 * 15 + 2 * 11) + 2u * 2 + 2u);
  EXPECT_EQ(uplink, 2u * 2 * 14 + 2u * kPrachSymbols);
  EXPECT_EQ(run.oru.on_time, downlink);
  EXPECT_EQ(run.oru.early + run.oru.late + run.oru.malformed + run.oru.dropped, 0u);
  EXPECT_EQ(run.odu.on_time, uplink);
  EXPECT_EQ(run.odu.early + run.odu.late + run.odu.malformed + run.odu.dropped, 0u);
  ASSERT_EQ(run.radiated.size(), 14u);
  EXPECT_NEAR(power_dbfs(run.radiated[0].iq), -12.0, 0.5);
  ASSERT_EQ(run.decoded.size(), 14u);
  EXPECT_EQ(run.decoded[0].iq.size(), 51u * 12);
  EXPECT_NEAR(power_dbfs(run.decoded[0].iq), -12.0, 0.5);
}

TEST(SimulatedPair, DlCplaneUdCompHdrNonzeroIsFlaggedAndDroppedByTheOru) {
  const PairRun run = run_pair({Fault::kDlCplaneUdCompHdrNonzero}, {});
  EXPECT_TRUE(any_rule(findings_of(run, small_config()), fronthaul::rules::kCpDlUdCompHdrNonzero));
  EXPECT_GT(run.oru.malformed, 0u);
}

TEST(SimulatedPair, St3NumSymbolZeroGetsNoPrachAnswer) {
  const PairRun run = run_pair({Fault::kSt3NumSymbolZero}, {});
  EXPECT_TRUE(any_rule(findings_of(run, small_config()), fronthaul::rules::kCpNumSymbolZero));
  std::size_t uplink = 0;
  for (const auto& p : run.packets) uplink += p.downlink ? 0 : 1;
  EXPECT_EQ(uplink, 2u * 2 * 14);  // only the section type 1 answers
}

TEST(SimulatedPair, UplaneFaultsShowInTheDecoder) {
  const transport::FronthaulConfig config = small_config();
  struct Case {
    Fault fault;
    std::string_view rule;
  };
  for (const Case& c : {Case{Fault::kTruncatedUplane, fronthaul::rules::kUpSectionTruncated},
                        Case{Fault::kEcpriPayloadSizeWrong, fronthaul::rules::kEcpriPayloadSize},
                        Case{Fault::kDynamicHeaderWhenStatic, fronthaul::rules::kUpCompHdrMode},
                        Case{Fault::kPrbOutOfRange, fronthaul::rules::kUpPrbRange}}) {
    const PairRun run = run_pair({}, {c.fault});
    EXPECT_TRUE(any_rule(findings_of(run, config), c.rule)) << to_string(c.fault);
    // Only UL is affected, so the O-RU received everything cleanly.
    EXPECT_EQ(run.oru.malformed, 0u) << to_string(c.fault);
  }
}

TEST(SimulatedPair, NoUplaneResponseLeavesTheOduWithoutUl) {
  const PairRun run = run_pair({}, {Fault::kNoUplaneResponse});
  for (const auto& p : run.packets) EXPECT_TRUE(p.downlink);
  EXPECT_EQ(run.odu.on_time, 0u);
}

TEST(SimulatedPair, UlLateIsLateAtTheOdu) {
  const PairRun run = run_pair({}, {Fault::kUlLate});
  EXPECT_GT(run.odu.late, 0u);
  EXPECT_EQ(run.odu.on_time, 0u);
}

TEST(SimulatedPair, DlEarlyIsEarlyAtTheOruAndKeepsSequenceOrder) {
  const PairRun run = run_pair({Fault::kDlEarly}, {});
  EXPECT_GT(run.oru.early, 0u);
  EXPECT_EQ(run.oru.late, 0u);
  const transport::FronthaulConfig config = small_config();
  std::map<std::tuple<bool, bool, std::uint16_t>, int> last;
  for (const auto& p : run.packets) {
    if (!p.downlink) continue;
    const auto m =
        fronthaul::decode(p.bytes, config.decoder_config(DataDirection::kDownlink)).message;
    const bool uplink =
        m.is_cplane() &&
        std::get<fronthaul::CplaneMessage>(m.body).header.data_direction == DataDirection::kUplink;
    const auto key = std::make_tuple(m.is_uplane(), uplink, m.eaxc.ru_port);
    if (last.count(key)) {
      EXPECT_EQ((last[key] + 1) & 0xff, m.seq_id.sequence_id) << "out of order";
    }
    last[key] = m.seq_id.sequence_id;
  }
}

TEST(SimulatedPair, IqLowScaleIsFarBelowTheConfiguredPower) {
  const PairRun run = run_pair({}, {Fault::kIqLowScale});
  ASSERT_FALSE(run.decoded.empty());
  EXPECT_LT(power_dbfs(run.decoded[0].iq), -55.0);
}

TEST(SimulatedPair, NoDlUplaneSendsTheCplaneButNoDlUplane) {
  const transport::FronthaulConfig config = small_config();
  const auto count = [&config](const PairRun& run, bool uplane) {
    std::size_t n = 0;
    for (const auto& p : run.packets) {
      if (!p.downlink) continue;
      const auto m =
          fronthaul::decode(p.bytes, config.decoder_config(DataDirection::kDownlink)).message;
      n += m.is_uplane() == uplane ? 1 : 0;
    }
    return n;
  };
  const PairRun conformant = run_pair({}, {});
  const PairRun run = run_pair({Fault::kNoDlUplane}, {});
  EXPECT_GT(count(conformant, true), 0u);
  EXPECT_EQ(count(run, true), 0u);
  EXPECT_EQ(count(run, false), count(conformant, false));
  EXPECT_TRUE(run.radiated.empty());
  EXPECT_FALSE(run.decoded.empty());  // the UL still works
}

TEST(SimulatedPair, MultiSectionAndSectionIdAndEaxcFaultsChangeOnlyThoseFields) {
  const transport::FronthaulConfig config = small_config();
  auto uplane_messages = [&config](const PairRun& run) {
    std::vector<fronthaul::Message> out;
    for (const auto& p : run.packets) {
      if (p.downlink) continue;
      out.push_back(
          fronthaul::decode(p.bytes, config.decoder_config(DataDirection::kUplink)).message);
    }
    return out;
  };
  for (const auto& m : uplane_messages(run_pair({}, {Fault::kMultiSectionUplane}))) {
    EXPECT_EQ(std::get<fronthaul::UplaneMessage>(m.body).sections.size(), 2u);
  }
  for (const auto& m : uplane_messages(run_pair({}, {Fault::kWrongSectionId}))) {
    const auto id = std::get<fronthaul::UplaneMessage>(m.body).sections[0].section_id;
    EXPECT_TRUE(id == kUlSectionId + 1 || id == kPrachSectionId + 1) << id;
  }
  for (const auto& m : uplane_messages(run_pair({}, {Fault::kEaxcMappingMismatch}))) {
    const bool prach = std::get<fronthaul::UplaneMessage>(m.body).header.filter_index != 0;
    EXPECT_EQ(m.eaxc.ru_port >= config.antennas, !prach);
  }
  const auto prach_shifted = uplane_messages(run_pair({}, {Fault::kPrachWrongStartSymbol}));
  bool shifted = false;
  for (const auto& m : prach_shifted) {
    const auto& u = std::get<fronthaul::UplaneMessage>(m.body);
    if (u.header.filter_index == kPrachFilterIndex && u.header.start_symbol_id == 0) {
      ADD_FAILURE() << "PRACH answered on the requested first symbol";
    }
    shifted |= u.header.filter_index == kPrachFilterIndex;
  }
  EXPECT_TRUE(shifted);
}

TEST(SimulatedPair, SeqIdGapSkipsSequenceIds) {
  const PairRun run = run_pair({Fault::kSeqIdGap}, {});
  const transport::FronthaulConfig config = small_config();
  std::map<std::uint16_t, int> last;
  int gaps = 0;
  for (const auto& p : run.packets) {
    if (!p.downlink) continue;
    const auto m =
        fronthaul::decode(p.bytes, config.decoder_config(DataDirection::kDownlink)).message;
    if (!m.is_uplane()) continue;
    const std::uint16_t key = m.eaxc.ru_port;
    if (last.count(key) && ((last[key] + 1) & 0xff) != m.seq_id.sequence_id) ++gaps;
    last[key] = m.seq_id.sequence_id;
  }
  EXPECT_GT(gaps, 0);
}

// The same records, symbol for symbol, carrying different IQ.
void expect_same_shape_other_iq(const std::vector<IqRecord>& faulty,
                                const std::vector<IqRecord>& conformant) {
  ASSERT_EQ(faulty.size(), conformant.size());
  ASSERT_FALSE(faulty.empty());
  bool differs = false;
  for (std::size_t i = 0; i < faulty.size(); ++i) {
    EXPECT_EQ(faulty[i].symbol, conformant[i].symbol);
    ASSERT_EQ(faulty[i].iq.size(), conformant[i].iq.size());
    differs = differs ||
              !std::equal(faulty[i].iq.begin(), faulty[i].iq.end(), conformant[i].iq.begin(),
                          [](const auto& a, const auto& b) { return a.i == b.i && a.q == b.q; });
  }
  EXPECT_TRUE(differs);
}

TEST(SimulatedPair, IqFaultsChangeWhatIsRadiatedOrDecodedAndNothingElse) {
  const PairRun conformant = run_pair({}, {});
  for (Fault f : {Fault::kDlIqAntennaSwap, Fault::kDlDecompressWrongWidth}) {
    SCOPED_TRACE(std::string(to_string(f)));
    const PairRun run = run_pair({}, {f});
    expect_same_shape_other_iq(run.radiated, conformant.radiated);
    EXPECT_EQ(run.packets.size(), conformant.packets.size());
    EXPECT_EQ(run.oru.on_time, conformant.oru.on_time);
    EXPECT_EQ(run.oru.malformed + run.oru.dropped, 0u);
  }
  const PairRun swapped = run_pair({Fault::kUlIqAntennaSwap}, {});
  expect_same_shape_other_iq(swapped.decoded, conformant.decoded);
  EXPECT_EQ(swapped.odu.on_time, conformant.odu.on_time);
}

TEST(SimulatedPair, DlFaultsWithoutTheirTriggerChangeNothing) {
  // No late DL, no beamforming extension: these faults have nothing to act on.
  const PairRun conformant = run_pair({}, {});
  for (Fault f : {Fault::kReceptionWindowMiscount, Fault::kBeamformingExtensionRejected}) {
    const PairRun run = run_pair({}, {f});
    EXPECT_EQ(run.oru.on_time, conformant.oru.on_time) << to_string(f);
    EXPECT_EQ(run.oru.dropped, 0u) << to_string(f);
    EXPECT_EQ(run.radiated.size(), conformant.radiated.size()) << to_string(f);
  }
}

TEST(SimulatedPair, InactiveCarriersNeitherRadiateNorAnswer) {
  const auto active = run_pair({}, {});
  ASSERT_FALSE(active.radiated.empty());
  ASSERT_FALSE(active.decoded.empty());
  EXPECT_EQ(active.oru.dropped, 0u);

  const auto no_tx = run_pair({}, {}, 10, small_config(),
                              [](SimulatedOru& oru) { oru.set_carriers_active(false, true); });
  EXPECT_TRUE(no_tx.radiated.empty());
  EXPECT_FALSE(no_tx.decoded.empty());
  EXPECT_GT(no_tx.oru.dropped, 0u);

  const auto no_rx = run_pair({}, {}, 10, small_config(),
                              [](SimulatedOru& oru) { oru.set_carriers_active(true, false); });
  EXPECT_FALSE(no_rx.radiated.empty());
  EXPECT_TRUE(no_rx.decoded.empty());
  EXPECT_GT(no_rx.oru.dropped, 0u);

  const auto back = run_pair({}, {}, 10, small_config(), [](SimulatedOru& oru) {
    oru.set_carriers_active(false, false);
    oru.set_carriers_active(true, true);  // reactivated
  });
  EXPECT_FALSE(back.radiated.empty());
  EXPECT_FALSE(back.decoded.empty());
}

TEST(Faults, NamesRoundTripAndUnknownNamesListTheKnownOnes) {
  for (Fault f : all_faults()) EXPECT_EQ(*parse_fault(to_string(f)), f);
  EXPECT_EQ(all_faults().size(), 22u);
  auto bad = parse_fault("ul-lat");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("ul-late"), std::string::npos);
  EXPECT_TRUE(applies_to(Fault::kUlLate, adapter::Role::kOru));
  EXPECT_FALSE(applies_to(Fault::kUlLate, adapter::Role::kOdu));
}

TEST(SilentEnd, TakesInAPatternAndSendsAndCountsNothing) {
  const auto config = small_config();
  SimulatedOdu odu(config, {});
  const transport::SlotClock clock = config.clock();
  const Timestamp now = clock.symbol_start(1'000'000);
  SlotPattern pattern;
  pattern.num_slots = 5;
  const std::int64_t first = odu.start(pattern, now).value();
  std::vector<Transmission> traffic;
  for (std::int64_t slot = first; slot < first + 5; ++slot) odu.schedule_slot(slot, traffic);
  ASSERT_FALSE(traffic.empty());
  SilentEnd silent;
  std::vector<Transmission> out;
  for (const auto& t : traffic) silent.on_packet(t.ecpri, t.at, out);
  silent.on_time(clock.symbol_start((first + 10) * transport::kSymbolsPerSlot), out);
  EXPECT_TRUE(out.empty());
  const ReceptionCounters c = silent.counters();
  EXPECT_EQ(c.on_time + c.early + c.late + c.dropped + c.malformed + c.transmitted, 0u);
  EXPECT_TRUE(applies_to(Fault::kSilent, adapter::Role::kOru));
  EXPECT_TRUE(applies_to(Fault::kSilent, adapter::Role::kOdu));
}

TEST(SlotPattern, ChecksRanges) {
  SlotPattern pattern;
  pattern.tdd = "DDX";
  EXPECT_FALSE(pattern.check(273));
  pattern.tdd = "DU";
  pattern.start_prb = 270;
  pattern.num_prbs = 10;
  EXPECT_FALSE(pattern.check(273));
}

}  // namespace
}  // namespace plugfest::sim
