#pragma once
// FronthaulPort: the harness's end of a fronthaul session over UDP. The harness plays the
// O-DU toward an O-RU or the O-RU toward an O-DU: it encodes messages with the codec,
// numbers them per eAxC and plane, sends each at the time it was asked to (on purpose
// early, on time or late against the slot clock), and receives what the DUT sends with
// receive timestamps. Every packet either way goes to a pcap and to the stream validator,
// as the relay's taps see them, so a port is a tap on its own traffic.

#include <asio/io_context.hpp>
#include <asio/ip/udp.hpp>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "interfaces/transport/fronthaul_config.h"
#include "interfaces/fronthaul/codec.h"
#include "interfaces/transport/pcap_tap.h"
#include "interfaces/transport/udp_socket.h"
#include "interfaces/transport/validator_tap.h"

namespace plugfest::harness::tester {

enum class Plays : std::uint8_t { kOdu, kOru };

// One packet the port sent or received, decoded.
struct PortPacket {
  std::uint64_t index = 0;  // order recorded, both directions, from 0
  bool sent = false;        // by the harness
  transport::Timestamp at;  // send time, or receive timestamp
  transport::TimestampSource source = transport::TimestampSource::kUserSpace;
  std::vector<std::uint8_t> bytes;  // the eCPRI message
  fronthaul::DecodeResult decoded;  // with the decoder's findings
  // Where it is in the evidence pcap: its Wireshark frame number (from 1) and where its
  // eCPRI message starts in that frame.
  std::size_t frame_number = 0;
  std::size_t ecpri_offset = 0;
};

// "frame N byte M": the packet's frame in the evidence pcap and `ecpri_byte` (counted
// from its eCPRI header) as an offset from the frame's start, the way Wireshark and
// `plugfest analyze` locate it.
std::string where(const PortPacket& packet, std::size_t ecpri_byte = 0);

class FronthaulPort {
 public:
  // Binds a UDP socket on `host` (port 0: a free one); writes the capture to pcap_path
  // when it is not empty.
  static Result<std::unique_ptr<FronthaulPort>> open(const transport::FronthaulConfig& setup, Plays plays,
                                                     const std::string& host,
                                                     const std::string& pcap_path);
  ~FronthaulPort();

  const transport::FronthaulConfig& setup() const { return setup_; }
  Plays plays() const { return plays_; }
  asio::ip::udp::endpoint local_endpoint() const { return socket_->local_endpoint(); }
  transport::TimestampSource timestamp_source() const { return socket_->timestamp_source(); }
  // Where sends go; unset: to the sender of the first packet received.
  void set_peer(const asio::ip::udp::endpoint& peer) { peer_ = peer; }
  const std::optional<asio::ip::udp::endpoint>& peer() const { return peer_; }

  // Encodes and sends `message` at `at` (now when unset or past), giving it the next
  // ecpriSeqid of its stream unless number is false. Returns the packet as recorded.
  Result<const PortPacket*> send(fronthaul::Message message,
                                 std::optional<transport::Timestamp> at = std::nullopt,
                                 bool number = true);
  // Sends bytes as they are (a malformed message on purpose).
  Result<const PortPacket*> send_bytes(std::vector<std::uint8_t> bytes,
                                       std::optional<transport::Timestamp> at = std::nullopt);

  // Waits until `until` for one batch of packets and records it; returns how many arrived.
  Result<std::size_t> receive_batch(transport::Timestamp until);
  // Receives until `until`, or until `quiet` passed without a packet after at least one
  // arrived. Returns how many packets arrived.
  Result<std::size_t> receive_until(transport::Timestamp until,
                                    std::chrono::nanoseconds quiet = std::chrono::hours(1));

  const std::vector<std::unique_ptr<PortPacket>>& packets() const { return packets_; }
  std::vector<const PortPacket*> received() const;
  // Stream-validator findings (both directions), each with its packet's index.
  std::vector<fronthaul::Finding> stream_findings() const { return validator_.findings(); }
  // Where a finding (decoder or stream, with its packet index) is, as `where` says it.
  std::string where(const fronthaul::Finding& finding) const;
  // Closes the capture; the first write error, if any.
  Result<void> close_capture();
  std::size_t captured() const { return pcap_ ? pcap_->frames_written() : 0; }

 private:
  FronthaulPort(const transport::FronthaulConfig& setup, Plays plays);
  const PortPacket* record(bool sent, std::span<const std::uint8_t> bytes, transport::Timestamp at,
                           transport::TimestampSource source, const asio::ip::udp::endpoint& from,
                           const asio::ip::udp::endpoint& to);

  transport::FronthaulConfig setup_;
  Plays plays_;
  asio::io_context io_;
  std::unique_ptr<transport::EcpriUdpSocket> socket_;
  std::optional<asio::ip::udp::endpoint> peer_;
  std::unique_ptr<transport::PcapTap> pcap_;
  transport::ValidatorTap validator_;
  std::map<std::uint32_t, std::uint8_t> next_seq_id_;  // by message type and eAxC
  std::vector<std::unique_ptr<PortPacket>> packets_;
};

}  // namespace plugfest::harness::tester
