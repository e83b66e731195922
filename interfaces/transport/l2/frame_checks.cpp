#include "interfaces/transport/l2/frame_checks.h"

#include <array>

namespace plugfest::transport {
namespace {

using fronthaul::Finding;
using fronthaul::Severity;

constexpr std::size_t kHeaderBytes = 14;
constexpr std::size_t kMaxTags = 4;

constexpr std::array<fronthaul::Rule, 4> kRules{{
    {rules::kL2Runt, "IEEE 802.3 3.1.1", Severity::kError,
     "frame shorter than its Ethernet header and tags"},
    {rules::kL2Vlan, "lab fronthaul plan (IEEE 802.1Q 9.6)", Severity::kError,
     "eCPRI frame not on the fronthaul VLAN"},
    {rules::kL2DestinationMac, "lab fronthaul plan", Severity::kError,
     "frame addressed to neither the O-DU nor the O-RU"},
    {rules::kL2Ethertype, "lab fronthaul plan", Severity::kWarning,
     "another protocol than eCPRI on the fronthaul VLAN"},
}};

Finding make(std::string_view rule, std::size_t offset, std::uint64_t index, std::string text) {
  Finding f;
  for (const auto& r : kRules) {
    if (r.id == rule) {
      f.rule_id = r.id;
      f.clause = r.clause;
      f.severity = r.severity;
    }
  }
  f.message = std::move(text);
  f.byte_offset = offset;
  f.packet_index = static_cast<std::size_t>(index);
  return f;
}

std::string vlan_text(const std::optional<fronthaul::VlanTag>& tag) {
  return tag ? "VLAN " + std::to_string(tag->id) : std::string("no VLAN tag");
}

std::string hex16(std::uint16_t value) {
  static const char digits[] = "0123456789abcdef";
  std::string out = "0x";
  for (int shift = 12; shift >= 0; shift -= 4) out += digits[(value >> shift) & 0xf];
  return out;
}

}  // namespace

std::span<const fronthaul::Rule> frame_rule_catalog() { return kRules; }

Result<L2Header> parse_l2_header(std::span<const std::uint8_t> frame) {
  if (frame.size() < kHeaderBytes) {
    return Error{"frame of " + std::to_string(frame.size()) +
                     " bytes is shorter than an Ethernet header (14)",
                 "byte " + std::to_string(frame.size())};
  }
  L2Header h;
  std::copy_n(frame.begin(), 6, h.destination.begin());
  std::copy_n(frame.begin() + 6, 6, h.source.begin());
  std::size_t at = 12;
  for (;;) {
    const auto type = static_cast<std::uint16_t>(frame[at] << 8 | frame[at + 1]);
    if (type != fronthaul::kEthertypeVlan && type != fronthaul::kEthertypeServiceVlan) {
      h.ethertype = type;
      h.payload_offset = at + 2;
      return h;
    }
    if (h.vlan_count == kMaxTags) {
      return Error{"more than 4 stacked VLAN tags", "byte " + std::to_string(at)};
    }
    if (at + 6 > frame.size()) {
      return Error{"VLAN tag cut short (frame of " + std::to_string(frame.size()) + " bytes)",
                   "byte " + std::to_string(at)};
    }
    const auto tci = static_cast<std::uint16_t>(frame[at + 2] << 8 | frame[at + 3]);
    if (h.vlan_count == 0) {
      h.outer_vlan =
          fronthaul::VlanTag{static_cast<std::uint16_t>(tci & 0x0fff),
                             static_cast<std::uint8_t>(tci >> 13), (tci & 0x1000) != 0, type};
    }
    ++h.vlan_count;
    at += 4;
  }
}

bool describe_frame(std::span<const std::uint8_t> frame, TappedPacket& out) {
  out.frame = frame;
  auto header = parse_l2_header(frame);
  if (!header) {
    out.is_ecpri = false;
    out.ecpri = {};
    out.vlan.reset();
    out.ethertype = 0;
    return false;
  }
  out.source_mac = header->source;
  out.destination_mac = header->destination;
  out.vlan = header->outer_vlan;
  out.ethertype = header->ethertype;
  out.is_ecpri = header->ethertype == fronthaul::kEthertypeEcpri;
  out.ecpri =
      out.is_ecpri ? frame.subspan(header->payload_offset) : std::span<const std::uint8_t>{};
  return true;
}

void check_frame(std::span<const std::uint8_t> frame, const FrameCheckConfig& config,
                 std::uint64_t index, std::vector<Finding>& out) {
  auto header = parse_l2_header(frame);
  if (!header) {
    out.push_back(make(rules::kL2Runt, frame.size(), index, header.error().message));
    return;
  }
  const bool ecpri = header->ethertype == fronthaul::kEthertypeEcpri;
  const bool on_fronthaul_vlan =
      config.vlan_id ? header->outer_vlan && header->outer_vlan->id == *config.vlan_id
                     : !header->outer_vlan;
  if (ecpri && !on_fronthaul_vlan) {
    out.push_back(make(rules::kL2Vlan, 12, index,
                       "eCPRI frame with " + vlan_text(header->outer_vlan) +
                           "; the fronthaul is on " +
                           (config.vlan_id ? "VLAN " + std::to_string(*config.vlan_id)
                                           : std::string("no VLAN (untagged)"))));
  }
  const bool to_an_end = header->destination == config.o_du || header->destination == config.o_ru;
  const bool unicast = (header->destination[0] & 1) == 0;
  if (!to_an_end && (ecpri || (unicast && on_fronthaul_vlan && config.vlan_id))) {
    out.push_back(make(rules::kL2DestinationMac, 0, index,
                       std::string(ecpri ? "eCPRI frame" : "frame") + " to " +
                           fronthaul::to_string(header->destination) + ", neither the O-DU (" +
                           fronthaul::to_string(config.o_du) + ") nor the O-RU (" +
                           fronthaul::to_string(config.o_ru) + ")"));
  }
  if (!ecpri && config.vlan_id && on_fronthaul_vlan) {
    out.push_back(make(rules::kL2Ethertype, header->payload_offset - 2, index,
                       "ethertype " + hex16(header->ethertype) + " on the fronthaul VLAN " +
                           std::to_string(*config.vlan_id) + " (eCPRI is 0xaefe)"));
  }
}

void FrameCheckTap::on_packet(const TappedPacket& packet) {
  if (packet.frame.empty()) return;  // UDP: no link layer to check
  ++checked_;
  scratch_.clear();
  check_frame(packet.frame, config_, packet.index, scratch_);
  for (auto& f : scratch_) {
    ++counts_[f.rule_id];
    if (findings_.size() < max_findings_) findings_.push_back(std::move(f));
  }
}

void FrameCheckTap::on_other_frames(std::span<const TappedPacket> frames) {
  for (const TappedPacket& frame : frames) on_packet(frame);
}

}  // namespace plugfest::transport
