#include "interfaces/transport/slot_clock.h"

#include <gtest/gtest.h>

namespace plugfest::transport {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;
using std::chrono::nanoseconds;

const Timestamp kEpoch = Timestamp(std::chrono::seconds(1'700'000'000));

TEST(Numerology, FromMuAndSubcarrierSpacing) {
  ASSERT_TRUE(numerology_from_mu(1));
  EXPECT_EQ(*numerology_from_mu(1), Numerology::kMu1);
  EXPECT_EQ(*numerology_from_scs_khz(120), Numerology::kMu3);
  EXPECT_EQ(subcarrier_spacing_khz(Numerology::kMu2), 60);
  EXPECT_EQ(slots_per_frame(Numerology::kMu3), 80);
  auto bad = numerology_from_mu(4);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("0..3"), std::string::npos);
  EXPECT_FALSE(numerology_from_scs_khz(45));
}

class EveryNumerology : public ::testing::TestWithParam<int> {};

TEST_P(EveryNumerology, HalfSubframesLastExactly) {
  const auto mu = static_cast<Numerology>(GetParam());
  const SlotClock clock(mu, kEpoch);
  // A subframe is 1 ms whatever the numerology; a slot 1 ms / 2^mu.
  const std::int64_t per_subframe = kSymbolsPerSlot * slots_per_subframe(mu);
  EXPECT_EQ(clock.symbol_start(per_subframe) - kEpoch, milliseconds(1));
  EXPECT_EQ(clock.symbol_start(per_subframe * 10 * 1024) - kEpoch, milliseconds(10240));
  // Half subframes are 500 us; at mu 2 and 3 the slot holding the longer symbol is longer.
  EXPECT_EQ(clock.symbol_start(7 << GetParam()) - kEpoch, microseconds(500));
  if (GetParam() >= 2) {
    EXPECT_GT(clock.symbol_start(kSymbolsPerSlot) - kEpoch, nanoseconds(1'000'000 >> GetParam()));
  }
  // The first symbol of each half subframe is 16 kappa Tc (about 0.52 us) longer.
  const nanoseconds first = clock.symbol_duration(0);
  const nanoseconds second = clock.symbol_duration(1);
  EXPECT_NEAR(static_cast<double>((first - second).count()), 520.8, 1.0);
  EXPECT_NEAR(static_cast<double>(second.count()), 71354.0 / (1 << GetParam()), 1.0);
}

TEST_P(EveryNumerology, PointsRoundTripThroughSymbolsAndTime) {
  const auto mu = static_cast<Numerology>(GetParam());
  const SlotClock clock(mu, kEpoch);
  const std::int64_t cycle = std::int64_t{symbols_per_frame(mu)} * kFramesPerSfnCycle;
  for (std::int64_t n :
       {std::int64_t{0}, std::int64_t{1}, std::int64_t{13}, std::int64_t{14}, std::int64_t{997},
        cycle - 1, cycle, cycle + 12345, std::int64_t{-1}, -cycle - 7}) {
    const SlotPoint p = clock.point_of(n);
    EXPECT_LT(p.frame, kFramesPerSfnCycle);
    EXPECT_LT(p.subframe, kSubframesPerFrame);
    EXPECT_LT(p.slot, slots_per_subframe(mu));
    EXPECT_LT(p.symbol, kSymbolsPerSlot);
    const std::int64_t cycle_index = n >= 0 ? n / cycle : -((-n + cycle - 1) / cycle);
    EXPECT_EQ(clock.symbol_of(p, cycle_index), n) << p.to_string();
    const Timestamp start = clock.symbol_start(n);
    EXPECT_EQ(clock.symbol_at(start), n);
    EXPECT_EQ(clock.symbol_at(start - nanoseconds(1)), n - 1);
    EXPECT_EQ(clock.symbol_at(start + clock.symbol_duration(n) - nanoseconds(1)), n);
  }
}

INSTANTIATE_TEST_SUITE_P(Mu, EveryNumerology, ::testing::Values(0, 1, 2, 3));

TEST(SlotClock, PointOfKnownSymbol) {
  const SlotClock clock(Numerology::kMu1, kEpoch);
  // frame 3, subframe 4, slot 1, symbol 5 at 30 kHz: 3*280 + (4*2+1)*14 + 5.
  const SlotPoint p = clock.point_of(3 * 280 + 9 * 14 + 5);
  EXPECT_EQ(p, (SlotPoint{3, 4, 1, 5}));
  EXPECT_EQ(p.frame_id(), 3);
  EXPECT_EQ(clock.point_of(300 * 280).frame_id(), 300 - 256);
}

TEST(SlotClock, NearestOccurrenceOfAFrameIdWraps) {
  const SlotClock clock(Numerology::kMu1, kEpoch);
  // O-RAN frameId is SFN mod 256: 2.56 s period.
  const std::int64_t n = clock.symbol_of({257, 2, 1, 3});
  const Timestamp t = clock.symbol_start(n);
  SlotPoint on_wire = clock.point_of(n);
  on_wire.frame = on_wire.frame_id();
  EXPECT_EQ(clock.nearest_symbol(on_wire, t + milliseconds(3), 256), n);
  EXPECT_EQ(clock.nearest_symbol(on_wire, t - milliseconds(1200), 256), n);
  EXPECT_EQ(clock.nearest_symbol(on_wire, t + milliseconds(1400), 256),
            n + 256 * symbols_per_frame(Numerology::kMu1));
  EXPECT_EQ(clock.nearest_time(clock.point_of(n), t + microseconds(10)), t);
}

TEST(SlotClock, DilationStretchesTheTimeline) {
  const SlotClock real(Numerology::kMu1, kEpoch);
  const SlotClock slow(Numerology::kMu1, kEpoch, 100.0);
  EXPECT_EQ(slow.symbol_start(28) - kEpoch, milliseconds(100));
  EXPECT_EQ(slow.dilate(microseconds(5)), microseconds(500));
  for (std::int64_t n : {5, 28, 1000}) {
    EXPECT_EQ(slow.point_of(n), real.point_of(n));
    EXPECT_EQ(slow.symbol_at(slow.symbol_start(n) + nanoseconds(10)), n);
  }
}

TEST(TimingWindow, BeforeSymbolClassifiesByAdvance) {
  const Timestamp s = kEpoch + milliseconds(10);
  const auto w = TimingWindow::before_symbol(microseconds(71), microseconds(428));
  EXPECT_EQ(w.opens(s), s - microseconds(428));
  EXPECT_EQ(w.closes(s), s - microseconds(71));
  EXPECT_EQ(w.classify(s - microseconds(500), s), WindowPosition::kEarly);
  EXPECT_EQ(w.classify(s - microseconds(428), s), WindowPosition::kOnTime);
  EXPECT_EQ(w.classify(s - microseconds(100), s), WindowPosition::kOnTime);
  EXPECT_EQ(w.classify(s - microseconds(70), s), WindowPosition::kLate);
  EXPECT_EQ(w.classify(s + microseconds(1), s), WindowPosition::kLate);
  EXPECT_EQ(w.offset(s - microseconds(100), s), microseconds(100));
  EXPECT_EQ(w.classify(w.target(s), s), WindowPosition::kOnTime);
}

TEST(TimingWindow, AfterSymbolClassifiesByDelay) {
  const Timestamp s = kEpoch;
  const auto w = TimingWindow::after_symbol(microseconds(20), microseconds(100));
  EXPECT_EQ(w.classify(s + microseconds(10), s), WindowPosition::kEarly);
  EXPECT_EQ(w.classify(s + microseconds(60), s), WindowPosition::kOnTime);
  EXPECT_EQ(w.classify(s + microseconds(101), s), WindowPosition::kLate);
  EXPECT_EQ(w.offset(s + microseconds(60), s), microseconds(60));
  EXPECT_EQ(w.target(s), s + microseconds(60));
}

TEST(TimingWindow, DilationStretchesBothEdges) {
  const auto w = TimingWindow::after_symbol(microseconds(20), microseconds(100)).dilated(100);
  EXPECT_EQ(w.min, milliseconds(2));
  EXPECT_EQ(w.max, milliseconds(10));
  const Timestamp s = kEpoch;
  EXPECT_EQ(w.classify(s + microseconds(150), s), WindowPosition::kEarly);
  EXPECT_EQ(w.classify(s + milliseconds(5), s), WindowPosition::kOnTime);
}

TEST(TimingWindows, TypicalValuesAreConsistentAndChecked) {
  const TimingWindows w = TimingWindows::typical();
  EXPECT_TRUE(w.check());
  // The O-DU must send no later than the O-RU needs it.
  EXPECT_GE(w.t1a_up.min, w.t2a_up.min);
  EXPECT_EQ(w.dilated(10).ta4.max, w.ta4.max * 10);
  TimingWindows bad = w;
  bad.ta3 = TimingWindow::after_symbol(microseconds(50), microseconds(10));
  auto result = bad.check();
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().where, "ta3");
  EXPECT_EQ(to_string(WindowPosition::kLate), "late");
}

}  // namespace
}  // namespace plugfest::transport
