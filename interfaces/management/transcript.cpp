#include "interfaces/management/transcript.h"

#include <ctime>
#include <fstream>

namespace plugfest::management {

void Transcript::add(TranscriptDirection direction, std::string text) {
  std::lock_guard lock(mutex_);
  entries_.push_back({std::chrono::system_clock::now(), direction, std::move(text)});
}

std::vector<TranscriptEntry> Transcript::entries() const {
  std::lock_guard lock(mutex_);
  return entries_;
}

std::string Transcript::to_text() const {
  std::string out;
  for (const auto& entry : entries()) {
    out += format_timestamp(entry.at);
    switch (entry.direction) {
      case TranscriptDirection::kSent:
        out += " >>> ";
        break;
      case TranscriptDirection::kReceived:
        out += " <<< ";
        break;
      case TranscriptDirection::kEvent:
        out += " --- ";
        break;
    }
    out += entry.text;
    out += '\n';
  }
  return out;
}

Result<void> Transcript::write(const std::string& path) const {
  std::ofstream file(path, std::ios::trunc);
  if (!file) return Error{"cannot open for writing", path};
  file << to_text();
  if (!file.flush()) return Error{"write failed", path};
  return {};
}

std::string format_timestamp(std::chrono::system_clock::time_point at) {
  auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(at.time_since_epoch()).count();
  std::time_t seconds = static_cast<std::time_t>(micros / 1000000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[64];
  std::size_t n = std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &utc);
  std::snprintf(buffer + n, sizeof buffer - n, ".%06lldZ",
                static_cast<long long>(micros % 1000000));
  return buffer;
}

}  // namespace plugfest::management
