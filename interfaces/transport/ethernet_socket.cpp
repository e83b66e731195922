#include "interfaces/transport/ethernet_socket.h"

#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace plugfest::transport {
namespace {

constexpr std::size_t kEthernetHeaderBytes = 14;
constexpr std::size_t kVlanTagBytes = 4;

}  // namespace

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
  if (index == 0) return system_error("no such interface", where);
  // ETH_P_ALL: a tagged frame whose VLAN has no interface here reaches only such taps
  // with its tag; per-protocol sockets would see it stripped of it. Others are skipped below.
  const int fd = ::socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
  if (fd < 0) return system_error("cannot open an AF_PACKET socket (needs CAP_NET_RAW)", where);
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
  if (options.receive_buffer_bytes > 0) {
    const int bytes = options.receive_buffer_bytes;
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof bytes);
  }
  sockaddr_ll address{};
  address.sll_family = AF_PACKET;
  address.sll_protocol = htons(ETH_P_ALL);
  address.sll_ifindex = static_cast<int>(index);
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    return fail("cannot bind to the interface");
  }
  return std::unique_ptr<EcpriEthernetSocket>(new EcpriEthernetSocket(io, fd, options, mac));
}

EcpriEthernetSocket::EcpriEthernetSocket(asio::io_context& io, int fd,
                                         const EthernetOptions& options, const MacAddress& mac)
    : options_(options),
      mac_(mac),
      reader_(io, fd,
              BatchedReader::Config{options.batch_size, options.max_frame_bytes, kVlanTagBytes,
                                    options.kernel_timestamps, true}),
      frames_(options.batch_size) {}

Result<void> EcpriEthernetSocket::send_to(std::span<const std::uint8_t> ecpri_message,
                                          const MacAddress& destination) {
  fronthaul::EthernetFraming framing;
  framing.destination = destination;
  framing.source = mac_;
  if (options_.vlan) framing.vlans.push_back(*options_.vlan);
  framing.pad_to_minimum = true;
  return send_frame(fronthaul::frame_ecpri_ethernet(framing, ecpri_message));
}

Result<void> EcpriEthernetSocket::send_frame(std::span<const std::uint8_t> frame) {
  for (;;) {
    if (::send(reader_.fd(), frame.data(), frame.size(), 0) >= 0) return {};
    if (errno == EINTR) continue;
    return system_error("send failed", "ethernet " + options_.interface);
  }
}

std::span<const EthernetFrame> EcpriEthernetSocket::collect(std::size_t count) {
  std::size_t kept = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const auto& from = reinterpret_cast<const sockaddr_ll&>(reader_.source(i));
    if (from.sll_pkttype == PACKET_OUTGOING) continue;  // our own transmissions
    ReceivedPacket packet = reader_.packet(i);
    if (auto tag = reader_.stripped_vlan(i); tag && packet.bytes.size() >= 12) {
      // Put back the 802.1Q tag the kernel moved into metadata, in the headroom.
      std::uint8_t* start = reader_.buffer(i);
      std::memmove(start, packet.bytes.data(), 12);
      start[12] = static_cast<std::uint8_t>(tag->first >> 8);
      start[13] = static_cast<std::uint8_t>(tag->first & 0xff);
      start[14] = static_cast<std::uint8_t>(tag->second >> 8);
      start[15] = static_cast<std::uint8_t>(tag->second & 0xff);
      packet.bytes = {start, packet.bytes.size() + kVlanTagBytes};
    }
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
    auto got = reader_.read_wait(std::max(left, std::chrono::milliseconds(0)));
    if (!got) return got.error();
    auto frames = collect(*got);
    // Only other traffic arrived (IPv6 neighbour discovery, our own frames): keep waiting.
    if (!frames.empty() || *got == 0) return frames;
  }
}

void EcpriEthernetSocket::start_receiving(BatchHandler on_batch, ErrorHandler on_error) {
  reader_.start(
      [this, handler = std::move(on_batch)](std::size_t count) {
        auto frames = collect(count);
        if (!frames.empty()) handler(frames);
      },
      std::move(on_error));
}

}  // namespace plugfest::transport
