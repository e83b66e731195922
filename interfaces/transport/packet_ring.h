#pragma once
// The memory-mapped receive ring of an AF_PACKET socket (TPACKET_V3). The kernel writes
// frames into blocks it shares with user space and hands a block over once it is full or its
// retire timeout has passed: one wake-up then delivers many frames, with no system call and
// no copy per frame. The kernel moves a frame's outer 802.1Q tag into the frame's ring
// header; the ring puts it back in front of the ethertype, so every frame reads as it was on
// the wire. Frames the socket itself sent are skipped.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "interfaces/common/result.h"
#include "interfaces/transport/batched_reader.h"

namespace plugfest::transport {

struct PacketRingConfig {
  // A power of two, a multiple of the page size and larger than the largest frame. Small
  // blocks fill (and so reach user space) sooner at high rates; the timeout bounds the
  // delay when traffic is light.
  std::size_t block_bytes = std::size_t{1} << 20;
  std::size_t block_count = 16;
  unsigned retire_timeout_ms = 1;
  std::size_t max_frame_bytes = 9022;  // longer frames are handed up cut, marked truncated
};

class PacketRing {
 public:
  // Sets the (not yet bound) socket fd to TPACKET_V3 and maps its receive ring. fd stays
  // the caller's (unmapping does not need it, so the two may be closed in either order).
  static Result<std::unique_ptr<PacketRing>> create(int fd, const PacketRingConfig& config);
  ~PacketRing();
  PacketRing(const PacketRing&) = delete;
  PacketRing& operator=(const PacketRing&) = delete;

  // Gives back to the kernel the blocks the previous call handed out (their frames' bytes
  // become invalid), then appends the frames of up to max_blocks retired blocks to out.
  // The number of frames appended.
  std::size_t next(std::vector<ReceivedPacket>& out, std::size_t max_blocks);
  // Gives back the blocks handed out (next() does so too).
  void release();
  // Frames skipped: the socket's own transmissions.
  std::uint64_t outgoing_skipped() const { return outgoing_; }
  // Frames the kernel dropped because the ring was full (PACKET_STATISTICS, cumulative).
  std::uint64_t kernel_drops();
  std::size_t block_bytes() const { return config_.block_bytes; }

 private:
  PacketRing(int fd, const PacketRingConfig& config, std::uint8_t* map, std::size_t map_bytes);

  int fd_;
  PacketRingConfig config_;
  std::uint8_t* map_;
  std::size_t map_bytes_;
  std::size_t current_ = 0;  // the next block to read
  std::size_t held_ = 0;     // blocks handed out since the last release, from current_ back
  std::uint64_t outgoing_ = 0;
  std::uint64_t drops_ = 0;
};

}  // namespace plugfest::transport
