#pragma once
// A relay tap that writes every packet to a pcap file with its receive timestamp: as
// Ethernet + IP + UDP with the real addresses and ports, or (cheaper, and dissected as
// eCPRI without any port setting) as Ethernet II with ethertype 0xAEFE. Packets an Ethernet
// relay or monitor tapped are written as the frame itself, VLAN tag included, whatever the
// framing; so are the other frames (ARP, PTP) it saw.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "interfaces/fronthaul/framing.h"
#include "interfaces/fronthaul/pcap.h"
#include "interfaces/transport/relay.h"

namespace plugfest::transport {

// Placeholder MAC addresses in the capture: UDP has no link layer of its own to record.
inline constexpr fronthaul::MacAddress kCaptureOduMac{0x02, 0x00, 0x00, 0x00, 0x0d, 0x01};
inline constexpr fronthaul::MacAddress kCaptureOruMac{0x02, 0x00, 0x00, 0x00, 0x0e, 0x01};

enum class CaptureFraming : std::uint8_t { kUdp, kEthernet };

// Where a tapped packet is in the capture: its Wireshark frame number (from 1) and where
// its eCPRI message starts in that frame.
struct FrameLocation {
  std::size_t frame = 0;
  std::size_t ecpri_offset = 0;
};

// "frame N byte M": `ecpri_byte` (counted from the eCPRI header) as an offset from the
// start of the frame, the way Wireshark's packet bytes pane and `plugfest analyze` count.
std::string where_in_frame(const FrameLocation& location, std::size_t ecpri_byte = 0);

class PcapTap : public PacketTap {
 public:
  static Result<std::unique_ptr<PcapTap>> create(const std::string& path,
                                                 CaptureFraming framing = CaptureFraming::kUdp);

  void on_packet(const TappedPacket& packet) override;
  void on_other_frames(std::span<const TappedPacket> frames) override;
  // Where the eCPRI message of `packet` starts in the frame on_packet writes for it.
  std::size_t ecpri_offset(const TappedPacket& packet) const;
  // The frame the packet with relay index `index` was written as; nullopt when it was not
  // written (never tapped, or the write failed). On the tap's thread, or once it is idle.
  std::optional<FrameLocation> locate(std::uint64_t index) const;
  // Flushes and closes; the first error met while writing, if any.
  Result<void> close();
  std::size_t frames_written() const { return writer_.frames_written(); }
  const std::string& path() const { return writer_.path(); }

 private:
  PcapTap(fronthaul::PcapWriter writer, CaptureFraming framing);

  fronthaul::PcapWriter writer_;
  CaptureFraming framing_;
  std::array<std::vector<std::uint8_t>, 2> ethernet_header_;  // by RelayDirection
  std::optional<Error> first_error_;
  // Runs of consecutive relay indices written as consecutive frames with one eCPRI offset:
  // normally one run for a whole capture, so locating costs no memory per packet.
  struct Run {
    std::uint64_t first_index = 0;
    std::size_t first_frame = 0;
    std::size_t count = 0;
    std::size_t ecpri_offset = 0;
  };
  void note_written(const TappedPacket& packet);
  std::vector<Run> runs_;
};

// An asio address as the framing library's IpAddress.
fronthaul::IpAddress to_ip_address(const asio::ip::address& address);

}  // namespace plugfest::transport
