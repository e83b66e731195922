#pragma once
// Puts a fronthaul engine on a real socket, eCPRI over UDP or directly over Ethernet: feeds
// it every received packet with its timestamp, lets it plan on a timer, and sends its
// transmissions when they are due. The engine is the same either way.

#include <asio/io_context.hpp>
#include <asio/ip/udp.hpp>
#include <asio/system_timer.hpp>
#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <queue>
#include <thread>

#include "interfaces/transport/ethernet_socket.h"
#include "interfaces/transport/udp_socket.h"
#include "vendors/sim/core/engine.h"

namespace plugfest::sim {

class FronthaulRunner {
 public:
  struct Options {
    asio::ip::udp::endpoint local;
    std::optional<asio::ip::udp::endpoint> peer;  // unset: the sender of the first packet
    std::chrono::nanoseconds tick{std::chrono::microseconds(250)};
    transport::UdpOptions socket;
    // Set: eCPRI over Ethernet on ethernet->socket.interface instead (local, peer and
    // socket above unused). Frames go to the peer's MAC with the socket's VLAN tag; only
    // frames addressed to this interface's MAC are taken.
    struct Ethernet {
      transport::EthernetOptions socket;
      std::optional<transport::MacAddress> peer;  // unset: the source of the first frame
    };
    std::optional<Ethernet> ethernet;
  };

  static Result<std::unique_ptr<FronthaulRunner>> start(FronthaulEngine& engine,
                                                        const Options& options);
  ~FronthaulRunner();
  FronthaulRunner(const FronthaulRunner&) = delete;
  FronthaulRunner& operator=(const FronthaulRunner&) = delete;

  bool over_ethernet() const { return ethernet_ != nullptr; }
  // UDP: the bound address. Ethernet: the interface's MAC.
  asio::ip::udp::endpoint local_endpoint() const { return socket_->local_endpoint(); }
  const transport::MacAddress& local_mac() const { return ethernet_->local_mac(); }
  void set_peer(const asio::ip::udp::endpoint& peer);
  void set_peer(const transport::MacAddress& peer);
  // Runs a planning pass now (after the engine was given something to do).
  void wake();
  void stop();

  std::uint64_t sent() const { return sent_; }
  std::uint64_t send_errors() const { return send_errors_; }

 private:
  struct Queued {
    transport::Timestamp at;
    std::uint64_t order;
    std::vector<std::uint8_t> ecpri;
    bool operator>(const Queued& other) const {
      return at != other.at ? at > other.at : order > other.order;
    }
  };

  FronthaulRunner(FronthaulEngine& engine, const Options& options);
  void enqueue(std::vector<Transmission>& out);
  void tick();
  void send_due();
  void arm();
  void on_received(std::span<const std::uint8_t> ecpri, transport::Timestamp at);
  Result<void> send(std::span<const std::uint8_t> ecpri);

  FronthaulEngine& engine_;
  Options options_;
  asio::io_context io_;
  std::unique_ptr<transport::EcpriUdpSocket> socket_;        // UDP, or
  std::unique_ptr<transport::EcpriEthernetSocket> ethernet_;  // Ethernet
  asio::system_timer timer_;
  std::thread thread_;
  std::optional<asio::ip::udp::endpoint> peer_;  // io thread only
  std::optional<transport::MacAddress> peer_mac_;  // io thread only
  std::priority_queue<Queued, std::vector<Queued>, std::greater<>> queue_;
  std::uint64_t order_ = 0;
  std::vector<Transmission> scratch_;
  std::atomic<std::uint64_t> sent_{0};
  std::atomic<std::uint64_t> send_errors_{0};
  std::atomic<bool> stopped_{false};
};

}  // namespace plugfest::sim
