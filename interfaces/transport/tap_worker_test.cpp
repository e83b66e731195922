#include "interfaces/transport/tap_worker.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>

namespace plugfest::transport {
namespace {

// Keeps copies of what it saw; can be made to hold the worker inside on_batch.
class KeepingTap : public PacketTap {
 public:
  void on_packet(const TappedPacket& p) override {
    std::unique_lock lock(mutex_);
    opened_.wait(lock, [this] { return open_; });
    indices_.push_back(p.index);
    bytes_.emplace_back(p.ecpri.begin(), p.ecpri.end());
    forwarded_.push_back(p.forwarded);
  }
  void hold() {
    std::lock_guard lock(mutex_);
    open_ = false;
  }
  void release() {
    {
      std::lock_guard lock(mutex_);
      open_ = true;
    }
    opened_.notify_all();
  }
  std::vector<std::uint64_t> indices() {
    std::lock_guard lock(mutex_);
    return indices_;
  }
  std::vector<std::vector<std::uint8_t>> bytes() {
    std::lock_guard lock(mutex_);
    return bytes_;
  }
  std::size_t seen() {
    std::lock_guard lock(mutex_);
    return indices_.size();
  }

 private:
  std::mutex mutex_;
  std::condition_variable opened_;
  bool open_ = true;
  std::vector<std::uint64_t> indices_;
  std::vector<std::vector<std::uint8_t>> bytes_;
  std::vector<bool> forwarded_;
};

std::vector<std::uint8_t> payload(std::uint64_t index, std::size_t size) {
  std::vector<std::uint8_t> bytes(size);
  for (std::size_t i = 0; i < size; ++i) bytes[i] = static_cast<std::uint8_t>(index * 31 + i);
  return bytes;
}

TappedPacket packet_of(std::uint64_t index, std::span<const std::uint8_t> bytes) {
  TappedPacket p;
  p.direction = index % 2 == 0 ? RelayDirection::kDownlink : RelayDirection::kUplink;
  p.ecpri = bytes;
  p.index = index;
  p.forwarded = true;
  return p;
}

TapWorkerConfig ring(std::size_t bytes, std::size_t packets) {
  TapWorkerConfig config;
  config.ring_bytes = bytes;
  config.ring_packets = packets;
  config.idle_poll = std::chrono::microseconds(50);
  return config;
}

TEST(TapWorker, HandsEveryPacketToEveryTapInOrderAsACopy) {
  KeepingTap first, second;
  TapWorker worker({&first, &second});
  std::vector<std::uint8_t> buffer;
  std::vector<TappedPacket> batch;
  std::vector<std::vector<std::uint8_t>> sent;
  for (std::uint64_t i = 0; i < 100; ++i) sent.push_back(payload(i, 20 + i % 7));
  for (std::uint64_t i = 0; i < 100; i += 10) {
    batch.clear();
    for (std::uint64_t j = i; j < i + 10; ++j) batch.push_back(packet_of(j, sent[j]));
    worker.on_batch(batch);
  }
  // The producer's buffers may be reused at once: the worker copied them.
  for (auto& s : sent) std::fill(s.begin(), s.end(), 0xee);
  for (std::uint64_t i = 0; i < 100; ++i) sent[i] = payload(i, 20 + i % 7);
  worker.stop();
  const TapWorkerCounters c = worker.counters();
  EXPECT_EQ(c.queued, 100u);
  EXPECT_EQ(c.delivered, 100u);
  EXPECT_EQ(c.dropped, 0u);
  for (KeepingTap* tap : {&first, &second}) {
    const auto indices = tap->indices();
    ASSERT_EQ(indices.size(), 100u);
    const auto bytes = tap->bytes();
    for (std::uint64_t i = 0; i < 100; ++i) {
      EXPECT_EQ(indices[i], i);
      EXPECT_EQ(bytes[i], sent[i]) << "packet " << i;
    }
  }
  EXPECT_GE(worker.cpu_time().count(), 0);
}

TEST(TapWorker, AFullRingDropsFromTheEvidenceWithoutBlockingTheProducer) {
  KeepingTap tap;
  tap.hold();  // the worker will sit in the taps with the first packets it takes
  TapWorker worker({&tap}, ring(std::size_t{1} << 16, 4));
  const auto bytes = payload(0, 64);
  for (std::uint64_t i = 0; i < 10; ++i) worker.on_packet(packet_of(i, bytes));
  TapWorkerCounters c = worker.counters();
  EXPECT_EQ(c.queued, 4u);
  EXPECT_EQ(c.dropped, 6u);
  tap.release();
  worker.stop();
  c = worker.counters();
  EXPECT_EQ(c.delivered, 4u);
  EXPECT_EQ(tap.indices(), (std::vector<std::uint64_t>{0, 1, 2, 3}));
}

TEST(TapWorker, ByteRingLimitsTooAndWrapsWithoutCorruptingPackets) {
  KeepingTap tap;
  tap.hold();
  TapWorker worker({&tap}, ring(100, 64));
  const auto forty = payload(1, 40);
  for (std::uint64_t i = 0; i < 3; ++i) worker.on_packet(packet_of(i, forty));
  EXPECT_EQ(worker.counters().queued, 2u);  // a third 40-byte packet needs 120 bytes
  EXPECT_EQ(worker.counters().dropped, 1u);
  const auto huge = payload(2, 101);
  worker.on_packet(packet_of(3, huge));  // larger than the whole ring
  EXPECT_EQ(worker.counters().dropped, 2u);
  tap.release();
  while (worker.counters().delivered < 2) std::this_thread::yield();
  // One packet at a time, so that the ring wraps many times with odd sizes.
  std::vector<std::vector<std::uint8_t>> sent;
  for (std::uint64_t i = 4; i < 60; ++i) {
    sent.push_back(payload(i, 1 + (i * 13) % 60));
    worker.on_packet(packet_of(i, sent.back()));
    while (worker.counters().delivered < 2 + sent.size()) std::this_thread::yield();
  }
  worker.stop();
  EXPECT_EQ(worker.counters().dropped, 2u);
  const auto bytes = tap.bytes();
  ASSERT_EQ(bytes.size(), 2 + sent.size());
  for (std::size_t i = 0; i < sent.size(); ++i) EXPECT_EQ(bytes[2 + i], sent[i]) << i;
}

TEST(TapWorker, RunsItsStartHookOnTheWorkerThread) {
  std::thread::id hook_thread;
  TapWorkerConfig config;
  config.on_thread_start = [&hook_thread] { hook_thread = std::this_thread::get_id(); };
  KeepingTap tap;
  TapWorker worker({&tap}, config);
  worker.stop();
  EXPECT_NE(hook_thread, std::thread::id());
  EXPECT_NE(hook_thread, std::this_thread::get_id());
}

TEST(TapWorker, PacketsAfterStopAreCountedAsDropped) {
  KeepingTap tap;
  TapWorker worker({&tap});
  worker.stop();
  const auto bytes = payload(0, 8);
  worker.on_packet(packet_of(0, bytes));
  EXPECT_EQ(worker.counters().dropped, 1u);
  EXPECT_EQ(tap.seen(), 0u);
  worker.stop();  // idempotent
}

}  // namespace
}  // namespace plugfest::transport
