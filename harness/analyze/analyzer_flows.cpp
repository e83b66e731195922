// Telling traffic apart: endpoints (who sent a frame, the config's side addresses) and the
// keys and texts that name a flow's direction, eAxC and slot in findings.

#include <cstdio>
#include <cstring>
#include <string>
#include <variant>

#include "harness/analyze/analyzer_state.h"

namespace plugfest::analyze::detail {

std::size_t side_index(Role side) { return side == Role::kOdu ? 0 : 1; }

namespace {

bool same_host(const fronthaul::EcpriLocation& location) {
  return location.source_ip && location.destination_ip &&
         *location.source_ip == *location.destination_ip;
}

}  // namespace

Endpoint endpoint_of(const fronthaul::EcpriLocation& location, bool source) {
  Endpoint e;
  const auto& ip = source ? location.source_ip : location.destination_ip;
  if (ip) {
    e.key[0] = 1;
    if (const auto* v4 = std::get_if<fronthaul::Ipv4Address>(&*ip)) {
      std::memcpy(e.key.data() + 1, v4->data(), 4);
    } else {
      e.key[0] = 2;
      const auto& v6 = std::get<fronthaul::Ipv6Address>(*ip);
      std::memcpy(e.key.data() + 1, v6.data(), 16);
    }
    if (same_host(location)) {
      const std::uint16_t port = source ? location.source_port : location.destination_port;
      e.key[17] = static_cast<std::uint8_t>(port >> 8);
      e.key[18] = static_cast<std::uint8_t>(port);
    }
    return e;
  }
  const auto& mac = source ? location.source : location.destination;
  std::memcpy(e.key.data() + 1, mac.data(), 6);
  return e;
}

std::string endpoint_label(const fronthaul::EcpriLocation& location, bool source) {
  const auto& ip = source ? location.source_ip : location.destination_ip;
  if (!ip) return fronthaul::to_string(source ? location.source : location.destination);
  if (!same_host(location)) return fronthaul::to_string(*ip);
  const std::string address = fronthaul::to_string(*ip);
  const std::string port =
      std::to_string(source ? location.source_port : location.destination_port);
  return (std::holds_alternative<fronthaul::Ipv6Address>(*ip) ? "[" + address + "]" : address) +
         ":" + port;
}

bool matches(const SideAddress& side, const fronthaul::EcpriLocation& location) {
  if (side.mac && *side.mac == location.source) return true;
  if (side.ip && location.source_ip && *side.ip == *location.source_ip) {
    return !side.udp_port || *side.udp_port == location.source_port;
  }
  return false;
}

std::string direction_name(DataDirection d) { return d == DataDirection::kUplink ? "UL" : "DL"; }

std::string eaxc_text(std::uint16_t wire, const fronthaul::EaxcSplit& split) {
  const auto id = fronthaul::EaxcId::from_wire(wire, split);
  return std::to_string(wire) + " (DU port " + std::to_string(id.du_port) + ", band sector " +
         std::to_string(id.band_sector) + ", CC " + std::to_string(id.cc) + ", RU port " +
         std::to_string(id.ru_port) + ")";
}

std::uint64_t slot_key(std::uint16_t eaxc, const fronthaul::RadioApplicationHeader& h) {
  return (std::uint64_t{eaxc} << 24) | (std::uint64_t{h.frame_id} << 16) |
         (std::uint64_t{h.subframe_id} << 8) | h.slot_id;
}

std::string slot_text(const fronthaul::RadioApplicationHeader& h) {
  return "frame " + std::to_string(h.frame_id) + " subframe " + std::to_string(h.subframe_id) +
         " slot " + std::to_string(h.slot_id);
}

std::uint32_t slot_ordinal(const fronthaul::RadioApplicationHeader& h) {
  return (std::uint32_t{h.frame_id} * 10u + h.subframe_id) * 64u + h.slot_id;
}

bool slot_at_or_before(std::uint32_t a, std::uint32_t b) {
  constexpr std::uint32_t kPeriod = 256u * 10u * 64u;
  return (b + kPeriod - a) % kPeriod < kPeriod / 2;
}

std::string micros(std::chrono::nanoseconds d) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f us", static_cast<double>(d.count()) / 1000.0);
  return text;
}

}  // namespace plugfest::analyze::detail
