#include "interfaces/transport/tap_worker.h"

#include <pthread.h>

#include <algorithm>
#include <cstring>

#include "interfaces/transport/cpu_time.h"

namespace plugfest::transport {
namespace {

// Packets handed to the taps in one call: large enough to amortise a tap's per-call cost,
// small enough to give ring space back to the producer often.
constexpr std::size_t kDeliveryBatch = 256;

}  // namespace

TapWorker::TapWorker(std::vector<PacketTap*> taps, const TapWorkerConfig& config)
    : taps_(std::move(taps)),
      config_(config),
      bytes_(std::max<std::size_t>(config.ring_bytes, 1)),
      slots_(std::max<std::size_t>(config.ring_packets, 1)),
      slot_bytes_end_(slots_.size()) {
  thread_ = std::thread([this] { run(); });
}

TapWorker::~TapWorker() { stop(); }

bool TapWorker::push(const TappedPacket& packet) {
  const std::uint64_t head = packet_head_.load(std::memory_order_relaxed);
  if (head - packet_tail_.load(std::memory_order_acquire) >= slots_.size()) return false;
  // Ethernet-sourced: the whole frame is kept, and the eCPRI message found again inside it.
  const bool whole_frame = !packet.frame.empty();
  const std::span<const std::uint8_t> bytes = whole_frame ? packet.frame : packet.ecpri;
  const std::size_t length = bytes.size();
  const std::size_t capacity = bytes_.size();
  if (length > capacity) return false;
  // A packet never wraps around the ring's end: the rest of the ring is skipped instead.
  std::uint64_t start = byte_head_;
  const std::size_t position = static_cast<std::size_t>(start % capacity);
  if (position + length > capacity) start += capacity - position;
  const std::uint64_t end = start + length;
  if (end - byte_tail_.load(std::memory_order_acquire) > capacity) return false;
  std::uint8_t* at = bytes_.data() + start % capacity;
  if (length > 0) std::memcpy(at, bytes.data(), length);
  const std::size_t slot = static_cast<std::size_t>(head % slots_.size());
  slots_[slot] = packet;
  if (whole_frame) {
    slots_[slot].frame = {at, length};
    const auto offset = static_cast<std::size_t>(packet.ecpri.data() - packet.frame.data());
    slots_[slot].ecpri = packet.ecpri.empty() || offset > length
                             ? std::span<const std::uint8_t>{}
                             : std::span<const std::uint8_t>(at + offset, packet.ecpri.size());
  } else {
    slots_[slot].ecpri = {at, length};
  }
  slot_bytes_end_[slot] = end;
  byte_head_ = end;
  packet_head_.store(head + 1, std::memory_order_release);
  return true;
}

void TapWorker::on_packet(const TappedPacket& packet) { on_batch({&packet, 1}); }

void TapWorker::on_batch(std::span<const TappedPacket> packets) {
  if (stopped_.load(std::memory_order_acquire)) {
    dropped_.fetch_add(packets.size(), std::memory_order_relaxed);
    return;
  }
  std::uint64_t dropped = 0;
  for (const TappedPacket& packet : packets) dropped += push(packet) ? 0 : 1;
  if (dropped > 0) dropped_.fetch_add(dropped, std::memory_order_relaxed);
}

void TapWorker::on_other_frames(std::span<const TappedPacket> frames) { on_batch(frames); }

void TapWorker::run() {
  if (config_.on_thread_start) config_.on_thread_start();
  const std::size_t n = slots_.size();
  for (;;) {
    const std::uint64_t tail = packet_tail_.load(std::memory_order_relaxed);
    const std::uint64_t head = packet_head_.load(std::memory_order_acquire);
    if (head == tail) {
      if (stopping_.load(std::memory_order_acquire)) {
        if (packet_head_.load(std::memory_order_acquire) == tail) break;
        continue;
      }
      std::this_thread::sleep_for(config_.idle_poll);
      continue;
    }
    const std::size_t first = static_cast<std::size_t>(tail % n);
    std::size_t count =
        std::min({static_cast<std::size_t>(head - tail), n - first, kDeliveryBatch});
    // eCPRI messages and other frames go to their own calls, in order.
    const bool ecpri = slots_[first].is_ecpri;
    for (std::size_t k = 1; k < count; ++k) {
      if (slots_[first + k].is_ecpri != ecpri) {
        count = k;
        break;
      }
    }
    const std::span<const TappedPacket> batch(slots_.data() + first, count);
    for (PacketTap* tap : taps_) {
      if (ecpri) {
        tap->on_batch(batch);
      } else {
        tap->on_other_frames(batch);
      }
    }
    byte_tail_.store(slot_bytes_end_[first + count - 1], std::memory_order_release);
    packet_tail_.store(tail + count, std::memory_order_release);
    delivered_.fetch_add(count, std::memory_order_relaxed);
  }
  final_cpu_ns_.store(thread_cpu_time().count(), std::memory_order_release);
}

void TapWorker::stop() {
  if (stopped_.exchange(true)) return;
  stopping_.store(true, std::memory_order_release);
  if (thread_.joinable()) thread_.join();
}

TapWorkerCounters TapWorker::counters() const {
  TapWorkerCounters c;
  c.queued = packet_head_.load(std::memory_order_acquire);
  c.delivered = delivered_.load(std::memory_order_acquire);
  c.dropped = dropped_.load(std::memory_order_acquire);
  return c;
}

std::chrono::nanoseconds TapWorker::cpu_time() const {
  if (stopped_.load(std::memory_order_acquire) && !thread_.joinable()) {
    return std::chrono::nanoseconds(final_cpu_ns_.load(std::memory_order_acquire));
  }
  clockid_t clock{};
  if (::pthread_getcpuclockid(const_cast<std::thread&>(thread_).native_handle(), &clock) != 0) {
    return std::chrono::nanoseconds(final_cpu_ns_.load(std::memory_order_acquire));
  }
  return thread_cpu_time(clock);
}

}  // namespace plugfest::transport
