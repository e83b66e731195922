#include "harness/analyze/analyzer.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "harness/analyze/testing/capture_builder.h"
#include "interfaces/common/testing/temp_dir.h"

namespace plugfest::analyze {
namespace {

using adapter::Role;
using testing::ExchangeOptions;
using testing::Fault;

using plugfest::testing::TempDir;

constexpr unsigned kSlots = 16;

// Builds the exchange, analyses it with the config that describes it.
AnalysisReport analyse(const ExchangeOptions& options, void (*adjust)(AnalysisConfig&) = nullptr) {
  TempDir dir;
  const std::string path = dir.file("exchange.pcap");
  auto config = testing::write_exchange(path, options, kSlots);
  EXPECT_TRUE(config.ok()) << (config.ok() ? "" : config.error().to_string());
  config->response_window = std::chrono::milliseconds(2);
  if (adjust) adjust(*config);
  auto report = analyze_captures({path}, *config);
  EXPECT_TRUE(report.ok());
  return std::move(*report);
}

std::string describe(const AnalysisReport& report) {
  std::string text;
  for (const auto& c : report.cases) {
    text += std::string(offline_case(c.case_id).id) + "/" +
            std::string(adapter::to_string(c.side)) + ": " +
            std::to_string(static_cast<int>(c.judgement)) + " " + c.reason + "\n";
    for (const auto& f : c.findings) {
      text += "  " + std::string(f.rule_id) + " " + f.where() + " " + f.message + "\n";
    }
  }
  for (const auto& n : report.notes) text += "note: " + n + "\n";
  return text;
}

TEST(AnalyzerTest, ConformantExchangePassesEveryCase) {
  const AnalysisReport report = analyse(ExchangeOptions{});
  EXPECT_GT(report.ecpri_frames, 100u);
  EXPECT_EQ(report.skipped_frames, 0u);
  ASSERT_EQ(report.cases.size(), 21u);
  for (const auto& c : report.cases) {
    EXPECT_EQ(c.judgement, Judgement::kPass) << describe(report);
    EXPECT_TRUE(c.counts.empty()) << describe(report);
  }
  EXPECT_NE(report.odu.find("02:00:00:00:00:01"), std::string::npos) << report.odu;
  EXPECT_NE(report.oru.find("02:00:00:00:00:02"), std::string::npos) << report.oru;
  // Flows per plane, direction and eAxC: DL C, UL C (+PRACH), DL U, UL U (+PRACH).
  EXPECT_EQ(report.flows.size(), 12u);
}

struct FaultCase {
  Fault fault;
  CaseId case_id;
  Role side;
  std::string_view rule;
  Judgement judgement;
};

class FaultTest : public ::testing::TestWithParam<FaultCase> {};

TEST_P(FaultTest, FaultGivesItsVerdict) {
  const FaultCase& expected = GetParam();
  ExchangeOptions options;
  options.fault = expected.fault;
  const AnalysisReport report = analyse(options);
  const CaseOutcome* outcome = report.find(expected.case_id, expected.side);
  ASSERT_NE(outcome, nullptr);
  EXPECT_EQ(outcome->judgement, expected.judgement) << describe(report);
  EXPECT_GT(outcome->count(expected.rule), 0u) << describe(report);
  // Every kept finding names a frame and a byte offset inside it.
  for (const auto& f : outcome->findings) {
    EXPECT_GT(f.frame_number, 0u);
    EXPECT_FALSE(f.file.empty());
  }
}

namespace fr = fronthaul::rules;
namespace ar = analyze::rules;
INSTANTIATE_TEST_SUITE_P(
    Faults, FaultTest,
    ::testing::Values(FaultCase{Fault::kDlCplaneUdCompHdrNonzero, CaseId::kCompression, Role::kOdu,
                                fr::kCpDlUdCompHdrNonzero, Judgement::kFail},
                      FaultCase{Fault::kMultiSectionUplane, CaseId::kSingleSection, Role::kOru,
                                ar::kMultiSectionUnagreed, Judgement::kPass},
                      FaultCase{Fault::kTruncatedUplane, CaseId::kUplaneHeaders, Role::kOru,
                                fr::kUpSectionTruncated, Judgement::kFail},
                      FaultCase{Fault::kPrachWrongStartSymbol, CaseId::kPrachResponse, Role::kOru,
                                ar::kNoPrachResponse, Judgement::kFail},
                      FaultCase{Fault::kSt3NumSymbolZero, CaseId::kCplaneHeaders, Role::kOdu,
                                fr::kCpNumSymbolZero, Judgement::kFail},
                      FaultCase{Fault::kEaxcMappingMismatch, CaseId::kEaxcMapping, Role::kOru,
                                ar::kEaxcNotRequested, Judgement::kFail},
                      FaultCase{Fault::kEaxcMappingMismatch, CaseId::kUlResponse, Role::kOru,
                                ar::kNoUlResponse, Judgement::kFail},
                      FaultCase{Fault::kSeqIdGap, CaseId::kSequenceIds, Role::kOru,
                                fr::kStreamSeqIdGap, Judgement::kPass},
                      FaultCase{Fault::kEcpriPayloadSizeWrong, CaseId::kEcpri, Role::kOdu,
                                fr::kEcpriPayloadSize, Judgement::kFail},
                      FaultCase{Fault::kDynamicHeaderWhenStatic, CaseId::kCompression, Role::kOru,
                                fr::kUpCompHdrMode, Judgement::kFail},
                      FaultCase{Fault::kPrbOutOfRange, CaseId::kUplaneHeaders, Role::kOru,
                                fr::kUpPrbRange, Judgement::kFail},
                      FaultCase{Fault::kWrongSectionId, CaseId::kCplaneUplane, Role::kOru,
                                fr::kStreamUpSectionId, Judgement::kFail},
                      FaultCase{Fault::kNoUplaneResponse, CaseId::kUlResponse, Role::kOru,
                                ar::kNoUlResponse, Judgement::kFail},
                      FaultCase{Fault::kUlLate, CaseId::kTimingOru, Role::kOru, ar::kLate,
                                Judgement::kFail}));

TEST(AnalyzerTest, FaultChangesOnlyWhatItNames) {
  // ul-late moves UL U-plane in time: nothing but UL timing may fail.
  ExchangeOptions options;
  options.fault = Fault::kUlLate;
  const AnalysisReport report = analyse(options);
  for (const auto& c : report.cases) {
    if (c.case_id == CaseId::kTimingOru) continue;
    EXPECT_EQ(c.judgement, Judgement::kPass) << describe(report);
  }
}

TEST(AnalyzerTest, AgreedSectionLimitMakesSeveralSectionsFail) {
  ExchangeOptions options;
  options.fault = Fault::kMultiSectionUplane;
  const AnalysisReport report =
      analyse(options, [](AnalysisConfig& c) { c.max_sections_per_uplane = 1; });
  const CaseOutcome* outcome = report.find(CaseId::kSingleSection, Role::kOru);
  ASSERT_NE(outcome, nullptr);
  EXPECT_EQ(outcome->judgement, Judgement::kFail);
  EXPECT_GT(outcome->count(ar::kMultiSection), 0u);
}

TEST(AnalyzerTest, TimingWithoutPtpAlignedClockIsInconclusive) {
  const AnalysisReport report =
      analyse(ExchangeOptions{}, [](AnalysisConfig& c) { c.ptp_aligned = false; });
  for (CaseId id : {CaseId::kTimingOdu, CaseId::kTimingOru}) {
    const CaseOutcome* outcome =
        report.find(id, id == CaseId::kTimingOdu ? Role::kOdu : Role::kOru);
    ASSERT_NE(outcome, nullptr);
    EXPECT_EQ(outcome->judgement, Judgement::kInconclusive);
    EXPECT_NE(outcome->reason.find("PTP-aligned"), std::string::npos) << outcome->reason;
  }
  EXPECT_EQ(report.find(CaseId::kUlResponse, Role::kOru)->judgement, Judgement::kPass);
}

TEST(AnalyzerTest, MissingParametersMakeTheirCasesInconclusiveNotPassed) {
  const AnalysisReport report = analyse(ExchangeOptions{}, [](AnalysisConfig& c) {
    c.compression.reset();
    c.windows.reset();
  });
  EXPECT_EQ(report.find(CaseId::kCompression, Role::kOru)->judgement, Judgement::kInconclusive);
  EXPECT_NE(report.find(CaseId::kCompression, Role::kOru)->reason.find("inferred"),
            std::string::npos);
  EXPECT_EQ(report.find(CaseId::kTimingOru, Role::kOru)->judgement, Judgement::kInconclusive);
  // Compression was inferred, so the coupling checks still judge (and pass).
  EXPECT_EQ(report.find(CaseId::kCplaneUplane, Role::kOru)->judgement, Judgement::kPass)
      << describe(report);
  EXPECT_EQ(report.find(CaseId::kPrachResponse, Role::kOru)->judgement, Judgement::kPass);
}

TEST(AnalyzerTest, MissingCarrierLeavesPrbRangesUnjudged) {
  // 25 PRBs is no NR channel bandwidth at 30 kHz: the size of an all-PRBs section does
  // not give the carrier away.
  ExchangeOptions options;
  options.carrier_prbs = 25;
  options.antennas = 1;
  const AnalysisReport report = analyse(options, [](AnalysisConfig& c) { c.carrier_prbs.reset(); });
  for (auto [id, side] : {std::pair{CaseId::kUplaneHeaders, Role::kOru},
                          std::pair{CaseId::kCplaneHeaders, Role::kOdu}}) {
    const CaseOutcome* outcome = report.find(id, side);
    EXPECT_EQ(outcome->judgement, Judgement::kInconclusive) << describe(report);
    EXPECT_NE(outcome->reason.find("carrier_prbs"), std::string::npos) << outcome->reason;
  }
}

TEST(AnalyzerTest, CarrierInferredFromAllPrbSections) {
  // 273 PRBs do not fit numPrbu's 8 bits: sections say 0, "all PRBs of the carrier".
  for (bool compression_known : {true, false}) {
    ExchangeOptions options;
    options.carrier_prbs = 273;
    options.antennas = 1;
    const auto forget = compression_known ? +[](AnalysisConfig& c) { c.carrier_prbs.reset(); }
                                          : +[](AnalysisConfig& c) {
                                              c.carrier_prbs.reset();
                                              c.compression.reset();
                                            };
    const AnalysisReport report = analyse(options, forget);
    EXPECT_EQ(report.find(CaseId::kUplaneHeaders, Role::kOru)->judgement, Judgement::kPass)
        << describe(report);
    EXPECT_EQ(report.find(CaseId::kCplaneHeaders, Role::kOdu)->judgement, Judgement::kPass);
    bool noted = false;
    for (const auto& n : report.notes)
      noted |= n.find("carrier of 273 PRBs (sections of numPrbu 0)") != std::string::npos;
    EXPECT_TRUE(noted) << describe(report);
  }
}

TEST(AnalyzerTest, InferredDynamicCompression) {
  ExchangeOptions options;
  options.compression.dynamic = true;
  const AnalysisReport report = analyse(options, [](AnalysisConfig& c) { c.compression.reset(); });
  EXPECT_EQ(report.find(CaseId::kUplaneHeaders, Role::kOru)->judgement, Judgement::kPass)
      << describe(report);
  EXPECT_NE(report.find(CaseId::kCompression, Role::kOru)->reason.find("dynamic"),
            std::string::npos);
}

TEST(AnalyzerTest, EcpriOverUdpOnConfiguredPorts) {
  ExchangeOptions options;
  options.udp_port = 4991;
  const AnalysisReport report = analyse(options);
  EXPECT_EQ(report.skipped_frames, 0u);
  for (const auto& c : report.cases) EXPECT_EQ(c.judgement, Judgement::kPass) << describe(report);
  EXPECT_NE(report.odu.find("10.0.0.1"), std::string::npos) << report.odu;

  // Unnamed ports: recognised by the eCPRI header, and the note names them.
  const AnalysisReport detected = analyse(options, [](AnalysisConfig& c) {
    c.udp_ports.clear();
    c.detect_udp = true;
  });
  EXPECT_EQ(detected.skipped_frames, 0u);
  for (const auto& c : detected.cases) EXPECT_EQ(c.judgement, Judgement::kPass);
  bool noted = false;
  for (const auto& n : detected.notes) {
    noted |= n.find("on UDP port 4991") != std::string::npos &&
             n.find("udp_ports: [4991]") != std::string::npos;
  }
  EXPECT_TRUE(noted);

  const AnalysisReport without = analyse(options, [](AnalysisConfig& c) {
    c.udp_ports.clear();
    c.detect_udp = false;
  });
  EXPECT_EQ(without.ecpri_frames, 0u);
  for (const auto& c : without.cases) {
    EXPECT_EQ(c.judgement, Judgement::kInconclusive);
    EXPECT_NE(c.reason.find("udp_ports"), std::string::npos) << c.reason;
  }
}

TEST(AnalyzerTest, SidesFromTheConfigOverrideTraffic) {
  // Claim the O-RU's MAC is the O-DU: C-plane then comes from the "O-RU".
  const AnalysisReport report = analyse(ExchangeOptions{}, [](AnalysisConfig& c) {
    c.odu.mac = fronthaul::parse_mac("02:00:00:00:00:02");
  });
  const CaseOutcome* roles = report.find(CaseId::kSenderRoles, Role::kOru);
  ASSERT_NE(roles, nullptr);
  EXPECT_EQ(roles->judgement, Judgement::kFail) << describe(report);
  EXPECT_GT(roles->count(ar::kWrongSender), 0u);
}

TEST(AnalyzerTest, NoVlanAndMergedPerDirectionCaptures) {
  TempDir dir;
  ExchangeOptions dl;
  dl.vlan = false;
  dl.uplink = false;
  dl.prach = false;
  ExchangeOptions ul = dl;
  ul.downlink = false;
  ul.uplink = true;
  auto config = testing::write_exchange(dir.file("dl.pcap"), dl, kSlots);
  ASSERT_TRUE(testing::write_exchange(dir.file("ul.pcap"), ul, kSlots).ok());
  ASSERT_TRUE(config.ok());
  config->response_window = std::chrono::milliseconds(2);
  auto report = analyze_captures({dir.file("dl.pcap"), dir.file("ul.pcap")}, *config);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->find(CaseId::kUlResponse, Role::kOru)->judgement, Judgement::kPass)
      << describe(*report);
  EXPECT_EQ(report->find(CaseId::kCplaneUplane, Role::kOdu)->judgement, Judgement::kPass);
  EXPECT_EQ(report->find(CaseId::kPrachResponse, Role::kOru)->judgement, Judgement::kInconclusive);
}

}  // namespace
}  // namespace plugfest::analyze
