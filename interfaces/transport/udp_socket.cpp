#include "interfaces/transport/udp_socket.h"

#include <netinet/in.h>
#include <netinet/udp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace plugfest::transport {

Result<asio::ip::udp::endpoint> make_udp_endpoint(std::string_view host, std::uint16_t port) {
  std::string text(host);
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') {
    text = text.substr(1, text.size() - 2);
  }
  asio::error_code ec;
  const auto address = asio::ip::make_address(text, ec);
  if (ec) {
    return Error{"'" + std::string(host) + "' is not an IPv4 or IPv6 address", "udp endpoint"};
  }
  return asio::ip::udp::endpoint(address, port);
}

Result<std::unique_ptr<EcpriUdpSocket>> EcpriUdpSocket::open(asio::io_context& io,
                                                             const asio::ip::udp::endpoint& local,
                                                             const UdpOptions& options) {
  const std::string where =
      "udp " + local.address().to_string() + ":" + std::to_string(local.port());
  if (options.batch_size == 0 || options.max_datagram_bytes == 0) {
    return Error{"batch size and datagram size must be positive", where};
  }
  const int family = local.address().is_v6() ? AF_INET6 : AF_INET;
  const int fd = ::socket(family, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_UDP);
  if (fd < 0) return system_error("cannot create socket", where);
  auto fail = [fd, &where](const char* what) {
    Error e = system_error(what, where);
    ::close(fd);
    return e;
  };
  if (family == AF_INET6) {
    const int only = 1;  // "::" means IPv6 only; v4 traffic uses its own socket
    ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &only, sizeof only);
  }
  auto set_buffer = [fd](int force_opt, int opt, int bytes) {
    if (bytes <= 0) return;
    if (::setsockopt(fd, SOL_SOCKET, force_opt, &bytes, sizeof bytes) != 0) {
      ::setsockopt(fd, SOL_SOCKET, opt, &bytes, sizeof bytes);  // capped by rmem_max unprivileged
    }
  };
  set_buffer(SO_RCVBUFFORCE, SO_RCVBUF, options.receive_buffer_bytes);
  set_buffer(SO_SNDBUFFORCE, SO_SNDBUF, options.send_buffer_bytes);
  if (::bind(fd, local.data(), static_cast<socklen_t>(local.size())) != 0) {
    return fail("cannot bind");
  }
  asio::ip::udp::endpoint bound = local;
  socklen_t length = static_cast<socklen_t>(bound.capacity());
  if (::getsockname(fd, bound.data(), &length) != 0) return fail("getsockname failed");
  bound.resize(length);
  return std::unique_ptr<EcpriUdpSocket>(new EcpriUdpSocket(io, fd, options, bound));
}

EcpriUdpSocket::EcpriUdpSocket(asio::io_context& io, int fd, const UdpOptions& options,
                               asio::ip::udp::endpoint local)
    : reader_(io, fd,
              BatchedReader::Config{options.batch_size, options.max_datagram_bytes, 0,
                                    options.kernel_timestamps, false}),
      local_(std::move(local)),
      datagrams_(options.batch_size),
      segmentation_offload_(options.segmentation_offload) {}

namespace {
int socket_option(int fd, int option) {
  int value = 0;
  socklen_t length = sizeof value;
  if (::getsockopt(fd, SOL_SOCKET, option, &value, &length) != 0) return 0;
  return value;
}
}  // namespace

int EcpriUdpSocket::receive_buffer_bytes() const { return socket_option(reader_.fd(), SO_RCVBUF); }
int EcpriUdpSocket::send_buffer_bytes() const { return socket_option(reader_.fd(), SO_SNDBUF); }

Result<void> EcpriUdpSocket::send_to(std::span<const std::uint8_t> datagram,
                                     const asio::ip::udp::endpoint& destination) {
  for (;;) {
    const ssize_t sent = ::sendto(reader_.fd(), datagram.data(), datagram.size(), 0,
                                  destination.data(), static_cast<socklen_t>(destination.size()));
    if (sent >= 0) return {};
    if (errno == EINTR) continue;
    return system_error("sendto failed", "udp to " + destination.address().to_string() + ":" +
                                             std::to_string(destination.port()));
  }
}

Result<std::size_t> EcpriUdpSocket::send_batch(
    std::span<const std::span<const std::uint8_t>> datagrams,
    const asio::ip::udp::endpoint& destination) {
  if (segmentation_offload_ && datagrams.size() > 1) {
    auto sent = send_segmented(datagrams, destination);
    if (sent || segmentation_offload_) return sent;
  }
  if (send_iov_.size() < datagrams.size()) {
    send_iov_.resize(datagrams.size());
    send_messages_.resize(datagrams.size());
  }
  std::span<iovec> iov(send_iov_.data(), datagrams.size());
  std::span<mmsghdr> messages(send_messages_.data(), datagrams.size());
  for (std::size_t i = 0; i < datagrams.size(); ++i) {
    iov[i] = {const_cast<std::uint8_t*>(datagrams[i].data()), datagrams[i].size()};
    msghdr& h = messages[i].msg_hdr;
    h = {};
    h.msg_name = const_cast<sockaddr*>(destination.data());
    h.msg_namelen = static_cast<socklen_t>(destination.size());
    h.msg_iov = &iov[i];
    h.msg_iovlen = 1;
  }
  std::size_t done = 0;
  while (done < messages.size()) {
    const int sent = ::sendmmsg(reader_.fd(), messages.data() + done,
                                static_cast<unsigned>(messages.size() - done), 0);
    if (sent > 0) {
      done += static_cast<std::size_t>(sent);
      continue;
    }
    if (sent < 0 && errno == EINTR) continue;
    if (done > 0) break;
    return system_error("sendmmsg failed", "udp to " + destination.address().to_string() + ":" +
                                               std::to_string(destination.port()));
  }
  return done;
}

Result<std::size_t> EcpriUdpSocket::send_segmented(
    std::span<const std::span<const std::uint8_t>> datagrams,
    const asio::ip::udp::endpoint& destination) {
  // Linux limits: 64 segments per send (UDP_MAX_SEGMENTS in older kernels), and the whole
  // run must fit one IP packet.
  constexpr std::size_t kMaxSegments = 64;
  constexpr std::size_t kMaxRunBytes = 65000;
  constexpr std::size_t kControl = CMSG_SPACE(sizeof(std::uint16_t));
  const std::size_t n = datagrams.size();
  if (send_iov_.size() < n) {
    send_iov_.resize(n);
    send_messages_.resize(n);
    send_group_sizes_.resize(n);
    send_control_.resize(n * kControl);
  }
  std::size_t groups = 0;
  for (std::size_t i = 0; i < n;) {
    const std::size_t size = datagrams[i].size();
    std::size_t j = i;
    while (j < n && j - i < kMaxSegments && datagrams[j].size() == size &&
           (j - i + 1) * size <= kMaxRunBytes && size > 0) {
      ++j;
    }
    if (j == i) j = i + 1;  // an empty or oversize datagram goes alone
    for (std::size_t k = i; k < j; ++k) {
      send_iov_[k] = {const_cast<std::uint8_t*>(datagrams[k].data()), datagrams[k].size()};
    }
    msghdr& h = send_messages_[groups].msg_hdr;
    h = {};
    h.msg_name = const_cast<sockaddr*>(destination.data());
    h.msg_namelen = static_cast<socklen_t>(destination.size());
    h.msg_iov = &send_iov_[i];
    h.msg_iovlen = j - i;
    if (j - i > 1) {
      h.msg_control = send_control_.data() + groups * kControl;
      h.msg_controllen = kControl;
      cmsghdr* c = CMSG_FIRSTHDR(&h);
      c->cmsg_level = SOL_UDP;
      c->cmsg_type = UDP_SEGMENT;
      c->cmsg_len = CMSG_LEN(sizeof(std::uint16_t));
      const auto segment = static_cast<std::uint16_t>(size);
      std::memcpy(CMSG_DATA(c), &segment, sizeof segment);
    }
    send_group_sizes_[groups++] = j - i;
    i = j;
  }
  std::size_t done_groups = 0;
  std::size_t done = 0;
  while (done_groups < groups) {
    const int sent = ::sendmmsg(reader_.fd(), send_messages_.data() + done_groups,
                                static_cast<unsigned>(groups - done_groups), 0);
    if (sent > 0) {
      for (int g = 0; g < sent; ++g) done += send_group_sizes_[done_groups++];
      continue;
    }
    if (sent < 0 && errno == EINTR) continue;
    if (done > 0) break;
    if (errno == EINVAL || errno == EIO || errno == ENOPROTOOPT || errno == EOPNOTSUPP) {
      segmentation_offload_ = false;  // the caller retries with plain sends
    }
    return system_error(
        "sendmmsg with UDP_SEGMENT failed",
        "udp to " + destination.address().to_string() + ":" + std::to_string(destination.port()));
  }
  return done;
}

std::span<const UdpDatagram> EcpriUdpSocket::collect(std::size_t count) {
  for (std::size_t i = 0; i < count; ++i) {
    datagrams_[i].packet = reader_.packet(i);
    asio::ip::udp::endpoint& sender = datagrams_[i].sender;
    const socklen_t length = reader_.source_length(i);
    if (length > 0 && length <= sender.capacity()) {
      std::memcpy(sender.data(), &reader_.source(i), length);
      sender.resize(length);
    }
  }
  return {datagrams_.data(), count};
}

Result<std::span<const UdpDatagram>> EcpriUdpSocket::receive(std::chrono::milliseconds timeout) {
  auto got = reader_.read_wait(timeout);
  if (!got) return got.error();
  return collect(*got);
}

void EcpriUdpSocket::start_receiving(BatchHandler on_batch, ErrorHandler on_error) {
  reader_.start(
      [this, handler = std::move(on_batch)](std::size_t count) { handler(collect(count)); },
      std::move(on_error));
}

}  // namespace plugfest::transport
