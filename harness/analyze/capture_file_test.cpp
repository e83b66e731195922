#include "harness/analyze/capture_file.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>

#include "harness/analyze/analyzer.h"
#include "harness/analyze/testing/capture_builder.h"
#include "interfaces/common/testing/temp_dir.h"

namespace plugfest::analyze {
namespace {

using plugfest::testing::TempDir;

std::vector<testing::BuiltFrame> exchange_frames(unsigned slots) {
  testing::ExchangeBuilder builder(testing::ExchangeOptions{});
  std::vector<testing::BuiltFrame> frames;
  for (unsigned i = 0; i < slots; ++i) {
    for (auto& f : builder.next_slot()) frames.push_back(std::move(f));
  }
  return frames;
}

AnalysisConfig exchange_config() {
  AnalysisConfig c = testing::ExchangeBuilder(testing::ExchangeOptions{}).config();
  c.response_window = std::chrono::milliseconds(2);
  return c;
}

TEST(CaptureFileTest, ReadsFramesWithNumbersAndNanosecondTimes) {
  TempDir dir;
  const auto frames = exchange_frames(2);
  ASSERT_TRUE(testing::write_capture(dir.file("a.pcap"), frames).ok());
  auto file = CaptureFile::open(dir.file("a.pcap"));
  ASSERT_TRUE(file.ok()) << file.error().to_string();
  FrameView view;
  std::size_t n = 0;
  while (true) {
    auto next = file->next(view);
    ASSERT_TRUE(next.ok());
    if (!*next) break;
    ASSERT_LT(n, frames.size());
    EXPECT_EQ(view.frame_number, n + 1);
    EXPECT_EQ(view.timestamp, frames[n].timestamp);
    EXPECT_TRUE(std::equal(view.bytes.begin(), view.bytes.end(), frames[n].bytes.begin(),
                           frames[n].bytes.end()));
    ++n;
  }
  EXPECT_EQ(n, frames.size());
  EXPECT_EQ(file->position(), file->size());
}

TEST(CaptureFileTest, NonPcapFileIsRefusedClearly) {
  TempDir dir;
  std::ofstream(dir.file("notes.txt")) << "this is not a capture\n";
  auto file = CaptureFile::open(dir.file("notes.txt"));
  ASSERT_FALSE(file.ok());
  EXPECT_NE(file.error().message.find("not a pcap or pcapng file"), std::string::npos);
  EXPECT_EQ(file.error().where, dir.file("notes.txt"));
  auto report = analyze_captures({dir.file("notes.txt")}, exchange_config());
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.error().message.find("not a pcap"), std::string::npos);

  auto missing = CaptureFile::open(dir.file("absent.pcap"));
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("cannot open"), std::string::npos);
}

TEST(CaptureFileTest, TruncatedFileKeepsTheFramesBeforeTheDamage) {
  TempDir dir;
  const std::string path = dir.file("cut.pcap");
  const auto frames = exchange_frames(16);
  ASSERT_TRUE(testing::write_capture(path, frames).ok());
  std::filesystem::resize_file(path, std::filesystem::file_size(path) - 100);
  auto report = analyze_captures({path}, exchange_config());
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->frames, frames.size() - 1);
  bool noted = false;
  for (const auto& n : report->notes) {
    noted |= n.find("truncated capture") != std::string::npos &&
             n.find("frame " + std::to_string(frames.size())) != std::string::npos;
  }
  EXPECT_TRUE(noted);
  EXPECT_EQ(report->find(CaseId::kUplaneHeaders, adapter::Role::kOru)->judgement, Judgement::kPass);
}

TEST(CaptureFileTest, CaptureWithoutEcpriSaysSo) {
  TempDir dir;
  std::vector<testing::BuiltFrame> frames;
  for (int i = 0; i < 10; ++i) {
    testing::BuiltFrame f;
    f.bytes.assign(60, 0);
    f.bytes[12] = 0x08;
    f.bytes[13] = 0x06;  // ARP
    f.timestamp = std::chrono::seconds(10 + i);
    frames.push_back(f);
  }
  ASSERT_TRUE(testing::write_capture(dir.file("arp.pcap"), frames).ok());
  auto report = analyze_captures({dir.file("arp.pcap")}, exchange_config());
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->ecpri_frames, 0u);
  EXPECT_EQ(report->skipped_frames, 10u);
  for (const auto& c : report->cases) {
    EXPECT_EQ(c.judgement, Judgement::kInconclusive);
    EXPECT_NE(c.reason.find("no eCPRI"), std::string::npos);
  }
}

TEST(CaptureFileTest, GarbageBetweenGoodFramesIsSkippedAndTheRestJudged) {
  TempDir dir;
  std::mt19937 rng(7);
  std::vector<testing::BuiltFrame> mixed;
  std::size_t garbage = 0;
  for (auto& f : exchange_frames(16)) {
    testing::BuiltFrame junk;
    junk.bytes.resize(1 + rng() % 200);
    for (auto& b : junk.bytes) b = static_cast<std::uint8_t>(rng());
    junk.timestamp = f.timestamp;
    mixed.push_back(std::move(junk));
    ++garbage;
    mixed.push_back(std::move(f));
  }
  ASSERT_TRUE(testing::write_capture(dir.file("mixed.pcap"), mixed).ok());
  auto report = analyze_captures({dir.file("mixed.pcap")}, exchange_config());
  ASSERT_TRUE(report.ok());
  EXPECT_GE(report->skipped_frames + 16, garbage);  // a random frame may pass for eCPRI
  for (CaseId id : {CaseId::kUlResponse, CaseId::kPrachResponse, CaseId::kTimingOru}) {
    EXPECT_EQ(report->find(id, adapter::Role::kOru)->judgement, Judgement::kPass);
  }
  EXPECT_FALSE(report->notes.empty());
}

TEST(CaptureFileTest, PcapngReadThroughLibpcap) {
  const char* editcap = "/usr/bin/editcap";
  if (!std::filesystem::exists(editcap)) GTEST_SKIP() << "editcap not installed";
  TempDir dir;
  ASSERT_TRUE(testing::write_capture(dir.file("a.pcap"), exchange_frames(8)).ok());
  const std::string command =
      std::string(editcap) + " -F pcapng " + dir.file("a.pcap") + " " + dir.file("a.pcapng");
  ASSERT_EQ(std::system(command.c_str()), 0);
  auto report = analyze_captures({dir.file("a.pcapng")}, exchange_config());
  ASSERT_TRUE(report.ok());
  EXPECT_GT(report->ecpri_frames, 0u);
  EXPECT_EQ(report->find(CaseId::kCplaneUplane, adapter::Role::kOru)->judgement, Judgement::kPass);
}

}  // namespace
}  // namespace plugfest::analyze
