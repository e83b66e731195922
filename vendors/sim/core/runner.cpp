#include "vendors/sim/core/runner.h"

#include <asio/post.hpp>

namespace plugfest::sim {

Result<std::unique_ptr<FronthaulRunner>> FronthaulRunner::start(FronthaulEngine& engine,
                                                                const Options& options) {
  std::unique_ptr<FronthaulRunner> runner(new FronthaulRunner(engine, options));
  FronthaulRunner* self = runner.get();
  if (options.ethernet) {
    auto socket = transport::EcpriEthernetSocket::open(runner->io_, options.ethernet->socket);
    if (!socket) return socket.error();
    runner->ethernet_ = std::move(*socket);
    self->ethernet_->start_receiving([self](std::span<const transport::EthernetFrame> batch) {
      for (const auto& frame : batch) {
        // Another station's traffic on a shared segment is not ours to answer.
        if (frame.location.destination != self->ethernet_->local_mac()) continue;
        if (!self->peer_mac_) self->peer_mac_ = frame.location.source;
        self->on_received(frame.location.payload, frame.packet.timestamp);
      }
      self->enqueue(self->scratch_);
      self->send_due();
      self->arm();
    });
  } else {
    auto socket = transport::EcpriUdpSocket::open(runner->io_, options.local, options.socket);
    if (!socket) return socket.error();
    runner->socket_ = std::move(*socket);
    self->socket_->start_receiving([self](std::span<const transport::UdpDatagram> batch) {
      for (const auto& datagram : batch) {
        if (!self->peer_) self->peer_ = datagram.sender;
        self->on_received(datagram.packet.bytes, datagram.packet.timestamp);
      }
      self->enqueue(self->scratch_);
      self->send_due();
      self->arm();
    });
  }
  asio::post(self->io_, [self] { self->tick(); });
  self->thread_ = std::thread([self] { self->io_.run(); });
  return runner;
}

FronthaulRunner::FronthaulRunner(FronthaulEngine& engine, const Options& options)
    : engine_(engine),
      options_(options),
      timer_(io_),
      peer_(options.peer),
      peer_mac_(options.ethernet ? options.ethernet->peer : std::nullopt) {}

FronthaulRunner::~FronthaulRunner() { stop(); }

void FronthaulRunner::stop() {
  if (stopped_.exchange(true)) return;
  asio::post(io_, [this] {
    timer_.cancel();
    if (socket_) socket_->close();
    if (ethernet_) ethernet_->close();
    io_.stop();
  });
  if (thread_.joinable()) thread_.join();
}

void FronthaulRunner::set_peer(const asio::ip::udp::endpoint& peer) {
  asio::post(io_, [this, peer] { peer_ = peer; });
}

void FronthaulRunner::set_peer(const transport::MacAddress& peer) {
  asio::post(io_, [this, peer] { peer_mac_ = peer; });
}

void FronthaulRunner::on_received(std::span<const std::uint8_t> ecpri, transport::Timestamp at) {
  engine_.on_packet(ecpri, at, scratch_);
}

Result<void> FronthaulRunner::send(std::span<const std::uint8_t> ecpri) {
  if (ethernet_) {
    if (!peer_mac_) return Error{"no peer MAC yet", "runner"};
    return ethernet_->send_to(ecpri, *peer_mac_);
  }
  if (!peer_) return Error{"no peer yet", "runner"};
  return socket_->send_to(ecpri, *peer_);
}

void FronthaulRunner::wake() {
  asio::post(io_, [this] { tick(); });
}

void FronthaulRunner::enqueue(std::vector<Transmission>& out) {
  for (auto& t : out) queue_.push({t.at, order_++, std::move(t.ecpri)});
  out.clear();
}

void FronthaulRunner::tick() {
  send_due();  // what is due goes out before the engine spends time planning
  engine_.on_time(transport::now(), scratch_);
  enqueue(scratch_);
  send_due();
  arm();
}

void FronthaulRunner::send_due() {
  const transport::Timestamp now = transport::now();
  while (!queue_.empty() && queue_.top().at <= now) {
    if (peer_ || peer_mac_) {
      if (send(queue_.top().ecpri)) {
        ++sent_;
      } else {
        ++send_errors_;
      }
    }
    queue_.pop();
  }
}

void FronthaulRunner::arm() {
  transport::Timestamp next = transport::now() + options_.tick;
  if (!queue_.empty() && queue_.top().at < next) next = queue_.top().at;
  timer_.expires_at(std::chrono::time_point_cast<asio::system_timer::duration>(next));
  timer_.async_wait([this](asio::error_code ec) {
    if (!ec) tick();
  });
}

}  // namespace plugfest::sim
