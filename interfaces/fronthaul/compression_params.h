#pragma once
// IQ compression parameters as carried by udCompHdr (O-RAN CUS-plane, udCompMeth and
// udIqWidth), and the wire size of one compressed PRB.

#include <cstddef>
#include <cstdint>

namespace plugfest::fronthaul {

// udCompMeth values (4 bits on the wire).
enum class CompressionMethod : std::uint8_t {
  kNone = 0,
  kBlockFloatingPoint = 1,
  kBlockScaling = 2,
  kMuLaw = 3,
  kModulation = 4,
  kBfpSelectiveRe = 5,
  kModulationSelectiveRe = 6,
  kBfpSelectiveReWithMasks = 7,
  kModulationSelectiveReWithMasks = 8,
};

// The name profiles, capabilities and settings files give a method: "none", "bfp",
// "block-scaling", "mu-law", "modulation"; "other" for the selective-RE methods.
inline const char* method_name(CompressionMethod method) {
  switch (method) {
    case CompressionMethod::kNone:
      return "none";
    case CompressionMethod::kBlockFloatingPoint:
      return "bfp";
    case CompressionMethod::kBlockScaling:
      return "block-scaling";
    case CompressionMethod::kMuLaw:
      return "mu-law";
    case CompressionMethod::kModulation:
      return "modulation";
    default:
      return "other";
  }
}

// One compression setting: method plus IQ sample width in bits (1..16; udIqWidth on the
// wire encodes 16 as 0).
struct CompressionParams {
  CompressionMethod method = CompressionMethod::kNone;
  std::uint8_t iq_width = 16;

  friend bool operator==(const CompressionParams&, const CompressionParams&) = default;

  // The udCompHdr octet: udIqWidth in the high nibble, udCompMeth in the low nibble.
  std::uint8_t ud_comp_hdr() const {
    return static_cast<std::uint8_t>(((iq_width & 0x0f) << 4) |
                                     (static_cast<unsigned>(method) & 0x0f));
  }
  static CompressionParams from_ud_comp_hdr(std::uint8_t octet) {
    const std::uint8_t width = octet >> 4;
    return {static_cast<CompressionMethod>(octet & 0x0f),
            static_cast<std::uint8_t>(width == 0 ? 16 : width)};
  }
};

inline constexpr std::size_t kSubcarriersPerPrb = 12;

// Octets of udCompParam before each compressed PRB: one for BFP, block scaling and
// mu-law; none for no compression and modulation compression.
constexpr std::size_t ud_comp_param_bytes(CompressionMethod method) {
  switch (method) {
    case CompressionMethod::kBlockFloatingPoint:
    case CompressionMethod::kBlockScaling:
    case CompressionMethod::kMuLaw:
      return 1;
    default:
      return 0;
  }
}

// Octets one PRB occupies on the wire: udCompParam plus 12 complex samples of
// iq_width bits each, rounded up to whole octets. Modulation compression is not a fixed
// size per width in this sense and is treated like "none" with the given width.
constexpr std::size_t prb_payload_bytes(const CompressionParams& params) {
  const std::size_t bits = kSubcarriersPerPrb * 2 * params.iq_width;
  return ud_comp_param_bytes(params.method) + (bits + 7) / 8;
}

}  // namespace plugfest::fronthaul
