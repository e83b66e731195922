#pragma once
// FronthaulPort: the harness's end of a fronthaul session, eCPRI over UDP or directly over
// Ethernet (a named interface, VLAN and PCP). The harness plays the O-DU toward an O-RU or
// the O-RU toward an O-DU: it encodes messages with the codec, numbers them per eAxC and
// plane, sends each at the time it was asked to (on purpose early, on time or late against
// the slot clock), and receives what the DUT sends with receive timestamps. Every packet
// either way goes to a pcap and to the stream validator, as the relay's taps see them, so a
// port is a tap on its own traffic. Over Ethernet the pcap holds the frames as they were on
// the wire (VLAN tag included); a frame on the interface that is not this session's
// fronthaul (eCPRI on another VLAN or to another destination MAC, another ethertype on the
// fronthaul VLAN) is kept there too and becomes a link finding instead of a packet.

#include <asio/io_context.hpp>
#include <asio/ip/udp.hpp>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "interfaces/fronthaul/codec.h"
#include "interfaces/fronthaul/pcap.h"
#include "interfaces/transport/ethernet_socket.h"
#include "interfaces/transport/fronthaul_config.h"
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

// The harness's end over Ethernet.
struct EthernetPortOptions {
  std::string interface;
  std::optional<fronthaul::VlanTag> vlan;  // put on every frame sent; unset: untagged
  // The largest frame received whole (a longer one is kept cut, and decodes as truncated);
  // 0: the interface's MTU plus the Ethernet header and two VLAN tags.
  std::size_t max_frame_bytes = 0;
};

// Octets a frame of `mtu` octets of payload takes with its header and up to two VLAN tags.
inline constexpr std::size_t frame_bytes_for_mtu(std::size_t mtu) { return mtu + 14 + 8; }

using transport::interface_mtu;

// Rule IDs of the link findings (frames on the harness's interface that are not the
// session's fronthaul).
inline constexpr std::string_view kRuleEthernetWrongVlan = "cus.eth.wrong-vlan";
inline constexpr std::string_view kRuleEthernetForeignDestination = "cus.eth.foreign-destination";
inline constexpr std::string_view kRuleEthernetNotEcpri = "cus.eth.not-ecpri";
// What they break is the bench's fronthaul plan (VLAN, MACs), not a CUS clause: cited as
// the link-layer checks of the relay and monitor cite it (interfaces/transport/l2).
inline constexpr std::string_view kEthernetClause = "lab fronthaul plan (IEEE 802.1Q 9.6)";

// A frame that reached the harness's interface but is not the session's fronthaul.
struct LinkFinding {
  std::string_view rule_id;
  std::string message;
  std::string where;  // "frame N" of the evidence pcap
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
  // Opens an AF_PACKET socket on options.interface (needs CAP_NET_RAW); sends go to the
  // peer's MAC with options.vlan. The capture is link type 1, the frames as on the wire.
  static Result<std::unique_ptr<FronthaulPort>> open_ethernet(
      const transport::FronthaulConfig& setup, Plays plays, const EthernetPortOptions& options,
      const std::string& pcap_path);
  ~FronthaulPort();

  const transport::FronthaulConfig& setup() const { return setup_; }
  Plays plays() const { return plays_; }
  bool over_ethernet() const { return ethernet_ != nullptr; }
  // UDP only.
  asio::ip::udp::endpoint local_endpoint() const { return socket_->local_endpoint(); }
  transport::TimestampSource timestamp_source() const {
    return ethernet_ ? ethernet_->timestamp_source() : socket_->timestamp_source();
  }
  // Where sends go; unset: to the sender of the first packet received.
  void set_peer(const asio::ip::udp::endpoint& peer) { peer_ = peer; }
  const std::optional<asio::ip::udp::endpoint>& peer() const { return peer_; }

  // Ethernet only: the interface's MAC, the peer's MAC, and the VLAN ID the DUT sends on
  // (frames with another one are link findings; default: the one this port sends on).
  const transport::MacAddress& local_mac() const { return ethernet_->local_mac(); }
  const std::string& interface() const { return ethernet_->interface(); }
  void set_peer(const transport::MacAddress& peer) { peer_mac_ = peer; }
  const std::optional<transport::MacAddress>& peer_mac() const { return peer_mac_; }
  void expect_vlan(std::optional<std::uint16_t> vlan_id) { expected_vlan_ = vlan_id; }
  // Frames on the interface that were not the session's fronthaul, in arrival order.
  const std::vector<LinkFinding>& link_findings() const { return link_findings_; }


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
  // arrived, then takes what is still queued (up to kQueuedBatches batches, no waiting).
  // Returns how many packets arrived.
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
  std::size_t captured() const {
    return pcap_ ? pcap_->frames_written() : wire_pcap_ ? wire_pcap_->frames_written() : 0;
  }

 private:
  FronthaulPort(const transport::FronthaulConfig& setup, Plays plays);
  Result<void> write_profiles(const std::string& pcap_path, std::vector<std::uint16_t> udp_ports);
  // UDP: from / to are the datagram's ends. Ethernet: `frame` is the whole frame and the
  // eCPRI message starts at ecpri_offset in it.
  const PortPacket* record(bool sent, std::span<const std::uint8_t> bytes, transport::Timestamp at,
                           transport::TimestampSource source, const asio::ip::udp::endpoint& from,
                           const asio::ip::udp::endpoint& to,
                           std::span<const std::uint8_t> frame = {}, std::size_t ecpri_offset = 0);
  Result<std::size_t> receive_ethernet(std::chrono::milliseconds wait);
  // One batch, waiting up to `wait` (0: only what is queued).
  Result<std::size_t> receive_for(std::chrono::milliseconds wait);
  static constexpr int kQueuedBatches = 64;
  // Writes a frame to the Ethernet capture; its frame number (from 1), or 0 without one.
  std::size_t capture_frame(std::span<const std::uint8_t> frame, transport::Timestamp at);
  Result<void> check_link() const;

  transport::FronthaulConfig setup_;
  Plays plays_;
  asio::io_context io_;
  std::unique_ptr<transport::EcpriUdpSocket> socket_;  // UDP, or
  std::unique_ptr<transport::EcpriEthernetSocket> ethernet_;  // Ethernet
  std::optional<asio::ip::udp::endpoint> peer_;
  std::optional<transport::MacAddress> peer_mac_;
  std::optional<fronthaul::VlanTag> vlan_;
  std::optional<std::uint16_t> expected_vlan_;
  int link_probe_ = -1;  // a socket in the interface's namespace, to read its flags
  std::vector<LinkFinding> link_findings_;
  std::unique_ptr<transport::PcapTap> pcap_;           // UDP capture, or
  std::optional<fronthaul::PcapWriter> wire_pcap_;     // Ethernet capture
  std::size_t wire_frames_ = 0;
  transport::ValidatorTap validator_;
  std::map<std::uint32_t, std::uint8_t> next_seq_id_;  // by message type and eAxC
  std::vector<std::unique_ptr<PortPacket>> packets_;
};

}  // namespace plugfest::harness::tester
