#pragma once
// A PacketTap that takes packet taps (stream validation, pcap) off the relay's forwarding
// thread: each packet is copied into a preallocated ring and handed, in arrival order and
// in batches, to the taps on a thread of its own. Forwarding never waits for the taps: when
// the ring is full the packet is still forwarded, but counted as dropped from the evidence.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <thread>
#include <vector>

#include "interfaces/transport/relay.h"

namespace plugfest::transport {

struct TapWorkerConfig {
  std::size_t ring_bytes = std::size_t{8} << 20;  // packet bytes waiting for the taps
  std::size_t ring_packets = 4096;                // packets waiting for the taps
  // How long the worker sleeps when the ring is empty; bounds how late a tap sees a packet.
  std::chrono::microseconds idle_poll{200};
  // Runs first on the worker thread: to set its scheduling policy or CPU affinity.
  std::function<void()> on_thread_start;
};

struct TapWorkerCounters {
  std::uint64_t queued = 0;     // copied into the ring
  std::uint64_t delivered = 0;  // handed to the taps
  std::uint64_t dropped = 0;    // ring full (or the packet larger than the ring): no evidence
};

class TapWorker : public PacketTap {
 public:
  // The taps are not owned and must outlive the worker; the worker thread starts here.
  explicit TapWorker(std::vector<PacketTap*> taps, const TapWorkerConfig& config = {});
  ~TapWorker() override;
  TapWorker(const TapWorker&) = delete;
  TapWorker& operator=(const TapWorker&) = delete;

  // The producer side: one thread at a time (the relay's). Never blocks.
  void on_packet(const TappedPacket& packet) override;
  void on_batch(std::span<const TappedPacket> packets) override;
  // Queued like eCPRI packets and delivered to the taps' on_other_frames, in order.
  void on_other_frames(std::span<const TappedPacket> frames) override;

  // Hands every queued packet to the taps and ends the worker thread. Call it once the
  // producer has stopped; packets arriving later are counted as dropped.
  void stop();

  // Safe from any thread.
  TapWorkerCounters counters() const;
  // CPU time the worker thread has used so far (the taps' cost plus the ring's); from any
  // thread but not concurrently with stop().
  std::chrono::nanoseconds cpu_time() const;

 private:
  bool push(const TappedPacket& packet);
  void run();

  std::vector<PacketTap*> taps_;
  TapWorkerConfig config_;
  std::vector<std::uint8_t> bytes_;
  std::vector<TappedPacket> slots_;  // ecpri points into bytes_
  std::vector<std::uint64_t> slot_bytes_end_;
  // Monotonic positions: the producer owns the heads, the worker the tails.
  std::atomic<std::uint64_t> packet_head_{0};
  std::atomic<std::uint64_t> packet_tail_{0};
  std::uint64_t byte_head_ = 0;  // producer only
  std::atomic<std::uint64_t> byte_tail_{0};
  std::atomic<std::uint64_t> dropped_{0};
  std::atomic<std::uint64_t> delivered_{0};
  std::atomic<bool> stopping_{false};
  std::atomic<bool> stopped_{false};
  std::atomic<std::int64_t> final_cpu_ns_{0};
  std::thread thread_;
};

}  // namespace plugfest::transport
