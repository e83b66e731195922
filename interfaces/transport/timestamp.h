#pragma once
// Receive timestamps of fronthaul packets: a point on the system (UTC) clock with
// nanosecond resolution, and whether the kernel or user space took it.

#include <chrono>
#include <cstdint>
#include <string_view>

namespace plugfest::transport {

using Timestamp = std::chrono::time_point<std::chrono::system_clock, std::chrono::nanoseconds>;

// Kernel timestamps (SO_TIMESTAMPNS) are taken when the packet reaches the socket; user-space
// ones after the receive call returns, so they include scheduling delay. Evidence says which.
enum class TimestampSource : std::uint8_t { kKernel, kUserSpace };

inline std::string_view to_string(TimestampSource source) {
  return source == TimestampSource::kKernel ? "kernel" : "user-space";
}

inline Timestamp now() {
  return std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now());
}

}  // namespace plugfest::transport
