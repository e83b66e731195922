#include "interfaces/transport/pcap_tap.h"

namespace plugfest::transport {

fronthaul::IpAddress to_ip_address(const asio::ip::address& address) {
  if (address.is_v4()) return address.to_v4().to_bytes();
  return address.to_v6().to_bytes();
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
  if (framing_ == CaptureFraming::kEthernet) {
    auto written = writer_.write(ethernet_header_[static_cast<std::size_t>(packet.direction)],
                                 packet.ecpri, timestamp);
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
  if (!written && !first_error_) first_error_ = written.error();
}

std::size_t PcapTap::ecpri_offset(const TappedPacket& packet) const {
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
