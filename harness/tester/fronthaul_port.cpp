#include "harness/tester/fronthaul_port.h"

#include "interfaces/transport/analysis_settings.h"

#include "interfaces/transport/wireshark_profile.h"

#include <thread>

namespace plugfest::harness::tester {

using transport::Timestamp;

FronthaulPort::FronthaulPort(const transport::FronthaulConfig& setup, Plays plays)
    : setup_(setup),
      plays_(plays),
      validator_(setup.decoder_config(fronthaul::DataDirection::kDownlink),
                 setup.decoder_config(fronthaul::DataDirection::kUplink)) {}

FronthaulPort::~FronthaulPort() {
  if (pcap_) (void)pcap_->close();
  if (socket_) socket_->close();
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
    if (auto profile = transport::write_wireshark_profile(
            transport::wireshark_profile_dir(pcap_path), setup, {port->local_endpoint().port()});
        !profile) {
      return profile.error();
    }
    // And the settings `plugfest analyze` reads, so the evidence judges as the run did.
    if (auto settings = transport::write_analysis_settings(
            pcap_path, setup, {port->local_endpoint().port()}, plays == Plays::kOdu);
        !settings) {
      return settings.error();
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
                                        const asio::ip::udp::endpoint& to) {
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
  if (pcap_) {
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
  if (!peer_) return Error{"no peer to send to yet", "fronthaul port"};
  if (at) std::this_thread::sleep_until(*at);
  const Timestamp sent_at = transport::now();
  if (auto ok = socket_->send_to(bytes, *peer_); !ok) return ok.error();
  return record(true, bytes, sent_at, transport::TimestampSource::kUserSpace, local_endpoint(),
                *peer_);
}

Result<std::size_t> FronthaulPort::receive_batch(Timestamp until) {
  const Timestamp now = transport::now();
  if (now >= until) return std::size_t{0};
  const auto wait = std::chrono::ceil<std::chrono::milliseconds>(until - now);
  auto batch = socket_->receive(std::max(wait, std::chrono::milliseconds(1)));
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
  if (!pcap_) return {};
  return pcap_->close();
}

}  // namespace plugfest::harness::tester
