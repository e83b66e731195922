#pragma once
// Transcript: every message of one NETCONF session, in and out, with wall-clock
// timestamps - the evidence a management-plane verdict rests on.

#include <chrono>
#include <mutex>
#include <string>
#include <vector>

#include "interfaces/common/result.h"

namespace plugfest::management {

enum class TranscriptDirection { kSent, kReceived, kEvent };

struct TranscriptEntry {
  std::chrono::system_clock::time_point at;
  TranscriptDirection direction;
  // A message exactly as it went over the wire (without the RFC 6242 framing), or a note
  // on the session (connect, close, a message the library did not show).
  std::string text;
};

class Transcript {
 public:
  void add(TranscriptDirection direction, std::string text);
  // An entry whose time is known (a message the library timed when it went over the wire).
  void add(TranscriptDirection direction, std::string text,
           std::chrono::system_clock::time_point at);
  std::vector<TranscriptEntry> entries() const;
  // "2026-01-02T03:04:05.678901Z >>> <rpc ...>" lines, one entry after another.
  std::string to_text() const;
  Result<void> write(const std::string& path) const;

 private:
  mutable std::mutex mutex_;
  std::vector<TranscriptEntry> entries_;
};

// RFC 3339 UTC with microseconds, as YANG date-and-time allows.
std::string format_timestamp(std::chrono::system_clock::time_point at);
// A YANG date-and-time (RFC 3339: "2026-11-28T02:40:00.5Z", "...+01:00").
Result<std::chrono::system_clock::time_point> parse_timestamp(const std::string& text);

}  // namespace plugfest::management
