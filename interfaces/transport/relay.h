#pragma once
// A UDP relay / tap between an O-DU and an O-RU: the O-DU sends its DL to the relay's
// O-DU-facing socket and the O-RU its UL to the O-RU-facing one; the relay forwards each
// packet to the other side and then hands it, with its receive timestamp, to every tap
// (stream validation, pcap).

#include <array>
#include <asio/io_context.hpp>
#include <asio/ip/udp.hpp>
#include <asio/steady_timer.hpp>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "interfaces/common/result.h"
#include "interfaces/fronthaul/framing.h"
#include "interfaces/transport/udp_socket.h"

namespace plugfest::transport {

// Downlink: O-DU to O-RU. Uplink: O-RU to O-DU.
enum class RelayDirection : std::uint8_t { kDownlink = 0, kUplink = 1 };

std::string_view to_string(RelayDirection direction);

struct TappedPacket {
  RelayDirection direction = RelayDirection::kDownlink;
  // The eCPRI message (the UDP payload; for Ethernet, everything after the ethertype,
  // padding included), valid during the call only. Empty for a frame that carries none.
  std::span<const std::uint8_t> ecpri;
  Timestamp timestamp;
  TimestampSource timestamp_source = TimestampSource::kUserSpace;
  asio::ip::udp::endpoint source;       // the sender (O-DU for downlink)
  asio::ip::udp::endpoint destination;  // where the relay forwarded it
  std::uint64_t index = 0;              // arrival order at the relay, both directions, from 0
  bool truncated = false;
  bool forwarded = false;  // false when the other side was unknown or the send failed
  // Ethernet-sourced packets (L2 relay, monitor): the whole frame as it was on the wire,
  // VLAN tag included (ecpri then points into it), its addresses, outer tag and ethertype
  // (after the tags). frame is empty for UDP.
  std::span<const std::uint8_t> frame;
  fronthaul::MacAddress source_mac{};
  fronthaul::MacAddress destination_mac{};
  std::optional<fronthaul::VlanTag> vlan;
  std::uint16_t ethertype = 0;
  // False for a frame that is no eCPRI message (ARP, PTP, ...), handed to on_other_frames.
  bool is_ecpri = true;
};

// Sees every packet the relay handles, on the relay's io_context thread, in arrival order
// (or on a TapWorker's thread, see tap_worker.h).
class PacketTap {
 public:
  virtual ~PacketTap() = default;
  virtual void on_packet(const TappedPacket& packet) = 0;
  // Consecutive packets of one receive batch; taps with a per-call cost (a lock, a clock
  // read) override it to pay that once per batch.
  virtual void on_batch(std::span<const TappedPacket> packets) {
    for (const TappedPacket& packet : packets) on_packet(packet);
  }
  // Frames an Ethernet relay or monitor saw that carry no eCPRI message (is_ecpri false):
  // ignored unless a tap wants them (a capture, the frame checks). They share the relay's
  // index numbering with the eCPRI ones, in arrival order.
  virtual void on_other_frames(std::span<const TappedPacket> frames) { (void)frames; }
};

struct UdpRelayConfig {
  asio::ip::udp::endpoint du_facing;  // local address the O-DU sends DL to (port 0: any)
  asio::ip::udp::endpoint ru_facing;  // local address the O-RU sends UL to
  // Where UL / DL go. Unset: learnt from the first packet the other side sends.
  std::optional<asio::ip::udp::endpoint> o_du;
  std::optional<asio::ip::udp::endpoint> o_ru;
  UdpOptions socket_options;
};

struct RelayCounters {
  std::array<std::uint64_t, 2> received{};  // by RelayDirection
  std::array<std::uint64_t, 2> forwarded{};
  std::array<std::uint64_t, 2> not_forwarded{};  // no peer known yet, or the send failed
  std::array<std::uint64_t, 2> truncated{};
  // Ethernet: of the frames received, those carrying no eCPRI message (always 0 for UDP).
  std::array<std::uint64_t, 2> non_ecpri{};
};

class UdpRelay {
 public:
  static Result<std::unique_ptr<UdpRelay>> open(asio::io_context& io, const UdpRelayConfig& config);

  asio::ip::udp::endpoint du_facing_endpoint() const { return du_socket_->local_endpoint(); }
  asio::ip::udp::endpoint ru_facing_endpoint() const { return ru_socket_->local_endpoint(); }
  TimestampSource timestamp_source() const { return du_socket_->timestamp_source(); }

  // Configure before start(). Taps are not owned and must outlive the relay's receiving.
  void add_tap(PacketTap& tap) { taps_.push_back(&tap); }
  void set_o_du(const asio::ip::udp::endpoint& endpoint) { o_du_ = endpoint; }
  void set_o_ru(const asio::ip::udp::endpoint& endpoint) { o_ru_ = endpoint; }
  // 0 (the default): forward as soon as a socket is readable. Otherwise drain both sockets
  // once per interval instead: far fewer wake-ups (each costs microseconds of CPU, more in
  // a VM) for up to one interval of added forwarding delay; receive timestamps stay the
  // kernel's. Set before start().
  void set_poll_interval(std::chrono::microseconds interval) { poll_interval_ = interval; }

  // Relays on the io_context until stop() (call stop on that thread or after it stopped).
  void start();
  void stop();

  // Safe from any thread.
  RelayCounters counters() const;

 private:
  UdpRelay(asio::io_context& io, std::unique_ptr<EcpriUdpSocket> du_socket,
           std::unique_ptr<EcpriUdpSocket> ru_socket, const UdpRelayConfig& config);
  void relay_batch(RelayDirection direction, std::span<const UdpDatagram> batch);
  void poll();

  std::unique_ptr<EcpriUdpSocket> du_socket_;
  std::unique_ptr<EcpriUdpSocket> ru_socket_;
  std::optional<asio::ip::udp::endpoint> o_du_;
  std::optional<asio::ip::udp::endpoint> o_ru_;
  std::chrono::microseconds poll_interval_{0};
  asio::steady_timer poll_timer_;
  bool stopped_ = false;
  std::vector<PacketTap*> taps_;
  std::uint64_t next_index_ = 0;
  // Scratch of the batch being relayed, kept so that relaying allocates nothing.
  std::vector<std::span<const std::uint8_t>> payloads_;
  std::vector<TappedPacket> tapped_;
  std::array<std::atomic<std::uint64_t>, 2> received_{};
  std::array<std::atomic<std::uint64_t>, 2> forwarded_{};
  std::array<std::atomic<std::uint64_t>, 2> not_forwarded_{};
  std::array<std::atomic<std::uint64_t>, 2> truncated_{};
};

}  // namespace plugfest::transport
