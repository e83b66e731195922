#pragma once
// IQ compression of U-plane payloads (O-RAN CUS-plane, Annex A): no compression, block
// floating point, block scaling and mu-law, both directions, and modulation compression
// decode. Every method has a portable scalar path (the reference) and an AVX2 path chosen
// at run time; both produce identical bytes and samples.

#include <complex>
#include <cstddef>
#include <cstdint>
#include <span>

#include "interfaces/common/result.h"
#include "interfaces/fronthaul/compression_params.h"

namespace plugfest::fronthaul {

// One complex sample (one resource element) as a 16-bit fixed-point pair.
struct IqSample {
  std::int16_t i = 0;
  std::int16_t q = 0;

  friend bool operator==(const IqSample&, const IqSample&) = default;
};

enum class SimdPath : std::uint8_t { kScalar, kAvx2 };

// True when this CPU runs the AVX2 path.
bool avx2_available();
// kAvx2 when available, else kScalar.
SimdPath default_simd_path();
const char* to_string(SimdPath path);

// Methods compress() and decompress() handle: none, block floating point, block scaling,
// mu-law (each with udIqWidth 1..16).
bool is_block_method(CompressionMethod method);

// Bytes `prbs` compressed PRBs occupy on the wire.
constexpr std::size_t compressed_size(const CompressionParams& params, std::size_t prbs) {
  return prbs * prb_payload_bytes(params);
}

// Compresses whole PRBs (12 samples each) into `out`, udCompParam first in each PRB where the
// method has one. Returns the bytes written. Fails on an unsupported method or width, a
// sample count that is not a multiple of 12, or an output buffer that is too small.
//
// Rounding follows Annex A: block floating point truncates toward zero after the exponent
// shift (A.1.2); block scaling rounds half away from zero with sblockScaler an unsigned
// 1.7 fixed-point number of ceil(maxValue / 2^8) (A.2, input width 16); mu-law uses the
// compShift table and the three-segment compander of A.3 with compBitWidth = udIqWidth.
// "No compression" at widths below 16 saturates to the width.
Result<std::size_t> compress(const CompressionParams& params, std::span<const IqSample> samples,
                             std::span<std::uint8_t> out, SimdPath path = default_simd_path());

// Decompresses out.size() / 12 PRBs (out.size() must be a multiple of 12) from `in`, never
// reading past it. Returns the bytes consumed. Results beyond the int16 range (possible
// only with out-of-range udCompParam values) saturate.
Result<std::size_t> decompress(const CompressionParams& params, std::span<const std::uint8_t> in,
                               std::span<IqSample> out, SimdPath path = default_simd_path());

// udCompParam fields.
constexpr std::uint8_t bfp_exponent(std::uint8_t ud_comp_param) { return ud_comp_param & 0x0f; }
constexpr std::uint8_t mu_law_comp_shift(std::uint8_t ud_comp_param) {
  return ud_comp_param & 0x0f;
}
constexpr std::uint8_t mu_law_comp_bit_width(std::uint8_t ud_comp_param) {
  return ud_comp_param >> 4;
}

// Modulation compression parameters of a section (section extensions 4 and 5): the
// constellation shift flag and the 15-bit modCompScaler (4-bit exponent, 11-bit mantissa).
struct ModulationCompression {
  bool csf = false;
  std::uint16_t mod_comp_scaler = 0x7ff;  // mantissa 2047/2048, exponent 0: about 1
};

// The scale modCompScaler stands for: mantissa / 2^11 * 2^-exponent.
double mod_comp_scale(std::uint16_t mod_comp_scaler);

// Decodes modulation-compressed PRBs (Annex A.5): out.size() / 12 PRBs of iq_width-bit
// constellation points (no udCompParam), unshifted by 2^-iq_width when csf is set and
// scaled by modCompScaler * sqrt(2). Returns the bytes consumed.
Result<std::size_t> decompress_modulation(std::uint8_t iq_width,
                                          const ModulationCompression& modulation,
                                          std::span<const std::uint8_t> in,
                                          std::span<std::complex<float>> out);

}  // namespace plugfest::fronthaul
