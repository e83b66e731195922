#include "interfaces/transport/validator_tap.h"

#include "interfaces/transport/cpu_time.h"

namespace plugfest::transport {
namespace {

constexpr std::uint8_t kRealTimeControl = 2;  // eCPRI message type of the C-plane

}  // namespace

ValidatorTap::ValidatorTap(const fronthaul::DecoderConfig& downlink,
                           const fronthaul::DecoderConfig& uplink)
    : downlink_(downlink), uplink_(uplink) {}

void ValidatorTap::on_packet(const TappedPacket& packet) { on_batch({&packet, 1}); }

// The lock and the CPU clock (a system call) are taken once per batch, not per packet.
void ValidatorTap::on_batch(std::span<const TappedPacket> packets) {
  std::lock_guard lock(mutex_);
  const auto started = thread_cpu_time();
  for (const TappedPacket& packet : packets) validate(packet);
  packets_ += packets.size();
  busy_ += thread_cpu_time() - started;
}

void ValidatorTap::validate(const TappedPacket& packet) {
  const auto timestamp = packet.timestamp.time_since_epoch();
  std::span<const fronthaul::Finding> found;
  if (packet.direction == RelayDirection::kDownlink) {
    found = downlink_.feed(packet.ecpri, timestamp);
    // C-plane tells the UL validator what the UL U-plane must cover; its own findings on
    // the C-plane were already reported by the DL validator.
    if (packet.ecpri.size() > 1 && packet.ecpri[1] == kRealTimeControl) {
      uplink_.feed(packet.ecpri, timestamp);
    }
  } else {
    found = uplink_.feed(packet.ecpri, timestamp);
  }
  for (fronthaul::Finding finding : found) {
    finding.packet_index = packet.index;
    findings_.push_back(std::move(finding));
  }
}

std::vector<fronthaul::Finding> ValidatorTap::findings() const {
  std::lock_guard lock(mutex_);
  return findings_;
}

std::size_t ValidatorTap::packets() const {
  std::lock_guard lock(mutex_);
  return packets_;
}

std::chrono::nanoseconds ValidatorTap::busy_time() const {
  std::lock_guard lock(mutex_);
  return busy_;
}

}  // namespace plugfest::transport
