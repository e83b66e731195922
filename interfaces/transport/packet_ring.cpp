#include "interfaces/transport/packet_ring.h"

#include <linux/if_packet.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace plugfest::transport {
namespace {

constexpr std::size_t kVlanTagBytes = 4;
constexpr std::size_t kMacBytes = 12;  // destination and source MAC
// Free bytes the kernel leaves in front of each frame, where the stripped tag goes back.
constexpr unsigned kReserve = 8;

tpacket_block_desc* block_at(std::uint8_t* map, std::size_t block_bytes, std::size_t i) {
  return reinterpret_cast<tpacket_block_desc*>(map + i * block_bytes);
}

}  // namespace

Result<std::unique_ptr<PacketRing>> PacketRing::create(int fd, const PacketRingConfig& config) {
  const long page = ::sysconf(_SC_PAGESIZE);
  const std::size_t b = config.block_bytes;
  if (page <= 0 || b == 0 || (b & (b - 1)) != 0 || b % static_cast<std::size_t>(page) != 0 ||
      b < config.max_frame_bytes + 256 || config.block_count == 0) {
    return Error{"ring block size must be a power of two, a multiple of the page size and " +
                     std::string("hold the largest frame"),
                 "packet ring"};
  }
  const int version = TPACKET_V3;
  if (::setsockopt(fd, SOL_PACKET, PACKET_VERSION, &version, sizeof version) != 0) {
    return system_error("TPACKET_V3 refused", "packet ring");
  }
  const unsigned reserve = kReserve;
  if (::setsockopt(fd, SOL_PACKET, PACKET_RESERVE, &reserve, sizeof reserve) != 0) {
    return system_error("PACKET_RESERVE refused", "packet ring");
  }
  tpacket_req3 request{};
  request.tp_block_size = static_cast<unsigned>(b);
  request.tp_block_nr = static_cast<unsigned>(config.block_count);
  request.tp_frame_size = 2048;  // only sizes the frame count the kernel checks
  request.tp_frame_nr = static_cast<unsigned>(b / request.tp_frame_size * config.block_count);
  request.tp_retire_blk_tov = std::max(1u, config.retire_timeout_ms);
  request.tp_feature_req_word = 0;
  if (::setsockopt(fd, SOL_PACKET, PACKET_RX_RING, &request, sizeof request) != 0) {
    return system_error("PACKET_RX_RING refused", "packet ring");
  }
  const std::size_t bytes = b * config.block_count;
  void* map = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_LOCKED, fd, 0);
  if (map == MAP_FAILED) {
    // Not allowed to lock that much memory: an ordinary mapping does too.
    map = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  }
  if (map == MAP_FAILED) return system_error("cannot map the receive ring", "packet ring");
  return std::unique_ptr<PacketRing>(
      new PacketRing(fd, config, static_cast<std::uint8_t*>(map), bytes));
}

PacketRing::PacketRing(int fd, const PacketRingConfig& config, std::uint8_t* map,
                       std::size_t map_bytes)
    : fd_(fd), config_(config), map_(map), map_bytes_(map_bytes) {}

PacketRing::~PacketRing() { ::munmap(map_, map_bytes_); }

void PacketRing::release() {
  const std::size_t n = config_.block_count;
  for (; held_ > 0; --held_) {
    tpacket_block_desc* block = block_at(map_, config_.block_bytes, (current_ + n - held_) % n);
    __atomic_store_n(&block->hdr.bh1.block_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
  }
}

std::size_t PacketRing::next(std::vector<ReceivedPacket>& out, std::size_t max_blocks) {
  release();
  const std::size_t first = out.size();
  const std::size_t hdr_bytes = TPACKET_ALIGN(sizeof(tpacket3_hdr));
  while (held_ < std::min(max_blocks, config_.block_count)) {
    tpacket_block_desc* block = block_at(map_, config_.block_bytes, current_);
    if ((__atomic_load_n(&block->hdr.bh1.block_status, __ATOMIC_ACQUIRE) & TP_STATUS_USER) == 0) {
      break;
    }
    std::uint8_t* const start = reinterpret_cast<std::uint8_t*>(block);
    std::uint8_t* const end = start + config_.block_bytes;
    std::size_t offset = block->hdr.bh1.offset_to_first_pkt;
    const std::uint32_t count = block->hdr.bh1.num_pkts;
    for (std::uint32_t k = 0; k < count && offset + hdr_bytes <= config_.block_bytes; ++k) {
      auto* h = reinterpret_cast<tpacket3_hdr*>(start + offset);
      const auto* from = reinterpret_cast<const sockaddr_ll*>(start + offset + hdr_bytes);
      const std::size_t next_offset = h->tp_next_offset;
      std::uint8_t* mac = start + offset + h->tp_mac;
      std::size_t length = h->tp_snaplen;
      if (mac + length > end) length = 0;  // never trust an offset outside the block
      const bool outgoing = from->sll_pkttype == PACKET_OUTGOING;
      if (outgoing) {
        ++outgoing_;
      } else {
        ReceivedPacket p;
        bool tagged = false;
        if ((h->tp_status & TP_STATUS_VLAN_VALID) != 0 && length >= kMacBytes &&
            h->tp_mac >= hdr_bytes + sizeof(sockaddr_ll) + kVlanTagBytes) {
          const std::uint16_t tpid =
              (h->tp_status & TP_STATUS_VLAN_TPID_VALID) != 0 ? h->hv1.tp_vlan_tpid : 0x8100;
          const std::uint16_t tci = h->hv1.tp_vlan_tci;
          std::memmove(mac - kVlanTagBytes, mac, kMacBytes);
          mac -= kVlanTagBytes;
          mac[12] = static_cast<std::uint8_t>(tpid >> 8);
          mac[13] = static_cast<std::uint8_t>(tpid & 0xff);
          mac[14] = static_cast<std::uint8_t>(tci >> 8);
          mac[15] = static_cast<std::uint8_t>(tci & 0xff);
          length += kVlanTagBytes;
          tagged = true;
        }
        const std::size_t wire = h->tp_len + (tagged ? kVlanTagBytes : 0);
        p.truncated = wire > length || length > config_.max_frame_bytes;
        p.bytes = {mac, std::min(length, config_.max_frame_bytes)};
        p.timestamp =
            Timestamp(std::chrono::seconds(h->tp_sec) + std::chrono::nanoseconds(h->tp_nsec));
        p.timestamp_source = (h->tp_status & TP_STATUS_TS_RAW_HARDWARE) != 0
                                 ? TimestampSource::kHardware
                                 : TimestampSource::kKernel;
        out.push_back(p);
      }
      if (next_offset == 0) break;
      offset += next_offset;
    }
    ++held_;
    current_ = (current_ + 1) % config_.block_count;
  }
  return out.size() - first;
}

std::uint64_t PacketRing::kernel_drops() {
  tpacket_stats_v3 stats{};
  socklen_t length = sizeof stats;
  // Reading the statistics resets them in the kernel: keep the running total here.
  if (::getsockopt(fd_, SOL_PACKET, PACKET_STATISTICS, &stats, &length) == 0) {
    drops_ += stats.tp_drops;
  }
  return drops_;
}

}  // namespace plugfest::transport
