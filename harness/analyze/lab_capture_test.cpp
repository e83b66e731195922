// Captures as a lab takes them: starting and ending mid-slot, permuted sequence IDs, a
// small snap length. Conformant traffic must judge as conformant; a planted fault must
// still be found.
#include <gtest/gtest.h>

#include <set>

#include "harness/analyze/analyzer.h"
#include "harness/analyze/testing/capture_builder.h"
#include "interfaces/common/testing/temp_dir.h"

namespace plugfest::analyze {
namespace {

using adapter::Role;
using testing::ExchangeOptions;
using testing::Fault;
using plugfest::testing::TempDir;

constexpr unsigned kSlots = 16;

// The exchange analysed with the config that describes it (`zero_config` false) or with
// none at all.
AnalysisReport analyse(const ExchangeOptions& options, bool zero_config) {
  TempDir dir;
  const std::string path = dir.file("lab.pcap");
  auto config = testing::write_exchange(path, options, kSlots);
  EXPECT_TRUE(config.ok()) << (config.ok() ? "" : config.error().to_string());
  AnalysisConfig used = zero_config ? AnalysisConfig{} : *config;
  used.response_window = std::chrono::milliseconds(2);
  auto report = analyze_captures({path}, used);
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

bool noted(const AnalysisReport& report, std::string_view text) {
  for (const auto& n : report.notes) {
    if (n.find(text) != std::string::npos) return true;
  }
  return false;
}

std::set<std::string> rules_found(const AnalysisReport& report) {
  std::set<std::string> rules;
  for (const auto& c : report.cases) {
    for (const auto& [rule, count] : c.counts) rules.insert(rule);
  }
  return rules;
}

void expect_no_fail(const AnalysisReport& report) {
  for (const auto& c : report.cases) {
    EXPECT_NE(c.judgement, Judgement::kFail) << describe(report);
  }
}

void expect_all_pass(const AnalysisReport& report) {
  for (const auto& c : report.cases) {
    EXPECT_EQ(c.judgement, Judgement::kPass) << describe(report);
  }
}

double measurement(const AnalysisReport& report, CaseId id, Role side, std::string_view name) {
  const CaseOutcome* c = report.find(id, side);
  if (c == nullptr) return -1;
  for (const auto& m : c->measurements) {
    if (m.name == name) return m.value;
  }
  return -1;
}

TEST(LabCapture, StartingAndEndingMidSlotJudgesOnlyWhatTheCaptureHolds) {
  ExchangeOptions options;
  options.drop_first_frames = 9;  // the first slot's C-plane and some of its U-plane
  options.drop_last_frames = 11;  // the last slot's last symbols
  for (bool zero_config : {false, true}) {
    const AnalysisReport report = analyse(options, zero_config);
    if (zero_config) {
      expect_no_fail(report);
    } else {
      expect_all_pass(report);
    }
    EXPECT_TRUE(rules_found(report).empty()) << describe(report);
    EXPECT_TRUE(noted(report, "the capture starts mid-slot")) << describe(report);
    EXPECT_TRUE(noted(report, "the capture ends mid-slot")) << describe(report);
  }
}

TEST(LabCapture, AFaultInsideAMidSlotCaptureIsStillFound) {
  ExchangeOptions options;
  options.drop_first_frames = 9;
  options.fault = Fault::kWrongSectionId;
  const AnalysisReport report = analyse(options, false);
  const CaseOutcome* c = report.find(CaseId::kCplaneUplane, Role::kOru);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->judgement, Judgement::kFail);
  EXPECT_EQ(rules_found(report),
            (std::set<std::string>{"FH-STREAM-UP-SECTION-ID", "AN-UL-NO-RESPONSE"}))
      << describe(report);
}

TEST(LabCapture, PermutedSequenceIdsAreReordersNotGaps) {
  ExchangeOptions options;
  options.permute_sequence_ids = true;
  for (bool zero_config : {false, true}) {
    const AnalysisReport report = analyse(options, zero_config);
    expect_no_fail(report);
    EXPECT_EQ(rules_found(report), (std::set<std::string>{"FH-STREAM-SEQID-REORDER"}))
        << describe(report);
    for (Role side : {Role::kOdu, Role::kOru}) {
      EXPECT_EQ(measurement(report, CaseId::kSequenceIds, side, "ecpriSeqid missing"), 0);
      // 13 of each slot's 14 U-plane messages per eAxC arrive behind the highest ID.
      EXPECT_GE(measurement(report, CaseId::kSequenceIds, side, "ecpriSeqid reordered"),
                13.0 * (kSlots - 1));
    }
  }
}

TEST(LabCapture, ASkippedIdAmongPermutedOnesIsOneGap) {
  ExchangeOptions options;
  options.permute_sequence_ids = true;
  options.fault = Fault::kSeqIdGap;
  const AnalysisReport report = analyse(options, false);
  const CaseOutcome* c = report.find(CaseId::kSequenceIds, Role::kOru);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->count("FH-STREAM-SEQID-GAP"), 1u) << describe(report);
  EXPECT_EQ(measurement(report, CaseId::kSequenceIds, Role::kOru, "ecpriSeqid missing"), 1);
}

TEST(LabCapture, SnapLengthIsACaptureNoteNotPayloadSizeErrors) {
  ExchangeOptions options;
  options.snap_length = 60;
  for (bool zero_config : {false, true}) {
    const AnalysisReport report = analyse(options, zero_config);
    if (zero_config) {
      expect_no_fail(report);
    } else {
      expect_all_pass(report);
    }
    EXPECT_TRUE(rules_found(report).empty()) << describe(report);
    EXPECT_TRUE(noted(report, "cut by the capture's snap length (60 of up to"))
        << describe(report);
  }
}

TEST(LabCapture, WhatASnapLengthKeepsIsStillChecked) {
  ExchangeOptions options;
  options.snap_length = 60;
  options.fault = Fault::kWrongSectionId;
  const AnalysisReport report = analyse(options, false);
  EXPECT_EQ(report.find(CaseId::kCplaneUplane, Role::kOru)->judgement, Judgement::kFail)
      << describe(report);
  EXPECT_GT(report.find(CaseId::kCplaneUplane, Role::kOru)->count("FH-STREAM-UP-SECTION-ID"), 0u);
}

TEST(LabCapture, UncompressedSixteenBitIsInferredAndNamed) {
  ExchangeOptions options;
  options.compression = {false, {fronthaul::CompressionMethod::kNone, 16}};
  options.carrier_prbs = 51;
  options.explicit_prbs = true;
  const AnalysisReport report = analyse(options, true);
  expect_no_fail(report);
  EXPECT_TRUE(rules_found(report).empty()) << describe(report);
  EXPECT_TRUE(noted(report, "no compression, 16-bit IQ")) << describe(report);
  EXPECT_FALSE(noted(report, "block floating point")) << describe(report);
}

TEST(LabCapture, BlockFloatingPointNineWith106PrbsIsInferred) {
  for (bool explicit_prbs : {true, false}) {
    ExchangeOptions options;
    options.carrier_prbs = 106;
    options.explicit_prbs = explicit_prbs;
    options.split_sections = true;
    const AnalysisReport report = analyse(options, true);
    expect_no_fail(report);
    EXPECT_TRUE(rules_found(report).empty()) << describe(report);
    EXPECT_TRUE(noted(report, "9-bit block floating point")) << describe(report);
  }
}

TEST(LabCapture, AStreamNoLayoutFitsIsOneFinding) {
  // Dynamic udCompHdr naming a selective-RE method: no layout lays it out.
  ExchangeOptions options;
  options.compression = {true, {fronthaul::CompressionMethod::kBfpSelectiveRe, 9}};
  const AnalysisReport report = analyse(options, true);
  std::uint64_t unknown = 0;
  for (const auto& c : report.cases) unknown += c.count("AN-UP-LAYOUT-UNKNOWN");
  EXPECT_GE(unknown, 1u) << describe(report);
  // One per stream, nothing else about their sections.
  EXPECT_LE(unknown, report.flows.size()) << describe(report);
  for (const auto& c : report.cases) {
    EXPECT_EQ(c.count("FH-UP-SECTION-TRUNCATED"), 0u) << describe(report);
    EXPECT_EQ(c.count("FH-UP-PRB-RANGE"), 0u) << describe(report);
  }
}

}  // namespace
}  // namespace plugfest::analyze
