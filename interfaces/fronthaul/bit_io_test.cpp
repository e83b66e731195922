#include "interfaces/fronthaul/bit_io.h"

#include <gtest/gtest.h>

#include <random>

namespace plugfest::fronthaul {
namespace {

TEST(BitIo, WritesMostSignificantBitFirst) {
  BitWriter w;
  w.write(1, 1);
  w.write(0b010, 3);
  w.write(0xf, 4);
  w.write(0xabc, 12);
  w.align_to_byte();
  EXPECT_EQ(w.take(), (std::vector<std::uint8_t>{0xaf, 0xab, 0xc0}));
}

TEST(BitIo, ReadsBackRandomFieldSequences) {
  std::mt19937 rng(7);
  for (int round = 0; round < 200; ++round) {
    std::vector<std::pair<std::uint32_t, unsigned>> fields;
    BitWriter w;
    for (int i = 0; i < 40; ++i) {
      const unsigned bits = rng() % 33;
      const std::uint32_t value = bits == 32 ? rng() : rng() & ((1u << bits) - 1u);
      fields.emplace_back(value, bits);
      w.write(value, bits);
    }
    const auto bytes = w.take();
    BitReader r(bytes);
    for (const auto& [value, bits] : fields) ASSERT_EQ(r.read(bits), value);
    EXPECT_FALSE(r.failed());
    EXPECT_LT(r.remaining_bits(), 8u);
  }
}

TEST(BitIo, ReaderNeverReadsPastItsSpanAndSaysWhereItStopped) {
  const std::vector<std::uint8_t> bytes = {0x12, 0x34, 0x56};
  BitReader r(std::span<const std::uint8_t>(bytes).first(2));
  EXPECT_EQ(r.read(12), 0x123u);
  EXPECT_EQ(r.read(8), 0u);  // would need 4 bits of the third octet, outside the span
  EXPECT_TRUE(r.failed());
  EXPECT_EQ(r.bit_position(), 12u);
  EXPECT_TRUE(r.read_bytes(1).empty());
  r.skip(100);
  EXPECT_EQ(r.remaining_bits(), 0u);
}

TEST(BitIo, PatchesAndPadsOctets) {
  BitWriter w;
  w.write_u16(0);
  w.write_u8(7);
  w.pad_to_multiple(0, 4);
  w.patch_u16(0, 0xbeef);
  EXPECT_EQ(w.take(), (std::vector<std::uint8_t>{0xbe, 0xef, 7, 0}));
}

}  // namespace
}  // namespace plugfest::fronthaul
