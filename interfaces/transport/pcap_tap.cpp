#include "interfaces/transport/pcap_tap.h"

#include <algorithm>

namespace plugfest::transport {

fronthaul::IpAddress to_ip_address(const asio::ip::address& address) {
  if (address.is_v4()) return address.to_v4().to_bytes();
  return address.to_v6().to_bytes();
}

std::string where_in_frame(const FrameLocation& location, std::size_t ecpri_byte) {
  return "frame " + std::to_string(location.frame) + " byte " +
         std::to_string(location.ecpri_offset + ecpri_byte);
}

Result<std::unique_ptr<PcapTap>> PcapTap::create(const std::string& path, CaptureFraming framing) {
  auto writer = fronthaul::PcapWriter::create(path);
  if (!writer) return writer.error();
  return std::unique_ptr<PcapTap>(new PcapTap(std::move(*writer), framing));
}

PcapTap::PcapTap(fronthaul::PcapWriter writer, CaptureFraming framing)
    : writer_(std::move(writer)), framing_(framing) {
  for (const RelayDirection direction : {RelayDirection::kDownlink, RelayDirection::kUplink}) {
    const bool down = direction == RelayDirection::kDownlink;
    fronthaul::EthernetFraming ethernet;
    ethernet.source = down ? kCaptureOduMac : kCaptureOruMac;
    ethernet.destination = down ? kCaptureOruMac : kCaptureOduMac;
    ethernet_header_[static_cast<std::size_t>(direction)] =
        fronthaul::frame_ecpri_ethernet(ethernet, {});
  }
}

void PcapTap::on_packet(const TappedPacket& packet) {
  const bool down = packet.direction == RelayDirection::kDownlink;
  const auto timestamp = packet.timestamp.time_since_epoch();
  if (!packet.frame.empty()) {
    // Ethernet-sourced: the frame as it was on the wire, whatever the framing asked.
    auto written = writer_.write(packet.frame, timestamp);
    if (written) note_written(packet);
    if (!written && !first_error_) first_error_ = written.error();
    return;
  }
  if (framing_ == CaptureFraming::kEthernet) {
    auto written = writer_.write(ethernet_header_[static_cast<std::size_t>(packet.direction)],
                                 packet.ecpri, timestamp);
    if (written) note_written(packet);
    if (!written && !first_error_) first_error_ = written.error();
    return;
  }
  fronthaul::UdpFraming framing;
  framing.ethernet.source = down ? kCaptureOduMac : kCaptureOruMac;
  framing.ethernet.destination = down ? kCaptureOruMac : kCaptureOduMac;
  framing.source_ip = to_ip_address(packet.source.address());
  framing.source_port = packet.source.port();
  // Not forwarded anywhere yet: record it as addressed to the sender's own family.
  const asio::ip::udp::endpoint& to =
      packet.destination.port() != 0 ? packet.destination : packet.source;
  framing.destination_ip = to_ip_address(to.address());
  framing.destination_port = to.port();
  if (framing.source_ip.index() != framing.destination_ip.index()) {
    framing.destination_ip = framing.source_ip;
  }
  auto frame = fronthaul::frame_ecpri_udp(framing, packet.ecpri);
  Result<void> written = frame ? writer_.write(*frame, timestamp) : Result<void>(frame.error());
  if (written) note_written(packet);
  if (!written && !first_error_) first_error_ = written.error();
}

void PcapTap::on_other_frames(std::span<const TappedPacket> frames) {
  for (const TappedPacket& frame : frames) {
    if (!frame.frame.empty()) on_packet(frame);
  }
}

void PcapTap::note_written(const TappedPacket& packet) {
  const std::size_t frame = writer_.frames_written();
  const std::size_t offset = ecpri_offset(packet);
  if (!runs_.empty()) {
    Run& last = runs_.back();
    if (packet.index == last.first_index + last.count && frame == last.first_frame + last.count &&
        offset == last.ecpri_offset) {
      ++last.count;
      return;
    }
    // An index seen before (not the relay's numbering) keeps its first frame.
    if (packet.index < last.first_index + last.count) return;
  }
  runs_.push_back({packet.index, frame, 1, offset});
}

std::optional<FrameLocation> PcapTap::locate(std::uint64_t index) const {
  // Relay indices only grow, so the runs are sorted by their first index.
  auto after = std::upper_bound(runs_.begin(), runs_.end(), index,
                                [](std::uint64_t i, const Run& r) { return i < r.first_index; });
  if (after == runs_.begin()) return std::nullopt;
  const Run& run = *std::prev(after);
  if (index - run.first_index >= run.count) return std::nullopt;
  return FrameLocation{run.first_frame + std::size_t(index - run.first_index), run.ecpri_offset};
}

std::size_t PcapTap::ecpri_offset(const TappedPacket& packet) const {
  if (!packet.frame.empty()) {
    // Other frames: where their payload would start, after the ethertype (or 0).
    if (packet.ecpri.empty())
      return packet.is_ecpri
                 ? 0
                 : std::min<std::size_t>(packet.frame.size(), 14 + (packet.vlan ? 4 : 0));
    return static_cast<std::size_t>(packet.ecpri.data() - packet.frame.data());
  }
  if (framing_ == CaptureFraming::kEthernet) return 14;
  // Ethernet II, IPv4 (20) or IPv6 (40), UDP (8); the sender's family decides, as above.
  return 14 + (packet.source.address().is_v6() ? 40 : 20) + 8;
}

Result<void> PcapTap::close() {
  auto closed = writer_.close();
  if (first_error_) return *first_error_;
  return closed;
}

}  // namespace plugfest::transport
