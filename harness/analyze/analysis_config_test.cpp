#include "harness/analyze/analysis_config.h"

#include <gtest/gtest.h>

#include "interfaces/common/testing/temp_dir.h"

namespace plugfest::analyze {
namespace {

using plugfest::testing::TempDir;

std::string refusal(const std::string& text, TempDir& dir) {
  const auto file = dir.write("lab.yaml", text);
  auto config = load_analysis_config(file);
  EXPECT_FALSE(config.ok()) << text;
  return config.ok() ? "" : config.error().to_string();
}

TEST(AnalysisConfig, ReadsAGoodConfig) {
  TempDir dir;
  const auto file = dir.write("lab.yaml",
                              "eaxc: {du_port_bits: 2, band_sector_bits: 6, cc_id_bits: 4, "
                              "ru_port_bits: 4}\nnumerology: 1\ncarrier_prbs: 273\n"
                              "compression: {header: static, method: none, width: 16}\n"
                              "time_dilation: 100\ntiming: {ta4_min_us: 10, ta4_max_us: 900}\n");
  auto config = load_analysis_config(file);
  ASSERT_TRUE(config.ok()) << config.error().to_string();
  ASSERT_TRUE(config->eaxc_split);
  EXPECT_EQ(config->eaxc_split->ru_port_bits, 4);
  EXPECT_EQ(config->carrier_prbs, 273);
  ASSERT_TRUE(config->compression);
  EXPECT_EQ(config->compression->static_params.iq_width, 16);
  EXPECT_EQ(config->time_dilation, 100.0);
  ASSERT_TRUE(config->windows);
  EXPECT_EQ(config->windows->ta4.max, std::chrono::microseconds(900));
  EXPECT_EQ(config->windows->t1a_up.max, transport::TimingWindows::typical().t1a_up.max);
}

TEST(AnalysisConfig, OldSpellingsAreRefusedNamingTheProfileParameter) {
  TempDir dir;
  EXPECT_NE(refusal("eaxc: {du_port_bits: 2, band_sector_bits: 6, cc_bits: 4, ru_port_bits: 4}\n",
                    dir)
                .find("lab.yaml:1:"),
            std::string::npos);
  EXPECT_NE(refusal("eaxc: {du_port_bits: 2, band_sector_bits: 6, cc_bits: 4, ru_port_bits: 4}\n",
                    dir)
                .find("key 'cc_bits' is now 'cc_id_bits'"),
            std::string::npos);
  EXPECT_NE(refusal("compression: {mode: static, method: bfp, iq_width: 9}\n", dir)
                .find("key 'mode' is now 'header'"),
            std::string::npos);
  EXPECT_NE(refusal("compression: {header: static, method: bfp, iq_width: 9}\n", dir)
                .find("key 'iq_width' is now 'width'"),
            std::string::npos);
  EXPECT_NE(refusal("carrier: {prbs: 273}\n", dir).find("key 'carrier' is now 'carrier_prbs"),
            std::string::npos);
  EXPECT_NE(refusal("subcarrier_spacing_khz: 30\n", dir).find("is now 'scs_khz'"),
            std::string::npos);
  EXPECT_NE(refusal("time_dilation: 0.5\n", dir).find("key 'time_dilation'"), std::string::npos);
}

TEST(AnalysisConfig, HostileYamlIsRefusedWithItsPosition) {
  TempDir dir;
  EXPECT_NE(refusal("sides: &s {o_du: *s}\n", dir).find("lab.yaml:1:18: this alias refers"),
            std::string::npos);
  EXPECT_NE(refusal("numerology: 1\nnumerology: 2\n", dir)
                .find("lab.yaml:2:1: this key repeats the key at line 1, column 1"),
            std::string::npos);
  EXPECT_NE(refusal("numerology: 1\n---\n", dir).find("lab.yaml:2:1: a second YAML document"),
            std::string::npos);
  EXPECT_NE(refusal("numerology: \xff\n", dir).find("lab.yaml:1:13: the text is not UTF-8"),
            std::string::npos);
  auto device = load_analysis_config("/dev/zero");
  ASSERT_FALSE(device.ok());
  EXPECT_NE(device.error().to_string().find("/dev/zero: is a character device"),
            std::string::npos);
}

TEST(AnalysisConfig, MissingRequiredKeysAreLocatedErrors) {
  TempDir dir;
  EXPECT_EQ(refusal("eaxc: {du_port_bits: 2, band_sector_bits: 6, cc_id_bits: 4}\n", dir),
            "error: " + dir.file("lab.yaml") +
                ":1:7: missing key 'ru_port_bits' in eaxc\n");
  EXPECT_NE(refusal("compression: {method: bfp}\n", dir)
                .find(dir.file("lab.yaml") + ":1:14: missing key 'header' in compression"),
            std::string::npos);
  EXPECT_NE(refusal("timing: {windows: {ta3: {min: 1us}}}\n", dir)
                .find(dir.file("lab.yaml") + ":1:25: missing key 'max' in timing.windows.ta3"),
            std::string::npos);
}

}  // namespace
}  // namespace plugfest::analyze
