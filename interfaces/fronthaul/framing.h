#pragma once
// Carrying eCPRI messages in frames: Ethernet II (optionally 802.1Q tagged, ethertype
// 0xAEFE) or Ethernet + IPv4/IPv6 + UDP; and finding the eCPRI message in a captured frame.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "interfaces/common/result.h"

namespace plugfest::fronthaul {

inline constexpr std::uint16_t kEthertypeEcpri = 0xAEFE;
inline constexpr std::uint16_t kEthertypeVlan = 0x8100;         // 802.1Q C-tag
inline constexpr std::uint16_t kEthertypeServiceVlan = 0x88A8;  // 802.1ad S-tag
inline constexpr std::uint16_t kEthertypeIpv4 = 0x0800;
inline constexpr std::uint16_t kEthertypeIpv6 = 0x86DD;
// Frames shorter than this (without FCS) are padded on the wire.
inline constexpr std::size_t kMinimumEthernetFrame = 60;

using MacAddress = std::array<std::uint8_t, 6>;
using Ipv4Address = std::array<std::uint8_t, 4>;
using Ipv6Address = std::array<std::uint8_t, 16>;
using IpAddress = std::variant<Ipv4Address, Ipv6Address>;

// One 802.1Q / 802.1ad tag: VLAN ID (12 bits), priority code point (3 bits), DEI.
struct VlanTag {
  std::uint16_t id = 0;
  std::uint8_t pcp = 0;
  bool dei = false;
  std::uint16_t tpid = kEthertypeVlan;

  friend bool operator==(const VlanTag&, const VlanTag&) = default;
};

struct EthernetFraming {
  MacAddress destination{};
  MacAddress source{};
  std::vector<VlanTag> vlans;   // outermost first; usually none or one
  bool pad_to_minimum = false;  // pad with zeros to 60 octets as a NIC would
};

struct UdpFraming {
  EthernetFraming ethernet;
  IpAddress source_ip = Ipv4Address{};
  IpAddress destination_ip = Ipv4Address{};
  std::uint16_t source_port = 0;
  std::uint16_t destination_port = 0;
  std::uint8_t ttl = 64;  // hop limit for IPv6
  std::uint8_t dscp = 0;
};

// An eCPRI message in Ethernet II with ethertype 0xAEFE.
std::vector<std::uint8_t> frame_ecpri_ethernet(const EthernetFraming& framing,
                                               std::span<const std::uint8_t> ecpri);
// An eCPRI message as the payload of a UDP datagram, with lengths and checksums filled.
// Fails only if the message does not fit an IP packet.
Result<std::vector<std::uint8_t>> frame_ecpri_udp(const UdpFraming& framing,
                                                  std::span<const std::uint8_t> ecpri);

enum class EcpriTransport : std::uint8_t { kEthernet, kUdpIpv4, kUdpIpv6 };

// Where an eCPRI message sits in a frame and how it was carried. For plain Ethernet the
// payload runs to the end of the frame (it may include padding); for UDP it is exactly
// the datagram payload.
struct EcpriLocation {
  std::span<const std::uint8_t> payload;
  std::size_t offset = 0;  // of the payload within the frame
  EcpriTransport transport = EcpriTransport::kEthernet;
  MacAddress destination{};
  MacAddress source{};
  std::vector<VlanTag> vlans;  // outermost first
  std::optional<IpAddress> source_ip;
  std::optional<IpAddress> destination_ip;
  std::uint16_t source_port = 0;
  std::uint16_t destination_port = 0;
  bool checksums_valid = true;  // IPv4 header and UDP checksums (true when absent)
};

// Finds the eCPRI message in an Ethernet frame: ethertype 0xAEFE behind zero or more VLAN
// tags, or UDP over IPv4/IPv6 where either port is one of `udp_ports`. The Error says why
// not (truncated header, not Ethernet II, another protocol, a fragment, other ports) and
// at which byte offset.
// With `detect_udp`, a UDP datagram on any other port is taken too when its payload
// looks like exactly one eCPRI message (looks_like_ecpri).
Result<EcpriLocation> locate_ecpri(std::span<const std::uint8_t> frame,
                                   std::span<const std::uint16_t> udp_ports = {},
                                   bool detect_udp = false);

// True when `payload` starts with an eCPRI common header of revision 1 whose reserved bits
// are zero, whose message type is one the specification defines (0..7) and whose payload
// size accounts for exactly the rest of the bytes: how eCPRI over UDP is recognised on
// ports nobody named.
bool looks_like_ecpri(std::span<const std::uint8_t> payload);

// "02:00:00:00:00:01" style text; parse returns nullopt on malformed input.
std::string to_string(const MacAddress& mac);
std::optional<MacAddress> parse_mac(const std::string& text);
std::string to_string(const IpAddress& address);
std::optional<IpAddress> parse_ip(const std::string& text);

}  // namespace plugfest::fronthaul
