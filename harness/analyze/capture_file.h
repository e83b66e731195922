#pragma once
// CaptureFile: streams the frames of a pcap or pcapng capture without holding the file.
// Classic pcap is parsed in place from a large read buffer (no copy per frame, the hot path
// of `plugfest analyze`); pcapng is read through libpcap (fronthaul::PcapReader).

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "interfaces/common/result.h"

namespace plugfest::analyze {

// One frame as read. `bytes` stays valid until the next call to next() on the same file.
struct FrameView {
  std::span<const std::uint8_t> bytes;
  std::chrono::nanoseconds timestamp{0};  // since the Unix epoch
  std::size_t original_length = 0;
  std::size_t frame_number = 0;  // 1-based, as Wireshark numbers frames
};

class CaptureFile {
 public:
  // Fails with a message naming the file when it cannot be opened or is neither pcap nor
  // pcapng.
  static Result<CaptureFile> open(const std::string& path);

  CaptureFile(CaptureFile&&) noexcept;
  CaptureFile& operator=(CaptureFile&&) noexcept;
  ~CaptureFile();

  // Reads the next frame into `frame`: true when one was read, false at the end of the
  // file, an Error (file and frame number) when the file is damaged; frames read before
  // the damage stay valid results.
  Result<bool> next(FrameView& frame);

  const std::string& path() const { return path_; }
  int link_type() const { return link_type_; }
  std::uint64_t size() const { return size_; }
  // Bytes consumed so far (for progress); equals size() at the end of a pcap file.
  std::uint64_t position() const;

  // The format-specific reading behind next() (defined in the .cpp).
  struct Reader;

 private:
  CaptureFile(std::string path, std::unique_ptr<Reader> reader, int link_type, std::uint64_t size);

  std::string path_;
  std::unique_ptr<Reader> reader_;
  int link_type_ = 1;
  std::uint64_t size_ = 0;
};

}  // namespace plugfest::analyze
