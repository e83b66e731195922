// End-to-end: `plugfest analyze` on captures built with the codec, run as a process.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "harness/analyze/testing/capture_builder.h"

namespace {

namespace fs = std::filesystem;
using plugfest::analyze::testing::ExchangeOptions;
using plugfest::analyze::testing::Fault;

struct Outcome {
  int status = -1;
  std::string output;  // stdout and stderr
};

Outcome run_program(const std::string& program, const std::string& arguments) {
  Outcome out;
  const std::string command = program + " " + arguments + " 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  std::array<char, 4096> buffer;
  while (std::fgets(buffer.data(), buffer.size(), pipe) != nullptr) out.output += buffer.data();
  const int status = ::pclose(pipe);
  out.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return out;
}

Outcome run(const std::string& arguments) { return run_program(PLUGFEST_BINARY, arguments); }

class AnalyzeCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "analyze-cli-XXXXXX").string();
    dir_ = ::mkdtemp(pattern.data());
    std::ofstream(file("lab.yaml")) << R"(# the bench the capture was taken on
eaxc: {du_port_bits: 4, band_sector_bits: 4, cc_id_bits: 4, ru_port_bits: 4}
compression: {header: static, method: bfp, width: 9}
numerology: 1
carrier_prbs: 24
timing:
  ptp_aligned: true
  capture_point: o-du
  windows: typical
response_window: 2ms
)";
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string file(const std::string& name) const { return (dir_ / name).string(); }

  std::string capture(Fault fault) {
    ExchangeOptions options;
    options.fault = fault;
    const std::string path = file("capture.pcap");
    EXPECT_TRUE(plugfest::analyze::testing::write_exchange(path, options, 16).ok());
    return path;
  }

  fs::path dir_;
};

TEST_F(AnalyzeCliTest, ConformantCapturePasses) {
  const Outcome out = run("analyze " + capture(Fault::kNone) + " --config " + file("lab.yaml") +
                          " --results " + file("results"));
  EXPECT_EQ(out.status, 0) << out.output;
  EXPECT_NE(out.output.find("pass  offline.cus.ul-response"), std::string::npos) << out.output;
  EXPECT_NE(out.output.find("pass  offline.cus.timing.oru-transmit"), std::string::npos);
  EXPECT_EQ(out.output.find("fail  "), std::string::npos) << out.output;
  // The results folder of a run: manifest, journal and the reports.
  ASSERT_TRUE(fs::exists(file("results")));
  const auto run_dir = fs::directory_iterator(file("results"))->path();
  for (const char* name : {"manifest.json", "journal.jsonl", "junit.xml", "o-ran-results.json",
                           "report.html", "report.md"}) {
    EXPECT_TRUE(fs::exists(run_dir / name)) << name;
  }
}

// --out names the results folder itself, as `run -o` does; --results the folder under
// which <run-id>/ is made, as for `run --results`. A folder holding a run is refused.
TEST_F(AnalyzeCliTest, OutNamesTheResultsFolderItselfAsRunDoes) {
  const Outcome out = run("analyze " + capture(Fault::kNone) + " --config " + file("lab.yaml") +
                          " --out " + file("here"));
  EXPECT_EQ(out.status, 0) << out.output;
  EXPECT_TRUE(fs::exists(file("here") + "/manifest.json")) << out.output;
  EXPECT_TRUE(fs::exists(file("here") + "/report.html"));
  EXPECT_NE(out.output.find("report: " + (fs::absolute(file("here")) / "report.html").string()),
            std::string::npos)
      << out.output;
  const Outcome again = run("analyze " + capture(Fault::kNone) + " --config " + file("lab.yaml") +
                            " -o " + file("here"));
  EXPECT_EQ(again.status, 2) << again.output;
  EXPECT_NE(again.output.find("already holds a run"), std::string::npos) << again.output;
}

TEST_F(AnalyzeCliTest, FaultFailsWithFrameNumbers) {
  const Outcome out = run("analyze " + capture(Fault::kNoUplaneResponse) + " --config " +
                          file("lab.yaml") + " --results " + file("results"));
  EXPECT_EQ(out.status, 1) << out.output;
  EXPECT_NE(out.output.find("fail  offline.cus.ul-response"), std::string::npos) << out.output;
  EXPECT_NE(out.output.find("AN-UL-NO-RESPONSE"), std::string::npos);
  EXPECT_NE(out.output.find("capture.pcap frame "), std::string::npos);
}

TEST_F(AnalyzeCliTest, AResultsFolderIsJudgedWithTheSettingsBesideEachPcap) {
  // Two items' evidence as `plugfest run` leaves it: a pcap and its analysis settings.
  const fs::path run_dir = dir_ / "run";
  const std::pair<const char*, Fault> items[] = {{"evidence/case.a/dut-1", Fault::kNone},
                                                 {"evidence/case.b/dut-2",
                                                  Fault::kNoUplaneResponse}};
  for (const auto& [folder, fault] : items) {
    fs::create_directories(run_dir / folder);
    fs::copy_file(capture(fault), run_dir / folder / "fronthaul.pcap");
    fs::copy_file(file("lab.yaml"), run_dir / folder / "fronthaul.analysis.yaml");
  }
  const Outcome all = run("analyze " + run_dir.string() + " --out " + file("results"));
  EXPECT_EQ(all.status, 1) << all.output;
  const auto a = all.output.find("== evidence/case.a/dut-1");
  const auto b = all.output.find("== evidence/case.b/dut-2");
  ASSERT_NE(a, std::string::npos) << all.output;
  ASSERT_NE(b, std::string::npos) << all.output;
  const std::string first = all.output.substr(a, b - a), second = all.output.substr(b);
  EXPECT_NE(first.find("fronthaul.analysis.yaml"), std::string::npos) << first;
  EXPECT_NE(first.find("pass  offline.cus.timing.oru-transmit"), std::string::npos) << first;
  EXPECT_EQ(first.find("fail  "), std::string::npos) << first;
  EXPECT_NE(second.find("fail  offline.cus.ul-response"), std::string::npos) << second;
  EXPECT_EQ(std::distance(fs::directory_iterator(file("results")), fs::directory_iterator{}), 2);

  // One item's evidence folder alone.
  const Outcome one =
      run("analyze " + (run_dir / items[0].first).string() + " --out " + file("results-one"));
  EXPECT_EQ(one.status, 0) << one.output;
  EXPECT_NE(one.output.find("pass  offline.cus.ul-response"), std::string::npos) << one.output;
}

TEST_F(AnalyzeCliTest, WithoutConfigTimingIsInconclusiveNotPassed) {
  // Only the carrier is given (numPrbu 0 needs it): no timing parameters.
  std::ofstream(file("carrier.yaml")) << "carrier_prbs: 24\nresponse_window: 2ms\n";
  const Outcome out = run("analyze " + capture(Fault::kNone) + " --config " + file("carrier.yaml") +
                          " --results " + file("results"));
  // An inconclusive case is not a pass: exit status 1, as for `plugfest run`.
  EXPECT_EQ(out.status, 1) << out.output;
  EXPECT_EQ(out.output.find("fail  "), std::string::npos) << out.output;
  EXPECT_NE(out.output.find("inconclusive  offline.cus.timing.oru-transmit"), std::string::npos)
      << out.output;
  EXPECT_NE(out.output.find("PTP-aligned"), std::string::npos);
}

TEST_F(AnalyzeCliTest, ProfileGivesTheParametersAndTheCasesReported) {
  // The bench's profile: the capture builder's settings, and two offline cases.
  std::ofstream(file("profile.yaml")) << R"(id: bench-offline
title: Offline judgement of a bench capture
specification: {document: O-RAN.WG4.CUS.0, version: "12.0"}
defaults:
  numerology: 1
  carrier_prbs: 24
  eaxc: {du_port_bits: 4, band_sector_bits: 4, cc_id_bits: 4, ru_port_bits: 4}
  compression: {method: bfp, width: 9, header: static}
cases:
  - id: offline.cus.uplane-headers
  - id: offline.cus.compression
)";
  const Outcome out = run("analyze " + capture(Fault::kNone) + " --profile " +
                          file("profile.yaml") + " --results " + file("results"));
  EXPECT_EQ(out.status, 0) << out.output;
  EXPECT_NE(out.output.find("pass  offline.cus.compression [o-ru]"), std::string::npos)
      << out.output;
  EXPECT_NE(out.output.find("pass  offline.cus.uplane-headers [o-ru]"), std::string::npos);
  EXPECT_EQ(out.output.find("offline.cus.ul-response"), std::string::npos) << out.output;
  EXPECT_EQ(out.output.find("inferred"), std::string::npos) << out.output;

  // The manifest names the profile and every input with its hash, and the two sides.
  const auto run_dir = fs::directory_iterator(file("results"))->path();
  std::ifstream in(run_dir / "manifest.json");
  const std::string manifest((std::istreambuf_iterator<char>(in)), {});
  EXPECT_NE(manifest.find("\"bench-offline\""), std::string::npos) << manifest;
  for (const char* input : {"capture.pcap", "profile.yaml"}) {
    const auto at = manifest.find(file(input));
    ASSERT_NE(at, std::string::npos) << input << "\n" << manifest;
    EXPECT_NE(manifest.find("sha256", at), std::string::npos);
  }
  EXPECT_NE(manifest.find("02:00:00:00:00:01"), std::string::npos) << manifest;

  // A fault still fails under the profile's settings.
  const Outcome faulty = run("analyze " + capture(Fault::kDynamicHeaderWhenStatic) + " --profile " +
                             file("profile.yaml") + " --results " + file("results"));
  EXPECT_EQ(faulty.status, 1) << faulty.output;
  EXPECT_NE(faulty.output.find("fail  offline.cus.compression [o-ru]"), std::string::npos)
      << faulty.output;
}

TEST_F(AnalyzeCliTest, ProfileWithABadParameterIsBadInput) {
  std::ofstream(file("bad-profile.yaml")) << R"(id: bench-offline
title: bad
specification: {document: O-RAN.WG4.CUS.0, version: "12.0"}
defaults:
  compression: {method: zip}
cases:
  - id: offline.cus.compression
)";
  const Outcome out = run("analyze " + capture(Fault::kNone) + " --profile " +
                          file("bad-profile.yaml") + " --results " + file("results"));
  EXPECT_EQ(out.status, 2) << out.output;
  EXPECT_NE(out.output.find("bad-profile.yaml:5"), std::string::npos) << out.output;
  EXPECT_NE(out.output.find("'zip'"), std::string::npos) << out.output;
}

TEST_F(AnalyzeCliTest, MisspeltConfigKeyIsLocatedWithASuggestion) {
  std::ofstream(file("bad.yaml")) << "numerology: 1\ntiming:\n  ptp_alinged: true\n";
  const Outcome out = run("analyze " + capture(Fault::kNone) + " --config " + file("bad.yaml"));
  EXPECT_EQ(out.status, 2) << out.output;
  EXPECT_NE(out.output.find("bad.yaml:3:3"), std::string::npos) << out.output;
  EXPECT_NE(out.output.find("did you mean 'ptp_aligned'"), std::string::npos) << out.output;
}

TEST_F(AnalyzeCliTest, WrongValueNamesKeyAndExpectation) {
  std::ofstream(file("bad.yaml")) << "compression: {header: static, method: bfq, width: 9}\n";
  const Outcome out = run("analyze " + capture(Fault::kNone) + " --config " + file("bad.yaml"));
  EXPECT_EQ(out.status, 2) << out.output;
  EXPECT_NE(out.output.find("bad.yaml:1:"), std::string::npos) << out.output;
  EXPECT_NE(out.output.find("key 'method'"), std::string::npos) << out.output;
  EXPECT_NE(out.output.find("did you mean 'bfp'"), std::string::npos) << out.output;
}

TEST_F(AnalyzeCliTest, NonPcapInputIsBadInput) {
  std::ofstream(file("notes.txt")) << "hello\n";
  const Outcome out = run("analyze " + file("notes.txt"));
  EXPECT_EQ(out.status, 2) << out.output;
  EXPECT_NE(out.output.find("not a pcap or pcapng file"), std::string::npos) << out.output;
}

// Captures of the simulated O-DU and O-RU (plugfest-sim-record, a separate program) judged
// by `plugfest analyze`: the conformant pair passes, each fault fails the case that
// should catch it.
struct SimFault {
  const char* option;    // --odu-fault NAME / --oru-fault NAME, or "" for none
  const char* expected;  // a line prefix of the verdict listing
};

class AnalyzeSimCaptureTest : public AnalyzeCliTest,
                              public ::testing::WithParamInterface<SimFault> {};

TEST_P(AnalyzeSimCaptureTest, VerdictMatchesTheFault) {
  const SimFault& sim = GetParam();
  // The simulator counts frames in GPS time and the capture's timestamps are UTC.
  std::ofstream(file("sim.yaml")) << R"(compression: {header: static, method: bfp, width: 9}
numerology: 1
carrier_prbs: 51
timing: {ptp_aligned: true, windows: typical, clock_offset: 18s}
uplane: {max_sections_per_message: 1}
response_window: 2ms
)";
  const std::string capture = file("sim.pcap");
  const Outcome recorded = run_program(PLUGFEST_SIM_RECORD, capture + " --slots 20 " + sim.option);
  ASSERT_EQ(recorded.status, 0) << recorded.output;
  const Outcome out =
      run("analyze " + capture + " --config " + file("sim.yaml") + " --results " + file("results"));
  EXPECT_NE(out.output.find(sim.expected), std::string::npos) << out.output;
  const bool failing = std::string_view(sim.expected).starts_with("fail");
  EXPECT_EQ(out.status, failing ? 1 : 0) << out.output;
}

INSTANTIATE_TEST_SUITE_P(
    SimFaults, AnalyzeSimCaptureTest,
    ::testing::Values(
        SimFault{"", "pass  offline.cus.prach-response [o-ru]"},
        SimFault{"--odu-fault dl-cplane-udcomphdr-nonzero", "fail  offline.cus.compression [o-du]"},
        SimFault{"--oru-fault multi-section-uplane",
                 "fail  offline.cus.uplane-sections-per-message [o-ru]"},
        SimFault{"--oru-fault truncated-uplane", "fail  offline.cus.uplane-headers [o-ru]"},
        SimFault{"--oru-fault prach-wrong-start-symbol", "fail  offline.cus.prach-response [o-ru]"},
        SimFault{"--odu-fault st3-numsymbol-zero", "fail  offline.cus.cplane-headers [o-du]"},
        // The simulator moves U-plane to the next antenna's eAxC, which the C-plane did
        // address: the coupling and the UL answers catch it, not the unaddressed-flow check.
        SimFault{"--oru-fault eaxc-mapping-mismatch", "fail  offline.cus.ul-response [o-ru]"},
        SimFault{"--oru-fault ul-late", "fail  offline.cus.timing.oru-transmit [o-ru]"},
        SimFault{"--odu-fault dl-early", "fail  offline.cus.timing.odu-transmit [o-du]"},
        SimFault{"--odu-fault seqid-gap", "pass  offline.cus.sequence-ids [o-du]"},
        SimFault{"--oru-fault ecpri-payload-size-wrong",
                 "fail  offline.cus.ecpri-transport [o-ru]"},
        SimFault{"--oru-fault dynamic-header-when-static", "fail  offline.cus.compression [o-ru]"},
        SimFault{"--oru-fault no-uplane-response", "fail  offline.cus.ul-response [o-ru]"},
        SimFault{"--oru-fault prb-out-of-range", "fail  offline.cus.uplane-headers [o-ru]"},
        SimFault{"--oru-fault wrong-section-id", "fail  offline.cus.cplane-uplane [o-ru]"}));

}  // namespace
