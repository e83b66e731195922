#include "harness/tester/iq_metrics.h"

#include <gtest/gtest.h>

namespace plugfest::harness::tester {
namespace {

using fronthaul::CompressionMethod;
using fronthaul::CompressionParams;

TEST(IqMetrics, QpskSignalHasTheAskedPowerAndIsReproducible) {
  const auto a = qpsk_signal(7, 10, -12.0);
  ASSERT_EQ(a.size(), 120u);
  EXPECT_NEAR(power_dbfs(a), -12.0, 0.05);
  EXPECT_EQ(a, qpsk_signal(7, 10, -12.0));
  EXPECT_NE(a, qpsk_signal(8, 10, -12.0));
  EXPECT_EQ(power_dbfs(std::vector<fronthaul::IqSample>(12)), -200);
}

TEST(IqMetrics, IdenticalIqHasZeroEvmAndMissingResourceElementsAreCounted) {
  const auto iq = qpsk_signal(1, 4, -12.0);
  SlotIq reference{{3, {SymbolIq{10, iq}}}};
  auto same = compare_iq(reference, reference);
  EXPECT_EQ(same.evm_percent, 0.0);
  EXPECT_EQ(same.compared, 48u);
  EXPECT_EQ(same.missing, 0u);

  // Observed only the second half, split differently into pieces.
  SlotIq half{{3, {SymbolIq{12, {iq.begin() + 24, iq.end()}}}}};
  auto partial = compare_iq(reference, half);
  EXPECT_EQ(partial.compared, 24u);
  EXPECT_EQ(partial.missing, 24u);
  EXPECT_EQ(partial.evm_percent, 0.0);

  // Another symbol: nothing compared.
  SlotIq elsewhere{{4, {SymbolIq{10, iq}}}};
  EXPECT_EQ(compare_iq(reference, elsewhere).compared, 0u);
}

TEST(IqMetrics, ScaledIqShowsInEvmAndPower) {
  const auto iq = qpsk_signal(2, 4, -12.0);
  auto half = iq;
  for (auto& s : half) {
    s.i = static_cast<std::int16_t>(s.i / 2);
    s.q = static_cast<std::int16_t>(s.q / 2);
  }
  auto c = compare_iq({{0, {SymbolIq{0, iq}}}}, {{0, {SymbolIq{0, half}}}});
  EXPECT_NEAR(c.evm_percent, 50.0, 0.1);
  EXPECT_NEAR(c.reference_power_dbfs - c.observed_power_dbfs, 6.02, 0.05);
}

TEST(IqMetrics, CompressionEvmShrinksWithWidth) {
  const auto iq = qpsk_signal(3, 20, -12.0);
  auto bfp9 = compression_evm_percent({CompressionMethod::kBlockFloatingPoint, 9}, iq);
  auto bfp14 = compression_evm_percent({CompressionMethod::kBlockFloatingPoint, 14}, iq);
  auto none16 = compression_evm_percent({CompressionMethod::kNone, 16}, iq);
  ASSERT_TRUE(bfp9 && bfp14 && none16);
  EXPECT_GT(*bfp9, *bfp14);
  EXPECT_LT(*bfp9, 2.0);
  EXPECT_EQ(*none16, 0.0);
  EXPECT_FALSE(compression_evm_percent({CompressionMethod::kModulation, 4}, iq));
}

}  // namespace
}  // namespace plugfest::harness::tester
