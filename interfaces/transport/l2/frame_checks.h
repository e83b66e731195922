#pragma once
// Link-layer checks of fronthaul frames an Ethernet relay or monitor sees: each frame's
// Ethernet header against the lab's plan (the O-DU's and O-RU's MACs, the fronthaul VLAN).
// A frame breaking it is a finding with the frame's index, never an exception: frames
// shorter than their header, eCPRI on the wrong VLAN (or untagged on a tagged fronthaul),
// a destination that is neither end, another protocol on the fronthaul VLAN.

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "interfaces/common/result.h"
#include "interfaces/fronthaul/framing.h"
#include "interfaces/fronthaul/rules.h"
#include "interfaces/transport/relay.h"

namespace plugfest::transport {

namespace rules {
inline constexpr std::string_view kL2Runt = "FH-L2-RUNT";
inline constexpr std::string_view kL2Vlan = "FH-L2-VLAN";
inline constexpr std::string_view kL2DestinationMac = "FH-L2-DEST-MAC";
inline constexpr std::string_view kL2Ethertype = "FH-L2-ETHERTYPE";
}  // namespace rules

// The rules above with their clause, severity and title.
std::span<const fronthaul::Rule> frame_rule_catalog();

// An Ethernet II header, its tags skipped: what the relay, the monitor and the checks read.
struct L2Header {
  fronthaul::MacAddress destination{};
  fronthaul::MacAddress source{};
  std::optional<fronthaul::VlanTag> outer_vlan;
  std::size_t vlan_count = 0;
  std::uint16_t ethertype = 0;     // after the tags
  std::size_t payload_offset = 0;  // where the bytes after the ethertype start
};

// The Error says what is missing and at which byte (a frame shorter than 14 bytes, a tag
// cut short, more than 4 stacked tags).
Result<L2Header> parse_l2_header(std::span<const std::uint8_t> frame);

// Fills the Ethernet fields of `out` from `frame` (frame, addresses, outer tag, ethertype,
// and ecpri / is_ecpri); false when the header cannot be read (then only frame is set and
// is_ecpri is false).
bool describe_frame(std::span<const std::uint8_t> frame, TappedPacket& out);

struct FrameCheckConfig {
  fronthaul::MacAddress o_du{};
  fronthaul::MacAddress o_ru{};
  // The fronthaul VLAN; unset: the fronthaul runs untagged (and shares the link with other
  // protocols, so the ethertype rule does not apply).
  std::optional<std::uint16_t> vlan_id;
};

// Appends the findings of one frame to out; index is its relay index (packet_index), the
// findings' byte_offset counts from the start of the frame.
void check_frame(std::span<const std::uint8_t> frame, const FrameCheckConfig& config,
                 std::uint64_t index, std::vector<fronthaul::Finding>& out);

// The checks as a tap: every frame of a relay or monitor, eCPRI or not. Keeps the first
// max_findings findings and counts all of them by rule.
class FrameCheckTap : public PacketTap {
 public:
  explicit FrameCheckTap(const FrameCheckConfig& config, std::size_t max_findings = 1000)
      : config_(config), max_findings_(max_findings) {}

  void on_packet(const TappedPacket& packet) override;
  void on_other_frames(std::span<const TappedPacket> frames) override;

  const std::vector<fronthaul::Finding>& findings() const { return findings_; }
  const std::map<std::string_view, std::uint64_t>& counts() const { return counts_; }
  std::uint64_t frames_checked() const { return checked_; }

 private:
  FrameCheckConfig config_;
  std::size_t max_findings_;
  std::vector<fronthaul::Finding> findings_;
  std::vector<fronthaul::Finding> scratch_;
  std::map<std::string_view, std::uint64_t> counts_;
  std::uint64_t checked_ = 0;
};

}  // namespace plugfest::transport
