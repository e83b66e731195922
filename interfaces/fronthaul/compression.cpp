#include "interfaces/fronthaul/compression.h"

#include <array>
#include <cmath>
#include <string>

#include "interfaces/fronthaul/compression_avx2.h"
#include "interfaces/fronthaul/compression_kernels.h"

namespace plugfest::fronthaul {
namespace {

using kernels::kSamplesPerPrb;

// Packs 24 codes of `width` bits, most significant bit first, into 3 * width bytes.
void pack_codes(const std::array<int, kSamplesPerPrb>& codes, int width, std::uint8_t* out) {
  const std::uint32_t mask = width == 32 ? ~0u : (1u << width) - 1;
  std::uint64_t accumulator = 0;
  int bits = 0;
  for (int code : codes) {
    accumulator = (accumulator << width) | (static_cast<std::uint32_t>(code) & mask);
    bits += width;
    while (bits >= 8) {
      bits -= 8;
      *out++ = static_cast<std::uint8_t>(accumulator >> bits);
    }
  }
}

// Reads 24 sign-extended codes of `width` bits from 3 * width bytes.
std::array<int, kSamplesPerPrb> unpack_codes(const std::uint8_t* in, int width) {
  std::array<int, kSamplesPerPrb> codes{};
  std::uint64_t accumulator = 0;
  int bits = 0;
  for (int& code : codes) {
    while (bits < width) {
      accumulator = (accumulator << 8) | *in++;
      bits += 8;
    }
    bits -= width;
    const std::uint32_t raw = static_cast<std::uint32_t>(accumulator >> bits) & ((1u << width) - 1);
    code = static_cast<int>(raw << (32 - width)) >> (32 - width);
  }
  return codes;
}

std::array<int, kSamplesPerPrb> prb_values(const IqSample* prb) {
  std::array<int, kSamplesPerPrb> values{};
  for (int k = 0; k < 12; ++k) {
    values[2 * k] = prb[k].i;
    values[2 * k + 1] = prb[k].q;
  }
  return values;
}

// Compresses one PRB; returns its udCompParam (ignored for "none").
std::uint8_t compress_prb(CompressionMethod method, int width, const IqSample* prb,
                          std::uint8_t* codes_out) {
  using namespace kernels;
  std::array<int, kSamplesPerPrb> codes = prb_values(prb);
  std::uint8_t param = 0;
  switch (method) {
    case CompressionMethod::kNone: {
      const int half = 1 << (width - 1);
      for (int& c : codes) c = std::clamp(c, -half, half - 1);
      break;
    }
    case CompressionMethod::kBlockFloatingPoint: {
      int max_magnitude = 0;
      for (int v : codes) max_magnitude = std::max(max_magnitude, block_magnitude(v));
      const int exponent = bfp_exponent_for(max_magnitude, width);
      for (int& c : codes) c = shift_toward_zero(c, exponent);
      param = static_cast<std::uint8_t>(exponent);
      break;
    }
    case CompressionMethod::kBlockScaling: {
      int max_magnitude = 0;
      for (int v : codes) max_magnitude = std::max(max_magnitude, block_magnitude(v));
      const int scaler = block_scaler_for(max_magnitude);
      for (int& c : codes) c = block_scaling_compress(c, scaler, width);
      param = static_cast<std::uint8_t>(scaler);
      break;
    }
    case CompressionMethod::kMuLaw: {
      int max_abs = 0;
      for (int v : codes) max_abs = std::max(max_abs, v < 0 ? -v : v);
      const int shift = mu_law_shift_for(max_abs);
      for (int& c : codes) c = mu_law_compress(c, shift, width);
      param = static_cast<std::uint8_t>(((width & 0x0f) << 4) | shift);
      break;
    }
    default:
      break;
  }
  pack_codes(codes, width, codes_out);
  return param;
}

void decompress_prb(CompressionMethod method, int width, std::uint8_t param,
                    const std::uint8_t* codes_in, IqSample* prb) {
  using namespace kernels;
  std::array<int, kSamplesPerPrb> values = unpack_codes(codes_in, width);
  switch (method) {
    case CompressionMethod::kBlockFloatingPoint:
      for (int& v : values) v = v * (1 << bfp_exponent(param));
      break;
    case CompressionMethod::kBlockScaling:
      for (int& v : values) v = block_scaling_decompress(v, param, width);
      break;
    case CompressionMethod::kMuLaw:
      for (int& v : values) v = mu_law_decompress(v, mu_law_comp_shift(param), width);
      break;
    default:
      break;
  }
  for (int k = 0; k < 12; ++k) {
    prb[k].i = static_cast<std::int16_t>(saturate16(values[2 * k]));
    prb[k].q = static_cast<std::int16_t>(saturate16(values[2 * k + 1]));
  }
}

Result<void> check_params(const CompressionParams& params) {
  if (!is_block_method(params.method)) {
    return Error{"udCompMeth " + std::to_string(static_cast<int>(params.method)) +
                     " is not a block compression method this library compresses",
                 ""};
  }
  if (params.iq_width < 1 || params.iq_width > 16) {
    return Error{"IQ width " + std::to_string(params.iq_width) + " outside 1..16", ""};
  }
  return {};
}

bool use_avx2(SimdPath path) { return path == SimdPath::kAvx2 && avx2_available(); }

}  // namespace

bool avx2_available() {
#if defined(__x86_64__) || defined(__i386__)
  static const bool available =
      detail::avx2_compiled() && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  return available;
#else
  return false;
#endif
}

SimdPath default_simd_path() { return avx2_available() ? SimdPath::kAvx2 : SimdPath::kScalar; }

const char* to_string(SimdPath path) { return path == SimdPath::kAvx2 ? "avx2" : "scalar"; }

bool is_block_method(CompressionMethod method) {
  return method == CompressionMethod::kNone || method == CompressionMethod::kBlockFloatingPoint ||
         method == CompressionMethod::kBlockScaling || method == CompressionMethod::kMuLaw;
}

Result<std::size_t> compress(const CompressionParams& params, std::span<const IqSample> samples,
                             std::span<std::uint8_t> out, SimdPath path) {
  if (auto ok = check_params(params); !ok) return ok.error();
  if (samples.size() % 12 != 0) {
    return Error{std::to_string(samples.size()) + " samples are not whole PRBs of 12", ""};
  }
  const std::size_t prbs = samples.size() / 12;
  const std::size_t needed = compressed_size(params, prbs);
  if (out.size() < needed) {
    return Error{"output of " + std::to_string(out.size()) + " bytes is too small for " +
                     std::to_string(prbs) + " PRBs (" + std::to_string(needed) + " bytes)",
                 ""};
  }
  if (use_avx2(path)) {
    detail::compress_avx2(params, samples.data(), prbs, out.data(), out.size());
    return needed;
  }
  const std::size_t param_bytes = ud_comp_param_bytes(params.method);
  const std::size_t prb_bytes = prb_payload_bytes(params);
  for (std::size_t p = 0; p < prbs; ++p) {
    std::uint8_t* dst = out.data() + p * prb_bytes;
    const std::uint8_t param =
        compress_prb(params.method, params.iq_width, samples.data() + 12 * p, dst + param_bytes);
    if (param_bytes != 0) dst[0] = param;
  }
  return needed;
}

Result<std::size_t> decompress(const CompressionParams& params, std::span<const std::uint8_t> in,
                               std::span<IqSample> out, SimdPath path) {
  if (auto ok = check_params(params); !ok) return ok.error();
  if (out.size() % 12 != 0) {
    return Error{"output of " + std::to_string(out.size()) + " samples is not whole PRBs of 12",
                 ""};
  }
  const std::size_t prbs = out.size() / 12;
  const std::size_t needed = compressed_size(params, prbs);
  if (in.size() < needed) {
    return Error{std::to_string(prbs) + " PRBs need " + std::to_string(needed) +
                     " bytes of IQ data, only " + std::to_string(in.size()) + " present",
                 "byte " + std::to_string(in.size())};
  }
  if (use_avx2(path)) {
    detail::decompress_avx2(params, in.data(), in.size(), prbs, out.data());
    return needed;
  }
  const std::size_t param_bytes = ud_comp_param_bytes(params.method);
  const std::size_t prb_bytes = prb_payload_bytes(params);
  for (std::size_t p = 0; p < prbs; ++p) {
    const std::uint8_t* src = in.data() + p * prb_bytes;
    decompress_prb(params.method, params.iq_width, param_bytes != 0 ? src[0] : 0, src + param_bytes,
                   out.data() + 12 * p);
  }
  return needed;
}

double mod_comp_scale(std::uint16_t mod_comp_scaler) {
  const int exponent = (mod_comp_scaler >> 11) & 0x0f;
  const int mantissa = mod_comp_scaler & 0x07ff;
  return std::ldexp(static_cast<double>(mantissa), -11 - exponent);
}

Result<std::size_t> decompress_modulation(std::uint8_t iq_width,
                                          const ModulationCompression& modulation,
                                          std::span<const std::uint8_t> in,
                                          std::span<std::complex<float>> out) {
  if (iq_width < 1 || iq_width > 16) {
    return Error{"IQ width " + std::to_string(iq_width) + " outside 1..16", ""};
  }
  if (out.size() % 12 != 0) {
    return Error{"output of " + std::to_string(out.size()) + " samples is not whole PRBs of 12",
                 ""};
  }
  const std::size_t prbs = out.size() / 12;
  const std::size_t prb_bytes = 3 * static_cast<std::size_t>(iq_width);
  if (in.size() < prbs * prb_bytes) {
    return Error{std::to_string(prbs) + " PRBs need " + std::to_string(prbs * prb_bytes) +
                     " bytes of modulation-compressed data, only " + std::to_string(in.size()) +
                     " present",
                 "byte " + std::to_string(in.size())};
  }
  // A.5: the code is a two's complement fraction of iq_width bits; the constellation shift
  // (Table 7.7.4.2-1) is 2^-iq_width; the result is scaled by modCompScaler * sqrt(2).
  const double unit = std::ldexp(1.0, -(iq_width - 1));
  const double shift = modulation.csf ? std::ldexp(1.0, -iq_width) : 0.0;
  const double scale = mod_comp_scale(modulation.mod_comp_scaler) * std::sqrt(2.0);
  for (std::size_t p = 0; p < prbs; ++p) {
    const auto codes = unpack_codes(in.data() + p * prb_bytes, iq_width);
    for (int k = 0; k < 12; ++k) {
      const double i = (codes[2 * k] * unit + shift) * scale;
      const double q = (codes[2 * k + 1] * unit + shift) * scale;
      out[12 * p + k] = {static_cast<float>(i), static_cast<float>(q)};
    }
  }
  return prbs * prb_bytes;
}

}  // namespace plugfest::fronthaul
