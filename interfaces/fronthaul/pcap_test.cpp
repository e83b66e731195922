#include "interfaces/fronthaul/pcap.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

namespace plugfest::fronthaul {
namespace {

namespace fs = std::filesystem;
using std::chrono::nanoseconds;

class PcapTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "plugfest-pcap-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string file(const std::string& name) const { return (dir_ / name).string(); }

  fs::path dir_;
};

std::vector<std::uint8_t> frame_of(std::size_t size, std::uint8_t seed) {
  std::vector<std::uint8_t> bytes(size);
  for (std::size_t i = 0; i < size; ++i) bytes[i] = static_cast<std::uint8_t>(seed + i * 7);
  return bytes;
}

void write_bytes(const std::string& path, const std::vector<std::uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
}

TEST_F(PcapTest, WritesAndReadsBackFramesWithNanosecondTimestamps) {
  const std::string path = file("a.pcap");
  const std::vector<nanoseconds> stamps = {nanoseconds(1'700'000'000'123'456'789),
                                           nanoseconds(1'700'000'000'123'456'790),
                                           nanoseconds(1'700'000'001'000'000'001)};
  {
    auto writer = PcapWriter::create(path);
    ASSERT_TRUE(writer.ok()) << writer.error().to_string();
    for (std::size_t i = 0; i < stamps.size(); ++i) {
      ASSERT_TRUE(
          writer->write(frame_of(60 + i * 500, static_cast<std::uint8_t>(i)), stamps[i]).ok());
    }
    ASSERT_TRUE(writer->flush().ok());
    EXPECT_EQ(writer->frames_written(), 3u);
  }
  auto reader = PcapReader::open(path);
  ASSERT_TRUE(reader.ok()) << reader.error().to_string();
  EXPECT_EQ(reader->link_type(), kLinkTypeEthernet);
  for (std::size_t i = 0; i < stamps.size(); ++i) {
    auto frame = reader->next();
    ASSERT_TRUE(frame.ok()) << frame.error().to_string();
    ASSERT_TRUE(frame->has_value());
    EXPECT_EQ((*frame)->frame_number, i + 1);
    EXPECT_EQ((*frame)->timestamp, stamps[i]);
    EXPECT_EQ((*frame)->bytes, frame_of(60 + i * 500, static_cast<std::uint8_t>(i)));
    EXPECT_EQ((*frame)->original_length, (*frame)->bytes.size());
  }
  auto end = reader->next();
  ASSERT_TRUE(end.ok());
  EXPECT_FALSE(end->has_value());
}

TEST_F(PcapTest, FrameWrittenAsHeadersAndPayloadReadsBackWhole) {
  const std::string path = file("parts.pcap");
  const auto headers = frame_of(14, 1);
  const auto payload = frame_of(9000, 2);
  const nanoseconds stamp(1'700'000'000'999'999'999);
  {
    auto writer = PcapWriter::create(path);
    ASSERT_TRUE(writer.ok()) << writer.error().to_string();
    ASSERT_TRUE(writer->write(headers, payload, stamp).ok());
    ASSERT_TRUE(writer->write(frame_of(60, 3), stamp + nanoseconds(1)).ok());
    ASSERT_TRUE(writer->close().ok());
  }
  auto reader = PcapReader::open(path);
  ASSERT_TRUE(reader.ok()) << reader.error().to_string();
  auto first = reader->next();
  ASSERT_TRUE(first.ok() && first->has_value());
  std::vector<std::uint8_t> whole = headers;
  whole.insert(whole.end(), payload.begin(), payload.end());
  EXPECT_EQ((*first)->bytes, whole);
  EXPECT_EQ((*first)->timestamp, stamp);
  auto second = reader->next();
  ASSERT_TRUE(second.ok() && second->has_value());
  EXPECT_EQ((*second)->bytes, frame_of(60, 3));
}

TEST_F(PcapTest, TruncatedFileIsAnErrorNamingFileAndFrame) {
  const std::string path = file("cut.pcap");
  {
    auto writer = PcapWriter::create(path);
    ASSERT_TRUE(writer.ok());
    ASSERT_TRUE(writer->write(frame_of(100, 1), nanoseconds(1)).ok());
    ASSERT_TRUE(writer->write(frame_of(100, 2), nanoseconds(2)).ok());
    ASSERT_TRUE(writer->close().ok());
  }
  fs::resize_file(path, fs::file_size(path) - 10);
  auto reader = PcapReader::open(path);
  ASSERT_TRUE(reader.ok());
  ASSERT_TRUE(reader->next().ok());
  auto second = reader->next();
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.error().where.find(path), std::string::npos);
  EXPECT_NE(second.error().where.find("frame 2"), std::string::npos);
  EXPECT_NE(second.error().message.find("truncated"), std::string::npos) << second.error().message;
  EXPECT_FALSE(reader->next().ok());  // stays failed, no crash
}

TEST_F(PcapTest, NonPcapAndMissingFilesAreClearErrors) {
  const std::string text = file("notes.txt");
  write_bytes(text, {'h', 'e', 'l', 'l', 'o', ' ', 'w', 'o', 'r', 'l', 'd', '\n', 0,
                     0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,    0});
  auto bad = PcapReader::open(text);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().where, text);
  EXPECT_NE(bad.error().message.find("not a readable pcap"), std::string::npos);

  const std::string empty = file("empty.pcap");
  write_bytes(empty, {});
  EXPECT_FALSE(PcapReader::open(empty).ok());

  auto missing = PcapReader::open(file("absent.pcap"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().where, file("absent.pcap"));

  auto unwritable = PcapWriter::create(file("no/such/dir/x.pcap"));
  EXPECT_FALSE(unwritable.ok());
}

TEST_F(PcapTest, RejectsNegativeTimestampsAndWritesAfterClose) {
  auto writer = PcapWriter::create(file("w.pcap"));
  ASSERT_TRUE(writer.ok());
  EXPECT_FALSE(writer->write(frame_of(10, 0), nanoseconds(-1)).ok());
  ASSERT_TRUE(writer->close().ok());
  auto late = writer->write(frame_of(10, 0), nanoseconds(5));
  ASSERT_FALSE(late.ok());
  EXPECT_NE(late.error().message.find("closed"), std::string::npos);
}

void put32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

// A minimal little-endian pcapng: section header, one Ethernet interface (microsecond
// timestamps by default), one enhanced packet block.
TEST_F(PcapTest, ReadsPcapng) {
  std::vector<std::uint8_t> ng;
  put32(ng, 0x0A0D0D0A);
  put32(ng, 28);
  put32(ng, 0x1A2B3C4D);
  put32(ng, 0x00000001);  // version 1.0
  put32(ng, 0xffffffff);
  put32(ng, 0xffffffff);  // section length unknown
  put32(ng, 28);
  put32(ng, 1);
  put32(ng, 20);
  put32(ng, kLinkTypeEthernet);  // link type + reserved
  put32(ng, 65535);
  put32(ng, 20);
  const auto data = frame_of(61, 9);
  const std::uint32_t padded = (61 + 3) & ~3u;
  const std::uint64_t micros = 1'600'000'000'000'001ull;
  put32(ng, 6);
  put32(ng, 32 + padded);
  put32(ng, 0);
  put32(ng, static_cast<std::uint32_t>(micros >> 32));
  put32(ng, static_cast<std::uint32_t>(micros));
  put32(ng, 61);
  put32(ng, 61);
  ng.insert(ng.end(), data.begin(), data.end());
  ng.resize(ng.size() + (padded - 61), 0);
  put32(ng, 32 + padded);
  const std::string path = file("x.pcapng");
  write_bytes(path, ng);

  auto reader = PcapReader::open(path);
  ASSERT_TRUE(reader.ok()) << reader.error().to_string();
  auto frame = reader->next();
  ASSERT_TRUE(frame.ok()) << frame.error().to_string();
  ASSERT_TRUE(frame->has_value());
  EXPECT_EQ((*frame)->bytes, data);
  EXPECT_EQ((*frame)->timestamp, std::chrono::microseconds(micros));
  EXPECT_EQ((*frame)->frame_number, 1u);
  auto end = reader->next();
  ASSERT_TRUE(end.ok());
  EXPECT_FALSE(end->has_value());
}

}  // namespace
}  // namespace plugfest::fronthaul
