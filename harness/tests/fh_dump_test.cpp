// End-to-end: `plugfest fh dump` on a capture written here (Ethernet and UDP framing, a
// broken packet, a frame that is not eCPRI) prints one JSON line per frame.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "interfaces/fronthaul/codec.h"
#include "interfaces/fronthaul/framing.h"
#include "interfaces/fronthaul/pcap.h"
#include "interfaces/fronthaul/testing/message_generator.h"

namespace plugfest::fronthaul {
namespace {

namespace fs = std::filesystem;

struct CommandResult {
  int status = -1;
  std::string out;
};

CommandResult run(const std::string& command) {
  CommandResult result;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  char buffer[4096];
  std::size_t n = 0;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) result.out.append(buffer, n);
  const int status = pclose(pipe);
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

class FhDump : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "plugfest-fhdump-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(FhDump, PrintsOneJsonLinePerFrameWithFieldsAndFindings) {
  DecoderConfig config;
  config.eaxc_split = {2, 6, 4, 4};
  testing::CellTraffic cell(5, config, 2);
  const std::vector<Message> slot = cell.next_slot();  // 2 C-plane + 28 U-plane
  const std::string path = (dir_ / "cell.pcap").string();
  {
    auto writer = PcapWriter::create(path);
    ASSERT_TRUE(writer.ok());
    std::int64_t t = 1'700'000'000'000'000'000;
    EthernetFraming ethernet;
    ethernet.vlans = {{7, 4, false, kEthertypeVlan}};
    ethernet.pad_to_minimum = true;
    for (const Message& m : slot) {
      ASSERT_TRUE(
          writer->write(frame_ecpri_ethernet(ethernet, encode(m)), std::chrono::nanoseconds(t++))
              .ok());
    }
    UdpFraming udp;
    udp.source_port = 40000;
    udp.destination_port = 5000;
    auto datagram = frame_ecpri_udp(udp, encode(slot[0]));
    ASSERT_TRUE(datagram.ok());
    ASSERT_TRUE(writer->write(*datagram, std::chrono::nanoseconds(t++)).ok());
    std::vector<std::uint8_t> broken = encode(slot[5]);
    broken.resize(40);  // eCPRI payload size now larger than the packet
    ASSERT_TRUE(
        writer->write(frame_ecpri_ethernet(ethernet, broken), std::chrono::nanoseconds(t++)).ok());
    std::vector<std::uint8_t> arp(60, 0);
    arp[12] = 0x08;
    arp[13] = 0x06;
    ASSERT_TRUE(writer->write(arp, std::chrono::nanoseconds(t++)).ok());
    ASSERT_TRUE(writer->close().ok());
  }
  const CommandResult result = run(std::string(PLUGFEST_BINARY) + " fh dump " + path +
                                   " --eaxc-split 2,6,4,4 --comp bfp:9 --udp-port 5000");
  EXPECT_EQ(result.status, 1) << "error findings present: exit status 1";
  std::istringstream lines(result.out);
  std::vector<nlohmann::json> frames;
  for (std::string line; std::getline(lines, line);) frames.push_back(nlohmann::json::parse(line));
  ASSERT_EQ(frames.size(), slot.size() + 3);
  for (std::size_t i = 0; i < slot.size(); ++i) {
    EXPECT_EQ(frames[i]["frame"], i + 1);
    EXPECT_EQ(frames[i]["transport"], "ethernet");
    EXPECT_EQ(frames[i]["vlan"], 7);
    EXPECT_TRUE(frames[i]["findings"].empty()) << frames[i].dump();
  }
  EXPECT_EQ(frames[0]["message"]["cplane"]["section_type"], 1);
  EXPECT_EQ(frames[0]["message"]["eaxc"]["ru_port"], 0);
  EXPECT_EQ(frames[3]["message"]["uplane"]["sections"][0]["iq_octets"], 273 * 28);
  const auto& udp = frames[slot.size()];
  EXPECT_EQ(udp["transport"], "udp-ipv4");
  // The same C-plane message again on its stream: a repeated sequence ID.
  ASSERT_EQ(udp["findings"].size(), 1u);
  EXPECT_EQ(udp["findings"][0]["rule_id"], "FH-STREAM-SEQID-REORDER");
  const auto& broken = frames[slot.size() + 1];
  ASSERT_FALSE(broken["findings"].empty());
  EXPECT_EQ(broken["findings"][0]["rule_id"], "FH-ECPRI-PAYLOAD-SIZE");
  EXPECT_EQ(broken["findings"][0]["severity"], "error");
  EXPECT_TRUE(frames.back().contains("not_ecpri"));
  EXPECT_GT(frames.back()["timestamp_ns"].get<std::int64_t>(), 1'700'000'000'000'000'000);
}

TEST_F(FhDump, NeedsNoFlagsOnAPlainCapture) {
  // Uncompressed 16-bit IQ over UDP on a port nobody names: everything is inferred.
  DecoderConfig config;
  config.uplane_compression = {false, {CompressionMethod::kNone, 16}};
  testing::CellTraffic cell(7, config, 2);
  const std::string path = (dir_ / "plain.pcap").string();
  std::size_t frames = 0;
  {
    auto writer = PcapWriter::create(path);
    ASSERT_TRUE(writer.ok());
    std::int64_t t = 1'700'000'000'000'000'000;
    UdpFraming udp;
    udp.source_port = 40000;
    udp.destination_port = 5100;
    for (int slot = 0; slot < 4; ++slot) {
      for (const Message& m : cell.next_slot()) {
        auto datagram = frame_ecpri_udp(udp, encode(m));
        ASSERT_TRUE(datagram.ok());
        ASSERT_TRUE(writer->write(*datagram, std::chrono::nanoseconds(t += 30'000)).ok());
        ++frames;
      }
    }
    ASSERT_TRUE(writer->close().ok());
  }
  const std::string err = (dir_ / "notes.txt").string();
  const CommandResult result =
      run(std::string(PLUGFEST_BINARY) + " fh dump " + path + " 2>" + err);
  std::ifstream notes_file(err);
  const std::string notes((std::istreambuf_iterator<char>(notes_file)),
                          std::istreambuf_iterator<char>());
  EXPECT_EQ(result.status, 0) << notes;
  std::istringstream lines(result.out);
  std::size_t count = 0;
  for (std::string line; std::getline(lines, line); ++count) {
    const auto frame = nlohmann::json::parse(line);
    EXPECT_EQ(frame["transport"], "udp-ipv4") << line;
    for (const auto& f : frame["findings"]) EXPECT_NE(f["severity"], "error") << line;
  }
  EXPECT_EQ(count, frames);
  EXPECT_NE(notes.find("no compression, 16-bit IQ"), std::string::npos) << notes;
  EXPECT_NE(notes.find("--comp none:16"), std::string::npos) << notes;
  EXPECT_NE(notes.find("--udp-port"), std::string::npos) << notes;

  // The same capture read as 9-bit BFP on the flags' word: errors, exit status 1.
  EXPECT_EQ(run(std::string(PLUGFEST_BINARY) + " fh dump " + path + " --comp bfp:9 2>/dev/null")
                .status,
            1);
}

TEST_F(FhDump, BadOptionsAndMissingFilesAreBadInput) {
  const std::string binary = PLUGFEST_BINARY;
  EXPECT_EQ(run(binary + " fh dump " + (dir_ / "none.pcap").string() + " 2>&1").status, 2);
  EXPECT_EQ(run(binary + " fh dump x.pcap --eaxc-split 4,4,4 2>&1").status, 2);
  const CommandResult comp = run(binary + " fh dump x.pcap --comp bfp:17 2>&1");
  EXPECT_EQ(comp.status, 2);
  EXPECT_NE(comp.out.find("--comp"), std::string::npos);
  EXPECT_EQ(run(binary + " fh dump x.pcap --numerology 5 2>&1").status, 2);
  EXPECT_EQ(run(binary + " fh dump x.pcap --carrier-prbs 0 2>&1").status, 2);
}

TEST_F(FhDump, ListsTheRuleCatalog) {
  const CommandResult result = run(std::string(PLUGFEST_BINARY) + " fh rules");
  EXPECT_EQ(result.status, 0);
  std::istringstream lines(result.out);
  std::size_t count = 0;
  for (std::string line; std::getline(lines, line); ++count) {
    const auto rule = nlohmann::json::parse(line);
    EXPECT_TRUE(rule["rule_id"].get<std::string>().starts_with("FH-"));
  }
  EXPECT_EQ(count, rule_catalog().size());
}

}  // namespace
}  // namespace plugfest::fronthaul
