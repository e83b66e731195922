// `plugfest fh dump` with no flags (dump_capture with empty settings) on captures as a lab
// takes them: the conformant ones give no error finding, the broken ones exactly the
// planted findings, and every inference is said once with the flag that pins it.
#include "harness/analyze/inference/capture_dump.h"

#include <gtest/gtest.h>

#include <set>

#include "harness/analyze/testing/capture_builder.h"
#include "interfaces/common/testing/temp_dir.h"

namespace plugfest::analyze {
namespace {

using testing::ExchangeOptions;
using testing::Fault;
using plugfest::testing::TempDir;

constexpr unsigned kSlots = 16;

}  // namespace
struct Dumped {
  DumpSummary summary;
  std::vector<nlohmann::json> lines;
  std::set<std::string> rules() const {
    std::set<std::string> out;
    for (const auto& [rule, count] : summary.rule_counts) out.insert(rule);
    return out;
  }
  bool noted(std::string_view text) const {
    for (const auto& n : summary.notes) {
      if (n.find(text) != std::string::npos) return true;
    }
    return false;
  }
  std::string describe() const {
    std::string text;
    for (const auto& [rule, count] : summary.rule_counts) {
      text += rule + " x" + std::to_string(count) + "\n";
    }
    for (const auto& l : lines) {
      for (const auto& f : l["findings"]) text += "  " + f.dump() + "\n";
      if (text.size() > 4000) break;
    }
    for (const auto& n : summary.notes) text += "note: " + n + "\n";
    return text;
  }
};

Dumped dump(const ExchangeOptions& options, DumpSettings settings = {}) {
  TempDir dir;
  const std::string path = dir.file("lab.pcap");
  auto config = testing::write_exchange(path, options, kSlots);
  EXPECT_TRUE(config.ok());
  Dumped out;
  auto summary = dump_capture(path, settings, [&](const nlohmann::json& j) {
    out.lines.push_back(j);
  });
  EXPECT_TRUE(summary.ok()) << (summary.ok() ? "" : summary.error().to_string());
  if (summary) out.summary = std::move(*summary);
  return out;
}

namespace {
// What a conformant capture of each lab situation must give: no error finding.
struct Situation {
  const char* name;
  ExchangeOptions options;
  std::set<std::string> warnings;  // the only rules allowed
};

std::vector<Situation> conformant() {
  std::vector<Situation> out;
  ExchangeOptions o;
  out.push_back({"plain", o, {}});
  o = {};
  o.drop_first_frames = 9;
  o.drop_last_frames = 11;
  out.push_back({"mid-slot start and end", o, {}});
  o = {};
  o.permute_sequence_ids = true;
  out.push_back({"permuted sequence IDs", o, {"FH-STREAM-SEQID-REORDER"}});
  o = {};
  o.snap_length = 60;
  out.push_back({"snap length 60", o, {}});
  o = {};
  o.compression = {false, {fronthaul::CompressionMethod::kNone, 16}};
  o.carrier_prbs = 51;
  o.explicit_prbs = true;
  out.push_back({"16-bit uncompressed, 51 PRBs", o, {}});
  o = {};
  o.carrier_prbs = 106;
  out.push_back({"BFP 9, 106 PRBs as numPrbu 0", o, {}});
  o.explicit_prbs = true;
  out.push_back({"BFP 9, 106 PRBs given", o, {}});
  o = {};
  o.carrier_prbs = 106;
  o.split_sections = true;
  out.push_back({"repeated sectionIds, complementary reMasks, split sections", o, {}});
  o = {};
  o.udp_port = 4991;
  out.push_back({"eCPRI over UDP", o, {}});
  o = {};
  o.compression = {true, {fronthaul::CompressionMethod::kBlockFloatingPoint, 14}};
  out.push_back({"dynamic udCompHdr, BFP 14", o, {}});
  return out;
}

TEST(CaptureDump, ConformantLabCapturesGiveNoErrorFinding) {
  for (const Situation& s : conformant()) {
    SCOPED_TRACE(s.name);
    const Dumped d = dump(s.options);
    EXPECT_EQ(d.summary.error_findings, 0u) << d.describe();
    EXPECT_EQ(d.rules(), s.warnings) << d.describe();
    EXPECT_GT(d.summary.ecpri_frames, 0u);
    EXPECT_TRUE(d.noted("numerology inferred: 1 (30 kHz")) << d.describe();
    EXPECT_TRUE(d.noted("pin it with --numerology 1")) << d.describe();
  }
}

TEST(CaptureDump, EachInferenceIsSaidOnceWithItsFrameAndFlag) {
  ExchangeOptions o;
  o.compression = {false, {fronthaul::CompressionMethod::kNone, 16}};
  o.carrier_prbs = 51;
  o.udp_port = 4991;
  const Dumped d = dump(o);
  EXPECT_EQ(d.summary.error_findings, 0u) << d.describe();
  // One note per distinct inference: the PRACH stream (explicit PRBs) shows no carrier.
  std::size_t layout_notes = 0, carrier_notes = 0;
  for (const auto& n : d.summary.notes) {
    if (n.find("U-plane layout inferred") == std::string::npos) continue;
    ++layout_notes;
    EXPECT_NE(n.find("no compression, 16-bit IQ"), std::string::npos) << n;
    EXPECT_NE(n.find("--comp none:16"), std::string::npos) << n;
    carrier_notes += n.find("--carrier-prbs 51") != std::string::npos;
    EXPECT_NE(n.find(" frame "), std::string::npos) << n;
    EXPECT_EQ(n.find("block floating point"), std::string::npos) << n;
  }
  EXPECT_EQ(layout_notes, 3u) << d.describe();  // DL, UL, PRACH
  EXPECT_EQ(carrier_notes, 2u) << d.describe();
  EXPECT_FALSE(d.noted("the streams differ in layout")) << d.describe();
  EXPECT_TRUE(d.noted("eCPRI over UDP recognised by its common header on UDP port 4991"))
      << d.describe();
  EXPECT_TRUE(d.noted("--udp-port 4991")) << d.describe();
}

TEST(CaptureDump, FlagsThatPinEverythingLeaveNothingToInfer) {
  ExchangeOptions o;
  DumpSettings settings;
  settings.eaxc_split = o.split;
  settings.compression = o.compression;
  settings.carrier_prbs = o.carrier_prbs;
  settings.numerology = o.numerology;
  const Dumped d = dump(o, settings);
  EXPECT_EQ(d.summary.error_findings, 0u) << d.describe();
  EXPECT_TRUE(d.summary.notes.empty()) << d.describe();
}

TEST(CaptureDump, AFlagThatIsWrongGivesFindingsNotSilence) {
  // Uncompressed 16-bit traffic read as the flags say (9-bit BFP): the flags win.
  ExchangeOptions o;
  o.compression = {false, {fronthaul::CompressionMethod::kNone, 16}};
  DumpSettings settings;
  settings.compression = fronthaul::UplaneCompression{};
  const Dumped d = dump(o, settings);
  EXPECT_GT(d.summary.error_findings, 0u) << d.describe();
}

// Broken captures: exactly the planted findings.
struct Broken {
  const char* name;
  Fault fault;
  std::set<std::string> rules;
};

TEST(CaptureDump, BrokenCapturesGiveExactlyThePlantedFindings) {
  const std::vector<Broken> cases = {
      {"DL C-plane udCompHdr not zero", Fault::kDlCplaneUdCompHdrNonzero,
       {"FH-CP-DL-UDCOMPHDR-NONZERO"}},
      {"sequence ID gap", Fault::kSeqIdGap, {"FH-STREAM-SEQID-GAP"}},
      {"eCPRI payload size", Fault::kEcpriPayloadSizeWrong, {"FH-ECPRI-PAYLOAD-SIZE"}},
      {"wrong sectionId", Fault::kWrongSectionId, {"FH-STREAM-UP-SECTION-ID"}},
      // Beyond the carrier, and so beyond what its C-plane section asked for.
      {"PRB out of range", Fault::kPrbOutOfRange,
       {"FH-UP-PRB-RANGE", "FH-STREAM-UP-PRB-OUTSIDE"}},
  };
  for (const Broken& b : cases) {
    SCOPED_TRACE(b.name);
    ExchangeOptions o;
    o.fault = b.fault;
    const Dumped d = dump(o);
    EXPECT_EQ(d.rules(), b.rules) << d.describe();
    EXPECT_GT(d.summary.error_findings + d.summary.rule_counts.size(), 0u);
    // Each finding names its frame and the byte from the frame's start.
    for (const auto& l : d.lines) {
      for (const auto& f : l["findings"]) {
        EXPECT_EQ(f["where"], "frame " + std::to_string(f["frame"].get<std::size_t>()) +
                                  " byte " + std::to_string(f["byte_offset"].get<std::size_t>()));
        EXPECT_GE(f["byte_offset"].get<std::size_t>(), l["ecpri_offset"].get<std::size_t>());
      }
    }
  }
}

TEST(CaptureDump, AFaultInAMidSlotPermutedCaptureIsStillExactlyFound) {
  ExchangeOptions o;
  o.drop_first_frames = 9;
  o.permute_sequence_ids = true;
  o.fault = Fault::kSeqIdGap;
  const Dumped d = dump(o);
  EXPECT_EQ(d.rules(), (std::set<std::string>{"FH-STREAM-SEQID-GAP", "FH-STREAM-SEQID-REORDER"}))
      << d.describe();
  EXPECT_EQ(d.summary.rule_counts.at("FH-STREAM-SEQID-GAP"), 1u) << d.describe();
  EXPECT_TRUE(d.noted("sent before the capture began")) << d.describe();
}

TEST(CaptureDump, AStreamNoLayoutFitsIsOneFindingThatSuggestsTheFlags) {
  ExchangeOptions o;
  o.compression = {true, {fronthaul::CompressionMethod::kBfpSelectiveRe, 9}};
  const Dumped d = dump(o);
  EXPECT_EQ(d.rules(), (std::set<std::string>{"AN-UP-LAYOUT-UNKNOWN"})) << d.describe();
  // One per U-plane stream: DL and UL of two antennas, PRACH of two.
  EXPECT_EQ(d.summary.rule_counts.at("AN-UP-LAYOUT-UNKNOWN"), 6u) << d.describe();
  EXPECT_FALSE(d.noted("ends mid-slot")) << d.describe();
  bool suggested = false;
  for (const auto& l : d.lines) {
    for (const auto& f : l["findings"]) {
      suggested |= f["message"].get<std::string>().find("--comp METHOD:WIDTH or --dynamic") !=
                   std::string::npos;
    }
    // Such a stream's messages show their headers only: no invented sections.
    if (l.contains("message") && l["message"].contains("uplane")) {
      EXPECT_FALSE(l["message"]["uplane"].contains("sections")) << l.dump();
    }
  }
  EXPECT_TRUE(suggested) << d.describe();
}

}  // namespace
}  // namespace plugfest::analyze
