#include "interfaces/transport/batched_reader.h"

#include <linux/if_packet.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

namespace plugfest::transport {
namespace {

constexpr std::size_t kControlBytes = 128;

Timestamp from_timespec(const timespec& ts) {
  return Timestamp(std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec));
}

}  // namespace

Error system_error(std::string what, std::string where) {
  return Error{std::move(what) + ": " + std::strerror(errno), std::move(where)};
}

BatchedReader::BatchedReader(asio::io_context& io, int fd, const Config& config)
    : config_(config),
      fd_(fd),
      reactor_(io),
      slot_bytes_(config.headroom + config.max_packet_bytes),
      storage_(config.batch_size * slot_bytes_),
      control_(config.batch_size * kControlBytes),
      packets_(config.batch_size),
      sources_(config.batch_size),
      source_lengths_(config.batch_size),
      stripped_vlan_(config.batch_size),
      iov_(config.batch_size),
      messages_(config.batch_size) {
  for (std::size_t i = 0; i < config_.batch_size; ++i) {
    iov_[i] = {buffer(i) + config_.headroom, config_.max_packet_bytes};
    msghdr& h = messages_[i].msg_hdr;
    h = {};
    h.msg_name = &sources_[i];
    h.msg_iov = &iov_[i];
    h.msg_iovlen = 1;
    h.msg_control = control_.data() + i * kControlBytes;
  }
  if (config_.kernel_timestamps) {
    const int on = 1;
    kernel_timestamps_ = ::setsockopt(fd_, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on) == 0;
  }
  if (config_.packet_auxdata) {
    const int on = 1;
    ::setsockopt(fd_, SOL_PACKET, PACKET_AUXDATA, &on, sizeof on);
  }
  asio::error_code ec;
  reactor_.assign(fd_, ec);
}

BatchedReader::~BatchedReader() { close(); }

void BatchedReader::close() {
  if (fd_ < 0) return;
  asio::error_code ec;
  reactor_.cancel(ec);
  reactor_.close(ec);  // closes fd_
  fd_ = -1;
}

Result<std::size_t> BatchedReader::read_now() {
  if (fd_ < 0) return Error{"socket is closed", "receive"};
  const std::size_t n_max = config_.batch_size;
  for (std::size_t i = 0; i < n_max; ++i) {
    msghdr& h = messages_[i].msg_hdr;
    h.msg_namelen = sizeof(sockaddr_storage);
    h.msg_controllen = kControlBytes;
    h.msg_flags = 0;
  }
  std::size_t count = 0;
  if (batched_) {
    const int got =
        ::recvmmsg(fd_, messages_.data(), static_cast<unsigned>(n_max), MSG_DONTWAIT, nullptr);
    if (got >= 0) {
      count = static_cast<std::size_t>(got);
    } else if (errno == ENOSYS) {
      batched_ = false;  // e.g. a sandbox without recvmmsg: one recvmsg per packet
    } else if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
      return std::size_t{0};
    } else {
      return system_error("recvmmsg failed", "receive");
    }
  }
  if (!batched_) {
    while (count < n_max) {
      const ssize_t got = ::recvmsg(fd_, &messages_[count].msg_hdr, MSG_DONTWAIT);
      if (got < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR || count > 0) break;
        return system_error("recvmsg failed", "receive");
      }
      messages_[count++].msg_len = static_cast<unsigned>(got);
    }
  }
  const Timestamp user_time = now();
  for (std::size_t i = 0; i < count; ++i) {
    msghdr& h = messages_[i].msg_hdr;
    const std::size_t length = messages_[i].msg_len;
    ReceivedPacket& p = packets_[i];
    p.truncated = (h.msg_flags & MSG_TRUNC) != 0 || length > config_.max_packet_bytes;
    p.bytes = {buffer(i) + config_.headroom, std::min(length, config_.max_packet_bytes)};
    p.timestamp = user_time;
    p.timestamp_source = TimestampSource::kUserSpace;
    source_lengths_[i] = h.msg_namelen;
    stripped_vlan_[i].reset();
    for (cmsghdr* c = CMSG_FIRSTHDR(&h); c != nullptr; c = CMSG_NXTHDR(&h, c)) {
      if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
        timespec ts;
        std::memcpy(&ts, CMSG_DATA(c), sizeof ts);
        p.timestamp = from_timespec(ts);
        p.timestamp_source = TimestampSource::kKernel;
      } else if (c->cmsg_level == SOL_PACKET && c->cmsg_type == PACKET_AUXDATA) {
        tpacket_auxdata aux;
        std::memcpy(&aux, CMSG_DATA(c), sizeof aux);
        if ((aux.tp_status & TP_STATUS_VLAN_VALID) != 0) {
          const std::uint16_t tpid =
              (aux.tp_status & TP_STATUS_VLAN_TPID_VALID) != 0 ? aux.tp_vlan_tpid : 0x8100;
          stripped_vlan_[i] = std::make_pair(tpid, static_cast<std::uint16_t>(aux.tp_vlan_tci));
        }
      }
    }
  }
  return count;
}

Result<std::size_t> BatchedReader::read_wait(std::chrono::milliseconds timeout) {
  if (fd_ < 0) return Error{"socket is closed", "receive"};
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto got = read_now();
    if (!got || *got > 0) return got;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::size_t{0};
    pollfd pfd{fd_, POLLIN, 0};
    const int ready = ::poll(&pfd, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno != EINTR) return system_error("poll failed", "receive");
  }
}

void BatchedReader::start(BatchHandler on_batch, ErrorHandler on_error) {
  on_batch_ = std::move(on_batch);
  on_error_ = std::move(on_error);
  arm();
}

void BatchedReader::arm() {
  if (fd_ < 0) return;
  reactor_.async_wait(asio::posix::stream_descriptor::wait_read, [this](asio::error_code ec) {
    if (ec || fd_ < 0) return;  // cancelled by close()
    // Drain what is queued, a bounded number of batches before yielding to other work.
    for (int round = 0; round < 8; ++round) {
      auto got = read_now();
      if (!got) {
        if (on_error_) on_error_(got.error());
        return;
      }
      if (*got == 0) break;
      if (on_batch_) on_batch_(*got);
      if (fd_ < 0) return;  // the handler closed the socket
    }
    arm();
  });
}

}  // namespace plugfest::transport
