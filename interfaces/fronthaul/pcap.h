#pragma once
// Capture files: write nanosecond-resolution pcap, read whatever libpcap reads (pcap and
// pcapng), packet by packet with the capture timestamp.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "interfaces/common/result.h"

namespace plugfest::fronthaul {

// Link-layer header type of a capture (LINKTYPE_ETHERNET = 1).
inline constexpr int kLinkTypeEthernet = 1;

// One captured frame. frame_number counts from 1 in file order, as Wireshark does.
struct CapturedFrame {
  std::chrono::nanoseconds timestamp{0};  // since the Unix epoch
  std::vector<std::uint8_t> bytes;        // the captured bytes
  std::size_t original_length = 0;        // length on the wire (>= bytes.size())
  std::size_t frame_number = 0;
};

// Writes a pcap file (nanosecond timestamps, Ethernet link type by default).
class PcapWriter {
 public:
  static Result<PcapWriter> create(const std::string& path, int link_type = kLinkTypeEthernet);

  PcapWriter(PcapWriter&&) noexcept;
  PcapWriter& operator=(PcapWriter&&) noexcept;
  ~PcapWriter();

  // Appends one frame; timestamps are since the Unix epoch and must not be negative.
  Result<void> write(std::span<const std::uint8_t> frame, std::chrono::nanoseconds timestamp);
  // Appends one frame given as its headers and its payload, without assembling it first.
  Result<void> write(std::span<const std::uint8_t> headers, std::span<const std::uint8_t> payload,
                     std::chrono::nanoseconds timestamp);
  // Appends the first bytes of a frame that was `original_length` long on the wire, as a
  // capture with a small snap length keeps it.
  Result<void> write_cut(std::span<const std::uint8_t> kept, std::size_t original_length,
                         std::chrono::nanoseconds timestamp);
  // Pushes buffered frames to the file and reports any write error so far.
  Result<void> flush();
  // Flushes and closes; further writes fail. The destructor closes silently.
  Result<void> close();

  const std::string& path() const { return path_; }
  std::size_t frames_written() const { return frames_written_; }

 private:
  struct Handles;
  PcapWriter(std::string path, std::unique_ptr<Handles> handles);
  Result<void> write_record(std::span<const std::uint8_t> headers,
                            std::span<const std::uint8_t> payload,
                            std::chrono::nanoseconds timestamp, std::size_t original_length);

  std::string path_;
  std::unique_ptr<Handles> handles_;
  std::size_t frames_written_ = 0;
};

// Reads a pcap or pcapng file frame by frame.
class PcapReader {
 public:
  static Result<PcapReader> open(const std::string& path);

  PcapReader(PcapReader&&) noexcept;
  PcapReader& operator=(PcapReader&&) noexcept;
  ~PcapReader();

  // The next frame, std::nullopt at the end of the file, or an Error naming the file and
  // the frame number (for example a truncated last record).
  Result<std::optional<CapturedFrame>> next();

  int link_type() const { return link_type_; }
  const std::string& path() const { return path_; }

 private:
  struct Handles;
  PcapReader(std::string path, std::unique_ptr<Handles> handles, int link_type);

  std::string path_;
  std::unique_ptr<Handles> handles_;
  int link_type_ = kLinkTypeEthernet;
  std::size_t frames_read_ = 0;
  bool failed_ = false;
};

}  // namespace plugfest::fronthaul
