#include "interfaces/transport/fronthaul_config.h"

#include <gtest/gtest.h>

namespace plugfest::transport {
namespace {

TEST(FronthaulConfig, ChecksRangesAndNamesTheParameter) {
  const auto where = [](const FronthaulConfig& c) { return c.check().error().where; };
  FronthaulConfig config;
  config.carrier_prbs = 51;
  config.antennas = 2;
  ASSERT_TRUE(config.check());

  FronthaulConfig bad = config;
  bad.antennas = 9;  // 4 RU port bits hold 8 data + PRACH ports at most
  EXPECT_EQ(where(bad), "antennas");
  bad = config;
  bad.carrier_prbs = 274;
  EXPECT_EQ(where(bad), "carrier");
  bad = config;
  bad.eaxc_split.cc_bits = 5;
  EXPECT_EQ(where(bad), "eaxc");
  bad = config;
  bad.dilation = 0.5;
  EXPECT_EQ(where(bad), "timing.dilation");
  bad = config;
  bad.ul_compression.static_params = {fronthaul::CompressionMethod::kModulation, 4};
  EXPECT_EQ(where(bad), "compression");
}

TEST(FronthaulConfig, DerivesEaxcAndPrbCounts) {
  FronthaulConfig config;
  config.antennas = 4;
  EXPECT_EQ(data_eaxc(3).ru_port, 3);
  EXPECT_EQ(prach_eaxc(config, 3).ru_port, 7);
  EXPECT_EQ(effective_prbs(0, 273), 273);
  EXPECT_EQ(effective_prbs(51, 273), 51);
  EXPECT_EQ(wire_num_prb(273, 273), 0);  // the whole carrier above 255 goes as 0
  EXPECT_EQ(wire_num_prb(106, 106), 106);
}

}  // namespace
}  // namespace plugfest::transport
