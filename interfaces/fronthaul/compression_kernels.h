#pragma once
// Per-PRB arithmetic of the Annex A compression methods shared by the scalar and the
// AVX2 translation units. Everything here has internal linkage on purpose: the AVX2 unit
// is compiled with other instruction-set flags and must not lend its copies to the
// scalar code.

#include <algorithm>
#include <cstdint>

namespace plugfest::fronthaul::kernels {

inline constexpr int kSamplesPerPrb = 24;  // 12 resource elements, I and Q

// Bits needed for a non-negative magnitude (0 for 0).
static inline int bit_length(unsigned value) { return value == 0 ? 0 : 32 - __builtin_clz(value); }

// Magnitude used by block floating point and block scaling: max(maxV, |minV| - 1)
// over the block is the maximum of this over its samples.
static inline int block_magnitude(int value) { return value < 0 ? -value - 1 : value; }

// A.1.2: exponent = max(floor(log2(maxValue)) + 1 - (iqWidth - 1), 0).
static inline int bfp_exponent_for(int max_magnitude, int width) {
  return std::max(0, bit_length(static_cast<unsigned>(max_magnitude)) + 1 - width);
}

// Arithmetic shift right rounding toward zero (the annex's fix()).
static inline int shift_toward_zero(int value, int shift) {
  return value < 0 ? -((-value) >> shift) : value >> shift;
}

// A.2: sblockScaler = ceil(maxValue / 2^(16 - 8)), at least 1.
static inline int block_scaler_for(int max_magnitude) {
  return std::max(1, (max_magnitude + 255) >> 8);
}

// A.2 compression of one sample: round(value * 2^7 / sblockScaler / 2^(16 - width)),
// half away from zero, saturated to the width.
static inline int block_scaling_compress(int value, int scaler, int width) {
  const int denominator = scaler << (16 - width);
  const int magnitude = value < 0 ? -value : value;
  int q = (256 * magnitude + denominator) / (2 * denominator);
  const int half = 1 << (width - 1);
  q = std::min(q, value > 0 ? half - 1 : half);
  return value < 0 ? -q : q;
}

// A.2 decompression: round(sblockScaler * code / 2^(width - 9)), half away from zero.
static inline int block_scaling_decompress(int code, int scaler, int width) {
  const int product = code * scaler;
  if (width <= 9) return product * (1 << (9 - width));
  const int shift = width - 9;
  const int magnitude = product < 0 ? -product : product;
  const int rounded = (magnitude + (1 << (shift - 1))) >> shift;
  return product < 0 ? -rounded : rounded;
}

// A.3: compShift from the largest absolute value of the block.
static inline int mu_law_shift_for(int max_abs) {
  const int bits = bit_length(static_cast<unsigned>(max_abs));
  return bits <= 8 ? 7 : std::max(0, 15 - bits);
}

// A.3 compander of one sample (15-bit magnitude after the shift, three segments).
static inline int mu_law_compress(int value, int shift, int width) {
  const int magnitude = value < 0 ? -value : value;
  const int a = std::min(magnitude << shift, 32767);
  int c;
  if (a <= 8192) {
    c = (a << 1) >> (16 - width);
  } else if (a <= 16384) {
    c = (a + 8192) >> (16 - width);
  } else {
    c = (a + 32768) >> (17 - width);
  }
  return value < 0 ? -c : c;
}

// A.3 expander, then the compShift division rounded half away from zero. The segment
// values are kept doubled so that width 16 stays integral.
static inline int mu_law_decompress(int code, int shift, int width) {
  const int limit = (1 << (width - 1)) - 1;
  const int magnitude = std::min(code < 0 ? -code : code, limit);
  int doubled;
  if (4 * magnitude <= (1 << width)) {
    doubled = magnitude << (16 - width);
  } else if (8 * magnitude <= 3 * (1 << width)) {
    doubled = (magnitude << (17 - width)) - (1 << 14);
  } else {
    doubled = (magnitude << (18 - width)) - (1 << 16);
  }
  const int rounded = (doubled + (1 << shift)) >> (shift + 1);
  return code < 0 ? -rounded : rounded;
}

static inline int saturate16(int value) { return std::clamp(value, -32768, 32767); }

}  // namespace plugfest::fronthaul::kernels
