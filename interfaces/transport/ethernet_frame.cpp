#include "interfaces/transport/ethernet_frame.h"

#include <algorithm>
#include <cstdio>

namespace plugfest::transport {
namespace {

void put16(std::vector<std::uint8_t>& out, std::uint16_t v) {
  out.push_back(static_cast<std::uint8_t>(v >> 8));
  out.push_back(static_cast<std::uint8_t>(v & 0xff));
}

std::uint16_t get16(std::span<const std::uint8_t> b, std::size_t at) {
  return static_cast<std::uint16_t>((b[at] << 8) | b[at + 1]);
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

Result<MacAddress> parse_mac(std::string_view text) {
  MacAddress mac{};
  auto bad = [&text] {
    return Error{"'" + std::string(text) + "' is not a MAC address (expected aa:bb:cc:dd:ee:ff)",
                 "mac address"};
  };
  if (text.size() != 17) return bad();
  for (std::size_t i = 0; i < 6; ++i) {
    const int hi = hex_digit(text[i * 3]);
    const int lo = hex_digit(text[i * 3 + 1]);
    if (hi < 0 || lo < 0) return bad();
    if (i < 5 && text[i * 3 + 2] != ':' && text[i * 3 + 2] != '-') return bad();
    mac[i] = static_cast<std::uint8_t>(hi * 16 + lo);
  }
  return mac;
}

std::string to_string(const MacAddress& mac) {
  char text[18];
  std::snprintf(text, sizeof text, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3],
                mac[4], mac[5]);
  return text;
}

void append_ecpri_frame(std::vector<std::uint8_t>& out, const MacAddress& destination,
                        const MacAddress& source, const std::optional<VlanTag>& vlan,
                        std::span<const std::uint8_t> payload) {
  const std::size_t start = out.size();
  out.insert(out.end(), destination.begin(), destination.end());
  out.insert(out.end(), source.begin(), source.end());
  if (vlan) {
    put16(out, kVlanTpid);
    put16(out, vlan->tci());
  }
  put16(out, kEcpriEthertype);
  out.insert(out.end(), payload.begin(), payload.end());
  if (out.size() - start < kMinimumFrameBytes) out.resize(start + kMinimumFrameBytes, 0);
}

Result<EthernetHeader> parse_ethernet_header(std::span<const std::uint8_t> frame) {
  if (frame.size() < kEthernetHeaderBytes) {
    return Error{
        "frame of " + std::to_string(frame.size()) + " bytes is shorter than an Ethernet header",
        "byte 0"};
  }
  EthernetHeader h;
  std::copy_n(frame.begin(), 6, h.destination.begin());
  std::copy_n(frame.begin() + 6, 6, h.source.begin());
  std::size_t at = 12;
  std::uint16_t type = get16(frame, at);
  if (type == kVlanTpid || type == 0x88a8) {
    if (frame.size() < kEthernetHeaderBytes + kVlanTagBytes) {
      return Error{"802.1Q tag runs past the end of the frame", "byte 12"};
    }
    h.vlan = VlanTag::from_tci(get16(frame, at + 2));
    at += kVlanTagBytes;
    type = get16(frame, at);
  }
  h.ethertype = type;
  h.payload_offset = at + 2;
  return h;
}

}  // namespace plugfest::transport
