#include "interfaces/fronthaul/framing.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstdio>

namespace plugfest::fronthaul {
namespace {

constexpr std::size_t kEthernetHeader = 14;
constexpr std::size_t kVlanTag = 4;
constexpr std::size_t kIpv4Header = 20;
constexpr std::size_t kIpv6Header = 40;
constexpr std::size_t kUdpHeader = 8;
constexpr std::uint8_t kProtocolUdp = 17;

void put16(std::vector<std::uint8_t>& out, std::uint16_t value) {
  out.push_back(static_cast<std::uint8_t>(value >> 8));
  out.push_back(static_cast<std::uint8_t>(value));
}

void set16(std::vector<std::uint8_t>& out, std::size_t at, std::uint16_t value) {
  out[at] = static_cast<std::uint8_t>(value >> 8);
  out[at + 1] = static_cast<std::uint8_t>(value);
}

std::uint16_t get16(std::span<const std::uint8_t> in, std::size_t at) {
  return static_cast<std::uint16_t>((in[at] << 8) | in[at + 1]);
}

bool is_vlan_tpid(std::uint16_t type) {
  return type == kEthertypeVlan || type == kEthertypeServiceVlan || type == 0x9100;
}

// RFC 1071 one's complement sum, continued from `sum`.
std::uint32_t checksum_add(std::uint32_t sum, std::span<const std::uint8_t> bytes) {
  std::size_t i = 0;
  for (; i + 1 < bytes.size(); i += 2)
    sum += static_cast<std::uint32_t>((bytes[i] << 8) | bytes[i + 1]);
  if (i < bytes.size()) sum += static_cast<std::uint32_t>(bytes[i] << 8);
  return sum;
}

std::uint16_t checksum_fold(std::uint32_t sum) {
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum);
}

// Sum of the UDP pseudo-header (RFC 768 / RFC 8200 clause 8.1).
std::uint32_t pseudo_header_sum(std::span<const std::uint8_t> source,
                                std::span<const std::uint8_t> destination, std::size_t udp_length) {
  std::uint32_t sum = checksum_add(0, source);
  sum = checksum_add(sum, destination);
  sum += kProtocolUdp;
  sum += static_cast<std::uint32_t>(udp_length & 0xffff) +
         static_cast<std::uint32_t>(udp_length >> 16);
  return sum;
}

std::span<const std::uint8_t> address_bytes(const IpAddress& address) {
  return std::visit([](const auto& a) { return std::span<const std::uint8_t>(a.data(), a.size()); },
                    address);
}

void put_ethernet(std::vector<std::uint8_t>& out, const EthernetFraming& framing,
                  std::uint16_t ethertype) {
  out.insert(out.end(), framing.destination.begin(), framing.destination.end());
  out.insert(out.end(), framing.source.begin(), framing.source.end());
  for (const VlanTag& tag : framing.vlans) {
    put16(out, tag.tpid);
    put16(out, static_cast<std::uint16_t>(((tag.pcp & 0x7) << 13) | (tag.dei ? 0x1000 : 0) |
                                          (tag.id & 0x0fff)));
  }
  put16(out, ethertype);
}

void pad(std::vector<std::uint8_t>& out, const EthernetFraming& framing) {
  if (framing.pad_to_minimum && out.size() < kMinimumEthernetFrame) {
    out.resize(kMinimumEthernetFrame, 0);
  }
}

std::string at_offset(std::size_t offset) { return "byte " + std::to_string(offset); }

Error truncated(const char* what, std::size_t offset, std::size_t need, std::size_t have) {
  return Error{std::string("truncated ") + what + ": needs " + std::to_string(need) +
                   " bytes, frame has " + std::to_string(have),
               at_offset(offset)};
}

}  // namespace

std::vector<std::uint8_t> frame_ecpri_ethernet(const EthernetFraming& framing,
                                               std::span<const std::uint8_t> ecpri) {
  std::vector<std::uint8_t> out;
  out.reserve(kEthernetHeader + kVlanTag * framing.vlans.size() + ecpri.size());
  put_ethernet(out, framing, kEthertypeEcpri);
  out.insert(out.end(), ecpri.begin(), ecpri.end());
  pad(out, framing);
  return out;
}

Result<std::vector<std::uint8_t>> frame_ecpri_udp(const UdpFraming& framing,
                                                  std::span<const std::uint8_t> ecpri) {
  const bool v4 = std::holds_alternative<Ipv4Address>(framing.source_ip);
  if (v4 != std::holds_alternative<Ipv4Address>(framing.destination_ip)) {
    return Error{"source and destination IP addresses are of different families", ""};
  }
  const std::size_t udp_length = kUdpHeader + ecpri.size();
  const std::size_t ip_header = v4 ? kIpv4Header : kIpv6Header;
  if (udp_length + (v4 ? ip_header : 0) > 0xffff) {
    return Error{
        "eCPRI message of " + std::to_string(ecpri.size()) + " bytes does not fit one IP packet",
        ""};
  }
  std::vector<std::uint8_t> out;
  out.reserve(kEthernetHeader + kVlanTag * framing.ethernet.vlans.size() + ip_header + udp_length);
  put_ethernet(out, framing.ethernet, v4 ? kEthertypeIpv4 : kEthertypeIpv6);
  const std::size_t ip_start = out.size();
  const auto source = address_bytes(framing.source_ip);
  const auto destination = address_bytes(framing.destination_ip);
  if (v4) {
    out.push_back(0x45);  // version 4, IHL 5
    out.push_back(static_cast<std::uint8_t>(framing.dscp << 2));
    put16(out, static_cast<std::uint16_t>(kIpv4Header + udp_length));
    put16(out, 0);       // identification
    put16(out, 0x4000);  // don't fragment
    out.push_back(framing.ttl);
    out.push_back(kProtocolUdp);
    put16(out, 0);  // header checksum, set below
    out.insert(out.end(), source.begin(), source.end());
    out.insert(out.end(), destination.begin(), destination.end());
    set16(out, ip_start + 10,
          checksum_fold(checksum_add(0, std::span(out).subspan(ip_start, kIpv4Header))));
  } else {
    put16(out, static_cast<std::uint16_t>(0x6000 | (framing.dscp << 6)));
    put16(out, 0);  // rest of traffic class and flow label
    put16(out, static_cast<std::uint16_t>(udp_length));
    out.push_back(kProtocolUdp);  // next header
    out.push_back(framing.ttl);
    out.insert(out.end(), source.begin(), source.end());
    out.insert(out.end(), destination.begin(), destination.end());
  }
  const std::size_t udp_start = out.size();
  put16(out, framing.source_port);
  put16(out, framing.destination_port);
  put16(out, static_cast<std::uint16_t>(udp_length));
  put16(out, 0);  // checksum, set below
  out.insert(out.end(), ecpri.begin(), ecpri.end());
  std::uint16_t checksum = checksum_fold(checksum_add(
      pseudo_header_sum(source, destination, udp_length), std::span(out).subspan(udp_start)));
  if (checksum == 0) checksum = 0xffff;  // zero means "no checksum" on the wire
  set16(out, udp_start + 6, checksum);
  pad(out, framing.ethernet);
  return out;
}

bool looks_like_ecpri(std::span<const std::uint8_t> payload) {
  if (payload.size() < 4) return false;
  const bool revision_1 = (payload[0] & 0xfe) == 0x10;
  const bool defined_type = payload[1] <= 7;
  const std::size_t size = (std::size_t{payload[2]} << 8) | payload[3];
  return revision_1 && defined_type && size + 4 == payload.size();
}

Result<EcpriLocation> locate_ecpri(std::span<const std::uint8_t> frame,
                                   std::span<const std::uint16_t> udp_ports, bool detect_udp) {
  EcpriLocation location;
  if (frame.size() < kEthernetHeader) {
    return truncated("Ethernet header", 0, kEthernetHeader, frame.size());
  }
  std::copy_n(frame.begin(), 6, location.destination.begin());
  std::copy_n(frame.begin() + 6, 6, location.source.begin());
  std::size_t offset = 12;
  std::uint16_t type = get16(frame, offset);
  while (is_vlan_tpid(type)) {
    if (frame.size() < offset + kVlanTag + 2) {
      return truncated("VLAN tag", offset, offset + kVlanTag + 2, frame.size());
    }
    const std::uint16_t tci = get16(frame, offset + 2);
    location.vlans.push_back(VlanTag{static_cast<std::uint16_t>(tci & 0x0fff),
                                     static_cast<std::uint8_t>(tci >> 13), (tci & 0x1000) != 0,
                                     type});
    offset += kVlanTag;
    type = get16(frame, offset);
  }
  offset += 2;
  char hex[8];
  std::snprintf(hex, sizeof hex, "0x%04X", type);
  if (type < 0x0600) {
    return Error{"IEEE 802.3 length field " + std::to_string(type) +
                     " where an Ethernet II ethertype is expected",
                 at_offset(offset - 2)};
  }
  if (type == kEthertypeEcpri) {
    location.transport = EcpriTransport::kEthernet;
    location.offset = offset;
    location.payload = frame.subspan(offset);
    return location;
  }
  std::size_t udp_start = 0;
  std::size_t udp_limit = frame.size();  // end of the IP payload
  std::span<const std::uint8_t> source_ip;
  std::span<const std::uint8_t> destination_ip;
  if (type == kEthertypeIpv4) {
    const std::size_t ip = offset;
    if (frame.size() < ip + kIpv4Header) {
      return truncated("IPv4 header", ip, ip + kIpv4Header, frame.size());
    }
    if ((frame[ip] >> 4) != 4) {
      return Error{"IP version " + std::to_string(frame[ip] >> 4) + " behind ethertype 0x0800",
                   at_offset(ip)};
    }
    const std::size_t header_length = static_cast<std::size_t>(frame[ip] & 0x0f) * 4;
    const std::size_t total_length = get16(frame, ip + 2);
    if (header_length < kIpv4Header) {
      return Error{"IPv4 header length " + std::to_string(header_length) + " below 20",
                   at_offset(ip)};
    }
    if (total_length < header_length || frame.size() < ip + total_length) {
      return Error{"IPv4 total length " + std::to_string(total_length) +
                       " does not fit the frame (" + std::to_string(frame.size() - ip) +
                       " bytes from the IP header)",
                   at_offset(ip + 2)};
    }
    if ((get16(frame, ip + 6) & 0x3fff) != 0) {
      return Error{"IPv4 fragment (more-fragments flag or fragment offset set)", at_offset(ip + 6)};
    }
    if (frame[ip + 9] != kProtocolUdp) {
      return Error{"IPv4 protocol " + std::to_string(frame[ip + 9]) + " is not UDP",
                   at_offset(ip + 9)};
    }
    location.checksums_valid =
        checksum_fold(checksum_add(0, frame.subspan(ip, header_length))) == 0;
    location.transport = EcpriTransport::kUdpIpv4;
    source_ip = frame.subspan(ip + 12, 4);
    destination_ip = frame.subspan(ip + 16, 4);
    Ipv4Address s, d;
    std::copy(source_ip.begin(), source_ip.end(), s.begin());
    std::copy(destination_ip.begin(), destination_ip.end(), d.begin());
    location.source_ip = s;
    location.destination_ip = d;
    udp_start = ip + header_length;
    udp_limit = ip + total_length;
  } else if (type == kEthertypeIpv6) {
    const std::size_t ip = offset;
    if (frame.size() < ip + kIpv6Header) {
      return truncated("IPv6 header", ip, ip + kIpv6Header, frame.size());
    }
    if ((frame[ip] >> 4) != 6) {
      return Error{"IP version " + std::to_string(frame[ip] >> 4) + " behind ethertype 0x86DD",
                   at_offset(ip)};
    }
    const std::size_t payload_length = get16(frame, ip + 4);
    if (frame.size() < ip + kIpv6Header + payload_length) {
      return Error{
          "IPv6 payload length " + std::to_string(payload_length) + " does not fit the frame",
          at_offset(ip + 4)};
    }
    if (frame[ip + 6] != kProtocolUdp) {
      return Error{"IPv6 next header " + std::to_string(frame[ip + 6]) +
                       " is not UDP (extension headers are not supported)",
                   at_offset(ip + 6)};
    }
    location.transport = EcpriTransport::kUdpIpv6;
    source_ip = frame.subspan(ip + 8, 16);
    destination_ip = frame.subspan(ip + 24, 16);
    Ipv6Address s, d;
    std::copy(source_ip.begin(), source_ip.end(), s.begin());
    std::copy(destination_ip.begin(), destination_ip.end(), d.begin());
    location.source_ip = s;
    location.destination_ip = d;
    udp_start = ip + kIpv6Header;
    udp_limit = udp_start + payload_length;
  } else {
    return Error{std::string("ethertype ") + hex + " is neither eCPRI (0xAEFE) nor IP",
                 at_offset(offset - 2)};
  }
  if (udp_limit < udp_start + kUdpHeader) {
    return truncated("UDP header", udp_start, udp_start + kUdpHeader, udp_limit);
  }
  location.source_port = get16(frame, udp_start);
  location.destination_port = get16(frame, udp_start + 2);
  const std::size_t udp_length = get16(frame, udp_start + 4);
  if (udp_length < kUdpHeader || udp_start + udp_length > udp_limit) {
    return Error{"UDP length " + std::to_string(udp_length) + " does not fit the IP payload of " +
                     std::to_string(udp_limit - udp_start) + " bytes",
                 at_offset(udp_start + 4)};
  }
  const auto is_ecpri_port = [&](std::uint16_t port) {
    return std::find(udp_ports.begin(), udp_ports.end(), port) != udp_ports.end();
  };
  const bool detected = detect_udp && looks_like_ecpri(frame.subspan(udp_start + kUdpHeader,
                                                                     udp_length - kUdpHeader));
  if (!detected && !is_ecpri_port(location.destination_port) &&
      !is_ecpri_port(location.source_port)) {
    return Error{"UDP ports " + std::to_string(location.source_port) + " -> " +
                     std::to_string(location.destination_port) +
                     (detect_udp ? " carry no eCPRI message" : " are not configured for eCPRI"),
                 at_offset(udp_start)};
  }
  const std::uint16_t checksum = get16(frame, udp_start + 6);
  const bool v6 = location.transport == EcpriTransport::kUdpIpv6;
  if (checksum != 0 || v6) {
    const std::uint32_t sum = checksum_add(pseudo_header_sum(source_ip, destination_ip, udp_length),
                                           frame.subspan(udp_start, udp_length));
    if (checksum_fold(sum) != 0) location.checksums_valid = false;
  }
  location.offset = udp_start + kUdpHeader;
  location.payload = frame.subspan(location.offset, udp_length - kUdpHeader);
  return location;
}

std::string to_string(const MacAddress& mac) {
  char text[18];
  std::snprintf(text, sizeof text, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3],
                mac[4], mac[5]);
  return text;
}

std::optional<MacAddress> parse_mac(const std::string& text) {
  MacAddress mac{};
  if (text.size() != 17) return std::nullopt;
  for (std::size_t i = 0; i < 6; ++i) {
    if (i > 0 && text[i * 3 - 1] != ':' && text[i * 3 - 1] != '-') return std::nullopt;
    unsigned value = 0;
    for (std::size_t k = 0; k < 2; ++k) {
      const char c = text[i * 3 + k];
      unsigned digit;
      if (c >= '0' && c <= '9') {
        digit = static_cast<unsigned>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        digit = static_cast<unsigned>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        digit = static_cast<unsigned>(c - 'A' + 10);
      } else {
        return std::nullopt;
      }
      value = value * 16 + digit;
    }
    mac[i] = static_cast<std::uint8_t>(value);
  }
  return mac;
}

std::string to_string(const IpAddress& address) {
  char text[INET6_ADDRSTRLEN] = {};
  if (const auto* v4 = std::get_if<Ipv4Address>(&address)) {
    inet_ntop(AF_INET, v4->data(), text, sizeof text);
  } else {
    inet_ntop(AF_INET6, std::get<Ipv6Address>(address).data(), text, sizeof text);
  }
  return text;
}

std::optional<IpAddress> parse_ip(const std::string& text) {
  Ipv4Address v4{};
  if (inet_pton(AF_INET, text.c_str(), v4.data()) == 1) return IpAddress{v4};
  Ipv6Address v6{};
  if (inet_pton(AF_INET6, text.c_str(), v6.data()) == 1) return IpAddress{v6};
  return std::nullopt;
}

}  // namespace plugfest::fronthaul
