#pragma once
// eCPRI over raw Ethernet (AF_PACKET, ethertype 0xAEFE, optional 802.1Q tag with PCP) on
// one network interface. Needs CAP_NET_RAW.

#include <asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "interfaces/common/result.h"
#include "interfaces/fronthaul/framing.h"
#include "interfaces/transport/batched_reader.h"

namespace plugfest::transport {

using fronthaul::MacAddress;
using fronthaul::VlanTag;

struct EthernetOptions {
  std::string interface;
  std::optional<VlanTag> vlan;  // tag put on every frame sent with send_to
  bool kernel_timestamps = true;
  std::size_t batch_size = 32;
  std::size_t max_frame_bytes = 9022;  // jumbo frame with a VLAN tag
  int receive_buffer_bytes = 0;
};

struct EthernetFrame {
  ReceivedPacket packet;  // the whole frame as it was on the wire (VLAN tag included)
  // Addresses, tags, and the eCPRI message (everything after the ethertype, padding included).
  fronthaul::EcpriLocation location;
};

class EcpriEthernetSocket {
 public:
  using BatchHandler = std::function<void(std::span<const EthernetFrame>)>;
  using ErrorHandler = std::function<void(const Error&)>;

  static Result<std::unique_ptr<EcpriEthernetSocket>> open(asio::io_context& io,
                                                           const EthernetOptions& options);

  const MacAddress& local_mac() const { return mac_; }
  const std::string& interface() const { return options_.interface; }
  TimestampSource timestamp_source() const { return reader_.timestamp_source(); }
  // Frames of other ethertypes seen on the interface and skipped.
  std::uint64_t ignored_frames() const { return ignored_; }

  // Sends one eCPRI message to destination, framed with this socket's MAC and VLAN tag.
  Result<void> send_to(std::span<const std::uint8_t> ecpri_message, const MacAddress& destination);
  // Sends a frame exactly as given.
  Result<void> send_frame(std::span<const std::uint8_t> frame);

  Result<std::span<const EthernetFrame>> receive(std::chrono::milliseconds timeout);
  void start_receiving(BatchHandler on_batch, ErrorHandler on_error = {});
  void close() { reader_.close(); }

 private:
  EcpriEthernetSocket(asio::io_context& io, int fd, const EthernetOptions& options,
                      const MacAddress& mac);
  std::span<const EthernetFrame> collect(std::size_t count);

  EthernetOptions options_;
  MacAddress mac_;
  BatchedReader reader_;
  std::vector<EthernetFrame> frames_;
  std::uint64_t ignored_ = 0;
};

}  // namespace plugfest::transport
