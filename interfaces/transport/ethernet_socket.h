#pragma once
// eCPRI over raw Ethernet (AF_PACKET, ethertype 0xAEFE, optional 802.1Q tag with PCP) on
// one network interface. Needs CAP_NET_RAW.
//
// Receive goes through a memory-mapped TPACKET_V3 ring (packet_ring.h); where the kernel
// refuses one, through recvmmsg with PACKET_AUXDATA. Either way every frame handed up is as
// it was on the wire (the VLAN tag the kernel strips is put back) and the socket's own
// transmissions are skipped. Receive timestamps are the NIC's where it delivers them
// (SIOCSHWTSTAMP accepted), the kernel's otherwise, and recorded per frame. Sends are
// batched (sendmmsg) and checked against the interface MTU read at open: a frame that does
// not fit is an error naming the interface, the frame size and the MTU.

#include <asio/io_context.hpp>
#include <asio/posix/stream_descriptor.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "interfaces/common/result.h"
#include "interfaces/fronthaul/framing.h"
#include "interfaces/transport/batched_reader.h"

namespace plugfest::transport {

using fronthaul::MacAddress;
using fronthaul::VlanTag;

class PacketRing;

struct EthernetOptions {
  std::string interface;
  std::optional<VlanTag> vlan;  // tag put on every frame sent with send_to / send_batch
  bool kernel_timestamps = true;
  std::size_t batch_size = 32;
  std::size_t max_frame_bytes = 9022;  // jumbo frame with a VLAN tag; longer ones arrive cut
  int receive_buffer_bytes = 0;
  int send_buffer_bytes = 0;
  // Receive through a TPACKET_V3 ring (false: recvmmsg, as when no ring can be set up).
  bool receive_ring = true;
  std::size_t ring_block_bytes = std::size_t{1} << 20;
  std::size_t ring_blocks = 16;
  unsigned ring_retire_ms = 1;
  // Ask the NIC for hardware receive timestamps; none offered is not an error.
  bool hardware_timestamps = true;
  // Receive frames addressed to any MAC (a bridge or a monitor needs this on a real NIC).
  bool promiscuous = false;
  // Hand sent frames straight to the driver, past the queueing discipline (tc): cheaper,
  // and what a relay wants; tc shaping or mirroring of this socket's frames then does not apply.
  bool qdisc_bypass = false;
};

enum class ReceivePath : std::uint8_t { kRing, kRecvmmsg };
std::string_view to_string(ReceivePath path);

// The MTU of a network interface in the calling thread's network namespace; nullopt when
// there is no such interface.
std::optional<int> interface_mtu(const std::string& interface);

struct EthernetFrame {
  ReceivedPacket packet;  // the whole frame as it was on the wire (VLAN tag included)
  // Addresses, tags, and the eCPRI message (everything after the ethertype, padding included).
  fronthaul::EcpriLocation location;
};

class EcpriEthernetSocket {
 public:
  using BatchHandler = std::function<void(std::span<const EthernetFrame>)>;
  // Every frame of any ethertype (ARP, PTP, ...), as on the wire.
  using FrameBatchHandler = std::function<void(std::span<const ReceivedPacket>)>;
  using ErrorHandler = std::function<void(const Error&)>;

  static Result<std::unique_ptr<EcpriEthernetSocket>> open(asio::io_context& io,
                                                           const EthernetOptions& options);
  ~EcpriEthernetSocket();
  EcpriEthernetSocket(const EcpriEthernetSocket&) = delete;
  EcpriEthernetSocket& operator=(const EcpriEthernetSocket&) = delete;

  const MacAddress& local_mac() const { return mac_; }
  const std::string& interface() const { return options_.interface; }
  // The socket's usual source of receive timestamps; each frame records its own.
  TimestampSource timestamp_source() const;
  // Frames of other ethertypes seen on the interface and skipped.
  std::uint64_t ignored_frames() const { return ignored_; }
  ReceivePath receive_path() const { return ring_ ? ReceivePath::kRing : ReceivePath::kRecvmmsg; }
  // Why the ring is not in use (empty when it is).
  const std::string& ring_unavailable_reason() const { return ring_refused_; }
  // The interface MTU read at open; frames sent may be 14 bytes longer (18 with a C-tag).
  std::size_t mtu() const { return mtu_; }
  // Whether the NIC accepted to timestamp received frames in hardware.
  bool hardware_timestamps() const { return hardware_timestamps_; }
  // Frames the kernel dropped because the receive ring or buffer was full.
  std::uint64_t kernel_drops();

  // Sends one eCPRI message to destination, framed with this socket's MAC and VLAN tag.
  Result<void> send_to(std::span<const std::uint8_t> ecpri_message, const MacAddress& destination);
  // Sends eCPRI messages, each framed as by send_to, with as few system calls as the kernel
  // allows: the number sent (fewer when the kernel's queue filled). A message whose frame
  // does not fit the MTU is an error when it comes first; otherwise the ones before it go.
  Result<std::size_t> send_batch(std::span<const std::span<const std::uint8_t>> ecpri_messages,
                                 const MacAddress& destination);
  // Sends a frame exactly as given.
  Result<void> send_frame(std::span<const std::uint8_t> frame);
  // Sends frames exactly as given, batched as send_batch does.
  Result<std::size_t> send_frames(std::span<const std::span<const std::uint8_t>> frames);
  // Whether a frame of that many bytes fits the MTU (the error names interface, size and MTU).
  Result<void> check_fits(std::span<const std::uint8_t> frame) const;

  Result<std::span<const EthernetFrame>> receive(std::chrono::milliseconds timeout);
  void start_receiving(BatchHandler on_batch, ErrorHandler on_error = {});
  // Every frame, not only eCPRI ones. Frames stay valid until the next receive (for the
  // handler: until it returns).
  Result<std::span<const ReceivedPacket>> receive_frames(std::chrono::milliseconds timeout);
  void start_receiving_frames(FrameBatchHandler on_batch, ErrorHandler on_error = {});
  void close();

 private:
  EcpriEthernetSocket(asio::io_context& io, int fd, const EthernetOptions& options,
                      const MacAddress& mac, std::size_t mtu, std::unique_ptr<PacketRing> ring,
                      std::string ring_refused, bool hw);
  std::span<const EthernetFrame> collect(std::span<const ReceivedPacket> raw);
  Result<std::span<const ReceivedPacket>> read_now();
  std::span<const ReceivedPacket> from_reader(std::size_t count);
  void arm_ring();
  Result<std::size_t> send_iov(std::size_t count);
  int fd() const;
  Result<void> pending_error() const;

  EthernetOptions options_;
  MacAddress mac_;
  std::size_t mtu_;
  std::unique_ptr<PacketRing> ring_;
  std::string ring_refused_;
  bool hardware_timestamps_;
  // One of the two owns the socket: the ring's reactor, or the recvmmsg reader.
  std::unique_ptr<asio::posix::stream_descriptor> ring_reactor_;
  std::unique_ptr<BatchedReader> reader_;
  std::vector<ReceivedPacket> raw_;
  std::vector<EthernetFrame> frames_;
  std::uint64_t ignored_ = 0;
  FrameBatchHandler on_frames_;
  ErrorHandler on_error_;
  // Scratch of a batched send.
  std::vector<std::uint8_t> header_;
  std::vector<struct iovec> iov_;
  std::vector<struct mmsghdr> messages_;
};

}  // namespace plugfest::transport
