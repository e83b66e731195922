#include "interfaces/transport/l2/ethernet_relay.h"

#include "interfaces/transport/l2/frame_checks.h"

namespace plugfest::transport {
namespace {

EthernetOptions side_options(const EthernetOptions& base, const std::string& interface) {
  EthernetOptions options = base;
  options.interface = interface;
  options.vlan.reset();        // frames go out exactly as they came
  options.promiscuous = true;  // they are addressed to the far end, not to us
  return options;
}

}  // namespace

void deliver_to_taps(std::span<PacketTap* const> taps, std::span<const TappedPacket> tapped) {
  for (std::size_t i = 0; i < tapped.size();) {
    std::size_t j = i + 1;
    while (j < tapped.size() && tapped[j].is_ecpri == tapped[i].is_ecpri) ++j;
    const auto run = tapped.subspan(i, j - i);
    for (PacketTap* tap : taps) {
      if (tapped[i].is_ecpri) {
        tap->on_batch(run);
      } else {
        tap->on_other_frames(run);
      }
    }
    i = j;
  }
}

Result<std::unique_ptr<EthernetRelay>> EthernetRelay::open(asio::io_context& io,
                                                           const EthernetRelayConfig& config) {
  if (config.du_interface == config.ru_interface) {
    return Error{"the O-DU and O-RU sides must be two interfaces", "relay " + config.du_interface};
  }
  auto du = EcpriEthernetSocket::open(io, side_options(config.socket_options, config.du_interface));
  if (!du) return Error{"O-DU side: " + du.error().message, du.error().where};
  auto ru = EcpriEthernetSocket::open(io, side_options(config.socket_options, config.ru_interface));
  if (!ru) return Error{"O-RU side: " + ru.error().message, ru.error().where};
  return std::unique_ptr<EthernetRelay>(new EthernetRelay(std::move(*du), std::move(*ru)));
}

void EthernetRelay::start() {
  du_socket_->start_receiving_frames([this](std::span<const ReceivedPacket> frames) {
    relay_batch(RelayDirection::kDownlink, frames);
  });
  ru_socket_->start_receiving_frames([this](std::span<const ReceivedPacket> frames) {
    relay_batch(RelayDirection::kUplink, frames);
  });
}

void EthernetRelay::stop() {
  du_socket_->close();
  ru_socket_->close();
}

void EthernetRelay::relay_batch(RelayDirection direction, std::span<const ReceivedPacket> frames) {
  const bool down = direction == RelayDirection::kDownlink;
  EcpriEthernetSocket& out = down ? *ru_socket_ : *du_socket_;
  const auto d = static_cast<std::size_t>(direction);
  const std::size_t n = frames.size();
  if (spans_.size() < n) spans_.resize(n);
  if (tapped_.size() < n) tapped_.resize(n);
  std::uint64_t cut = 0;
  for (std::size_t i = 0; i < n; ++i) {
    spans_[i] = frames[i].bytes;
    cut += frames[i].truncated ? 1 : 0;
  }
  // Forward first, so taps never delay a frame; a frame the kernel refuses (too big for the
  // other side's MTU, or cut short on receive) is skipped.
  sent_.assign(n, 0);
  std::vector<std::uint8_t>& sent = sent_;
  std::uint64_t ok = 0;
  for (std::size_t next = 0; next < n;) {
    if (frames[next].truncated) {
      ++next;
      continue;
    }
    std::size_t end = next;
    while (end < n && !frames[end].truncated) ++end;
    auto went = out.send_frames(std::span(spans_).subspan(next, end - next));
    if (!went || *went == 0) {
      ++next;
      continue;
    }
    for (std::size_t i = next; i < next + *went; ++i) sent[i] = 1;
    next += *went;
    ok += *went;
  }
  std::uint64_t others = 0;
  for (std::size_t i = 0; i < n; ++i) {
    TappedPacket& t = tapped_[i];
    t = TappedPacket{};
    t.direction = direction;
    t.timestamp = frames[i].timestamp;
    t.timestamp_source = frames[i].timestamp_source;
    t.index = next_index_++;
    t.truncated = frames[i].truncated;
    t.forwarded = sent[i] != 0;
    describe_frame(frames[i].bytes, t);
    others += t.is_ecpri ? 0 : 1;
  }
  deliver_to_taps(taps_, std::span<const TappedPacket>(tapped_.data(), n));
  received_[d] += n;
  forwarded_[d] += ok;
  not_forwarded_[d] += n - ok;
  truncated_[d] += cut;
  non_ecpri_[d] += others;
}

RelayCounters EthernetRelay::counters() const {
  RelayCounters c;
  for (std::size_t d = 0; d < 2; ++d) {
    c.received[d] = received_[d].load();
    c.forwarded[d] = forwarded_[d].load();
    c.not_forwarded[d] = not_forwarded_[d].load();
    c.truncated[d] = truncated_[d].load();
    c.non_ecpri[d] = non_ecpri_[d].load();
  }
  return c;
}

Result<std::unique_ptr<EthernetMonitor>> EthernetMonitor::open(
    asio::io_context& io, const EthernetMonitorConfig& config) {
  if (config.o_du == config.o_ru) {
    return Error{"the O-DU and O-RU MACs must differ to tell the directions apart",
                 "monitor " + config.interface};
  }
  auto socket =
      EcpriEthernetSocket::open(io, side_options(config.socket_options, config.interface));
  if (!socket) return socket.error();
  return std::unique_ptr<EthernetMonitor>(new EthernetMonitor(std::move(*socket), config));
}

void EthernetMonitor::start() {
  socket_->start_receiving_frames(
      [this](std::span<const ReceivedPacket> frames) { observe(frames); });
}

void EthernetMonitor::stop() { socket_->close(); }

void EthernetMonitor::observe(std::span<const ReceivedPacket> frames) {
  const std::size_t n = frames.size();
  if (tapped_.size() < n) tapped_.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    TappedPacket& t = tapped_[i];
    t = TappedPacket{};
    t.timestamp = frames[i].timestamp;
    t.timestamp_source = frames[i].timestamp_source;
    t.index = next_index_++;
    t.truncated = frames[i].truncated;
    describe_frame(frames[i].bytes, t);
    const bool down = t.source_mac == o_du_ || t.destination_mac == o_ru_;
    const bool up = t.source_mac == o_ru_ || t.destination_mac == o_du_;
    if (down == up) {
      // Neither end's (or both): no direction to validate it in, only frame checks.
      ++unclassified_;
      t.is_ecpri = false;
      continue;
    }
    t.direction = down ? RelayDirection::kDownlink : RelayDirection::kUplink;
    const auto d = static_cast<std::size_t>(t.direction);
    ++received_[d];
    if (t.truncated) ++truncated_[d];
    if (!t.is_ecpri) ++non_ecpri_[d];
  }
  deliver_to_taps(taps_, std::span<const TappedPacket>(tapped_.data(), n));
}

RelayCounters EthernetMonitor::counters() const {
  RelayCounters c;
  for (std::size_t d = 0; d < 2; ++d) {
    c.received[d] = received_[d].load();
    c.truncated[d] = truncated_[d].load();
    c.non_ecpri[d] = non_ecpri_[d].load();
  }
  return c;
}

}  // namespace plugfest::transport
