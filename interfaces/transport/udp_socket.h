#pragma once
// eCPRI over UDP (IPv4 or IPv6): send datagrams, receive them in timestamped batches.

#include <asio/io_context.hpp>
#include <asio/ip/udp.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "interfaces/common/result.h"
#include "interfaces/transport/batched_reader.h"

namespace plugfest::transport {

struct UdpDatagram {
  ReceivedPacket packet;  // the UDP payload: an eCPRI message
  asio::ip::udp::endpoint sender;
};

struct UdpOptions {
  bool kernel_timestamps = true;
  std::size_t batch_size = 32;
  std::size_t max_datagram_bytes = 65507;
  int receive_buffer_bytes = 0;  // SO_RCVBUF(FORCE); 0 keeps the system default
  int send_buffer_bytes = 0;
  // UDP segmentation offload (UDP_SEGMENT) in send_batch: each run of equal-size datagrams
  // goes down the stack as one and is split into the same datagrams at the receiving end,
  // which saves most of the per-datagram cost. Falls back to plain sends when refused.
  bool segmentation_offload = false;
};

// "host" and port as an endpoint: IPv4 dotted quad or IPv6 (brackets optional).
Result<asio::ip::udp::endpoint> make_udp_endpoint(std::string_view host, std::uint16_t port);

class EcpriUdpSocket {
 public:
  using BatchHandler = std::function<void(std::span<const UdpDatagram>)>;
  using ErrorHandler = std::function<void(const Error&)>;

  // Binds to local (port 0 picks a free port).
  static Result<std::unique_ptr<EcpriUdpSocket>> open(asio::io_context& io,
                                                      const asio::ip::udp::endpoint& local,
                                                      const UdpOptions& options = {});

  asio::ip::udp::endpoint local_endpoint() const { return local_; }
  // Kernel when SO_TIMESTAMPNS was accepted; each packet still says what it got.
  TimestampSource timestamp_source() const { return reader_.timestamp_source(); }
  bool batched_receive() const { return reader_.batched(); }
  // The socket buffers the kernel granted (it may cap or double what UdpOptions asked).
  int receive_buffer_bytes() const;
  int send_buffer_bytes() const;

  Result<void> send_to(std::span<const std::uint8_t> datagram,
                       const asio::ip::udp::endpoint& destination);

  // Sends several datagrams to one destination with one system call (sendmmsg); returns
  // how many were sent before an error, or the error when none was. Not reentrant: call it
  // from one thread at a time (it reuses its message headers).
  Result<std::size_t> send_batch(std::span<const std::span<const std::uint8_t>> datagrams,
                                 const asio::ip::udp::endpoint& destination);

  // Waits up to timeout for datagrams; an empty span on timeout. Valid until the next receive.
  Result<std::span<const UdpDatagram>> receive(std::chrono::milliseconds timeout);
  // Receives continuously on the io_context (see BatchedReader::start).
  void start_receiving(BatchHandler on_batch, ErrorHandler on_error = {});
  void close() { reader_.close(); }

 private:
  EcpriUdpSocket(asio::io_context& io, int fd, const UdpOptions& options,
                 asio::ip::udp::endpoint local);
  std::span<const UdpDatagram> collect(std::size_t count);

  BatchedReader reader_;
  asio::ip::udp::endpoint local_;
  std::vector<UdpDatagram> datagrams_;
  Result<std::size_t> send_segmented(std::span<const std::span<const std::uint8_t>> datagrams,
                                     const asio::ip::udp::endpoint& destination);

  bool segmentation_offload_;
  std::vector<iovec> send_iov_;
  std::vector<mmsghdr> send_messages_;
  std::vector<std::size_t> send_group_sizes_;  // datagrams per message when segmenting
  std::vector<std::uint8_t> send_control_;
};

}  // namespace plugfest::transport
