#pragma once
// Receive timestamps of fronthaul packets: a point on the system (UTC) clock with
// nanosecond resolution, and whether the kernel or user space took it.

#include <chrono>
#include <cstdint>
#include <string_view>

namespace plugfest::transport {

using Timestamp = std::chrono::time_point<std::chrono::system_clock, std::chrono::nanoseconds>;

// Kernel timestamps (SO_TIMESTAMPNS, or a packet ring's software stamp) are taken when the
// packet reaches the socket; user-space ones after the receive call returns, so they include
// scheduling delay; hardware ones by the NIC as the frame arrived (raw PHC time, which is
// UTC-like only when the PHC is disciplined, e.g. by ptp4l). Evidence says which.
enum class TimestampSource : std::uint8_t { kKernel, kUserSpace, kHardware };

inline std::string_view to_string(TimestampSource source) {
  switch (source) {
    case TimestampSource::kKernel:
      return "kernel";
    case TimestampSource::kHardware:
      return "hardware";
    case TimestampSource::kUserSpace:
      break;
  }
  return "user-space";
}

inline Timestamp now() {
  return std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now());
}

}  // namespace plugfest::transport
