#include "interfaces/fronthaul/compression.h"

#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace plugfest::fronthaul {
namespace {

constexpr CompressionMethod kBlockMethods[] = {
    CompressionMethod::kNone, CompressionMethod::kBlockFloatingPoint,
    CompressionMethod::kBlockScaling, CompressionMethod::kMuLaw};

std::string describe(const CompressionParams& p) {
  return "method " + std::to_string(static_cast<int>(p.method)) + " width " +
         std::to_string(p.iq_width);
}

std::vector<std::uint8_t> compress_or_die(const CompressionParams& params,
                                          const std::vector<IqSample>& samples, SimdPath path) {
  std::vector<std::uint8_t> wire(compressed_size(params, samples.size() / 12));
  auto written = compress(params, samples, wire, path);
  EXPECT_TRUE(written.ok()) << written.error().to_string();
  if (written.ok()) {
    EXPECT_EQ(*written, wire.size());
  }
  return wire;
}

std::vector<IqSample> decompress_or_die(const CompressionParams& params,
                                        const std::vector<std::uint8_t>& wire, std::size_t prbs,
                                        SimdPath path) {
  std::vector<IqSample> out(12 * prbs);
  auto read = decompress(params, wire, out, path);
  EXPECT_TRUE(read.ok()) << read.error().to_string();
  return out;
}

// Random PRBs with a different amplitude per PRB (from silence to full scale, extremes
// included) so every exponent / scaler / shift occurs.
std::vector<IqSample> random_prbs(std::size_t prbs, std::mt19937& rng) {
  std::vector<IqSample> samples(12 * prbs);
  std::uniform_int_distribution<int> bits(0, 16);
  for (std::size_t p = 0; p < prbs; ++p) {
    const int amplitude = (1 << bits(rng)) - 1;
    std::uniform_int_distribution<int> value(-amplitude - 1, amplitude);
    for (std::size_t k = 0; k < 12; ++k) {
      auto& s = samples[12 * p + k];
      s.i = static_cast<std::int16_t>(std::clamp(value(rng), -32768, 32767));
      s.q = static_cast<std::int16_t>(std::clamp(value(rng), -32768, 32767));
    }
    if (p % 7 == 3) samples[12 * p].i = -32768;
    if (p % 11 == 5) samples[12 * p + 5].q = 32767;
  }
  return samples;
}

TEST(Compression, BlockFloatingPointKnownAnswer) {
  const CompressionParams bfp9{CompressionMethod::kBlockFloatingPoint, 9};
  std::vector<IqSample> prb(12);
  prb[0] = {255, 0};
  for (SimdPath path : {SimdPath::kScalar, default_simd_path()}) {
    const auto wire = compress_or_die(bfp9, prb, path);
    ASSERT_EQ(wire.size(), 28u);
    EXPECT_EQ(wire[0], 0);     // exponent 0: 255 fits 9 bits
    EXPECT_EQ(wire[1], 0x7f);  // 0 1111 1111 | 0...
    EXPECT_EQ(wire[2], 0x80);
    EXPECT_TRUE(std::all_of(wire.begin() + 3, wire.end(), [](auto b) { return b == 0; }));
  }
  prb[0] = {1000, -1000};
  prb[1] = {-3, 3};
  prb[2] = {-1001, 999};
  const auto wire = compress_or_die(bfp9, prb, SimdPath::kScalar);
  EXPECT_EQ(wire[0], 2);  // max(maxV, |minV| - 1) = 1000 needs 10 bits + sign: 11 - 9
  const auto back = decompress_or_die(bfp9, wire, 1, SimdPath::kScalar);
  EXPECT_EQ(back[0], (IqSample{1000, -1000}));
  EXPECT_EQ(back[1], (IqSample{0, 0}));  // truncation toward zero, not floor
  EXPECT_EQ(back[2], (IqSample{-1000, 996}));
}

TEST(Compression, UncompressedSixteenBitsIsBigEndianTwosComplement) {
  const CompressionParams none16{CompressionMethod::kNone, 16};
  std::vector<IqSample> prb(12);
  prb[0] = {0x1234, -2};
  prb[11] = {-32768, 32767};
  const auto wire = compress_or_die(none16, prb, default_simd_path());
  ASSERT_EQ(wire.size(), 48u);
  EXPECT_EQ(wire[0], 0x12);
  EXPECT_EQ(wire[1], 0x34);
  EXPECT_EQ(wire[2], 0xff);
  EXPECT_EQ(wire[3], 0xfe);
  EXPECT_EQ(wire[44], 0x80);
  EXPECT_EQ(wire[47], 0xff);
  EXPECT_EQ(decompress_or_die(none16, wire, 1, default_simd_path()), prb);
}

TEST(Compression, BlockScalingAndMuLawKnownAnswers) {
  std::vector<IqSample> prb(12);
  prb[0] = {1000, -1000};
  prb[1] = {100, 0};
  const CompressionParams bs9{CompressionMethod::kBlockScaling, 9};
  const auto scaled = compress_or_die(bs9, prb, SimdPath::kScalar);
  EXPECT_EQ(scaled[0], 4);  // sblockScaler = ceil(1000 / 256)
  auto back = decompress_or_die(bs9, scaled, 1, SimdPath::kScalar);
  EXPECT_EQ(back[0], (IqSample{1000, -1000}));
  EXPECT_EQ(back[1], (IqSample{100, 0}));

  std::vector<IqSample> quiet(12);
  quiet[0] = {100, -100};
  const CompressionParams mu8{CompressionMethod::kMuLaw, 8};
  const auto companded = compress_or_die(mu8, quiet, SimdPath::kScalar);
  EXPECT_EQ(companded[0], 0x87);  // compBitWidth 8, compShift 7 (max below 2^8)
  EXPECT_EQ(companded[1], 82);    // 100 << 7 = 12800: second segment, (12800 + 8192) >> 8
  EXPECT_EQ(companded[2], static_cast<std::uint8_t>(-82));
  back = decompress_or_die(mu8, companded, 1, SimdPath::kScalar);
  EXPECT_EQ(back[0], (IqSample{100, -100}));
}

TEST(Compression, RoundTripErrorIsBoundedForEveryMethodAndWidth) {
  std::mt19937 rng(1);
  const std::size_t prbs = 40;
  const auto samples = random_prbs(prbs, rng);
  for (CompressionMethod method : kBlockMethods) {
    for (int width = 1; width <= 16; ++width) {
      const CompressionParams params{method, static_cast<std::uint8_t>(width)};
      const auto wire = compress_or_die(params, samples, SimdPath::kScalar);
      const auto back = decompress_or_die(params, wire, prbs, SimdPath::kScalar);
      const std::size_t prb_bytes = prb_payload_bytes(params);
      for (std::size_t p = 0; p < prbs; ++p) {
        const int param = wire[p * prb_bytes];
        int bound = 0;
        switch (method) {
          case CompressionMethod::kNone:
            bound = 65536;  // saturation only; checked exactly below for width 16
            break;
          case CompressionMethod::kBlockFloatingPoint:
            bound = (1 << bfp_exponent(param)) - 1;
            break;
          case CompressionMethod::kBlockScaling:
            bound = width <= 9 ? param * (1 << (9 - width)) + 1 : param + 1;
            break;
          default:
            bound = ((1 << (17 - width)) >> mu_law_comp_shift(param)) + 1;
            break;
        }
        if (method == CompressionMethod::kBlockScaling && width < 3) continue;  // too coarse
        if (method == CompressionMethod::kMuLaw && width < 4) continue;
        for (std::size_t k = 0; k < 12; ++k) {
          const auto& x = samples[12 * p + k];
          const auto& y = back[12 * p + k];
          ASSERT_LE(std::abs(x.i - y.i), bound) << describe(params) << " prb " << p << " re " << k;
          ASSERT_LE(std::abs(x.q - y.q), bound) << describe(params) << " prb " << p << " re " << k;
        }
      }
      if (method == CompressionMethod::kNone && width == 16) {
        EXPECT_EQ(back, samples);
      }
    }
  }
}

TEST(Compression, Avx2MatchesScalarForEveryMethodWidthAndRandomInput) {
  if (!avx2_available()) GTEST_SKIP() << "this CPU has no AVX2; only the scalar path runs";
  std::mt19937 rng(2);
  for (int round = 0; round < 20; ++round) {
    const std::size_t prbs = 1 + rng() % 61;  // odd and even counts exercise the tails
    const auto samples = random_prbs(prbs, rng);
    for (CompressionMethod method : kBlockMethods) {
      for (int width = 1; width <= 16; ++width) {
        const CompressionParams params{method, static_cast<std::uint8_t>(width)};
        const auto scalar = compress_or_die(params, samples, SimdPath::kScalar);
        const auto vector = compress_or_die(params, samples, SimdPath::kAvx2);
        ASSERT_EQ(scalar, vector) << describe(params) << " prbs " << prbs;
        ASSERT_EQ(decompress_or_die(params, scalar, prbs, SimdPath::kScalar),
                  decompress_or_die(params, scalar, prbs, SimdPath::kAvx2))
            << describe(params);
        // Arbitrary wire bytes, out-of-range udCompParam values included.
        std::vector<std::uint8_t> noise(scalar.size());
        for (auto& b : noise) b = static_cast<std::uint8_t>(rng());
        ASSERT_EQ(decompress_or_die(params, noise, prbs, SimdPath::kScalar),
                  decompress_or_die(params, noise, prbs, SimdPath::kAvx2))
            << describe(params) << " on random bytes";
      }
    }
  }
}

// A buffer that ends right before an inaccessible page: any access past its end faults.
class GuardedBuffer {
 public:
  explicit GuardedBuffer(std::size_t size)
      : page_(static_cast<std::size_t>(sysconf(_SC_PAGESIZE))) {
    pages_ = (size + page_ - 1) / page_ + 1;
    void* base =
        mmap(nullptr, pages_ * page_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    base_ = static_cast<std::uint8_t*>(base);
    mprotect(base_ + (pages_ - 1) * page_, page_, PROT_NONE);
    data_ = base_ + (pages_ - 1) * page_ - size;
    size_ = size;
  }
  ~GuardedBuffer() { munmap(base_, pages_ * page_); }
  std::span<std::uint8_t> span() { return {data_, size_}; }

 private:
  std::size_t page_, pages_ = 0, size_ = 0;
  std::uint8_t* base_ = nullptr;
  std::uint8_t* data_ = nullptr;
};

TEST(Compression, NeverTouchesBytesPastTheBuffers) {
  std::mt19937 rng(3);
  for (std::size_t prbs : {1u, 2u, 3u, 8u}) {
    const auto samples = random_prbs(prbs, rng);
    for (CompressionMethod method : kBlockMethods) {
      for (int width = 1; width <= 16; ++width) {
        const CompressionParams params{method, static_cast<std::uint8_t>(width)};
        for (SimdPath path : {SimdPath::kScalar, default_simd_path()}) {
          GuardedBuffer wire(compressed_size(params, prbs));
          ASSERT_TRUE(compress(params, samples, wire.span(), path).ok());
          std::vector<IqSample> out(12 * prbs);
          ASSERT_TRUE(decompress(params, wire.span(), out, path).ok());
        }
      }
    }
  }
}

TEST(Compression, RejectsBadArgumentsWithClearErrors) {
  std::vector<IqSample> samples(24);
  std::vector<std::uint8_t> wire(1000);
  const CompressionParams bfp9{CompressionMethod::kBlockFloatingPoint, 9};
  for (SimdPath path : {SimdPath::kScalar, SimdPath::kAvx2}) {
    auto odd = compress(bfp9, std::span(samples).first(13), wire, path);
    ASSERT_FALSE(odd.ok());
    EXPECT_NE(odd.error().message.find("whole PRBs"), std::string::npos);
    auto small = compress(bfp9, samples, std::span(wire).first(55), path);
    ASSERT_FALSE(small.ok());
    EXPECT_NE(small.error().message.find("too small"), std::string::npos);
    auto modulation = compress({CompressionMethod::kModulation, 4}, samples, wire, path);
    ASSERT_FALSE(modulation.ok());
    auto width = compress({CompressionMethod::kNone, 17}, samples, wire, path);
    ASSERT_FALSE(width.ok());
    EXPECT_NE(width.error().message.find("outside 1..16"), std::string::npos);
    auto width0 = decompress({CompressionMethod::kNone, 0}, wire, samples, path);
    ASSERT_FALSE(width0.ok());
    auto short_input = decompress(bfp9, std::span(wire).first(55), samples, path);
    ASSERT_FALSE(short_input.ok());
    EXPECT_NE(short_input.error().message.find("need 56 bytes"), std::string::npos)
        << short_input.error().message;
    EXPECT_EQ(short_input.error().where, "byte 55");
  }
}

TEST(Compression, ModulationDecodeMapsConstellationPoints) {
  // QPSK (width 1) with the constellation shift: codes 0 and -1 become +-1/sqrt(2).
  std::vector<std::uint8_t> qpsk = {0b01100000, 0, 0};
  std::vector<std::complex<float>> out(12);
  auto read = decompress_modulation(1, {true, 0x7ff}, qpsk, out);
  ASSERT_TRUE(read.ok()) << read.error().to_string();
  EXPECT_EQ(*read, 3u);
  const float r = static_cast<float>(std::sqrt(0.5) * mod_comp_scale(0x7ff));
  EXPECT_NEAR(out[0].real(), r, 1e-6);
  EXPECT_NEAR(out[0].imag(), -r, 1e-6);
  EXPECT_NEAR(out[1].real(), -r, 1e-6);
  EXPECT_NEAR(out[1].imag(), r, 1e-6);
  EXPECT_NEAR(out[2].real(), r, 1e-6);

  // 16QAM (width 2), shifted: levels +-1/4, +-3/4; modCompScaler mantissa 0.5, exponent 1.
  std::vector<std::uint8_t> qam16(6, 0);
  qam16[0] = 0b10'11'00'01;  // I=-2, Q=-1, I=0, Q=1
  const std::uint16_t quarter = (1 << 11) | 0x400;
  EXPECT_DOUBLE_EQ(mod_comp_scale(quarter), 0.25);
  ASSERT_TRUE(decompress_modulation(2, {true, quarter}, qam16, out).ok());
  const double scale = 0.25 * std::sqrt(2.0);
  EXPECT_NEAR(out[0].real(), -0.75 * scale, 1e-6);
  EXPECT_NEAR(out[0].imag(), -0.25 * scale, 1e-6);
  EXPECT_NEAR(out[1].real(), 0.25 * scale, 1e-6);
  EXPECT_NEAR(out[1].imag(), 0.75 * scale, 1e-6);

  EXPECT_FALSE(decompress_modulation(2, {}, std::span(qam16).first(5), out).ok());
  EXPECT_FALSE(decompress_modulation(0, {}, qam16, out).ok());
}

}  // namespace
}  // namespace plugfest::fronthaul
