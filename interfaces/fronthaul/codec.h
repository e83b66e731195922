#pragma once
// encode() and the validating decode() of eCPRI / O-RAN CUS-plane messages. decode never
// throws on wire data, never reads past the given bytes and never asserts: it returns the
// message it could read plus findings (rules.h).

#include <bitset>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "interfaces/fronthaul/compression_params.h"
#include "interfaces/fronthaul/message.h"
#include "interfaces/fronthaul/rules.h"

namespace plugfest::fronthaul {

// How U-plane IQ is compressed: a static header (M-plane configured, no udCompHdr in the
// U-plane sections) or a dynamic one (udCompHdr plus a reserved octet in every section).
struct UplaneCompression {
  bool dynamic = false;
  CompressionParams static_params{CompressionMethod::kBlockFloatingPoint, 9};
  friend bool operator==(const UplaneCompression&, const UplaneCompression&) = default;
};

// Section extension types decoded field by field; others are kept opaque.
std::bitset<128> all_decoded_extensions();

// What the decoder needs that the packet does not say (lab / M-plane parameters).
struct DecoderConfig {
  EaxcSplit eaxc_split;
  UplaneCompression uplane_compression;
  std::uint16_t carrier_prbs = 273;
  std::uint16_t bf_weights = 4;   // weights per ext 1 and per ext 11 bundle (antennas)
  std::uint16_t ci_antennas = 4;  // section type 6: channel information per PRB
  std::bitset<128> decoded_extensions = all_decoded_extensions();
};

struct DecodeResult {
  Message message;
  std::vector<Finding> findings;
  std::size_t bytes_read = 0;  // octets understood, from the start of the eCPRI header

  bool has_errors() const;
  bool has(std::string_view rule_id) const;
};

// The wire form of a message (eCPRI common header onwards). Derived fields (payload size,
// numberOfSections, ef, extLen) are computed; everything else is written as held.
std::vector<std::uint8_t> encode(const Message& message);

DecodeResult decode(std::span<const std::uint8_t> bytes, const DecoderConfig& config);

// Same, reusing `result`'s storage (for the hot path of a live stream).
void decode_into(std::span<const std::uint8_t> bytes, const DecoderConfig& config,
                 DecodeResult& result);

// Which section types may carry an extension type (O-RAN CUS clause 7.7, per-extension
// tables); unknown extension types are allowed everywhere.
bool extension_allowed(std::uint8_t ext_type, SectionType section_type);

}  // namespace plugfest::fronthaul
