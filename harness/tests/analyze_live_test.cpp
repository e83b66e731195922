// A capture of a live plugfest judges like the live run. `plugfest run` drives the CUS
// conformance and one IOT profile against the shipped simulated vendors (real processes,
// real UDP fronthaul); each item's evidence capture is then analysed offline under the
// item's profile, and for every live case an offline case judges too (offline_cases.h,
// live_cases), the offline verdict on that side must agree: a live failure is an offline
// failure, a live pass is no offline failure. Every evidence capture, conformance and
// interoperability alike, has its analysis settings beside it and judges with them as the
// live run did; every finding of the interoperability relay is located as "frame N byte M"
// in its evidence capture.

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "harness/analyze/analyzer.h"
#include "harness/inputs/parameters.h"
#include "interfaces/fronthaul/pcap.h"
#include "interfaces/transport/analysis_settings.h"
#include "interfaces/common/testing/temp_dir.h"

namespace plugfest::analyze {
namespace {

namespace fs = std::filesystem;

const char* const kProfiles[] = {"o-ru-cus-conformance", "o-du-cus-conformance",
                                 "iot-nr-tdd-100mhz-4t4r-bfp9"};

bool judged_by(const OfflineCase& c, const std::string& live_case) {
  std::istringstream words{std::string(c.live_cases)};
  for (std::string w; words >> w;) {
    if (w == live_case) return true;
  }
  return false;
}

bool is_timing(CaseId id) { return id == CaseId::kTimingOdu || id == CaseId::kTimingOru; }

// The frames of a capture, by Wireshark frame number (from 1).
std::vector<std::vector<std::uint8_t>> frames_of(const fs::path& capture) {
  std::vector<std::vector<std::uint8_t>> frames;
  auto reader = fronthaul::PcapReader::open(capture.string());
  EXPECT_TRUE(reader) << reader.error().to_string();
  if (!reader) return frames;
  while (true) {
    auto frame = reader->next();
    EXPECT_TRUE(frame) << frame.error().to_string();
    if (!frame || !*frame) break;
    frames.push_back(std::move((*frame)->bytes));
  }
  return frames;
}

// Checks that every fronthaul finding of an interoperability item says "frame N byte M"
// and that frame N of its evidence holds an eCPRI message (over UDP / IPv4, from byte 42)
// that byte M lies in. Returns how many findings it checked.
int check_locations(const nlohmann::json& item, const fs::path& capture) {
  static const std::regex location("frame ([0-9]+) byte ([0-9]+)");
  constexpr std::size_t kEcpriStart = 14 + 20 + 8;
  std::vector<std::vector<std::uint8_t>> frames;
  int checked = 0;
  for (const auto& f : item["findings"]) {
    const std::string rule = f["rule_id"];
    if (!rule.starts_with("FH-")) continue;  // the case's own findings name the relay or tap
    if (frames.empty()) frames = frames_of(capture);
    const std::string where = f["where"];
    std::smatch m;
    if (!std::regex_match(where, m, location)) {
      ADD_FAILURE() << item["case"] << " " << rule << ": located as \"" << where << "\"";
      continue;
    }
    const std::size_t frame = std::stoul(m[1]), byte = std::stoul(m[2]);
    ++checked;
    if (frame < 1 || frame > frames.size()) {
      ADD_FAILURE() << rule << " at " << where << ": the capture has " << frames.size()
                    << " frames";
      continue;
    }
    const auto& bytes = frames[frame - 1];
    EXPECT_GE(byte, kEcpriStart) << rule << " at " << where;
    EXPECT_LT(byte, bytes.size()) << rule << " at " << where;
    if (bytes.size() <= kEcpriStart) {
      ADD_FAILURE() << rule << " at " << where << ": frame of " << bytes.size() << " bytes";
      continue;
    }
    EXPECT_EQ(bytes[kEcpriStart] >> 4, 1) << rule << " at " << where << ": no eCPRI header";
  }
  return checked;
}

TEST(AnalyzeLive, CapturesOfALivePlugfestJudgeLikeTheLiveRun) {
  const fs::path root = PLUGFEST_SOURCE_DIR;
  plugfest::testing::TempDir dir;
  const fs::path live = dir.path() / "live";
  // The shipped descriptors launch `plugfest-sim` from PATH.
  std::string command = "PATH=" + fs::path(PLUGFEST_SIM).parent_path().string() + ":$PATH " +
                        PLUGFEST_BINARY + " run --progress plain";
  for (const char* p : kProfiles) command += " " + (root / "profiles" / p).string() + ".yaml";
  command += " " + (root / "vendors/descriptors").string() + " --output " + live.string() + " > " +
             (dir.path() / "run.log").string() + " 2>&1";
  const int status = std::system(command.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  // 1: the fictional vendors' faults fail cases, as they should.
  ASSERT_LE(WEXITSTATUS(status), 1) << std::ifstream(dir.path() / "run.log").rdbuf();

  std::map<std::string, harness::Parameters> profile_parameters;
  for (const char* p : kProfiles) {
    const std::string file = (root / "profiles" / p).string() + ".yaml";
    profile_parameters[p] = harness::Parameters::from_yaml(file, YAML::LoadFile(file)["defaults"]);
  }

  int compared = 0, live_failures = 0, disagreements = 0, not_comparable = 0;
  int own_judged = 0, own_ul_response = 0;  // judged with the evidence's own settings
  int own_iot = 0;                           // of them, on interoperability evidence
  int iot_located = 0;                       // interoperability findings located
  std::ifstream journal(live / "journal.jsonl");
  for (std::string line; std::getline(journal, line);) {
    const auto item = nlohmann::json::parse(line);
    const std::string live_case = item["case"];
    const std::string verdict = item["verdict"];
    if (verdict != "pass" && verdict != "fail") continue;
    std::vector<const OfflineCase*> offline;
    for (const auto& c : offline_cases()) {
      if (judged_by(c, live_case)) offline.push_back(&c);
    }
    if (offline.empty()) continue;
    std::string duts;
    for (const auto& d : item["duts"]) duts += (duts.empty() ? "" : "+") + d.get<std::string>();
    const fs::path capture = live / "evidence" / live_case / duts / "fronthaul.pcap";
    ASSERT_TRUE(fs::exists(capture)) << capture;
    // Every evidence capture has its settings beside it, conformance or interoperability.
    const auto settings = transport::analysis_settings_file(capture);
    EXPECT_TRUE(fs::exists(settings)) << settings;
    if (item["kind"] == "interoperability") iot_located += check_locations(item, capture);

    // The evidence's own settings (dilated clock, epoch, windows): for the reference
    // devices every offline case judging a live pass passes too, timing included. The
    // harness's own fronthaul port writes them for conformance items, the relay case for
    // interoperability ones.
    if (verdict == "pass" && duts.find("reference") != std::string::npos) {
      ASSERT_TRUE(fs::exists(settings)) << settings;
      auto own = load_analysis_config(settings.string());
      ASSERT_TRUE(own.ok()) << own.error().to_string();
      auto judged = analyze_captures({capture.string()}, *own);
      ASSERT_TRUE(judged.ok());
      const std::string interface = item["interface"];
      const bool pair = item["kind"] == "interoperability";
      for (const OfflineCase* c : offline) {
        for (const CaseOutcome& o : judged->cases) {
          if (o.case_id != c->case_id) continue;
          const bool side = pair || (o.side == adapter::Role::kOdu
                                         ? interface.starts_with("o-du")
                                         : interface.starts_with("o-ru"));
          if (!side || o.judgement == Judgement::kInconclusive) continue;
          ++own_judged;
          own_iot += pair;
          own_ul_response += c->case_id == CaseId::kUlResponse && o.judgement == Judgement::kPass;
          EXPECT_EQ(o.judgement, Judgement::kPass)
              << live_case << "@" << duts << " " << c->id << ": " << o.reason;
        }
      }
    }

    AnalysisConfig config;
    ASSERT_TRUE(apply_profile_parameters(profile_parameters.at(item["profile"]), config).ok());
    // The simulated bench runs its slot clock 100 times slower than the air: answers come
    // that much later than on a real radio.
    config.response_window = std::chrono::seconds(1);
    auto report = analyze_captures({capture.string()}, config);
    ASSERT_TRUE(report.ok()) << report.error().to_string();

    // The sides the live case judges: its DUT's role, or both for an interoperability pair.
    const std::string interface = item["interface"];
    const bool pair = item["kind"] == "interoperability";
    const bool odu = pair || interface.starts_with("o-du");
    const bool oru = pair || interface.starts_with("o-ru");
    Judgement worst = Judgement::kPass;
    std::string offline_text;
    bool any_judged = false;
    for (const OfflineCase* c : offline) {
      for (const CaseOutcome& o : report->cases) {
        if (o.case_id != c->case_id) continue;
        if (!((o.side == adapter::Role::kOdu && odu) || (o.side == adapter::Role::kOru && oru))) {
          continue;
        }
        if (is_timing(o.case_id)) {
          // The bench's clock is dilated, not PTP-aligned: offline timing must not judge.
          EXPECT_EQ(o.judgement, Judgement::kInconclusive) << c->id;
          continue;
        }
        any_judged |= o.judgement != Judgement::kInconclusive;
        if (o.judgement == Judgement::kFail) worst = Judgement::kFail;
        offline_text += std::string(o.judgement == Judgement::kFail   ? " FAIL "
                                    : o.judgement == Judgement::kPass ? " pass "
                                                                      : " inc ") +
                        std::string(c->id) + "[" + std::string(adapter::to_string(o.side)) + "]";
      }
    }
    if (!any_judged) continue;  // only timing cases, or nothing the capture shows
    // On a loaded machine a live case may give up on answers that come after its capture
    // closed; the capture then ends with those requests unanswered, which offline analysis
    // leaves unjudged (their window had not passed). Not comparable: counted and shown.
    bool cut_off = false;
    for (const auto& note : report->notes) cut_off |= note.find("not judged") != std::string::npos;
    if (verdict == "fail" && worst != Judgement::kFail && cut_off) {
      ++not_comparable;
      std::cout << "  late " << verdict << " " << live_case << "@" << duts << " ("
                << item["reason"].get<std::string>() << "): the capture ends before the answers\n";
      continue;
    }
    ++compared;
    live_failures += verdict == "fail";
    const bool agree = (verdict == "fail") == (worst == Judgement::kFail);
    disagreements += !agree;
    std::cout << (agree ? "  same " : "  DIFF ") << verdict << " " << live_case << "@" << duts
              << " |" << offline_text << "\n";
    EXPECT_TRUE(agree) << live_case << "@" << duts << " live " << verdict << " ("
                       << item["reason"].get<std::string>() << "), offline:" << offline_text;
  }
  std::cout << compared << " live items compared with their captures, " << live_failures
            << " of them failed live, " << disagreements << " disagreements; " << not_comparable
            << " not comparable (capture closed before the answers)\n";
  // The comparison must cover both verdicts over many items to mean anything.
  EXPECT_GE(compared, 30);
  EXPECT_GE(live_failures, 5);
  EXPECT_GE(compared - live_failures, 10);
  std::cout << own_judged << " offline verdicts on the reference devices' evidence with its "
            << "own settings, " << own_ul_response << " of them offline.cus.ul-response\n";
  EXPECT_GE(own_judged, 10);
  EXPECT_GE(own_ul_response, 1);
  std::cout << own_iot << " of them on interoperability evidence; " << iot_located
            << " interoperability findings located in their evidence\n";
  EXPECT_GE(own_iot, 1);
  EXPECT_GE(iot_located, 1);
}

}  // namespace
}  // namespace plugfest::analyze
