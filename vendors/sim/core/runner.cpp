#include "vendors/sim/core/runner.h"

#include <asio/post.hpp>

namespace plugfest::sim {

Result<std::unique_ptr<FronthaulRunner>> FronthaulRunner::start(FronthaulEngine& engine,
                                                                const Options& options) {
  std::unique_ptr<FronthaulRunner> runner(new FronthaulRunner(engine, options));
  auto socket = transport::EcpriUdpSocket::open(runner->io_, options.local, options.socket);
  if (!socket) return socket.error();
  runner->socket_ = std::move(*socket);
  FronthaulRunner* self = runner.get();
  self->socket_->start_receiving([self](std::span<const transport::UdpDatagram> batch) {
    for (const auto& datagram : batch) {
      if (!self->peer_) self->peer_ = datagram.sender;
      self->engine_.on_packet(datagram.packet.bytes, datagram.packet.timestamp, self->scratch_);
    }
    self->enqueue(self->scratch_);
    self->send_due();
    self->arm();
  });
  asio::post(self->io_, [self] { self->tick(); });
  self->thread_ = std::thread([self] { self->io_.run(); });
  return runner;
}

FronthaulRunner::FronthaulRunner(FronthaulEngine& engine, const Options& options)
    : engine_(engine), options_(options), timer_(io_), peer_(options.peer) {}

FronthaulRunner::~FronthaulRunner() { stop(); }

void FronthaulRunner::stop() {
  if (stopped_.exchange(true)) return;
  asio::post(io_, [this] {
    timer_.cancel();
    socket_->close();
    io_.stop();
  });
  if (thread_.joinable()) thread_.join();
}

void FronthaulRunner::set_peer(const asio::ip::udp::endpoint& peer) {
  asio::post(io_, [this, peer] { peer_ = peer; });
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
    if (peer_) {
      if (socket_->send_to(queue_.top().ecpri, *peer_)) {
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
