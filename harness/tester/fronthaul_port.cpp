#include "harness/tester/fronthaul_port.h"

#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <thread>

#include "interfaces/transport/analysis_settings.h"
#include "interfaces/transport/wireshark_profile.h"

namespace plugfest::harness::tester {

using transport::Timestamp;

FronthaulPort::FronthaulPort(const transport::FronthaulConfig& setup, Plays plays)
    : setup_(setup),
      plays_(plays),
      validator_(setup.decoder_config(fronthaul::DataDirection::kDownlink),
                 setup.decoder_config(fronthaul::DataDirection::kUplink)) {}

FronthaulPort::~FronthaulPort() {
  if (pcap_) (void)pcap_->close();
  if (wire_pcap_) (void)wire_pcap_->close();
  if (socket_) socket_->close();
  if (ethernet_) ethernet_->close();
  if (link_probe_ >= 0) ::close(link_probe_);
}

Result<void> FronthaulPort::write_profiles(const std::string& pcap_path,
                                           std::vector<std::uint16_t> udp_ports) {
  // Wireshark's settings for this capture, and the settings `plugfest analyze` reads, so
  // the evidence judges as the run did.
  if (auto profile = transport::write_wireshark_profile(transport::wireshark_profile_dir(pcap_path),
                                                        setup_, udp_ports);
      !profile) {
    return profile.error();
  }
  return transport::write_analysis_settings(pcap_path, setup_, udp_ports, plays_ == Plays::kOdu);
}

Result<std::unique_ptr<FronthaulPort>> FronthaulPort::open_ethernet(
    const transport::FronthaulConfig& setup, Plays plays, const EthernetPortOptions& options,
    const std::string& pcap_path) {
  if (auto ok = setup.check(); !ok) return ok.error();
  std::unique_ptr<FronthaulPort> port(new FronthaulPort(setup, plays));
  transport::EthernetOptions socket_options;
  socket_options.interface = options.interface;
  socket_options.vlan = options.vlan;
  socket_options.receive_buffer_bytes = 4 << 20;
  socket_options.max_frame_bytes = options.max_frame_bytes;
  if (socket_options.max_frame_bytes == 0) {
    const auto mtu = interface_mtu(options.interface);
    if (!mtu) return Error{"no such interface", "ethernet " + options.interface};
    socket_options.max_frame_bytes = frame_bytes_for_mtu(static_cast<std::size_t>(*mtu));
  }
  auto socket = transport::EcpriEthernetSocket::open(port->io_, socket_options);
  if (!socket) return socket.error();
  port->ethernet_ = std::move(*socket);
  port->vlan_ = options.vlan;
  if (options.vlan) port->expected_vlan_ = options.vlan->id;
  port->link_probe_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (!pcap_path.empty()) {
    auto writer = fronthaul::PcapWriter::create(pcap_path, fronthaul::kLinkTypeEthernet);
    if (!writer) return writer.error();
    port->wire_pcap_.emplace(std::move(*writer));
    if (auto written = port->write_profiles(pcap_path, {}); !written) return written.error();
  }
  return port;
}

Result<std::unique_ptr<FronthaulPort>> FronthaulPort::open(const transport::FronthaulConfig& setup, Plays plays,
                                                           const std::string& host,
                                                           const std::string& pcap_path) {
  if (auto ok = setup.check(); !ok) return ok.error();
  std::unique_ptr<FronthaulPort> port(new FronthaulPort(setup, plays));
  auto local = transport::make_udp_endpoint(host, 0);
  if (!local) return local.error();
  transport::UdpOptions options;
  options.receive_buffer_bytes = 4 << 20;
  auto socket = transport::EcpriUdpSocket::open(port->io_, *local, options);
  if (!socket) return socket.error();
  port->socket_ = std::move(*socket);
  if (!pcap_path.empty()) {
    auto pcap = transport::PcapTap::create(pcap_path);
    if (!pcap) return pcap.error();
    port->pcap_ = std::move(*pcap);
    // Every packet of the capture has the harness's port at one end.
    if (auto written = port->write_profiles(pcap_path, {port->local_endpoint().port()});
        !written) {
      return written.error();
    }
  }
  return port;
}

std::string where(const PortPacket& packet, std::size_t ecpri_byte) {
  return "frame " + std::to_string(packet.frame_number) + " byte " +
         std::to_string(packet.ecpri_offset + ecpri_byte);
}

std::string FronthaulPort::where(const fronthaul::Finding& finding) const {
  const std::size_t index = finding.packet_index.value_or(packets_.size());
  if (index >= packets_.size()) return "byte " + std::to_string(finding.byte_offset);
  return tester::where(*packets_[index], finding.byte_offset);
}

const PortPacket* FronthaulPort::record(bool sent, std::span<const std::uint8_t> bytes,
                                        Timestamp at, transport::TimestampSource source,
                                        const asio::ip::udp::endpoint& from,
                                        const asio::ip::udp::endpoint& to,
                                        std::span<const std::uint8_t> frame,
                                        std::size_t ecpri_offset) {
  auto packet = std::make_unique<PortPacket>();
  packet->index = packets_.size();
  packet->sent = sent;
  packet->at = at;
  packet->source = source;
  packet->bytes.assign(bytes.begin(), bytes.end());
  // The relay's sense of direction: downlink is what the O-DU sends.
  const bool downlink = sent == (plays_ == Plays::kOdu);
  const auto direction =
      downlink ? fronthaul::DataDirection::kDownlink : fronthaul::DataDirection::kUplink;
  packet->decoded = fronthaul::decode(packet->bytes, setup_.decoder_config(direction));

  transport::TappedPacket tapped;
  tapped.direction =
      downlink ? transport::RelayDirection::kDownlink : transport::RelayDirection::kUplink;
  tapped.ecpri = packet->bytes;
  tapped.timestamp = at;
  tapped.timestamp_source = source;
  tapped.source = from;
  tapped.destination = to;
  tapped.index = packet->index;
  tapped.forwarded = true;
  validator_.on_packet(tapped);
  if (ethernet_) {
    // Received frames are already in the capture (every frame is, ours or not).
    packet->frame_number = sent ? capture_frame(frame, at) : wire_frames_;
    if (packet->frame_number == 0) packet->frame_number = packet->index + 1;
    packet->ecpri_offset = ecpri_offset;
  } else if (pcap_) {
    pcap_->on_packet(tapped);
    packet->frame_number = pcap_->frames_written();
    packet->ecpri_offset = pcap_->ecpri_offset(tapped);
  } else {
    // No capture kept: numbered as one would be.
    packet->frame_number = packet->index + 1;
    packet->ecpri_offset = 14 + (from.address().is_v6() ? 40 : 20) + 8;
  }
  packets_.push_back(std::move(packet));
  return packets_.back().get();
}

Result<const PortPacket*> FronthaulPort::send(fronthaul::Message message,
                                              std::optional<Timestamp> at, bool number) {
  if (number && (message.is_uplane() || message.is_cplane())) {
    const std::uint32_t key =
        (std::uint32_t(message.message_type()) << 16) | message.eaxc.to_wire(message.eaxc_split);
    message.seq_id.sequence_id = next_seq_id_[key]++;
    message.seq_id.e_bit = true;
    message.seq_id.subsequence_id = 0;
  }
  return send_bytes(fronthaul::encode(message), at);
}

Result<const PortPacket*> FronthaulPort::send_bytes(std::vector<std::uint8_t> bytes,
                                                    std::optional<Timestamp> at) {
  if (ethernet_) {
    if (!peer_mac_) return Error{"no peer MAC to send to yet", "fronthaul port"};
    fronthaul::EthernetFraming framing;
    framing.destination = *peer_mac_;
    framing.source = ethernet_->local_mac();
    if (vlan_) framing.vlans.push_back(*vlan_);
    framing.pad_to_minimum = true;
    const std::vector<std::uint8_t> frame = fronthaul::frame_ecpri_ethernet(framing, bytes);
    if (at) std::this_thread::sleep_until(*at);
    const Timestamp sent_at = transport::now();
    if (auto ok = ethernet_->send_frame(frame); !ok) {
      if (auto link = check_link(); !link) return link.error();
      return ok.error();
    }
    // Ethernet II header and tags, then the message, then any padding.
    return record(true, bytes, sent_at, transport::TimestampSource::kUserSpace, {}, {}, frame,
                  14 + 4 * framing.vlans.size());
  }
  if (!peer_) return Error{"no peer to send to yet", "fronthaul port"};
  if (at) std::this_thread::sleep_until(*at);
  const Timestamp sent_at = transport::now();
  if (auto ok = socket_->send_to(bytes, *peer_); !ok) return ok.error();
  return record(true, bytes, sent_at, transport::TimestampSource::kUserSpace, local_endpoint(),
                *peer_);
}

std::size_t FronthaulPort::capture_frame(std::span<const std::uint8_t> frame, Timestamp at) {
  if (!wire_pcap_) return 0;
  ++wire_frames_;
  (void)wire_pcap_->write(frame, at.time_since_epoch());
  return wire_frames_;
}

Result<void> FronthaulPort::check_link() const {
  if (link_probe_ < 0) return {};
  ifreq request{};
  std::strncpy(request.ifr_name, ethernet_->interface().c_str(), IFNAMSIZ - 1);
  if (::ioctl(link_probe_, SIOCGIFFLAGS, &request) != 0) {
    return Error{"interface " + ethernet_->interface() + " is gone", "fronthaul port"};
  }
  if ((request.ifr_flags & IFF_UP) == 0 || (request.ifr_flags & IFF_RUNNING) == 0) {
    return Error{"interface " + ethernet_->interface() + " went down", "fronthaul port"};
  }
  return {};
}

Result<std::size_t> FronthaulPort::receive_ethernet(std::chrono::milliseconds wait) {
  // Every frame of the interface, so that other traffic on the fronthaul VLAN is seen too.
  // A quiet wait is cut into short ones: a link that went down shows in its flags only.
  auto batch = ethernet_->receive_frames(std::min(wait, std::chrono::milliseconds(100)));
  if (!batch) {
    if (auto link = check_link(); !link) return link.error();
    return batch.error();
  }
  if (batch->empty()) {
    if (auto link = check_link(); !link) return link.error();
    return std::size_t{0};
  }
  std::size_t taken = 0;
  for (const auto& packet : *batch) {
    auto located = fronthaul::locate_ecpri(packet.bytes);
    if (!located || located->transport != fronthaul::EcpriTransport::kEthernet) {
      // Another protocol: a finding when it is tagged with the fronthaul's VLAN (untagged
      // neighbour discovery, ARP or PTP on the link is not the session's business).
      const auto& b = packet.bytes;
      if (!expected_vlan_ || b.size() < 18 || b[12] != 0x81 || b[13] != 0x00) continue;
      if ((((b[14] & 0x0f) << 8) | b[15]) != *expected_vlan_) continue;
      const std::size_t number = capture_frame(b, packet.timestamp);
      char ethertype[8];
      std::snprintf(ethertype, sizeof ethertype, "0x%02x%02x", b[16], b[17]);
      link_findings_.push_back({kRuleEthernetNotEcpri,
                                std::string("ethertype ") + ethertype +
                                    " (not eCPRI 0xAEFE) on the fronthaul VLAN " +
                                    std::to_string(*expected_vlan_),
                                "frame " + std::to_string(number)});
      continue;
    }
    const transport::EthernetFrame frame{packet, std::move(*located)};
    const auto& where_ = frame.location;
    const std::size_t number = capture_frame(frame.packet.bytes, frame.packet.timestamp);
    const std::string at = "frame " + std::to_string(number);
    const bool group = (where_.destination[0] & 1) != 0;  // broadcast or multicast
    if (where_.destination != ethernet_->local_mac() && !group) {
      link_findings_.push_back({kRuleEthernetForeignDestination,
                                "eCPRI frame to " + fronthaul::to_string(where_.destination) +
                                    " from " + fronthaul::to_string(where_.source) +
                                    ", not to the harness's " +
                                    fronthaul::to_string(ethernet_->local_mac()),
                                at});
      continue;
    }
    const std::optional<std::uint16_t> vlan =
        where_.vlans.empty() ? std::nullopt : std::optional<std::uint16_t>(where_.vlans[0].id);
    if (vlan != expected_vlan_) {
      const auto name = [](std::optional<std::uint16_t> v) {
        return v ? "VLAN " + std::to_string(*v) : std::string("untagged");
      };
      link_findings_.push_back({kRuleEthernetWrongVlan,
                                "eCPRI frame from " + fronthaul::to_string(where_.source) + " " +
                                    name(vlan) + ", the session's fronthaul is " +
                                    name(expected_vlan_),
                                at});
      continue;
    }
    if (!peer_mac_) peer_mac_ = where_.source;
    record(false, where_.payload, frame.packet.timestamp, frame.packet.timestamp_source, {}, {},
           frame.packet.bytes, where_.offset);
    ++taken;
  }
  return taken;
}

Result<std::size_t> FronthaulPort::receive_batch(Timestamp until) {
  const Timestamp now = transport::now();
  if (now >= until) return std::size_t{0};
  const auto wait = std::chrono::ceil<std::chrono::milliseconds>(until - now);
  return receive_for(std::max(wait, std::chrono::milliseconds(1)));
}

Result<std::size_t> FronthaulPort::receive_for(std::chrono::milliseconds wait) {
  if (ethernet_) return receive_ethernet(wait);
  auto batch = socket_->receive(wait);
  if (!batch) return batch.error();
  for (const auto& datagram : *batch) {
    if (!peer_) peer_ = datagram.sender;
    record(false, datagram.packet.bytes, datagram.packet.timestamp,
           datagram.packet.timestamp_source, datagram.sender, local_endpoint());
  }
  return batch->size();
}

Result<std::size_t> FronthaulPort::receive_until(Timestamp until, std::chrono::nanoseconds quiet) {
  std::size_t count = 0;
  Timestamp last = transport::now();
  for (;;) {
    Timestamp stop = until;
    if (count > 0 && last + quiet < stop) stop = last + quiet;
    if (transport::now() >= stop) break;
    auto got = receive_batch(stop);
    if (!got) return got.error();
    if (*got > 0) last = transport::now();
    count += *got;
  }
  // Packets that arrived in time can still be queued when this thread ran late (decoding a
  // batch, or waiting for a CPU, past `until`): take them, without waiting, so they are judged
  // by their receive timestamps instead of missing. Bounded, so a flood cannot hold us here.
  for (int batch = 0; batch < kQueuedBatches; ++batch) {
    auto got = receive_for(std::chrono::milliseconds(0));
    if (!got) return got.error();
    if (*got == 0) break;
    count += *got;
  }
  return count;
}

std::vector<const PortPacket*> FronthaulPort::received() const {
  std::vector<const PortPacket*> out;
  for (const auto& p : packets_) {
    if (!p->sent) out.push_back(p.get());
  }
  return out;
}

Result<void> FronthaulPort::close_capture() {
  if (wire_pcap_) return wire_pcap_->close();
  if (!pcap_) return {};
  return pcap_->close();
}

}  // namespace plugfest::harness::tester
