// AVX2 kernels for the Annex A block compression methods. Bit-exact with the scalar
// reference in compression.cpp (see compression_kernels.h for the arithmetic).
//
// Layout facts the kernels rely on: a PRB holds 24 codes of w bits, i.e. three groups of
// 8 codes, and each group is exactly w bytes, so every group starts on a byte boundary and
// fits in one 16-byte load or store.

#include "interfaces/fronthaul/compression_avx2.h"

#if defined(__AVX2__)

#include <immintrin.h>

#include <array>
#include <cstddef>
#include <cstring>
#include <utility>

#include "interfaces/fronthaul/compression_kernels.h"

namespace plugfest::fronthaul::detail {
namespace {

// The kernels read and write IqSample arrays as interleaved int16 I, Q.
static_assert(sizeof(IqSample) == 4 && offsetof(IqSample, q) == 2);

constexpr std::uint8_t kZero = 0x80;  // pshufb index that yields a zero byte

// Per-width constants, computed at compile time.
struct WidthTables {
  // Unpacking one group: byte gather into big-endian 32-bit windows and the bit offset of
  // each code in its window.
  alignas(32) std::array<std::uint8_t, 32> gather{};
  alignas(32) std::array<std::int32_t, 8> offsets{};
  // Packing one group (per 128-bit lane: 64-bit q0 = codes 0..3, q1 = codes 4..7): bytes of
  // q1 and of q0 << nibble_shift placed big-endian, then ORed. For even widths the two never
  // share a byte and `place` does both in one shuffle.
  alignas(32) std::array<std::uint8_t, 32> place_low{};
  alignas(32) std::array<std::uint8_t, 32> place_high{};
  alignas(32) std::array<std::uint8_t, 32> place{};
  alignas(32) std::array<std::int64_t, 4> nibble_shift{};
};

constexpr WidthTables make_tables(int w) {
  WidthTables t{};
  for (int lane = 0; lane < 2; ++lane) {
    for (int i = 0; i < 4; ++i) {
      const int k = 4 * lane + i;
      const int start = k * w;
      for (int b = 0; b < 4; ++b) {
        const int source = start / 8 + b;
        t.gather[16 * lane + 4 * i + (3 - b)] =
            source <= 15 ? static_cast<std::uint8_t>(source) : kZero;
      }
      t.offsets[k] = start % 8;
    }
  }
  const int k = w / 2;                   // whole bytes of q1 below q0
  const int q1_bytes = (4 * w + 7) / 8;  // bytes q1 touches
  const int shift = 4 * w - 8 * k;       // 0 or 4
  for (int lane = 0; lane < 2; ++lane) {
    for (int j = 0; j < 16; ++j) {
      std::uint8_t low = kZero;
      std::uint8_t high = kZero;
      if (j < w) {
        const int b = w - 1 - j;  // byte of the group counted from its least significant end
        if (b < q1_bytes) low = static_cast<std::uint8_t>(8 + b);
        if (b >= k) high = static_cast<std::uint8_t>(b - k);
      }
      t.place_low[16 * lane + j] = low;
      t.place_high[16 * lane + j] = high;
      t.place[16 * lane + j] = low != kZero ? low : high;
    }
    t.nibble_shift[2 * lane] = shift;
    t.nibble_shift[2 * lane + 1] = 0;
  }
  return t;
}

template <int W>
inline constexpr WidthTables kTables = make_tables(W);

inline __m256i load(const std::uint8_t* table) {
  return _mm256_load_si256(reinterpret_cast<const __m256i*>(table));
}
inline __m256i load(const std::int32_t* table) {
  return _mm256_load_si256(reinterpret_cast<const __m256i*>(table));
}
inline __m256i load(const std::int64_t* table) {
  return _mm256_load_si256(reinterpret_cast<const __m256i*>(table));
}

__m128i count(int bits) { return _mm_cvtsi32_si128(bits); }

// Eight sign-extended codes of one group starting at `group` (16 readable bytes).
template <int W>
inline __m256i unpack_group(const std::uint8_t* group) {
  const __m256i bytes =
      _mm256_broadcastsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(group)));
  const __m256i windows = _mm256_shuffle_epi8(bytes, load(kTables<W>.gather.data()));
  return _mm256_srai_epi32(_mm256_sllv_epi32(windows, load(kTables<W>.offsets.data())), 32 - W);
}

// Packs two groups of 8 codes (one per 128-bit lane, int16, any sign) and stores them at
// `first` and `second` (16 bytes written at each; only the first W bytes matter).
template <int W>
inline void pack_groups(__m256i codes, std::uint8_t* first, std::uint8_t* second) {
  __m256i placed;
  if constexpr (W == 16) {
    placed = _mm256_shuffle_epi8(
        codes, _mm256_setr_epi8(1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10, 13, 12, 15, 14, 1, 0, 3, 2, 5,
                                4, 7, 6, 9, 8, 11, 10, 13, 12, 15, 14));
  } else if constexpr (W == 8) {
    placed = _mm256_shuffle_epi8(
        codes, _mm256_setr_epi8(0, 2, 4, 6, 8, 10, 12, 14, -1, -1, -1, -1, -1, -1, -1, -1, 0, 2, 4,
                                6, 8, 10, 12, 14, -1, -1, -1, -1, -1, -1, -1, -1));
  } else {
    const __m256i u =
        _mm256_and_si256(codes, _mm256_set1_epi16(static_cast<std::int16_t>((1 << W) - 1)));
    __m256i pairs;  // code 2j << W | code 2j+1 in each 32-bit lane
    if constexpr (W <= 14) {
      pairs = _mm256_madd_epi16(u, _mm256_set1_epi32((1 << 16) | (1 << W)));
    } else {
      pairs = _mm256_or_si256(_mm256_slli_epi32(_mm256_and_si256(u, _mm256_set1_epi32(0xffff)), W),
                              _mm256_srli_epi32(u, 16));
    }
    // pair 2j << 2W | pair 2j+1 in each 64-bit lane
    __m256i quads = _mm256_add_epi64(_mm256_mul_epu32(pairs, _mm256_set1_epi64x(1ll << (2 * W))),
                                     _mm256_srli_epi64(pairs, 32));
    if constexpr (W % 2 == 0) {
      placed = _mm256_shuffle_epi8(quads, load(kTables<W>.place.data()));
    } else {
      quads = _mm256_sllv_epi64(quads, load(kTables<W>.nibble_shift.data()));
      placed = _mm256_or_si256(_mm256_shuffle_epi8(quads, load(kTables<W>.place_low.data())),
                               _mm256_shuffle_epi8(quads, load(kTables<W>.place_high.data())));
    }
  }
  _mm_storeu_si128(reinterpret_cast<__m128i*>(first), _mm256_castsi256_si128(placed));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(second), _mm256_extracti128_si256(placed, 1));
}

// Largest unsigned 16-bit element of PRB A (v0 and the low lane of v1) and of PRB B (the
// high lane of v1 and v2).
inline std::pair<int, int> pair_maxima(__m256i m0, __m256i m1, __m256i m2) {
  __m256i r = _mm256_max_epu16(_mm256_permute2x128_si256(m0, m2, 0x20),
                               _mm256_permute2x128_si256(m0, m2, 0x31));
  r = _mm256_max_epu16(r, m1);
  // phminposuw finds the least of eight words; the largest is the least of the complements.
  const __m256i complement = _mm256_xor_si256(r, _mm256_set1_epi32(-1));
  const int least_a = _mm_cvtsi128_si32(_mm_minpos_epu16(_mm256_castsi256_si128(complement)));
  const int least_b = _mm_cvtsi128_si32(_mm_minpos_epu16(_mm256_extracti128_si256(complement, 1)));
  return {0xffff - (least_a & 0xffff), 0xffff - (least_b & 0xffff)};
}

inline __m256i block_magnitudes(__m256i v) { return _mm256_xor_si256(v, _mm256_srai_epi16(v, 15)); }

// |v| >> e with the sign put back: the annex's fix(v * 2^-e). abs(-32768) is 0x8000, which
// the logical shift treats as +32768.
inline __m256i shift_toward_zero16(__m256i v, __m256i magnitude, int exponent) {
  return _mm256_sign_epi16(_mm256_srl_epi16(magnitude, count(exponent)), v);
}

// Applies a 32-bit per-PRB transform to 16 int16 values whose lanes belong to PRBs with
// parameters `low` and `high`, returning int16 codes.
template <typename Transform>
inline __m256i via32(__m256i v, const Transform& transform, int low, int high) {
  const __m256i a = transform(_mm256_cvtepi16_epi32(_mm256_castsi256_si128(v)), low);
  const __m256i b = transform(_mm256_cvtepi16_epi32(_mm256_extracti128_si256(v, 1)), high);
  return _mm256_permute4x64_epi64(_mm256_packs_epi32(a, b), 0xd8);
}

template <int W>
struct BlockScalingCompress {
  __m256i operator()(__m256i x, int scaler) const {
    const int denominator = scaler << (16 - W);
    const __m256i magnitude = _mm256_abs_epi32(x);
    const __m256i numerator =
        _mm256_add_epi32(_mm256_slli_epi32(magnitude, 8), _mm256_set1_epi32(denominator));
    const __m256d divisor = _mm256_set1_pd(2.0 * denominator);
    const __m128i low = _mm256_cvttpd_epi32(
        _mm256_div_pd(_mm256_cvtepi32_pd(_mm256_castsi256_si128(numerator)), divisor));
    const __m128i high = _mm256_cvttpd_epi32(
        _mm256_div_pd(_mm256_cvtepi32_pd(_mm256_extracti128_si256(numerator, 1)), divisor));
    __m256i q = _mm256_set_m128i(high, low);
    const __m256i half = _mm256_set1_epi32(1 << (W - 1));
    const __m256i positive = _mm256_cmpgt_epi32(x, _mm256_setzero_si256());
    q = _mm256_min_epi32(q, _mm256_add_epi32(half, positive));
    return _mm256_sign_epi32(q, x);
  }
};

template <int W>
struct MuLawCompress {
  __m256i operator()(__m256i x, int shift) const {
    const __m256i a = _mm256_min_epi32(_mm256_sll_epi32(_mm256_abs_epi32(x), count(shift)),
                                       _mm256_set1_epi32(32767));
    const __m256i c1 = _mm256_srli_epi32(_mm256_slli_epi32(a, 1), 16 - W);
    const __m256i c2 = _mm256_srli_epi32(_mm256_add_epi32(a, _mm256_set1_epi32(8192)), 16 - W);
    const __m256i c3 = _mm256_srli_epi32(_mm256_add_epi32(a, _mm256_set1_epi32(32768)), 17 - W);
    __m256i c = _mm256_blendv_epi8(c1, c2, _mm256_cmpgt_epi32(a, _mm256_set1_epi32(8192)));
    c = _mm256_blendv_epi8(c, c3, _mm256_cmpgt_epi32(a, _mm256_set1_epi32(16384)));
    return _mm256_sign_epi32(c, x);
  }
};

// Compresses PRBs A and B (48 int16 values at `values`) into `a` and `b`.
template <int W, CompressionMethod kMethod>
[[gnu::always_inline]] inline void compress_pair(const std::int16_t* values, std::uint8_t* a,
                                                 std::uint8_t* b) {
  const __m256i v0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(values));
  const __m256i v1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(values + 16));
  const __m256i v2 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(values + 32));
  __m256i c0, c1, c2;
  int param_a = 0, param_b = 0;
  if constexpr (kMethod == CompressionMethod::kBlockFloatingPoint) {
    const auto [max_a, max_b] =
        pair_maxima(block_magnitudes(v0), block_magnitudes(v1), block_magnitudes(v2));
    param_a = kernels::bfp_exponent_for(max_a, W);
    param_b = kernels::bfp_exponent_for(max_b, W);
    const __m256i a0 = _mm256_abs_epi16(v0);
    const __m256i a1 = _mm256_abs_epi16(v1);
    const __m256i a2 = _mm256_abs_epi16(v2);
    c0 = shift_toward_zero16(v0, a0, param_a);
    c2 = shift_toward_zero16(v2, a2, param_b);
    // Always both shifts and a blend: a branch on equal exponents mispredicts on real data.
    c1 = _mm256_blend_epi32(shift_toward_zero16(v1, a1, param_a),
                            shift_toward_zero16(v1, a1, param_b), 0xf0);
  } else if constexpr (kMethod == CompressionMethod::kBlockScaling) {
    const auto [max_a, max_b] =
        pair_maxima(block_magnitudes(v0), block_magnitudes(v1), block_magnitudes(v2));
    param_a = kernels::block_scaler_for(max_a);
    param_b = kernels::block_scaler_for(max_b);
    const BlockScalingCompress<W> transform;
    c0 = via32(v0, transform, param_a, param_a);
    c1 = via32(v1, transform, param_a, param_b);
    c2 = via32(v2, transform, param_b, param_b);
  } else if constexpr (kMethod == CompressionMethod::kMuLaw) {
    const auto [max_a, max_b] =
        pair_maxima(_mm256_abs_epi16(v0), _mm256_abs_epi16(v1), _mm256_abs_epi16(v2));
    const int shift_a = kernels::mu_law_shift_for(max_a);
    const int shift_b = kernels::mu_law_shift_for(max_b);
    const MuLawCompress<W> transform;
    c0 = via32(v0, transform, shift_a, shift_a);
    c1 = via32(v1, transform, shift_a, shift_b);
    c2 = via32(v2, transform, shift_b, shift_b);
    param_a = ((W & 0x0f) << 4) | shift_a;
    param_b = ((W & 0x0f) << 4) | shift_b;
  } else {  // no compression: saturate to the width
    const __m256i high = _mm256_set1_epi16(static_cast<std::int16_t>((1 << (W - 1)) - 1));
    const __m256i low = _mm256_set1_epi16(static_cast<std::int16_t>(-(1 << (W - 1))));
    c0 = _mm256_max_epi16(_mm256_min_epi16(v0, high), low);
    c1 = _mm256_max_epi16(_mm256_min_epi16(v1, high), low);
    c2 = _mm256_max_epi16(_mm256_min_epi16(v2, high), low);
  }
  constexpr std::size_t kParamBytes = ud_comp_param_bytes(kMethod);
  std::uint8_t* codes_a = a + kParamBytes;
  std::uint8_t* codes_b = b + kParamBytes;
  // Increasing addresses: each 16-byte store may spill into what the next one writes.
  pack_groups<W>(c0, codes_a, codes_a + W);
  pack_groups<W>(c1, codes_a + 2 * W, codes_b);
  pack_groups<W>(c2, codes_b + W, codes_b + 2 * W);
  if constexpr (kParamBytes != 0) {
    a[0] = static_cast<std::uint8_t>(param_a);
    b[0] = static_cast<std::uint8_t>(param_b);
  }
}

template <int W, CompressionMethod kMethod>
void compress_all(const IqSample* samples, std::size_t prbs, std::uint8_t* out,
                  std::size_t out_size) {
  constexpr std::size_t kParamBytes = ud_comp_param_bytes(kMethod);
  constexpr std::size_t kPrbBytes = kParamBytes + 3 * W;
  const auto* values = reinterpret_cast<const std::int16_t*>(samples);
  // The last store of a pair reaches 16 bytes past the start of PRB B's third group.
  constexpr std::size_t kReach = kPrbBytes + kParamBytes + 2 * W + 16;
  std::size_t p = 0;
  for (; p + 2 <= prbs; p += 2) {
    std::uint8_t* dst = out + p * kPrbBytes;
    if (p * kPrbBytes + kReach <= out_size) {
      compress_pair<W, kMethod>(values + 24 * p, dst, dst + kPrbBytes);
    } else {
      std::uint8_t bounce[2 * kPrbBytes + 16];
      compress_pair<W, kMethod>(values + 24 * p, bounce, bounce + kPrbBytes);
      std::memcpy(dst, bounce, 2 * kPrbBytes);
    }
  }
  if (p < prbs) {
    alignas(32) std::int16_t padded[48] = {};
    std::memcpy(padded, values + 24 * p, 24 * sizeof(std::int16_t));
    std::uint8_t bounce[2 * kPrbBytes + 16];
    compress_pair<W, kMethod>(padded, bounce, bounce + kPrbBytes);
    std::memcpy(out + p * kPrbBytes, bounce, kPrbBytes);
  }
}

// Decompression transforms on eight sign-extended codes of one PRB.
template <int W, CompressionMethod kMethod>
inline __m256i expand(__m256i x, int param) {
  if constexpr (kMethod == CompressionMethod::kBlockFloatingPoint) {
    return _mm256_sll_epi32(x, count(param & 0x0f));
  } else if constexpr (kMethod == CompressionMethod::kBlockScaling) {
    const __m256i product = _mm256_mullo_epi32(x, _mm256_set1_epi32(param));
    if constexpr (W <= 9) {
      return _mm256_slli_epi32(product, 9 - W);
    } else {
      constexpr int kShift = W - 9;
      const __m256i magnitude =
          _mm256_add_epi32(_mm256_abs_epi32(product), _mm256_set1_epi32(1 << (kShift - 1)));
      return _mm256_sign_epi32(_mm256_srli_epi32(magnitude, kShift), product);
    }
  } else if constexpr (kMethod == CompressionMethod::kMuLaw) {
    const int shift = param & 0x0f;
    const __m256i magnitude =
        _mm256_min_epi32(_mm256_abs_epi32(x), _mm256_set1_epi32((1 << (W - 1)) - 1));
    const __m256i d1 = _mm256_slli_epi32(magnitude, 16 - W);
    const __m256i d2 =
        _mm256_sub_epi32(_mm256_slli_epi32(magnitude, 17 - W), _mm256_set1_epi32(1 << 14));
    const __m256i d3 =
        _mm256_sub_epi32(_mm256_slli_epi32(magnitude, 18 - W), _mm256_set1_epi32(1 << 16));
    __m256i d =
        _mm256_blendv_epi8(d1, d2, _mm256_cmpgt_epi32(magnitude, _mm256_set1_epi32((1 << W) / 4)));
    d = _mm256_blendv_epi8(d, d3,
                           _mm256_cmpgt_epi32(magnitude, _mm256_set1_epi32(3 * (1 << W) / 8)));
    const __m256i rounded =
        _mm256_srl_epi32(_mm256_add_epi32(d, _mm256_set1_epi32(1 << shift)), count(shift + 1));
    return _mm256_sign_epi32(rounded, x);
  } else {
    (void)param;
    return x;
  }
}

// Decompresses one PRB whose codes start at `codes` (2 * W + 16 readable bytes).
template <int W, CompressionMethod kMethod>
[[gnu::always_inline]] inline void decompress_prb(const std::uint8_t* codes, int param,
                                                  IqSample* out) {
  const __m256i y0 = expand<W, kMethod>(unpack_group<W>(codes), param);
  const __m256i y1 = expand<W, kMethod>(unpack_group<W>(codes + W), param);
  const __m256i y2 = expand<W, kMethod>(unpack_group<W>(codes + 2 * W), param);
  const __m256i first = _mm256_permute4x64_epi64(_mm256_packs_epi32(y0, y1), 0xd8);
  const __m256i last = _mm256_permute4x64_epi64(_mm256_packs_epi32(y2, y2), 0xd8);
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(out), first);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 8), _mm256_castsi256_si128(last));
}

template <int W, CompressionMethod kMethod>
void decompress_all(const std::uint8_t* in, std::size_t in_size, std::size_t prbs, IqSample* out) {
  constexpr std::size_t kParamBytes = ud_comp_param_bytes(kMethod);
  constexpr std::size_t kPrbBytes = kParamBytes + 3 * W;
  // PRBs whose last 16-byte group load stays inside the input run in place.
  constexpr std::size_t kReach = kParamBytes + 2 * W + 16;
  std::size_t direct = 0;
  if (in_size >= kReach) direct = std::min(prbs, (in_size - kReach) / kPrbBytes + 1);
  for (std::size_t p = 0; p < direct; ++p) {
    const std::uint8_t* src = in + p * kPrbBytes;
    decompress_prb<W, kMethod>(src + kParamBytes, kParamBytes != 0 ? src[0] : 0, out + 12 * p);
  }
  for (std::size_t p = direct; p < prbs; ++p) {
    alignas(32) std::uint8_t bounce[64] = {};
    std::memcpy(bounce, in + p * kPrbBytes, kPrbBytes);
    decompress_prb<W, kMethod>(bounce + kParamBytes, kParamBytes != 0 ? bounce[0] : 0,
                               out + 12 * p);
  }
}

using CompressFn = void (*)(const IqSample*, std::size_t, std::uint8_t*, std::size_t);
using DecompressFn = void (*)(const std::uint8_t*, std::size_t, std::size_t, IqSample*);

constexpr int method_index(CompressionMethod method) {
  switch (method) {
    case CompressionMethod::kBlockFloatingPoint:
      return 1;
    case CompressionMethod::kBlockScaling:
      return 2;
    case CompressionMethod::kMuLaw:
      return 3;
    default:
      return 0;
  }
}

// Kernel tables indexed by [method_index][width - 1].
template <int... kWidthsMinusOne>
constexpr auto compress_kernels(std::integer_sequence<int, kWidthsMinusOne...>) {
  return std::array<std::array<CompressFn, 16>, 4>{{
      {&compress_all<kWidthsMinusOne + 1, CompressionMethod::kNone>...},
      {&compress_all<kWidthsMinusOne + 1, CompressionMethod::kBlockFloatingPoint>...},
      {&compress_all<kWidthsMinusOne + 1, CompressionMethod::kBlockScaling>...},
      {&compress_all<kWidthsMinusOne + 1, CompressionMethod::kMuLaw>...},
  }};
}

template <int... kWidthsMinusOne>
constexpr auto decompress_kernels(std::integer_sequence<int, kWidthsMinusOne...>) {
  return std::array<std::array<DecompressFn, 16>, 4>{{
      {&decompress_all<kWidthsMinusOne + 1, CompressionMethod::kNone>...},
      {&decompress_all<kWidthsMinusOne + 1, CompressionMethod::kBlockFloatingPoint>...},
      {&decompress_all<kWidthsMinusOne + 1, CompressionMethod::kBlockScaling>...},
      {&decompress_all<kWidthsMinusOne + 1, CompressionMethod::kMuLaw>...},
  }};
}

constexpr auto kCompressKernels = compress_kernels(std::make_integer_sequence<int, 16>{});
constexpr auto kDecompressKernels = decompress_kernels(std::make_integer_sequence<int, 16>{});

}  // namespace

bool avx2_compiled() { return true; }

void compress_avx2(const CompressionParams& params, const IqSample* samples, std::size_t prbs,
                   std::uint8_t* out, std::size_t out_size) {
  kCompressKernels[method_index(params.method)][params.iq_width - 1](samples, prbs, out, out_size);
}

void decompress_avx2(const CompressionParams& params, const std::uint8_t* in, std::size_t in_size,
                     std::size_t prbs, IqSample* out) {
  kDecompressKernels[method_index(params.method)][params.iq_width - 1](in, in_size, prbs, out);
}

}  // namespace plugfest::fronthaul::detail

#else  // no AVX2 translation unit on this target

namespace plugfest::fronthaul::detail {
bool avx2_compiled() { return false; }
void compress_avx2(const CompressionParams&, const IqSample*, std::size_t, std::uint8_t*,
                   std::size_t) {}
void decompress_avx2(const CompressionParams&, const std::uint8_t*, std::size_t, std::size_t,
                     IqSample*) {}
}  // namespace plugfest::fronthaul::detail

#endif
