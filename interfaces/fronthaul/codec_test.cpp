// Round-trip property tests: decode(encode(m)) == m for generated valid messages of every
// section type, extension and compression, under several decoder configurations.
#include "interfaces/fronthaul/codec.h"

#include <gtest/gtest.h>

#include "interfaces/fronthaul/testing/message_generator.h"

namespace plugfest::fronthaul {
namespace {

using testing::MessageGenerator;

constexpr int kMessagesPerCase = 300;

std::string describe(const std::vector<Finding>& findings) {
  std::string out;
  for (const Finding& f : findings) {
    out += std::string(f.rule_id) + " @" + std::to_string(f.byte_offset) + ": " + f.message + "\n";
  }
  return out;
}

// Only opaque extensions may draw a finding (a warning) in a valid message.
void expect_round_trip(const Message& m, const DecoderConfig& config) {
  const std::vector<std::uint8_t> bytes = encode(m);
  const DecodeResult result = decode(bytes, config);
  for (const Finding& f : result.findings) {
    ASSERT_EQ(f.rule_id, rules::kCpExtUnsupported) << describe(result.findings);
  }
  ASSERT_TRUE(result.message == m) << describe(result.findings);
  EXPECT_EQ(result.bytes_read, bytes.size());
  EXPECT_EQ(encode(result.message), bytes);
}

DecoderConfig config_variant(int variant) {
  DecoderConfig config;
  switch (variant % 4) {
    case 0:
      break;
    case 1:
      config.eaxc_split = {2, 6, 4, 4};
      config.uplane_compression = {true, {}};
      config.bf_weights = 8;
      break;
    case 2:
      config.eaxc_split = {0, 0, 8, 8};
      config.uplane_compression.static_params = {CompressionMethod::kNone, 16};
      config.carrier_prbs = 106;
      config.ci_antennas = 2;
      break;
    default:
      config.eaxc_split = {3, 5, 2, 6};
      config.uplane_compression.static_params = {CompressionMethod::kMuLaw, 8};
      config.bf_weights = 1;
      config.carrier_prbs = 52;
      break;
  }
  return config;
}

class RoundTrip : public ::testing::TestWithParam<int> {};

TEST_P(RoundTrip, Uplane) {
  MessageGenerator gen(1000 + GetParam(), config_variant(GetParam()));
  for (int i = 0; i < kMessagesPerCase; ++i) expect_round_trip(gen.uplane(), gen.config());
}

TEST_P(RoundTrip, EverySectionType) {
  MessageGenerator gen(2000 + GetParam(), config_variant(GetParam()));
  for (SectionType type : {SectionType::kUnusedResourceBlocks, SectionType::kMostDlUl,
                           SectionType::kPrachAndMixedNumerology, SectionType::kUeScheduling,
                           SectionType::kChannelInformation}) {
    for (int i = 0; i < kMessagesPerCase; ++i) expect_round_trip(gen.cplane(type), gen.config());
  }
}

TEST_P(RoundTrip, EveryExtensionType) {
  MessageGenerator gen(3000 + GetParam(), config_variant(GetParam()));
  std::vector<std::uint8_t> types = MessageGenerator::modelled_extension_types();
  types.insert(types.end(), {3, 7, 8, 9, 13, 20, 127});  // kept opaque
  for (std::uint8_t type : types) {
    for (int i = 0; i < kMessagesPerCase; ++i) {
      expect_round_trip(gen.cplane_with_extension(type), gen.config());
    }
  }
}

TEST_P(RoundTrip, OneWayDelayMeasurement) {
  MessageGenerator gen(4000 + GetParam(), config_variant(GetParam()));
  for (int i = 0; i < kMessagesPerCase; ++i) expect_round_trip(gen.one_way_delay(), gen.config());
}

INSTANTIATE_TEST_SUITE_P(Configs, RoundTrip, ::testing::Range(0, 4));

TEST(RoundTrip, DecodeIntoReusesStorageAndMatchesDecode) {
  MessageGenerator gen(5, DecoderConfig{});
  DecodeResult reused;
  for (int i = 0; i < 200; ++i) {
    const Message m = gen.any();
    const auto bytes = encode(m);
    decode_into(bytes, gen.config(), reused);
    const DecodeResult fresh = decode(bytes, gen.config());
    ASSERT_TRUE(reused.message == fresh.message);
    ASSERT_EQ(reused.findings.size(), fresh.findings.size());
  }
}

TEST(Eaxc, SplitPacksAndUnpacks) {
  const EaxcSplit split{2, 6, 4, 4};
  const EaxcId id{3, 0x2a, 0x5, 0xc};
  EXPECT_EQ(id.to_wire(split), 0xea5c);
  EXPECT_EQ(EaxcId::from_wire(0xea5c, split), id);
  EXPECT_TRUE(split.valid());
  EXPECT_FALSE((EaxcSplit{4, 4, 4, 5}).valid());
}

}  // namespace
}  // namespace plugfest::fronthaul
