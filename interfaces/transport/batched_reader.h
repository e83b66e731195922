#pragma once
// Batched, timestamped receive on one datagram socket (UDP or AF_PACKET): recvmmsg where the
// kernel offers it, SO_TIMESTAMPNS kernel timestamps when the socket accepts them, and an
// asio reactor loop for continuous receive. Shared by the UDP and raw Ethernet sockets.

#include <sys/socket.h>

#include <asio/io_context.hpp>
#include <asio/posix/stream_descriptor.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "interfaces/common/result.h"
#include "interfaces/transport/timestamp.h"

namespace plugfest::transport {

// One received packet. bytes stay valid until the socket's next receive.
struct ReceivedPacket {
  std::span<const std::uint8_t> bytes;
  Timestamp timestamp;
  TimestampSource timestamp_source = TimestampSource::kUserSpace;
  bool truncated = false;  // longer than the receive buffer; bytes hold its beginning
};

class BatchedReader {
 public:
  struct Config {
    std::size_t batch_size = 32;
    std::size_t max_packet_bytes = 9216;
    std::size_t headroom = 0;  // free bytes before each packet (to re-insert a VLAN tag)
    bool kernel_timestamps = true;
    bool packet_auxdata = false;  // AF_PACKET: ask for the VLAN tag the kernel stripped
  };
  using BatchHandler = std::function<void(std::size_t count)>;
  using ErrorHandler = std::function<void(const Error&)>;

  // Takes ownership of fd.
  BatchedReader(asio::io_context& io, int fd, const Config& config);
  ~BatchedReader();
  BatchedReader(const BatchedReader&) = delete;
  BatchedReader& operator=(const BatchedReader&) = delete;

  int fd() const { return fd_; }
  TimestampSource timestamp_source() const {
    return kernel_timestamps_ ? TimestampSource::kKernel : TimestampSource::kUserSpace;
  }
  // False once the kernel refused recvmmsg and packets are read one recvmsg at a time.
  bool batched() const { return batched_; }

  // Reads what is queued without blocking: the number of packets read, 0 when none.
  Result<std::size_t> read_now();
  // Waits up to timeout for at least one packet, then reads what is queued.
  Result<std::size_t> read_wait(std::chrono::milliseconds timeout);
  // Reads continuously on the io_context, calling on_batch after each non-empty read,
  // until close() or an error (reported to on_error). Call close() on the io_context's
  // thread, or after it stopped.
  void start(BatchHandler on_batch, ErrorHandler on_error);
  void close();

  ReceivedPacket& packet(std::size_t i) { return packets_[i]; }
  // Writable buffer of packet i, headroom included.
  std::uint8_t* buffer(std::size_t i) { return storage_.data() + i * slot_bytes_; }
  std::size_t headroom() const { return config_.headroom; }
  const sockaddr_storage& source(std::size_t i) const { return sources_[i]; }
  socklen_t source_length(std::size_t i) const { return source_lengths_[i]; }
  // AF_PACKET with packet_auxdata: the 802.1Q tag (TPID, TCI) the kernel removed, if any.
  std::optional<std::pair<std::uint16_t, std::uint16_t>> stripped_vlan(std::size_t i) const {
    return stripped_vlan_[i];
  }

 private:
  void arm();

  Config config_;
  int fd_;
  asio::posix::stream_descriptor reactor_;
  bool kernel_timestamps_ = false;
  std::size_t slot_bytes_;
  std::vector<std::uint8_t> storage_;
  std::vector<std::uint8_t> control_;
  std::vector<ReceivedPacket> packets_;
  std::vector<sockaddr_storage> sources_;
  std::vector<socklen_t> source_lengths_;
  std::vector<std::optional<std::pair<std::uint16_t, std::uint16_t>>> stripped_vlan_;
  std::vector<iovec> iov_;
  std::vector<mmsghdr> messages_;
  bool batched_ = true;
  BatchHandler on_batch_;
  ErrorHandler on_error_;
};

// "what: strerror(errno)" for system call failures.
Error system_error(std::string what, std::string where = {});

}  // namespace plugfest::transport
