#include "harness/analyze/capture_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <vector>

#include "interfaces/fronthaul/pcap.h"

namespace plugfest::analyze {
namespace {

constexpr std::uint32_t kMagicMicro = 0xa1b2c3d4;
constexpr std::uint32_t kMagicNano = 0xa1b23c4d;
constexpr std::uint32_t kPcapngBlock = 0x0a0d0d0a;
constexpr std::size_t kFileHeader = 24;
constexpr std::size_t kRecordHeader = 16;
// A record longer than this is damage, not a frame (libpcap's own ceiling).
constexpr std::uint32_t kMaxRecord = 262144;
// Read in large blocks: a few system calls per megabyte, memory independent of the file.
constexpr std::size_t kBufferSize = 4 << 20;

std::uint32_t swap32(std::uint32_t v) { return __builtin_bswap32(v); }

std::string hex32(std::uint32_t v) {
  char text[11];
  std::snprintf(text, sizeof text, "0x%08x", v);
  return text;
}

}  // namespace

struct CaptureFile::Reader {
  virtual ~Reader() = default;
  virtual Result<bool> next(FrameView& frame) = 0;
  virtual std::uint64_t position() const = 0;
};

namespace {

// Classic pcap, parsed in place from a read buffer.
class ClassicReader final : public CaptureFile::Reader {
 public:
  ClassicReader(std::string path, int fd, bool swapped, bool nano)
      : path_(std::move(path)), fd_(fd), swapped_(swapped), nano_(nano), buffer_(kBufferSize) {
    consumed_ = kFileHeader;
    ::lseek(fd_, static_cast<off_t>(kFileHeader), SEEK_SET);
  }
  ~ClassicReader() override { ::close(fd_); }

  std::uint64_t position() const override { return consumed_; }

  Result<bool> next(FrameView& frame) override {
    const std::size_t number = frames_ + 1;
    auto where = [&] { return path_ + ": frame " + std::to_string(number); };
    if (failed_) return Error{"reading stopped after an earlier error", where()};
    auto header = fill(kRecordHeader);
    if (!header) return fail(header.error());
    if (*header == 0) return false;
    if (*header < kRecordHeader) {
      return fail(Error{"truncated capture: the file ends inside a record header (" +
                            std::to_string(*header) + " of 16 bytes) at file offset " +
                            std::to_string(consumed_),
                        where()});
    }
    const std::uint8_t* h = buffer_.data() + begin_;
    const std::uint32_t seconds = word(h);
    const std::uint32_t fraction = word(h + 4);
    const std::uint32_t included = word(h + 8);
    const std::uint32_t original = word(h + 12);
    if (included > kMaxRecord) {
      return fail(Error{"record length " + std::to_string(included) +
                            " is not plausible (damaged file?) at file offset " +
                            std::to_string(consumed_),
                        where()});
    }
    auto body = fill(kRecordHeader + included);
    if (!body) return fail(body.error());
    if (*body < kRecordHeader + included) {
      return fail(Error{"truncated capture: the record of " + std::to_string(included) +
                            " bytes at file offset " + std::to_string(consumed_) + " has only " +
                            std::to_string(*body - kRecordHeader),
                        where()});
    }
    frame.bytes = std::span<const std::uint8_t>(buffer_.data() + begin_ + kRecordHeader, included);
    frame.timestamp = std::chrono::seconds(seconds) +
                      (nano_ ? std::chrono::nanoseconds(fraction)
                             : std::chrono::nanoseconds(std::int64_t{fraction} * 1000));
    frame.original_length = original;
    frame.frame_number = number;
    begin_ += kRecordHeader + included;
    consumed_ += kRecordHeader + included;
    ++frames_;
    return true;
  }

 private:
  std::uint32_t word(const std::uint8_t* p) const {
    std::uint32_t v;
    std::memcpy(&v, p, 4);
    return swapped_ ? swap32(v) : v;
  }

  Result<bool> fail(Error error) {
    failed_ = true;
    return error;
  }

  // Makes at least `need` bytes available from begin_ when the file has them; returns how
  // many are available (fewer only at the end of the file).
  Result<std::size_t> fill(std::size_t need) {
    if (end_ - begin_ >= need) return end_ - begin_;
    if (begin_ > 0) {
      std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
      end_ -= begin_;
      begin_ = 0;
    }
    if (buffer_.size() < need) buffer_.resize(need);
    while (end_ < need && !eof_) {
      const ssize_t n = ::read(fd_, buffer_.data() + end_, buffer_.size() - end_);
      if (n < 0) {
        if (errno == EINTR) continue;
        return Error{std::string("read failed: ") + std::strerror(errno), path_};
      }
      if (n == 0) eof_ = true;
      end_ += static_cast<std::size_t>(n);
    }
    return end_ - begin_;
  }

  std::string path_;
  int fd_;
  bool swapped_;
  bool nano_;
  std::vector<std::uint8_t> buffer_;
  std::size_t begin_ = 0, end_ = 0;
  std::uint64_t consumed_ = 0;
  std::size_t frames_ = 0;
  bool eof_ = false;
  bool failed_ = false;
};

// pcapng through libpcap: one copy per frame, fine for the rarer format.
class PcapngReader final : public CaptureFile::Reader {
 public:
  explicit PcapngReader(fronthaul::PcapReader reader) : reader_(std::move(reader)) {}

  std::uint64_t position() const override { return position_; }

  Result<bool> next(FrameView& frame) override {
    auto next = reader_.next();
    if (!next) return next.error();
    if (!next->has_value()) return false;
    current_ = std::move(**next);
    frame.bytes = current_.bytes;
    frame.timestamp = current_.timestamp;
    frame.original_length = current_.original_length;
    frame.frame_number = current_.frame_number;
    position_ += current_.bytes.size() + 32;  // an estimate: block overhead varies
    return true;
  }

 private:
  fronthaul::PcapReader reader_;
  fronthaul::CapturedFrame current_;
  std::uint64_t position_ = 0;
};

}  // namespace

CaptureFile::CaptureFile(std::string path, std::unique_ptr<Reader> reader, int link_type,
                         std::uint64_t size)
    : path_(std::move(path)), reader_(std::move(reader)), link_type_(link_type), size_(size) {}
CaptureFile::CaptureFile(CaptureFile&&) noexcept = default;
CaptureFile& CaptureFile::operator=(CaptureFile&&) noexcept = default;
CaptureFile::~CaptureFile() = default;

Result<bool> CaptureFile::next(FrameView& frame) { return reader_->next(frame); }
std::uint64_t CaptureFile::position() const { return reader_->position(); }

Result<CaptureFile> CaptureFile::open(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Error{std::string("cannot open capture: ") + std::strerror(errno), path};
  struct stat info {};
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    ::close(fd);
    return Error{"not a regular file", path};
  }
  const auto size = static_cast<std::uint64_t>(info.st_size);
  std::uint8_t header[kFileHeader] = {};
  const ssize_t got = ::pread(fd, header, sizeof header, 0);
  std::uint32_t magic = 0;
  if (got >= 4) std::memcpy(&magic, header, 4);
  if (magic == kPcapngBlock) {
    ::close(fd);
    auto reader = fronthaul::PcapReader::open(path);
    if (!reader) return reader.error();
    const int link_type = reader->link_type();
    return CaptureFile(path, std::make_unique<PcapngReader>(std::move(*reader)), link_type, size);
  }
  const bool native = magic == kMagicMicro || magic == kMagicNano;
  const bool swapped = swap32(magic) == kMagicMicro || swap32(magic) == kMagicNano;
  if (!native && !swapped) {
    ::close(fd);
    if (got < 4) {
      return Error{
          "not a pcap or pcapng file: only " + std::to_string(got < 0 ? 0 : got) + " bytes long",
          path};
    }
    return Error{"not a pcap or pcapng file: it starts with " + hex32(magic) +
                     ", not a pcap (0xa1b2c3d4 / 0xa1b23c4d) or pcapng (0x0a0d0d0a) magic",
                 path};
  }
  if (got < static_cast<ssize_t>(kFileHeader)) {
    ::close(fd);
    return Error{
        "truncated capture: the pcap file header has " + std::to_string(got) + " of 24 bytes",
        path};
  }
  std::uint32_t link_type = 0;
  std::memcpy(&link_type, header + 20, 4);
  if (swapped) link_type = swap32(link_type);
  const bool nano = (swapped ? swap32(magic) : magic) == kMagicNano;
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  return CaptureFile(path, std::make_unique<ClassicReader>(path, fd, swapped, nano),
                     static_cast<int>(link_type & 0xffff), size);
}

}  // namespace plugfest::analyze
