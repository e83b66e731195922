// Evidence opens in Wireshark as it is: every pcap of a live plugfest against the shipped
// reference devices has a settings folder beside it, and tshark with those settings decodes
// every frame as O-RAN fronthaul with no malformed frame and no error-level expert item.
// Without the settings the same capture shows no O-RAN frame at all (eCPRI over UDP on
// ports Wireshark does not know), so the check depends on the settings written.

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "interfaces/common/testing/temp_dir.h"
#include "interfaces/transport/wireshark_profile.h"

namespace plugfest {
namespace {
namespace fs = std::filesystem;

// Lines tshark prints for the frames of `pcap` matching `filter`, with `config` as its
// settings folder (empty: the defaults).
long count_frames(const fs::path& pcap, const std::string& filter, const fs::path& config) {
  std::string command;
  if (!config.empty()) command += "WIRESHARK_CONFIG_DIR=" + config.string() + " ";
  command += std::string(PLUGFEST_TSHARK) + " -r " + pcap.string() + " -Y '" + filter +
             "' 2>/dev/null | wc -l";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return -1;
  long n = -1;
  if (std::fscanf(pipe, "%ld", &n) != 1) n = -1;
  ::pclose(pipe);
  return n;
}

TEST(WiresharkEvidence, EveryEvidencePcapOfTheReferenceDevicesDecodesWithItsSettings) {
  if (std::string(PLUGFEST_TSHARK).empty()) GTEST_SKIP() << "tshark not installed";
  const fs::path root = PLUGFEST_SOURCE_DIR;
  testing::TempDir dir;
  const fs::path live = dir.path() / "live";
  std::string command = "PATH=" + fs::path(PLUGFEST_SIM).parent_path().string() + ":$PATH " +
                        PLUGFEST_BINARY +
                        " run --progress none --filter '*@reference-ru' --filter '*@reference-du'"
                        " --filter '*@reference-du+reference-ru'";
  for (const char* p : {"o-ru-cus-conformance", "o-du-cus-conformance",
                        "iot-nr-tdd-100mhz-4t4r-bfp9", "iot-nr-tdd-40mhz-2t2r-uncompressed"}) {
    command += " " + (root / "profiles" / p).string() + ".yaml";
  }
  command += " " + (root / "vendors/descriptors").string() + " --output " + live.string() +
             " > " + (dir.path() / "run.log").string() + " 2>&1";
  const int status = std::system(command.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_LE(WEXITSTATUS(status), 1) << std::ifstream(dir.path() / "run.log").rdbuf();

  int pcaps = 0;
  for (const auto& entry : fs::recursive_directory_iterator(live / "evidence")) {
    if (entry.path().extension() != ".pcap") continue;
    ++pcaps;
    const fs::path pcap = entry.path();
    const fs::path settings = transport::wireshark_profile_dir(pcap);
    ASSERT_TRUE(fs::is_regular_file(settings / "preferences")) << pcap;
    ASSERT_TRUE(fs::is_regular_file(settings / "decode_as_entries")) << pcap;
    const long frames = count_frames(pcap, "frame", settings);
    ASSERT_GT(frames, 0) << pcap;
    EXPECT_EQ(count_frames(pcap, "oran_fh_cus || ecpri", settings), frames) << pcap;
    EXPECT_EQ(count_frames(pcap, "_ws.malformed || _ws.expert.severity == \"Error\"", settings),
              0)
        << pcap << "\n  " << transport::wireshark_command(pcap);
    // The control: Wireshark's defaults do not decode the capture.
    EXPECT_EQ(count_frames(pcap, "oran_fh_cus", {}), 0) << pcap;
  }
  EXPECT_GT(pcaps, 10);
}

TEST(WiresharkProfile, KeepsThePortsAlreadyListed) {
  testing::TempDir dir;
  transport::FronthaulConfig config;
  config.ul_compression.static_params = {fronthaul::CompressionMethod::kNone, 16};
  ASSERT_TRUE(transport::write_wireshark_profile(dir.path(), config, {5000}));
  ASSERT_TRUE(transport::write_wireshark_profile(dir.path(), config, {6000, 5000}));
  std::ifstream entries(dir.path() / "decode_as_entries");
  const std::string text((std::istreambuf_iterator<char>(entries)),
                         std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("udp.port,5000,(none),eCPRI"), std::string::npos) << text;
  EXPECT_NE(text.find("udp.port,6000,(none),eCPRI"), std::string::npos) << text;
  EXPECT_EQ(text.find("5000"), text.rfind("5000")) << text;  // once
  std::ifstream prefs(dir.path() / "preferences");
  const std::string p((std::istreambuf_iterator<char>(prefs)), std::istreambuf_iterator<char>());
  EXPECT_NE(p.find("oran_fh_cus.oran.ud_comp_up: COMP_NONE"), std::string::npos) << p;
  EXPECT_NE(p.find("oran_fh_cus.oran.iq_bitwidth_up: 16"), std::string::npos) << p;
}

}  // namespace
}  // namespace plugfest
