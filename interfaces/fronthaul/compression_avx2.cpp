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
#include <cstring>
#include <utility>

#include "interfaces/fronthaul/compression_kernels.h"

namespace plugfest::fronthaul::detail {
namespace {

constexpr std::uint8_t kZero = 0x80;  // pshufb index that yields a zero byte

// Per-width constants, built once.
struct WidthTables {
  // Unpacking one group: byte gather into big-endian 32-bit windows and the bit offset of
  // each code in its window.
  alignas(32) std::array<std::uint8_t, 32> gather{};
  alignas(32) std::array<std::int32_t, 8> offsets{};
  // Packing one group (per 128-bit lane: 64-bit q0 = codes 0..3, q1 = codes 4..7): bytes of
  // q1 and of q0 << nibble_shift placed big-endian, then ORed.
  alignas(32) std::array<std::uint8_t, 32> place_low{};
  alignas(32) std::array<std::uint8_t, 32> place_high{};
  alignas(32) std::array<std::int64_t, 4> nibble_shift{};
};

std::array<WidthTables, 17> build_tables() {
  std::array<WidthTables, 17> all{};
  for (int w = 1; w <= 16; ++w) {
    WidthTables& t = all[w];
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
      }
      t.nibble_shift[2 * lane] = shift;
      t.nibble_shift[2 * lane + 1] = 0;
    }
  }
  return all;
}

const WidthTables& tables(int width) {
  static const std::array<WidthTables, 17> all = build_tables();
  return all[width];
}

__m128i count(int bits) { return _mm_cvtsi32_si128(bits); }

// Everything a kernel needs for one width, in registers.
struct Width {
  explicit Width(int w)
      : w(w),
        gather(_mm256_load_si256(reinterpret_cast<const __m256i*>(tables(w).gather.data()))),
        offsets(_mm256_load_si256(reinterpret_cast<const __m256i*>(tables(w).offsets.data()))),
        place_low(_mm256_load_si256(reinterpret_cast<const __m256i*>(tables(w).place_low.data()))),
        place_high(
            _mm256_load_si256(reinterpret_cast<const __m256i*>(tables(w).place_high.data()))),
        nibble_shift(
            _mm256_load_si256(reinterpret_cast<const __m256i*>(tables(w).nibble_shift.data()))),
        sign_shift(count(32 - w)),
        code_mask(_mm256_set1_epi16(static_cast<std::int16_t>((1u << w) - 1))),
        pair_multiplier(_mm256_set1_epi32((1 << 16) | (w <= 14 ? (1 << w) : 0))),
        shift_w(count(w)),
        shift_quad(count(32 - 2 * w)) {}

  int w;
  __m256i gather, offsets, place_low, place_high, nibble_shift;
  __m128i sign_shift;
  __m256i code_mask, pair_multiplier;
  __m128i shift_w, shift_quad;
};

// Eight sign-extended codes of one group starting at `group` (16 readable bytes).
inline __m256i unpack_group(const Width& k, const std::uint8_t* group) {
  const __m256i bytes =
      _mm256_broadcastsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(group)));
  const __m256i windows = _mm256_shuffle_epi8(bytes, k.gather);
  return _mm256_sra_epi32(_mm256_sllv_epi32(windows, k.offsets), k.sign_shift);
}

// Packs two groups of 8 codes (one per 128-bit lane, int16, any sign) and stores them at
// `first` and `second` (16 bytes written at each; only the first w bytes matter).
inline void pack_groups(const Width& k, __m256i codes, std::uint8_t* first, std::uint8_t* second) {
  const __m256i u = _mm256_and_si256(codes, k.code_mask);
  __m256i pairs;
  if (k.w <= 14) {
    pairs = _mm256_madd_epi16(u, k.pair_multiplier);
  } else {
    const __m256i low = _mm256_and_si256(u, _mm256_set1_epi32(0xffff));
    pairs = _mm256_or_si256(_mm256_sll_epi32(low, k.shift_w), _mm256_srli_epi32(u, 16));
  }
  __m256i quads = _mm256_or_si256(_mm256_srl_epi64(_mm256_slli_epi64(pairs, 32), k.shift_quad),
                                  _mm256_srli_epi64(pairs, 32));
  quads = _mm256_sllv_epi64(quads, k.nibble_shift);
  const __m256i placed = _mm256_or_si256(_mm256_shuffle_epi8(quads, k.place_low),
                                         _mm256_shuffle_epi8(quads, k.place_high));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(first), _mm256_castsi256_si128(placed));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(second), _mm256_extracti128_si256(placed, 1));
}

// Largest unsigned 16-bit element of PRB A (v0 and the low lane of v1) and of PRB B (the
// high lane of v1 and v2).
inline std::pair<int, int> pair_maxima(__m256i m0, __m256i m1, __m256i m2) {
  __m256i r = _mm256_max_epu16(_mm256_permute2x128_si256(m0, m2, 0x20),
                               _mm256_permute2x128_si256(m0, m2, 0x31));
  r = _mm256_max_epu16(r, m1);
  r = _mm256_max_epu16(r, _mm256_bsrli_epi128(r, 8));
  r = _mm256_max_epu16(r, _mm256_bsrli_epi128(r, 4));
  r = _mm256_max_epu16(r, _mm256_bsrli_epi128(r, 2));
  return {_mm256_extract_epi16(r, 0) & 0xffff, _mm256_extract_epi16(r, 8) & 0xffff};
}

inline __m256i block_magnitudes(__m256i v) { return _mm256_xor_si256(v, _mm256_srai_epi16(v, 15)); }

inline __m256i shift_toward_zero16(__m256i v, int exponent) {
  const __m256i bias = _mm256_and_si256(
      _mm256_srai_epi16(v, 15), _mm256_set1_epi16(static_cast<std::int16_t>((1 << exponent) - 1)));
  return _mm256_sra_epi16(_mm256_add_epi16(v, bias), count(exponent));
}

// Applies a 32-bit per-PRB transform to 16 int16 values whose lanes belong to PRBs with
// parameters `low` and `high`, returning int16 codes.
template <typename Transform>
inline __m256i via32(__m256i v, const Transform& transform, int low, int high) {
  const __m256i a = transform(_mm256_cvtepi16_epi32(_mm256_castsi256_si128(v)), low);
  const __m256i b = transform(_mm256_cvtepi16_epi32(_mm256_extracti128_si256(v, 1)), high);
  return _mm256_permute4x64_epi64(_mm256_packs_epi32(a, b), 0xd8);
}

struct BlockScalingCompress {
  int w;
  __m256i operator()(__m256i x, int scaler) const {
    const int denominator = scaler << (16 - w);
    const __m256i magnitude = _mm256_abs_epi32(x);
    const __m256i numerator =
        _mm256_add_epi32(_mm256_slli_epi32(magnitude, 8), _mm256_set1_epi32(denominator));
    const __m256d divisor = _mm256_set1_pd(2.0 * denominator);
    const __m128i low = _mm256_cvttpd_epi32(
        _mm256_div_pd(_mm256_cvtepi32_pd(_mm256_castsi256_si128(numerator)), divisor));
    const __m128i high = _mm256_cvttpd_epi32(
        _mm256_div_pd(_mm256_cvtepi32_pd(_mm256_extracti128_si256(numerator, 1)), divisor));
    __m256i q = _mm256_set_m128i(high, low);
    const __m256i half = _mm256_set1_epi32(1 << (w - 1));
    const __m256i positive = _mm256_cmpgt_epi32(x, _mm256_setzero_si256());
    q = _mm256_min_epi32(q, _mm256_add_epi32(half, positive));
    return _mm256_sign_epi32(q, x);
  }
};

struct MuLawCompress {
  int w;
  __m256i operator()(__m256i x, int shift) const {
    const __m256i a = _mm256_min_epi32(_mm256_sll_epi32(_mm256_abs_epi32(x), count(shift)),
                                       _mm256_set1_epi32(32767));
    const __m256i c1 = _mm256_srl_epi32(_mm256_slli_epi32(a, 1), count(16 - w));
    const __m256i c2 =
        _mm256_srl_epi32(_mm256_add_epi32(a, _mm256_set1_epi32(8192)), count(16 - w));
    const __m256i c3 =
        _mm256_srl_epi32(_mm256_add_epi32(a, _mm256_set1_epi32(32768)), count(17 - w));
    __m256i c = _mm256_blendv_epi8(c1, c2, _mm256_cmpgt_epi32(a, _mm256_set1_epi32(8192)));
    c = _mm256_blendv_epi8(c, c3, _mm256_cmpgt_epi32(a, _mm256_set1_epi32(16384)));
    return _mm256_sign_epi32(c, x);
  }
};

// Compresses PRBs A and B (48 int16 values at `values`) into `a` and `b`.
void compress_pair(CompressionMethod method, const Width& k, const std::int16_t* values,
                   std::uint8_t* a, std::uint8_t* b) {
  const __m256i v0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(values));
  const __m256i v1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(values + 16));
  const __m256i v2 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(values + 32));
  const int w = k.w;
  __m256i c0, c1, c2;
  int param_a = 0, param_b = 0;
  switch (method) {
    case CompressionMethod::kBlockFloatingPoint: {
      const auto [max_a, max_b] =
          pair_maxima(block_magnitudes(v0), block_magnitudes(v1), block_magnitudes(v2));
      param_a = kernels::bfp_exponent_for(max_a, w);
      param_b = kernels::bfp_exponent_for(max_b, w);
      c0 = shift_toward_zero16(v0, param_a);
      c2 = shift_toward_zero16(v2, param_b);
      c1 = param_a == param_b ? shift_toward_zero16(v1, param_a)
                              : _mm256_blend_epi32(shift_toward_zero16(v1, param_a),
                                                   shift_toward_zero16(v1, param_b), 0xf0);
      break;
    }
    case CompressionMethod::kBlockScaling: {
      const auto [max_a, max_b] =
          pair_maxima(block_magnitudes(v0), block_magnitudes(v1), block_magnitudes(v2));
      param_a = kernels::block_scaler_for(max_a);
      param_b = kernels::block_scaler_for(max_b);
      const BlockScalingCompress transform{w};
      c0 = via32(v0, transform, param_a, param_a);
      c1 = via32(v1, transform, param_a, param_b);
      c2 = via32(v2, transform, param_b, param_b);
      break;
    }
    case CompressionMethod::kMuLaw: {
      const auto [max_a, max_b] =
          pair_maxima(_mm256_abs_epi16(v0), _mm256_abs_epi16(v1), _mm256_abs_epi16(v2));
      const int shift_a = kernels::mu_law_shift_for(max_a);
      const int shift_b = kernels::mu_law_shift_for(max_b);
      const MuLawCompress transform{w};
      c0 = via32(v0, transform, shift_a, shift_a);
      c1 = via32(v1, transform, shift_a, shift_b);
      c2 = via32(v2, transform, shift_b, shift_b);
      param_a = ((w & 0x0f) << 4) | shift_a;
      param_b = ((w & 0x0f) << 4) | shift_b;
      break;
    }
    default: {  // no compression: saturate to the width
      const __m256i high = _mm256_set1_epi16(static_cast<std::int16_t>((1 << (w - 1)) - 1));
      const __m256i low = _mm256_set1_epi16(static_cast<std::int16_t>(-(1 << (w - 1))));
      c0 = _mm256_max_epi16(_mm256_min_epi16(v0, high), low);
      c1 = _mm256_max_epi16(_mm256_min_epi16(v1, high), low);
      c2 = _mm256_max_epi16(_mm256_min_epi16(v2, high), low);
      break;
    }
  }
  const std::size_t param_bytes = ud_comp_param_bytes(method);
  std::uint8_t* codes_a = a + param_bytes;
  std::uint8_t* codes_b = b + param_bytes;
  // Increasing addresses: each 16-byte store may spill into what the next one writes.
  pack_groups(k, c0, codes_a, codes_a + w);
  pack_groups(k, c1, codes_a + 2 * w, codes_b);
  pack_groups(k, c2, codes_b + w, codes_b + 2 * w);
  if (param_bytes != 0) {
    a[0] = static_cast<std::uint8_t>(param_a);
    b[0] = static_cast<std::uint8_t>(param_b);
  }
}

// Decompression transforms on eight sign-extended codes of one PRB.
inline __m256i expand(CompressionMethod method, int w, __m256i x, int param) {
  switch (method) {
    case CompressionMethod::kBlockFloatingPoint:
      return _mm256_sll_epi32(x, count(param & 0x0f));
    case CompressionMethod::kBlockScaling: {
      const __m256i product = _mm256_mullo_epi32(x, _mm256_set1_epi32(param));
      if (w <= 9) return _mm256_sll_epi32(product, count(9 - w));
      const int shift = w - 9;
      const __m256i magnitude =
          _mm256_add_epi32(_mm256_abs_epi32(product), _mm256_set1_epi32(1 << (shift - 1)));
      return _mm256_sign_epi32(_mm256_srl_epi32(magnitude, count(shift)), product);
    }
    case CompressionMethod::kMuLaw: {
      const int shift = param & 0x0f;
      const __m256i magnitude =
          _mm256_min_epi32(_mm256_abs_epi32(x), _mm256_set1_epi32((1 << (w - 1)) - 1));
      const __m256i d1 = _mm256_sll_epi32(magnitude, count(16 - w));
      const __m256i d2 =
          _mm256_sub_epi32(_mm256_sll_epi32(magnitude, count(17 - w)), _mm256_set1_epi32(1 << 14));
      const __m256i d3 =
          _mm256_sub_epi32(_mm256_sll_epi32(magnitude, count(18 - w)), _mm256_set1_epi32(1 << 16));
      __m256i d = _mm256_blendv_epi8(
          d1, d2, _mm256_cmpgt_epi32(magnitude, _mm256_set1_epi32((1 << w) / 4)));
      d = _mm256_blendv_epi8(d, d3,
                             _mm256_cmpgt_epi32(magnitude, _mm256_set1_epi32(3 * (1 << w) / 8)));
      const __m256i rounded =
          _mm256_srl_epi32(_mm256_add_epi32(d, _mm256_set1_epi32(1 << shift)), count(shift + 1));
      return _mm256_sign_epi32(rounded, x);
    }
    default:
      return x;
  }
}

// Decompresses one PRB whose codes start at `codes` (2 * w + 16 readable bytes).
template <CompressionMethod kMethod>
inline void decompress_prb(const Width& k, const std::uint8_t* codes, int param, IqSample* out) {
  const int w = k.w;
  const __m256i y0 = expand(kMethod, w, unpack_group(k, codes), param);
  const __m256i y1 = expand(kMethod, w, unpack_group(k, codes + w), param);
  const __m256i y2 = expand(kMethod, w, unpack_group(k, codes + 2 * w), param);
  const __m256i first = _mm256_permute4x64_epi64(_mm256_packs_epi32(y0, y1), 0xd8);
  const __m256i last = _mm256_permute4x64_epi64(_mm256_packs_epi32(y2, y2), 0xd8);
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(out), first);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 8), _mm256_castsi256_si128(last));
}

template <CompressionMethod kMethod>
void decompress_all(const Width& k, const std::uint8_t* in, std::size_t in_size, std::size_t prbs,
                    IqSample* out) {
  constexpr std::size_t kParamBytes = ud_comp_param_bytes(kMethod);
  const std::size_t w = static_cast<std::size_t>(k.w);
  const std::size_t prb_bytes = kParamBytes + 3 * w;
  // PRBs whose last 16-byte group load stays inside the input run in place.
  const std::size_t reach = kParamBytes + 2 * w + 16;
  std::size_t direct = 0;
  if (in_size >= reach) direct = std::min(prbs, (in_size - reach) / prb_bytes + 1);
  for (std::size_t p = 0; p < direct; ++p) {
    const std::uint8_t* src = in + p * prb_bytes;
    decompress_prb<kMethod>(k, src + kParamBytes, kParamBytes != 0 ? src[0] : 0, out + 12 * p);
  }
  for (std::size_t p = direct; p < prbs; ++p) {
    alignas(32) std::uint8_t bounce[64] = {};
    std::memcpy(bounce, in + p * prb_bytes, prb_bytes);
    decompress_prb<kMethod>(k, bounce + kParamBytes, kParamBytes != 0 ? bounce[0] : 0,
                            out + 12 * p);
  }
}

}  // namespace

bool avx2_compiled() { return true; }

void compress_avx2(const CompressionParams& params, const IqSample* samples, std::size_t prbs,
                   std::uint8_t* out, std::size_t out_size) {
  const Width k(params.iq_width);
  const std::size_t prb_bytes = prb_payload_bytes(params);
  const std::size_t param_bytes = ud_comp_param_bytes(params.method);
  const auto* values = reinterpret_cast<const std::int16_t*>(samples);
  // The last store of a pair reaches 16 bytes past the start of PRB B's third group.
  const std::size_t reach = prb_bytes + param_bytes + 2 * static_cast<std::size_t>(k.w) + 16;
  std::size_t p = 0;
  for (; p + 2 <= prbs; p += 2) {
    std::uint8_t* dst = out + p * prb_bytes;
    if (p * prb_bytes + reach <= out_size) {
      compress_pair(params.method, k, values + 24 * p, dst, dst + prb_bytes);
    } else {
      std::uint8_t bounce[160];
      compress_pair(params.method, k, values + 24 * p, bounce, bounce + prb_bytes);
      std::memcpy(dst, bounce, 2 * prb_bytes);
    }
  }
  if (p < prbs) {
    alignas(32) std::int16_t padded[48] = {};
    std::memcpy(padded, values + 24 * p, 24 * sizeof(std::int16_t));
    std::uint8_t bounce[160];
    compress_pair(params.method, k, padded, bounce, bounce + prb_bytes);
    std::memcpy(out + p * prb_bytes, bounce, prb_bytes);
  }
}

void decompress_avx2(const CompressionParams& params, const std::uint8_t* in, std::size_t in_size,
                     std::size_t prbs, IqSample* out) {
  const Width k(params.iq_width);
  switch (params.method) {
    case CompressionMethod::kBlockFloatingPoint:
      return decompress_all<CompressionMethod::kBlockFloatingPoint>(k, in, in_size, prbs, out);
    case CompressionMethod::kBlockScaling:
      return decompress_all<CompressionMethod::kBlockScaling>(k, in, in_size, prbs, out);
    case CompressionMethod::kMuLaw:
      return decompress_all<CompressionMethod::kMuLaw>(k, in, in_size, prbs, out);
    default:
      return decompress_all<CompressionMethod::kNone>(k, in, in_size, prbs, out);
  }
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
