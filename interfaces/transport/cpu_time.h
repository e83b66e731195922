#pragma once
// CPU time used by a thread (CLOCK_THREAD_CPUTIME_ID or a pthread's clock), for the CPU
// shares the relay and its taps report. A system call: read it per batch, not per packet.

#include <time.h>

#include <chrono>

namespace plugfest::transport {

inline std::chrono::nanoseconds thread_cpu_time(clockid_t clock = CLOCK_THREAD_CPUTIME_ID) {
  timespec ts{};
  if (::clock_gettime(clock, &ts) != 0) return std::chrono::nanoseconds(0);
  return std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec);
}

}  // namespace plugfest::transport
