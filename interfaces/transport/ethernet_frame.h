#pragma once
// Ethernet II framing for eCPRI (ethertype 0xAEFE) with an optional IEEE 802.1Q tag:
// MAC addresses, the VLAN tag (PCP, DEI, VID), building and parsing the header.

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "interfaces/common/result.h"

namespace plugfest::transport {

using MacAddress = std::array<std::uint8_t, 6>;

inline constexpr std::uint16_t kEcpriEthertype = 0xAEFE;
inline constexpr std::uint16_t kVlanTpid = 0x8100;
inline constexpr std::size_t kEthernetHeaderBytes = 14;
inline constexpr std::size_t kVlanTagBytes = 4;
inline constexpr std::size_t kMinimumFrameBytes = 60;  // without FCS; shorter frames are padded

// "aa:bb:cc:dd:ee:ff" (or with '-').
Result<MacAddress> parse_mac(std::string_view text);
std::string to_string(const MacAddress& mac);

struct VlanTag {
  std::uint8_t pcp = 0;  // priority code point, 0..7
  bool dei = false;
  std::uint16_t vid = 0;  // 0..4095

  friend bool operator==(const VlanTag&, const VlanTag&) = default;
  std::uint16_t tci() const {
    return static_cast<std::uint16_t>(((pcp & 0x7) << 13) | (dei ? 0x1000 : 0) | (vid & 0x0fff));
  }
  static VlanTag from_tci(std::uint16_t tci) {
    return {static_cast<std::uint8_t>(tci >> 13), (tci & 0x1000) != 0,
            static_cast<std::uint16_t>(tci & 0x0fff)};
  }
};

struct EthernetHeader {
  MacAddress destination{};
  MacAddress source{};
  std::optional<VlanTag> vlan;
  std::uint16_t ethertype = kEcpriEthertype;
  std::size_t payload_offset = kEthernetHeaderBytes;
};

// Appends a whole frame (header, payload, zero padding to the minimum size) to out.
void append_ecpri_frame(std::vector<std::uint8_t>& out, const MacAddress& destination,
                        const MacAddress& source, const std::optional<VlanTag>& vlan,
                        std::span<const std::uint8_t> payload);

Result<EthernetHeader> parse_ethernet_header(std::span<const std::uint8_t> frame);

}  // namespace plugfest::transport
