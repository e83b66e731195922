#include "interfaces/fronthaul/pcap.h"

#include <pcap/pcap.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <utility>

namespace plugfest::fronthaul {
namespace {

// Large enough for jumbo frames; the snapshot length written in the file header.
constexpr int kSnapLength = 262144;
// stdio buffer of a capture being written: a 100 MHz cell writes ~1 GB/s, so few large
// writes rather than one per BUFSIZ.
constexpr std::size_t kWriteBuffer = std::size_t{1} << 20;

struct PcapCloser {
  void operator()(pcap_t* p) const { pcap_close(p); }
};
struct DumperCloser {
  void operator()(pcap_dumper_t* d) const { pcap_dump_close(d); }
};

}  // namespace

struct PcapWriter::Handles {
  std::vector<char> buffer;  // the FILE's buffer, outlives the dumper that closes it
  std::unique_ptr<pcap_t, PcapCloser> pcap;
  std::unique_ptr<pcap_dumper_t, DumperCloser> dumper;
};

PcapWriter::PcapWriter(std::string path, std::unique_ptr<Handles> handles)
    : path_(std::move(path)), handles_(std::move(handles)) {}
PcapWriter::PcapWriter(PcapWriter&&) noexcept = default;
PcapWriter& PcapWriter::operator=(PcapWriter&&) noexcept = default;
PcapWriter::~PcapWriter() = default;

Result<PcapWriter> PcapWriter::create(const std::string& path, int link_type) {
  auto handles = std::make_unique<Handles>();
  handles->pcap.reset(
      pcap_open_dead_with_tstamp_precision(link_type, kSnapLength, PCAP_TSTAMP_PRECISION_NANO));
  if (!handles->pcap) return Error{"cannot set up a pcap writer", path};
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) {
    return Error{std::string("cannot create pcap file: ") + std::strerror(errno), path};
  }
  handles->buffer.resize(kWriteBuffer);
  std::setvbuf(file, handles->buffer.data(), _IOFBF, handles->buffer.size());
  handles->dumper.reset(pcap_dump_fopen(handles->pcap.get(), file));
  if (!handles->dumper) {
    std::fclose(file);
    return Error{std::string("cannot create pcap file: ") + pcap_geterr(handles->pcap.get()), path};
  }
  return PcapWriter(path, std::move(handles));
}

Result<void> PcapWriter::write(std::span<const std::uint8_t> frame,
                               std::chrono::nanoseconds timestamp) {
  return write(frame, {}, timestamp);
}

Result<void> PcapWriter::write(std::span<const std::uint8_t> headers,
                               std::span<const std::uint8_t> payload,
                               std::chrono::nanoseconds timestamp) {
  return write_record(headers, payload, timestamp, headers.size() + payload.size());
}

Result<void> PcapWriter::write_cut(std::span<const std::uint8_t> kept,
                                   std::size_t original_length,
                                   std::chrono::nanoseconds timestamp) {
  return write_record(kept, {}, timestamp, std::max(original_length, kept.size()));
}

Result<void> PcapWriter::write_record(std::span<const std::uint8_t> headers,
                                      std::span<const std::uint8_t> payload,
                                      std::chrono::nanoseconds timestamp,
                                      std::size_t original_length) {
  auto where = [&] { return path_ + ": frame " + std::to_string(frames_written_ + 1); };
  if (!handles_ || !handles_->dumper) return Error{"pcap writer is closed", where()};
  if (timestamp.count() < 0) return Error{"negative capture timestamp", where()};
  const std::size_t size = headers.size() + payload.size();
  if (size > static_cast<std::size_t>(kSnapLength)) {
    return Error{"frame of " + std::to_string(size) + " bytes exceeds the snapshot length " +
                     std::to_string(kSnapLength),
                 where()};
  }
  // The record header of the pcap file format (host byte order, as libpcap's pcap_dump
  // writes it): seconds, nanoseconds (a nanosecond-precision file), captured and original
  // length.
  constexpr std::int64_t kNanosPerSecond = 1'000'000'000;
  const std::uint32_t record[4] = {static_cast<std::uint32_t>(timestamp.count() / kNanosPerSecond),
                                   static_cast<std::uint32_t>(timestamp.count() % kNanosPerSecond),
                                   static_cast<std::uint32_t>(size),
                                   static_cast<std::uint32_t>(original_length)};
  std::FILE* file = pcap_dump_file(handles_->dumper.get());
  std::fwrite(record, sizeof record, 1, file);
  if (!headers.empty()) std::fwrite(headers.data(), 1, headers.size(), file);
  if (!payload.empty()) std::fwrite(payload.data(), 1, payload.size(), file);
  ++frames_written_;
  return {};
}

Result<void> PcapWriter::flush() {
  if (!handles_ || !handles_->dumper) return Error{"pcap writer is closed", path_};
  if (pcap_dump_flush(handles_->dumper.get()) != 0 ||
      std::ferror(pcap_dump_file(handles_->dumper.get())) != 0) {
    return Error{std::string("write failed: ") + std::strerror(errno), path_};
  }
  return {};
}

Result<void> PcapWriter::close() {
  if (!handles_ || !handles_->dumper) return {};
  Result<void> flushed = flush();
  handles_.reset();
  return flushed;
}

struct PcapReader::Handles {
  std::unique_ptr<pcap_t, PcapCloser> pcap;
};

PcapReader::PcapReader(std::string path, std::unique_ptr<Handles> handles, int link_type)
    : path_(std::move(path)), handles_(std::move(handles)), link_type_(link_type) {}
PcapReader::PcapReader(PcapReader&&) noexcept = default;
PcapReader& PcapReader::operator=(PcapReader&&) noexcept = default;
PcapReader::~PcapReader() = default;

Result<PcapReader> PcapReader::open(const std::string& path) {
  char errbuf[PCAP_ERRBUF_SIZE] = {};
  auto handles = std::make_unique<Handles>();
  handles->pcap.reset(
      pcap_open_offline_with_tstamp_precision(path.c_str(), PCAP_TSTAMP_PRECISION_NANO, errbuf));
  if (!handles->pcap) {
    return Error{std::string("not a readable pcap or pcapng file: ") + errbuf, path};
  }
  const int link_type = pcap_datalink(handles->pcap.get());
  return PcapReader(path, std::move(handles), link_type);
}

Result<std::optional<CapturedFrame>> PcapReader::next() {
  const std::size_t number = frames_read_ + 1;
  const std::string where = path_ + ": frame " + std::to_string(number);
  if (!handles_) return Error{"pcap reader is closed", path_};
  if (failed_) return Error{"reading stopped after an earlier error", where};
  pcap_pkthdr* header = nullptr;
  const u_char* data = nullptr;
  const int rc = pcap_next_ex(handles_->pcap.get(), &header, &data);
  if (rc == PCAP_ERROR_BREAK) return std::optional<CapturedFrame>{};
  if (rc != 1 || header == nullptr || data == nullptr) {
    failed_ = true;
    return Error{std::string("cannot read frame: ") + pcap_geterr(handles_->pcap.get()), where};
  }
  ++frames_read_;
  CapturedFrame frame;
  frame.timestamp = std::chrono::seconds(header->ts.tv_sec) +
                    std::chrono::nanoseconds(static_cast<std::int64_t>(header->ts.tv_usec));
  frame.bytes.assign(data, data + header->caplen);
  frame.original_length = header->len;
  frame.frame_number = number;
  return std::optional<CapturedFrame>(std::move(frame));
}

}  // namespace plugfest::fronthaul
