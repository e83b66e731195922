#include "interfaces/management/transcript.h"

#include <cctype>
#include <cstdio>
#include <ctime>
#include <fstream>

namespace plugfest::management {

void Transcript::add(TranscriptDirection direction, std::string text) {
  std::lock_guard lock(mutex_);
  entries_.push_back({std::chrono::system_clock::now(), direction, std::move(text)});
}

void Transcript::add(TranscriptDirection direction, std::string text,
                     std::chrono::system_clock::time_point at) {
  std::lock_guard lock(mutex_);
  entries_.push_back({at, direction, std::move(text)});
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

Result<std::chrono::system_clock::time_point> parse_timestamp(const std::string& text) {
  const Error bad{"not a date-and-time (YYYY-MM-DDThh:mm:ss[.frac](Z|+hh:mm|-hh:mm))", text};
  std::tm utc{};
  int consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &utc.tm_year, &utc.tm_mon,
                  &utc.tm_mday, &utc.tm_hour, &utc.tm_min, &utc.tm_sec, &consumed) != 6 ||
      consumed != 19) {
    return bad;
  }
  utc.tm_year -= 1900;
  utc.tm_mon -= 1;
  std::chrono::microseconds fraction{0};
  std::size_t at = 19;
  if (at < text.size() && text[at] == '.') {
    long long scale = 100000;
    for (++at; at < text.size() && std::isdigit(static_cast<unsigned char>(text[at])); ++at) {
      fraction += std::chrono::microseconds((text[at] - '0') * scale);
      scale /= 10;
    }
  }
  std::chrono::minutes offset{0};
  if (at < text.size() && (text[at] == '+' || text[at] == '-')) {
    int hours = 0, minutes = 0;
    if (std::sscanf(text.c_str() + at + 1, "%2d:%2d", &hours, &minutes) != 2 ||
        text.size() != at + 6) {
      return bad;
    }
    offset = std::chrono::minutes((text[at] == '-' ? -1 : 1) * (hours * 60 + minutes));
  } else if (text.substr(at) != "Z") {
    return bad;
  }
  const std::time_t seconds = timegm(&utc);
  return std::chrono::system_clock::from_time_t(seconds) + fraction - offset;
}

}  // namespace plugfest::management
