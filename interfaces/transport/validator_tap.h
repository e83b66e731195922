#pragma once
// A relay tap that runs the fronthaul stream validator over both directions: DL traffic
// through one validator (DL U-plane compression), UL U-plane through another that also
// sees the C-plane requesting it (UL compression). Findings carry the relay's packet index.

#include <chrono>
#include <mutex>
#include <vector>

#include "interfaces/fronthaul/stream_validator.h"
#include "interfaces/transport/relay.h"

namespace plugfest::transport {

class ValidatorTap : public PacketTap {
 public:
  ValidatorTap(const fronthaul::DecoderConfig& downlink, const fronthaul::DecoderConfig& uplink);

  void on_packet(const TappedPacket& packet) override;
  void on_batch(std::span<const TappedPacket> packets) override;

  // Thread-safe snapshots.
  std::vector<fronthaul::Finding> findings() const;
  std::size_t packets() const;
  // Thread CPU time spent in the validators.
  std::chrono::nanoseconds busy_time() const;

 private:
  void validate(const TappedPacket& packet);

  mutable std::mutex mutex_;
  fronthaul::StreamValidator downlink_;
  fronthaul::StreamValidator uplink_;
  std::vector<fronthaul::Finding> findings_;
  std::size_t packets_ = 0;
  std::chrono::nanoseconds busy_{0};
};

}  // namespace plugfest::transport
