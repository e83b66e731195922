// One negative test per rule: a packet (or a short stream) that breaks exactly that rule
// yields exactly that finding. A catalog test fails when a rule has no negative case.
#include "interfaces/fronthaul/rules.h"

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <set>
#include <string>

#include "interfaces/fronthaul/codec.h"
#include "interfaces/fronthaul/stream_validator.h"

namespace plugfest::fronthaul {
namespace {

using Bytes = std::vector<std::uint8_t>;

struct Scenario {
  DecoderConfig config;
  std::vector<Bytes> packets;  // the last one must carry the finding
};

RadioApplicationHeader header(DataDirection direction = DataDirection::kDownlink) {
  RadioApplicationHeader h;
  h.data_direction = direction;
  h.frame_id = 1;
  return h;
}

Message cplane(std::vector<SectionExtension> extensions = {},
               SectionType type = SectionType::kMostDlUl) {
  CplaneMessage cp;
  cp.header = header();
  cp.section_type = type;
  CplaneSection s;
  s.section_id = 1;
  s.num_prbc = 10;
  s.num_symbol = 14;
  s.extensions = std::move(extensions);
  cp.sections.push_back(std::move(s));
  Message m;
  m.body = std::move(cp);
  return m;
}
CplaneMessage& cp_of(Message& m) { return std::get<CplaneMessage>(m.body); }

Message uplane(std::optional<CompressionParams> dynamic = std::nullopt) {
  UplaneMessage up;
  up.header = header();
  UplaneSection s;
  s.section_id = 1;
  s.num_prbu = 10;
  s.ud_comp_hdr = dynamic;
  const CompressionParams params =
      dynamic ? *dynamic : CompressionParams{CompressionMethod::kBlockFloatingPoint, 9};
  s.iq_data.assign(10 * prb_payload_bytes(params), 0);
  up.sections.push_back(std::move(s));
  Message m;
  m.body = std::move(up);
  return m;
}
UplaneMessage& up_of(Message& m) { return std::get<UplaneMessage>(m.body); }

// Sets the eCPRI payload size to what follows the common header.
Bytes fix_size(Bytes bytes) {
  const std::size_t size = bytes.size() - 4;
  bytes[2] = static_cast<std::uint8_t>(size >> 8);
  bytes[3] = static_cast<std::uint8_t>(size & 0xff);
  return bytes;
}

Scenario one(const Message& m, DecoderConfig config = {}) { return {config, {encode(m)}}; }
Scenario one(Bytes bytes, DecoderConfig config = {}) { return {config, {std::move(bytes)}}; }

DecoderConfig dynamic_config() {
  DecoderConfig config;
  config.uplane_compression.dynamic = true;
  return config;
}

std::map<std::string_view, std::function<Scenario()>> negative_cases() {
  std::map<std::string_view, std::function<Scenario()>> cases;
  // ---- eCPRI transport ----
  cases[rules::kEcpriTruncated] = [] { return one(Bytes{0x10, 0x02}); };
  cases[rules::kEcpriRevision] = [] {
    Bytes b = encode(cplane());
    b[0] = 0x20;
    return one(b);
  };
  cases[rules::kEcpriReserved] = [] {
    Bytes b = encode(cplane());
    b[0] |= 0x02;
    return one(b);
  };
  cases[rules::kEcpriConcatenation] = [] {
    Message m = cplane();
    m.ecpri.c_bit = true;
    return one(m);
  };
  cases[rules::kEcpriMessageType] = [] {
    Bytes b = encode(cplane());
    b[1] = 3;
    return one(b);
  };
  cases[rules::kEcpriPayloadSize] = [] {
    Bytes b = encode(cplane());
    b[3] = static_cast<std::uint8_t>(b[3] + 4);
    return one(b);
  };
  cases[rules::kEcpriFramePadding] = [] {
    Bytes b = encode(uplane());
    b.insert(b.end(), 4, 0);
    return one(b);
  };
  cases[rules::kEaxcBitWidths] = [] {
    DecoderConfig config;
    config.eaxc_split = {4, 4, 4, 5};
    return one(cplane(), config);
  };
  cases[rules::kEcpriFragmentation] = [] {
    Message m = cplane();
    m.seq_id.e_bit = false;
    return one(m);
  };
  cases[rules::kEcpriOneWayDelayAction] = [] {
    OneWayDelayMeasurement owd;
    owd.action_type = 3;  // remote request: no timestamp
    owd.timestamp_nanoseconds = 5;
    Message m;
    m.body = owd;
    return one(m);
  };
  // ---- radio application header ----
  cases[rules::kPayloadVersion] = [] {
    Message m = cplane();
    cp_of(m).header.payload_version = 2;
    return one(m);
  };
  cases[rules::kSubframeIdRange] = [] {
    Message m = uplane();
    up_of(m).header.subframe_id = 10;
    return one(m);
  };
  cases[rules::kStartSymbolRange] = [] {
    Message m = cplane();
    cp_of(m).header.start_symbol_id = 14;
    return one(m);
  };
  // ---- C-plane ----
  cases[rules::kCpSectionType] = [] {
    Bytes b = encode(cplane());
    b[13] = 2;
    return one(b);
  };
  cases[rules::kCpDlUdCompHdrNonzero] = [] {
    Message m = cplane();
    cp_of(m).ud_comp_hdr = {CompressionMethod::kBlockFloatingPoint, 9};
    return one(m);
  };
  cases[rules::kCpSectionTruncated] = [] {
    Bytes b = encode(cplane());
    b.resize(b.size() - 2);
    return one(fix_size(b));
  };
  cases[rules::kCpTrailingBytes] = [] {
    Bytes b = encode(cplane());
    b.insert(b.end(), 4, 0);
    return one(fix_size(b));
  };
  cases[rules::kCpNoSections] = [] {
    Message m = cplane();
    cp_of(m).sections.clear();
    return one(m);
  };
  cases[rules::kCpReserved] = [] {
    Message m = cplane();
    cp_of(m).reserved = 1;
    return one(m);
  };
  cases[rules::kCpNumSymbolZero] = [] {
    Message m = cplane();
    cp_of(m).sections[0].num_symbol = 0;
    return one(m);
  };
  cases[rules::kCpPrbRange] = [] {
    Message m = cplane();
    cp_of(m).sections[0].start_prbc = 270;
    return one(m);
  };
  cases[rules::kCpExtLenZero] = [] {
    Bytes b = encode(cplane({ModulationCompressionExtension{}}));
    b[25] = 0;  // extLen of the extension after the 8-octet section at offset 16
    return one(b);
  };
  cases[rules::kCpExtLen] = [] {
    Bytes b = encode(cplane({ModulationCompressionExtension{}}));
    b[25] = 2;  // says 8 octets, the fields take 4
    b.insert(b.end(), 4, 0);
    return one(fix_size(b));
  };
  cases[rules::kCpExtSectionType] = [] {
    BeamformingWeightsExtension bfw;
    bfw.bfw.assign(8, 0);
    return one(cplane({bfw}, SectionType::kUeScheduling));
  };
  cases[rules::kCpExtUnsupported] = [] { return one(cplane({OpaqueExtension{7, {0, 0}}})); };
  cases[rules::kCpBfwCompMeth] = [] {
    BeamformingWeightsExtension bfw;
    bfw.bfw_comp_hdr = {CompressionMethod::kModulation, 8};
    bfw.bfw.assign(8, 0);
    return one(cplane({bfw}));
  };
  cases[rules::kCpNumBundPrbZero] = [] {
    FlexibleWeightsExtension e;
    e.disable_bfws = true;
    e.num_bund_prb = 0;
    return one(cplane({e}));
  };
  cases[rules::kCpRbgSizeZero] = [] {
    NonContiguousPrbExtension e;
    e.rbg_size = 0;
    return one(cplane({e}));
  };
  cases[rules::kCpBeamGroupType] = [] {
    PortGroupExtension e;
    e.beam_group_type = 3;
    return one(cplane({e}));
  };
  // ---- U-plane ----
  cases[rules::kUpNoSections] = [] {
    Message m = uplane();
    up_of(m).sections.clear();
    return one(m);
  };
  cases[rules::kUpSectionTruncated] = [] {
    Bytes b = encode(uplane());
    b.resize(b.size() - 10);
    return one(fix_size(b));
  };
  cases[rules::kUpTrailingBytes] = [] {
    Bytes b = encode(uplane());
    b.insert(b.end(), 3, 0);
    return one(fix_size(b));
  };
  cases[rules::kUpPrbRange] = [] {
    Message m = uplane();
    up_of(m).sections[0].start_prbu = 270;
    return one(m);
  };
  cases[rules::kUpReserved] = [] {
    Message m = uplane(CompressionParams{CompressionMethod::kBlockFloatingPoint, 9});
    up_of(m).sections[0].reserved = 1;
    return one(m, dynamic_config());
  };
  cases[rules::kUpCompMeth] = [] {
    return one(uplane(CompressionParams{static_cast<CompressionMethod>(9), 9}), dynamic_config());
  };
  cases[rules::kUpCompHdrMode] = [] {
    return one(uplane(CompressionParams{CompressionMethod::kBlockFloatingPoint, 9}));
  };
  // ---- stream ----
  cases[rules::kStreamSeqIdGap] = [] {
    Message m = uplane();
    Scenario s{{}, {encode(m)}};
    m.seq_id.sequence_id = 2;
    s.packets.push_back(encode(m));
    return s;
  };
  cases[rules::kStreamSeqIdReorder] = [] {
    Message m = uplane();
    m.seq_id.sequence_id = 5;
    return Scenario{{}, {encode(m), encode(m)}};
  };
  cases[rules::kStreamUpNoCplane] = [] {
    Message u = uplane();
    up_of(u).header.slot_id = 1;
    return Scenario{{}, {encode(cplane()), encode(u)}};
  };
  cases[rules::kStreamUpPrbOutside] = [] {
    Message u = uplane();
    up_of(u).sections[0].start_prbu = 5;
    return Scenario{{}, {encode(cplane()), encode(u)}};
  };
  cases[rules::kStreamUpSymbolOutside] = [] {
    Message c = cplane();
    cp_of(c).sections[0].num_symbol = 2;
    Message u = uplane();
    up_of(u).header.start_symbol_id = 5;
    return Scenario{{}, {encode(c), encode(u)}};
  };
  cases[rules::kStreamUpSectionId] = [] {
    Message u = uplane();
    up_of(u).sections[0].section_id = 2;
    return Scenario{{}, {encode(cplane()), encode(u)}};
  };
  cases[rules::kStreamUpCompression] = [] {
    Message c = cplane();
    cp_of(c).header.data_direction = DataDirection::kUplink;
    cp_of(c).ud_comp_hdr = {CompressionMethod::kBlockFloatingPoint, 14};
    Message u = uplane();
    up_of(u).header.data_direction = DataDirection::kUplink;
    return Scenario{{}, {encode(c), encode(u)}};
  };
  return cases;
}

std::string describe(std::span<const Finding> findings) {
  std::string out;
  for (const Finding& f : findings) {
    out += std::string(f.rule_id) + " @" + std::to_string(f.byte_offset) + ": " + f.message + "\n";
  }
  return out;
}

TEST(Rules, EveryCatalogRuleHasANegativeCase) {
  const auto cases = negative_cases();
  for (const Rule& rule : rule_catalog()) {
    EXPECT_TRUE(cases.contains(rule.id)) << rule.id << " has no negative test";
  }
  EXPECT_EQ(cases.size(), rule_catalog().size()) << "a negative case names no catalog rule";
}

TEST(Rules, CatalogIdsAreUniqueAndDescribed) {
  std::set<std::string_view> ids;
  for (const Rule& rule : rule_catalog()) {
    EXPECT_TRUE(ids.insert(rule.id).second) << rule.id;
    EXPECT_TRUE(rule.id.starts_with("FH-")) << rule.id;
    EXPECT_FALSE(rule.clause.empty()) << rule.id;
    EXPECT_FALSE(rule.title.empty()) << rule.id;
  }
}

class NegativeCase : public ::testing::TestWithParam<std::string_view> {};

TEST_P(NegativeCase, YieldsExactlyThatFinding) {
  const Scenario scenario = negative_cases().at(GetParam())();
  StreamValidator validator(scenario.config);
  for (std::size_t i = 0; i + 1 < scenario.packets.size(); ++i) {
    const auto findings = validator.feed(scenario.packets[i], std::chrono::nanoseconds(i));
    ASSERT_TRUE(findings.empty()) << "preamble packet " << i << ":\n" << describe(findings);
  }
  const auto findings = validator.feed(scenario.packets.back(), std::chrono::nanoseconds(99));
  ASSERT_EQ(findings.size(), 1u) << describe(findings);
  const Finding& finding = findings[0];
  EXPECT_EQ(finding.rule_id, GetParam());
  const Rule* rule = find_rule(GetParam());
  ASSERT_NE(rule, nullptr);
  EXPECT_EQ(finding.clause, rule->clause);
  EXPECT_EQ(finding.severity, rule->severity);
  EXPECT_FALSE(finding.message.empty());
  EXPECT_EQ(finding.packet_index, scenario.packets.size() - 1);
  EXPECT_LE(finding.byte_offset, scenario.packets.back().size());
}

std::vector<std::string_view> all_rule_ids() {
  std::vector<std::string_view> ids;
  for (const Rule& rule : rule_catalog()) ids.push_back(rule.id);
  return ids;
}

INSTANTIATE_TEST_SUITE_P(Catalog, NegativeCase, ::testing::ValuesIn(all_rule_ids()),
                         [](const auto& info) {
                           std::string name(info.param);
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

}  // namespace
}  // namespace plugfest::fronthaul
