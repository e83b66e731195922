#include "interfaces/transport/relay.h"

namespace plugfest::transport {

std::string_view to_string(RelayDirection direction) {
  return direction == RelayDirection::kDownlink ? "downlink" : "uplink";
}

Result<std::unique_ptr<UdpRelay>> UdpRelay::open(asio::io_context& io,
                                                 const UdpRelayConfig& config) {
  auto du = EcpriUdpSocket::open(io, config.du_facing, config.socket_options);
  if (!du) return Error{"O-DU-facing socket: " + du.error().message, du.error().where};
  auto ru = EcpriUdpSocket::open(io, config.ru_facing, config.socket_options);
  if (!ru) return Error{"O-RU-facing socket: " + ru.error().message, ru.error().where};
  return std::unique_ptr<UdpRelay>(new UdpRelay(io, std::move(*du), std::move(*ru), config));
}

UdpRelay::UdpRelay(asio::io_context& io, std::unique_ptr<EcpriUdpSocket> du_socket,
                   std::unique_ptr<EcpriUdpSocket> ru_socket, const UdpRelayConfig& config)
    : du_socket_(std::move(du_socket)),
      ru_socket_(std::move(ru_socket)),
      o_du_(config.o_du),
      o_ru_(config.o_ru),
      poll_timer_(io) {}

void UdpRelay::poll() {
  // Bounded, so that a flood cannot starve the timer's other users of the io_context.
  for (int round = 0; round < 64 && !stopped_; ++round) {
    bool any = false;
    auto down = du_socket_->receive(std::chrono::milliseconds(0));
    if (down && !down->empty()) {
      relay_batch(RelayDirection::kDownlink, *down);
      any = true;
    }
    auto up = ru_socket_->receive(std::chrono::milliseconds(0));
    if (up && !up->empty()) {
      relay_batch(RelayDirection::kUplink, *up);
      any = true;
    }
    if (!any) break;
  }
  if (stopped_) return;
  poll_timer_.expires_after(poll_interval_);
  poll_timer_.async_wait([this](asio::error_code ec) {
    if (!ec) poll();
  });
}

void UdpRelay::start() {
  if (poll_interval_.count() > 0) {
    poll();
    return;
  }
  du_socket_->start_receiving([this](std::span<const UdpDatagram> batch) {
    relay_batch(RelayDirection::kDownlink, batch);
  });
  ru_socket_->start_receiving(
      [this](std::span<const UdpDatagram> batch) { relay_batch(RelayDirection::kUplink, batch); });
}

void UdpRelay::stop() {
  stopped_ = true;
  poll_timer_.cancel();
  du_socket_->close();
  ru_socket_->close();
}

void UdpRelay::relay_batch(RelayDirection direction, std::span<const UdpDatagram> batch) {
  const bool down = direction == RelayDirection::kDownlink;
  std::optional<asio::ip::udp::endpoint>& sender_side = down ? o_du_ : o_ru_;
  std::optional<asio::ip::udp::endpoint>& receiver_side = down ? o_ru_ : o_du_;
  EcpriUdpSocket& out = down ? *ru_socket_ : *du_socket_;
  const auto d = static_cast<std::size_t>(direction);
  const std::size_t n = batch.size();
  if (!sender_side && n > 0) sender_side = batch[0].sender;
  if (tapped_.size() < n) tapped_.resize(n);
  if (payloads_.size() < n) payloads_.resize(n);
  std::uint64_t cut = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const UdpDatagram& datagram = batch[i];
    payloads_[i] = datagram.packet.bytes;
    TappedPacket& tapped = tapped_[i];
    tapped.direction = direction;
    tapped.ecpri = datagram.packet.bytes;
    tapped.timestamp = datagram.packet.timestamp;
    tapped.timestamp_source = datagram.packet.timestamp_source;
    tapped.source = datagram.sender;
    tapped.destination = receiver_side.value_or(asio::ip::udp::endpoint{});
    tapped.index = next_index_++;
    tapped.truncated = datagram.packet.truncated;
    tapped.forwarded = false;
    cut += datagram.packet.truncated ? 1 : 0;
  }
  // Forward the whole batch first, with as few system calls as the kernel allows, so taps
  // never delay a packet already received. A datagram the kernel refuses is skipped.
  std::uint64_t ok = 0;
  if (receiver_side) {
    for (std::size_t next = 0; next < n;) {
      auto sent = out.send_batch(std::span(payloads_).subspan(next, n - next), *receiver_side);
      if (!sent || *sent == 0) {
        ++next;
        continue;
      }
      for (std::size_t i = next; i < next + *sent; ++i) tapped_[i].forwarded = true;
      next += *sent;
      ok += *sent;
    }
  }
  const std::span<const TappedPacket> tapped(tapped_.data(), n);
  for (PacketTap* tap : taps_) tap->on_batch(tapped);
  received_[d] += n;
  forwarded_[d] += ok;
  not_forwarded_[d] += n - ok;
  truncated_[d] += cut;
}

RelayCounters UdpRelay::counters() const {
  RelayCounters c;
  for (std::size_t d = 0; d < 2; ++d) {
    c.received[d] = received_[d].load();
    c.forwarded[d] = forwarded_[d].load();
    c.not_forwarded[d] = not_forwarded_[d].load();
    c.truncated[d] = truncated_[d].load();
  }
  return c;
}

}  // namespace plugfest::transport
