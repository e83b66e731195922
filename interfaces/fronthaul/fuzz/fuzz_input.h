#pragma once
// Turns fuzzer bytes into a decoder configuration and a sequence of packets, shared by
// the fuzz targets and the corpus replay test. Layout: one octet selecting the
// configuration, then packets each prefixed by a 16-bit big-endian length.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "interfaces/fronthaul/codec.h"

namespace plugfest::fronthaul::fuzz {

inline DecoderConfig config_from_selector(std::uint8_t selector) {
  DecoderConfig config;
  config.uplane_compression.dynamic = (selector & 1) != 0;
  switch ((selector >> 1) & 3) {
    case 0:
      break;
    case 1:
      config.eaxc_split = {2, 6, 4, 4};
      config.uplane_compression.static_params = {CompressionMethod::kNone, 16};
      break;
    case 2:
      config.eaxc_split = {4, 4, 4, 5};  // invalid on purpose
      config.carrier_prbs = 0;
      break;
    default:
      config.uplane_compression.static_params = {CompressionMethod::kMuLaw, 1};
      config.carrier_prbs = 52;
      config.bf_weights = 0;
      config.ci_antennas = 0;
      break;
  }
  if ((selector & 0x80) != 0) config.decoded_extensions.reset();
  return config;
}

inline std::vector<std::span<const std::uint8_t>> split_packets(
    std::span<const std::uint8_t> data) {
  std::vector<std::span<const std::uint8_t>> packets;
  std::size_t pos = 0;
  while (pos + 2 <= data.size()) {
    const std::size_t length = (std::size_t{data[pos]} << 8) | data[pos + 1];
    pos += 2;
    const std::size_t take = std::min(length, data.size() - pos);
    packets.push_back(data.subspan(pos, take));
    pos += take;
  }
  return packets;
}

inline void append_packet(std::vector<std::uint8_t>& out, std::span<const std::uint8_t> packet) {
  out.push_back(static_cast<std::uint8_t>(packet.size() >> 8));
  out.push_back(static_cast<std::uint8_t>(packet.size() & 0xff));
  out.insert(out.end(), packet.begin(), packet.end());
}

}  // namespace plugfest::fronthaul::fuzz
