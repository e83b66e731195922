#include "interfaces/transport/ethernet_socket.h"

#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/net_tstamp.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

#include "interfaces/transport/packet_ring.h"

#ifndef PACKET_IGNORE_OUTGOING
#define PACKET_IGNORE_OUTGOING 23
#endif

namespace plugfest::transport {
namespace {

constexpr std::size_t kEthernetHeaderBytes = 14;
constexpr std::size_t kVlanTagBytes = 4;
constexpr std::array<std::uint8_t, fronthaul::kMinimumEthernetFrame> kPadding{};
// Retired ring blocks read per wake-up before other work on the io_context gets a turn.
constexpr std::size_t kBlocksPerRead = 8;

// Asks the NIC to timestamp every received frame, unless it already does. False when it
// cannot (a veth, a NIC without a clock, no CAP_NET_ADMIN).
bool enable_hardware_timestamps(int fd, const std::string& interface) {
  hwtstamp_config config{};
  ifreq request{};
  std::strncpy(request.ifr_name, interface.c_str(), IFNAMSIZ - 1);
  request.ifr_data = reinterpret_cast<char*>(&config);
  if (::ioctl(fd, SIOCGHWTSTAMP, &request) == 0 && config.rx_filter != HWTSTAMP_FILTER_NONE) {
    return true;  // someone (ptp4l) already set it: leave their setting alone
  }
  config = {};
  config.tx_type = HWTSTAMP_TX_OFF;
  config.rx_filter = HWTSTAMP_FILTER_ALL;
  if (::ioctl(fd, SIOCSHWTSTAMP, &request) != 0) return false;
  return config.rx_filter != HWTSTAMP_FILTER_NONE;
}

bool tagged_8021q(std::span<const std::uint8_t> frame) {
  return frame.size() >= kEthernetHeaderBytes && frame[12] == 0x81 && frame[13] == 0x00;
}

}  // namespace

std::optional<int> interface_mtu(const std::string& interface) {
  if (interface.empty() || interface.size() >= IFNAMSIZ) return std::nullopt;
  const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return std::nullopt;
  ifreq request{};
  std::strncpy(request.ifr_name, interface.c_str(), IFNAMSIZ - 1);
  const bool ok = ::ioctl(fd, SIOCGIFMTU, &request) == 0;
  ::close(fd);
  if (!ok) return std::nullopt;
  return request.ifr_mtu;
}

std::string_view to_string(ReceivePath path) {
  return path == ReceivePath::kRing ? "TPACKET_V3 ring" : "recvmmsg";
}

Result<std::unique_ptr<EcpriEthernetSocket>> EcpriEthernetSocket::open(
    asio::io_context& io, const EthernetOptions& options) {
  const std::string where = "ethernet " + options.interface;
  if (options.interface.empty() || options.interface.size() >= IFNAMSIZ) {
    return Error{"interface name must have 1 to 15 characters", where};
  }
  if (options.vlan && (options.vlan->pcp > 7 || options.vlan->id > 4095)) {
    return Error{"VLAN PCP must be 0..7 and VID 0..4095", where};
  }
  if (options.batch_size == 0 || options.max_frame_bytes < kEthernetHeaderBytes) {
    return Error{"batch size must be positive and frames hold at least a header", where};
  }
  const unsigned index = ::if_nametoindex(options.interface.c_str());
  if (index == 0) {
    return Error{"no network interface named '" + options.interface + "' here", where};
  }
  // Protocol 0 until bound: a socket opened for ETH_P_ALL would take frames of every
  // interface until bind narrows it, and they would land in the ring.
  const int fd = ::socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    if (errno == EPERM || errno == EACCES) {
      return Error{"raw Ethernet on interface '" + options.interface +
                       "' needs CAP_NET_RAW (run as root or grant the capability)",
                   where};
    }
    return system_error("cannot open an AF_PACKET socket", where);
  }
  auto fail = [fd, &where](const char* what) {
    Error e = system_error(what, where);
    ::close(fd);
    return e;
  };
  ifreq request{};
  std::strncpy(request.ifr_name, options.interface.c_str(), IFNAMSIZ - 1);
  if (::ioctl(fd, SIOCGIFHWADDR, &request) != 0) return fail("cannot read the MAC address");
  MacAddress mac;
  std::memcpy(mac.data(), request.ifr_hwaddr.sa_data, mac.size());
  if (::ioctl(fd, SIOCGIFMTU, &request) != 0) return fail("cannot read the MTU");
  const auto mtu = static_cast<std::size_t>(request.ifr_mtu);
  const EthernetOptions& effective = options;
  if (options.receive_buffer_bytes > 0) {
    const int bytes = options.receive_buffer_bytes;
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof bytes);
  }
  if (options.send_buffer_bytes > 0) {
    const int bytes = options.send_buffer_bytes;
    ::setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &bytes, sizeof bytes);
  }
  const int on = 1;
  // Our own transmissions never reach the receive path (the sll_pkttype check below stays
  // for kernels without this option).
  ::setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &on, sizeof on);
  if (options.qdisc_bypass) ::setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &on, sizeof on);
  bool hardware = false;
  if (options.hardware_timestamps) {
    hardware = enable_hardware_timestamps(fd, options.interface);
    // The ring and SO_TIMESTAMPING report raw NIC time only when asked for it.
    const int wanted = SOF_TIMESTAMPING_RAW_HARDWARE | SOF_TIMESTAMPING_SOFTWARE;
    if (hardware) ::setsockopt(fd, SOL_PACKET, PACKET_TIMESTAMP, &wanted, sizeof wanted);
  }
  std::unique_ptr<PacketRing> ring;
  std::string refused = "not asked for";
  if (options.receive_ring) {
    PacketRingConfig config;
    config.block_bytes = options.ring_block_bytes;
    config.block_count = options.ring_blocks;
    config.retire_timeout_ms = options.ring_retire_ms;
    config.max_frame_bytes = effective.max_frame_bytes;
    while (config.block_bytes < config.max_frame_bytes + 256) config.block_bytes *= 2;
    auto made = PacketRing::create(fd, config);
    if (made) {
      ring = std::move(*made);
      refused.clear();
    } else {
      refused = made.error().message;
    }
  }
  if (options.promiscuous) {
    packet_mreq membership{};
    membership.mr_ifindex = static_cast<int>(index);
    membership.mr_type = PACKET_MR_PROMISC;  // undone by the kernel when the socket closes
    if (::setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &membership, sizeof membership) != 0) {
      return fail("cannot put the interface in promiscuous mode");
    }
  }
  sockaddr_ll address{};
  address.sll_family = AF_PACKET;
  address.sll_protocol = htons(ETH_P_ALL);
  address.sll_ifindex = static_cast<int>(index);
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    return fail("cannot bind to the interface");
  }
  return std::unique_ptr<EcpriEthernetSocket>(new EcpriEthernetSocket(
      io, fd, effective, mac, mtu, std::move(ring), std::move(refused), hardware));
}

EcpriEthernetSocket::EcpriEthernetSocket(asio::io_context& io, int fd,
                                         const EthernetOptions& options, const MacAddress& mac,
                                         std::size_t mtu, std::unique_ptr<PacketRing> ring,
                                         std::string ring_refused, bool hw)
    : options_(options),
      mac_(mac),
      mtu_(mtu),
      ring_(std::move(ring)),
      ring_refused_(std::move(ring_refused)),
      hardware_timestamps_(hw) {
  if (ring_) {
    ring_reactor_ = std::make_unique<asio::posix::stream_descriptor>(io);
    asio::error_code ec;
    ring_reactor_->assign(fd, ec);
  } else {
    reader_ = std::make_unique<BatchedReader>(
        io, fd,
        BatchedReader::Config{options.batch_size, options.max_frame_bytes, kVlanTagBytes,
                              options.kernel_timestamps, true});
  }
}

EcpriEthernetSocket::~EcpriEthernetSocket() { close(); }

int EcpriEthernetSocket::fd() const {
  if (ring_reactor_) return ring_reactor_->is_open() ? ring_reactor_->native_handle() : -1;
  return reader_ ? reader_->fd() : -1;
}

void EcpriEthernetSocket::close() {
  if (ring_reactor_ && ring_reactor_->is_open()) {
    asio::error_code ec;
    ring_reactor_->cancel(ec);
    ring_reactor_->close(ec);
  }
  if (reader_) reader_->close();
}

TimestampSource EcpriEthernetSocket::timestamp_source() const {
  if (hardware_timestamps_) return TimestampSource::kHardware;
  if (ring_) return TimestampSource::kKernel;
  return reader_->timestamp_source();
}

std::uint64_t EcpriEthernetSocket::kernel_drops() {
  if (ring_) return ring_->kernel_drops();
  return 0;
}

Result<void> EcpriEthernetSocket::check_fits(std::span<const std::uint8_t> frame) const {
  const std::size_t limit = mtu_ + kEthernetHeaderBytes + (tagged_8021q(frame) ? kVlanTagBytes : 0);
  if (frame.size() <= limit) return {};
  return Error{"frame of " + std::to_string(frame.size()) + " bytes does not fit the MTU " +
                   std::to_string(mtu_) + " of interface " + options_.interface + " (at most " +
                   std::to_string(limit) + " bytes" +
                   (tagged_8021q(frame) ? " with its VLAN tag)" : ")"),
               "ethernet " + options_.interface};
}

Result<void> EcpriEthernetSocket::send_to(std::span<const std::uint8_t> ecpri_message,
                                          const MacAddress& destination) {
  const std::span<const std::uint8_t> one[] = {ecpri_message};
  for (;;) {
    auto sent = send_batch(one, destination);
    if (!sent) return sent.error();
    if (*sent == 1) return {};
    // The kernel's queue is full: wait until it takes a frame again.
    pollfd pfd{fd(), POLLOUT, 0};
    if (::poll(&pfd, 1, 1000) <= 0)
      return Error{"send queue stayed full", "ethernet " + options_.interface};
  }
}

Result<std::size_t> EcpriEthernetSocket::send_batch(
    std::span<const std::span<const std::uint8_t>> ecpri_messages, const MacAddress& destination) {
  fronthaul::EthernetFraming framing;
  framing.destination = destination;
  framing.source = mac_;
  if (options_.vlan) framing.vlans.push_back(*options_.vlan);
  header_ = fronthaul::frame_ecpri_ethernet(framing, {});
  const std::size_t n = ecpri_messages.size();
  iov_.resize(3 * n);
  messages_.resize(n);
  std::size_t count = 0;
  for (; count < n; ++count) {
    const auto& message = ecpri_messages[count];
    const std::size_t length = header_.size() + message.size();
    const std::size_t pad = length < kPadding.size() ? kPadding.size() - length : 0;
    const std::size_t limit = mtu_ + kEthernetHeaderBytes + (options_.vlan ? kVlanTagBytes : 0);
    if (length > limit) {
      if (count == 0) {
        return Error{"frame of " + std::to_string(length) + " bytes does not fit the MTU " +
                         std::to_string(mtu_) + " of interface " + options_.interface +
                         " (at most " + std::to_string(limit) + " bytes)",
                     "ethernet " + options_.interface};
      }
      break;
    }
    iovec* v = &iov_[3 * count];
    v[0] = {header_.data(), header_.size()};
    v[1] = {const_cast<std::uint8_t*>(message.data()), message.size()};
    v[2] = {const_cast<std::uint8_t*>(kPadding.data()), pad};
    messages_[count].msg_hdr = {};
    messages_[count].msg_hdr.msg_iov = v;
    messages_[count].msg_hdr.msg_iovlen = pad > 0 ? 3 : 2;
  }
  return send_iov(count);
}

Result<void> EcpriEthernetSocket::send_frame(std::span<const std::uint8_t> frame) {
  const std::span<const std::uint8_t> one[] = {frame};
  for (;;) {
    auto sent = send_frames(one);
    if (!sent) return sent.error();
    if (*sent == 1) return {};
    pollfd pfd{fd(), POLLOUT, 0};
    if (::poll(&pfd, 1, 1000) <= 0)
      return Error{"send queue stayed full", "ethernet " + options_.interface};
  }
}

Result<std::size_t> EcpriEthernetSocket::send_frames(
    std::span<const std::span<const std::uint8_t>> frames) {
  const std::size_t n = frames.size();
  iov_.resize(n);
  messages_.resize(n);
  std::size_t count = 0;
  for (; count < n; ++count) {
    if (auto fits = check_fits(frames[count]); !fits) {
      if (count == 0) return fits.error();
      break;
    }
    iov_[count] = {const_cast<std::uint8_t*>(frames[count].data()), frames[count].size()};
    messages_[count].msg_hdr = {};
    messages_[count].msg_hdr.msg_iov = &iov_[count];
    messages_[count].msg_hdr.msg_iovlen = 1;
  }
  return send_iov(count);
}

Result<std::size_t> EcpriEthernetSocket::send_iov(std::size_t count) {
  std::size_t done = 0;
  while (done < count) {
    const int sent = ::sendmmsg(fd(), messages_.data() + done, static_cast<unsigned>(count - done),
                                MSG_DONTWAIT);
    if (sent > 0) {
      done += static_cast<std::size_t>(sent);
      continue;
    }
    if (sent < 0 && errno == EINTR) continue;
    if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS)) break;
    if (done > 0) break;  // report what went; the next call meets the error again
    return system_error("send failed", "ethernet " + options_.interface);
  }
  return done;
}

Result<std::span<const ReceivedPacket>> EcpriEthernetSocket::read_now() {
  raw_.clear();
  if (fd() < 0) return Error{"socket is closed", "ethernet " + options_.interface};
  if (ring_) {
    ring_->next(raw_, kBlocksPerRead);
    return std::span<const ReceivedPacket>(raw_);
  }
  auto got = reader_->read_now();
  if (!got) return got.error();
  return from_reader(*got);
}

std::span<const ReceivedPacket> EcpriEthernetSocket::from_reader(std::size_t count) {
  raw_.clear();
  for (std::size_t i = 0; i < count; ++i) {
    const auto& from = reinterpret_cast<const sockaddr_ll&>(reader_->source(i));
    if (from.sll_pkttype == PACKET_OUTGOING) continue;  // our own transmissions
    ReceivedPacket packet = reader_->packet(i);
    if (auto tag = reader_->stripped_vlan(i); tag && packet.bytes.size() >= 12) {
      // Put back the 802.1Q tag the kernel moved into metadata, in the headroom.
      std::uint8_t* start = reader_->buffer(i);
      std::memmove(start, packet.bytes.data(), 12);
      start[12] = static_cast<std::uint8_t>(tag->first >> 8);
      start[13] = static_cast<std::uint8_t>(tag->first & 0xff);
      start[14] = static_cast<std::uint8_t>(tag->second >> 8);
      start[15] = static_cast<std::uint8_t>(tag->second & 0xff);
      packet.bytes = {start, packet.bytes.size() + kVlanTagBytes};
      if (packet.bytes.size() > options_.max_frame_bytes) {
        packet.bytes = packet.bytes.first(options_.max_frame_bytes);
        packet.truncated = true;
      }
    }
    raw_.push_back(packet);
  }
  return std::span<const ReceivedPacket>(raw_);
}

Result<std::span<const ReceivedPacket>> EcpriEthernetSocket::receive_frames(
    std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto got = read_now();
    if (!got || !got->empty()) return got;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return got;
    pollfd pfd{fd(), POLLIN, 0};
    // Wake up at least every ring retire period: a block the kernel retired while we
    // looked does not always wake a poll that started after it.
    const int wait = static_cast<int>(std::min<long>(left.count(), ring_ ? 10 : left.count()));
    if (::poll(&pfd, 1, wait) < 0 && errno != EINTR) {
      return system_error("poll failed", "ethernet " + options_.interface);
    }
    // The ring path makes no socket call that would fail: an interface going down shows
    // as a pending socket error (ENETDOWN) instead.
    if ((pfd.revents & (POLLERR | POLLHUP | POLLNVAL)) != 0) {
      if (auto pending = pending_error(); !pending) return pending.error();
    }
  }
}

Result<void> EcpriEthernetSocket::pending_error() const {
  int error = 0;
  socklen_t length = sizeof error;
  if (fd() < 0) return Error{"socket is closed", "ethernet " + options_.interface};
  if (::getsockopt(fd(), SOL_SOCKET, SO_ERROR, &error, &length) != 0 || error == 0) return {};
  return Error{"interface " + options_.interface + ": " + std::strerror(error),
               "ethernet " + options_.interface};
}

std::span<const EthernetFrame> EcpriEthernetSocket::collect(std::span<const ReceivedPacket> raw) {
  if (frames_.size() < raw.size()) frames_.resize(raw.size());
  std::size_t kept = 0;
  for (const ReceivedPacket& packet : raw) {
    auto location = fronthaul::locate_ecpri(packet.bytes);
    if (!location || location->transport != fronthaul::EcpriTransport::kEthernet) {
      ++ignored_;
      continue;
    }
    EthernetFrame& frame = frames_[kept++];
    frame.packet = packet;
    frame.location = std::move(*location);
  }
  return {frames_.data(), kept};
}

Result<std::span<const EthernetFrame>> EcpriEthernetSocket::receive(
    std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    auto got = receive_frames(std::max(left, std::chrono::milliseconds(0)));
    if (!got) return got.error();
    auto frames = collect(*got);
    // Only other traffic arrived (IPv6 neighbour discovery): keep waiting.
    if (!frames.empty() || got->empty()) return frames;
  }
}

void EcpriEthernetSocket::start_receiving(BatchHandler on_batch, ErrorHandler on_error) {
  start_receiving_frames(
      [this, handler = std::move(on_batch)](std::span<const ReceivedPacket> raw) {
        auto frames = collect(raw);
        if (!frames.empty()) handler(frames);
      },
      std::move(on_error));
}

void EcpriEthernetSocket::start_receiving_frames(FrameBatchHandler on_batch,
                                                 ErrorHandler on_error) {
  on_frames_ = std::move(on_batch);
  on_error_ = std::move(on_error);
  if (!ring_) {
    reader_->start(
        [this](std::size_t count) {
          auto raw = from_reader(count);
          if (!raw.empty() && on_frames_) on_frames_(raw);
        },
        on_error_);
    return;
  }
  arm_ring();
}

void EcpriEthernetSocket::arm_ring() {
  if (fd() < 0) return;
  ring_reactor_->async_wait(asio::posix::stream_descriptor::wait_read, [this](asio::error_code ec) {
    if (ec || fd() < 0) return;
    for (int round = 0; round < 8; ++round) {
      auto got = read_now();
      if (!got) {
        if (on_error_) on_error_(got.error());
        return;
      }
      if (got->empty()) {
        // Woken with nothing to read: a socket error (the interface went down) ends the
        // receiving.
        if (auto pending = pending_error(); !pending) {
          if (on_error_) on_error_(pending.error());
          return;
        }
        break;
      }
      if (on_frames_) on_frames_(*got);
      if (fd() < 0) return;
    }
    ring_->release();
    arm_ring();
  });
}

}  // namespace plugfest::transport
