#pragma once
// An L2 relay between an O-DU and an O-RU on two interfaces of the harness (one cabled to
// each): every frame one side sends is forwarded unchanged out of the other (every
// ethertype, so PTP, ARP and the M-plane's IP cross too) and then handed to the taps: eCPRI
// frames to on_batch, the others to on_other_frames, both as the whole frame with its
// addresses and VLAN tag. Frames from the O-DU side are downlink.
//
// Also the passive variant (EthernetMonitor): one interface on a mirror port or a passive
// tap carrying both directions, never sending; the direction comes from the MACs.

#include <array>
#include <asio/io_context.hpp>
#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "interfaces/common/result.h"
#include "interfaces/transport/ethernet_socket.h"
#include "interfaces/transport/relay.h"

namespace plugfest::transport {

struct EthernetRelayConfig {
  std::string du_interface;  // cabled to the O-DU
  std::string ru_interface;  // cabled to the O-RU
  // For both sockets (interface, VLAN and promiscuity are the relay's to set; qdisc_bypass
  // saves CPU where no tc rule must see the forwarded frames).
  EthernetOptions socket_options;
};

class EthernetRelay {
 public:
  static Result<std::unique_ptr<EthernetRelay>> open(asio::io_context& io,
                                                     const EthernetRelayConfig& config);

  // Configure before start(). Taps are not owned and must outlive the relay's receiving.
  void add_tap(PacketTap& tap) { taps_.push_back(&tap); }
  void start();
  // Call on the io_context's thread, or after it stopped.
  void stop();
  // Safe from any thread.
  RelayCounters counters() const;

  TimestampSource timestamp_source() const { return du_socket_->timestamp_source(); }
  ReceivePath receive_path() const { return du_socket_->receive_path(); }
  EcpriEthernetSocket& du_side() { return *du_socket_; }
  EcpriEthernetSocket& ru_side() { return *ru_socket_; }

 private:
  EthernetRelay(std::unique_ptr<EcpriEthernetSocket> du, std::unique_ptr<EcpriEthernetSocket> ru)
      : du_socket_(std::move(du)), ru_socket_(std::move(ru)) {}
  void relay_batch(RelayDirection direction, std::span<const ReceivedPacket> frames);

  std::unique_ptr<EcpriEthernetSocket> du_socket_;
  std::unique_ptr<EcpriEthernetSocket> ru_socket_;
  std::vector<PacketTap*> taps_;
  std::uint64_t next_index_ = 0;
  // Scratch of the batch being relayed, kept so that relaying allocates nothing.
  std::vector<std::span<const std::uint8_t>> spans_;
  std::vector<std::uint8_t> sent_;
  std::vector<TappedPacket> tapped_;
  std::array<std::atomic<std::uint64_t>, 2> received_{};
  std::array<std::atomic<std::uint64_t>, 2> forwarded_{};
  std::array<std::atomic<std::uint64_t>, 2> not_forwarded_{};
  std::array<std::atomic<std::uint64_t>, 2> truncated_{};
  std::array<std::atomic<std::uint64_t>, 2> non_ecpri_{};
};

struct EthernetMonitorConfig {
  std::string interface;  // a mirror port or passive tap seeing both directions
  MacAddress o_du{};      // O-DU MAC -> O-RU MAC is downlink
  MacAddress o_ru{};
  EthernetOptions socket_options;
};

class EthernetMonitor {
 public:
  static Result<std::unique_ptr<EthernetMonitor>> open(asio::io_context& io,
                                                       const EthernetMonitorConfig& config);

  void add_tap(PacketTap& tap) { taps_.push_back(&tap); }
  void start();
  void stop();
  // received and non_ecpri by direction; forwarded stays 0 (a monitor never sends).
  RelayCounters counters() const;
  // Frames neither from nor to the O-DU or O-RU: handed to on_other_frames only.
  std::uint64_t unclassified() const { return unclassified_.load(); }

  TimestampSource timestamp_source() const { return socket_->timestamp_source(); }
  ReceivePath receive_path() const { return socket_->receive_path(); }

 private:
  EthernetMonitor(std::unique_ptr<EcpriEthernetSocket> socket, const EthernetMonitorConfig& c)
      : socket_(std::move(socket)), o_du_(c.o_du), o_ru_(c.o_ru) {}
  void observe(std::span<const ReceivedPacket> frames);

  std::unique_ptr<EcpriEthernetSocket> socket_;
  MacAddress o_du_;
  MacAddress o_ru_;
  std::vector<PacketTap*> taps_;
  std::uint64_t next_index_ = 0;
  std::vector<TappedPacket> tapped_;
  std::array<std::atomic<std::uint64_t>, 2> received_{};
  std::array<std::atomic<std::uint64_t>, 2> truncated_{};
  std::array<std::atomic<std::uint64_t>, 2> non_ecpri_{};
  std::atomic<std::uint64_t> unclassified_{0};
};

// Hands tapped[0..n) to the taps: runs of eCPRI frames to on_batch, of others to
// on_other_frames, in order.
void deliver_to_taps(std::span<PacketTap* const> taps, std::span<const TappedPacket> tapped);

}  // namespace plugfest::transport
