// libFuzzer target for what reads a frame's link layer in the Ethernet relay and monitor:
// the header and tag reader, the tap description of a frame and the frame checks. The first
// two octets are the O-DU's and O-RU's last MAC octet (the rest fixed) and the fronthaul
// VLAN's low byte (0: untagged); the rest is the frame. Nothing may crash, hang, or point
// outside the bytes it was given.

#include <cstdint>
#include <cstdlib>

#include "interfaces/transport/l2/frame_checks.h"

namespace {

using namespace plugfest::transport;

void require(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  FrameCheckConfig config;
  config.o_du = {0x02, 0, 0, 0, 0x0d, data[0]};
  config.o_ru = {0x02, 0, 0, 0, 0x0e, data[0]};
  if (data[1] != 0) config.vlan_id = data[1];
  const std::span<const std::uint8_t> frame(data + 2, size - 2);

  auto header = parse_l2_header(frame);
  if (header) {
    require(header->payload_offset >= 14 && header->payload_offset <= frame.size());
    require(header->vlan_count <= 4 && (header->vlan_count > 0) == header->outer_vlan.has_value());
  }
  TappedPacket tapped;
  const bool described = describe_frame(frame, tapped);
  require(described == static_cast<bool>(header));
  if (!tapped.ecpri.empty()) {
    require(tapped.ecpri.data() >= frame.data() &&
            tapped.ecpri.data() + tapped.ecpri.size() == frame.data() + frame.size());
  }
  std::vector<plugfest::fronthaul::Finding> findings;
  check_frame(frame, config, 7, findings);
  require(findings.size() <= 3);
  for (const auto& f : findings) {
    require(!f.rule_id.empty() && !f.message.empty() && f.packet_index == 7u);
    require(f.byte_offset <= frame.size());
  }
  return 0;
}
