// In-process runs against fake DUTs and the test-only catalog (tests/selftest_suite.cpp).
#include "harness/engine/run.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

#include "harness/results/journal.h"
#include "harness/results/reports/reports.h"
#include "harness/results/results_folder.h"
#include "harness/results/testing/small_tmpfs.h"
#include "interfaces/common/testing/temp_dir.h"

namespace plugfest::harness {
namespace {

using plugfest::testing::TempDir;

constexpr const char* kProfile = R"(
id: selftest
title: Self test <b>profile</b>
specification: {document: TEST.SPEC, version: "1.0"}
defaults: {numerology: 1}
cases:
  - id: selftest.ru.verdict
  - id: selftest.du.verdict
  - id: selftest.ru.needs-bfp
  - id: selftest.mplane.artifact
    status: optional
  - id: selftest.pair.verdict
  - id: selftest.pair.second
    status: conditional
)";

std::string descriptor(const std::string& name, const std::string& role,
                       const std::string& extra = "") {
  return "name: " + name + "\nrole: " + role + "\ncommand: [fake-adapter]\n" + extra;
}

class RunTest : public ::testing::Test {
 protected:
  void SetUp() override {
    profile_ = dir_.write("in/profile.yaml", kProfile);
    dir_.write("in/duts/ru-a.yaml",
               descriptor("ru-a", "o-ru", "capabilities: {compression: {bfp: [9]}}\n"));
    dir_.write("in/duts/ru-b.yaml",
               descriptor("ru-b", "o-ru", "lab: {selftest: {verdict: fail}}\n"));
    dir_.write("in/duts/du-a.yaml", descriptor("du-a", "o-du"));
  }

  Inputs load(std::vector<std::string> paths = {}) {
    if (paths.empty()) paths = {profile_, (dir_.path() / "in/duts").string()};
    Diagnostics d;
    auto inputs = load_inputs(paths, Registry::instance(), d);
    EXPECT_TRUE(inputs) << d.to_string();
    return inputs ? *inputs : Inputs{};
  }

  RunOutcome run(const Inputs& inputs, const std::string& folder, RunOptions options = {}) {
    auto connector = make_dut_connector();
    options.results_dir = dir_.path() / folder;
    if (options.run_id.empty()) options.run_id = folder;
    options.harness_version = "test-version";
    options.jobs = options.jobs == 1 ? 2 : options.jobs;
    auto outcome = run_plan(inputs, connector.get(), Registry::instance(), options);
    EXPECT_TRUE(outcome) << (outcome ? "" : outcome.error().to_string());
    return outcome ? *outcome : RunOutcome{};
  }

  static std::map<std::string, Verdict> matrix(const std::vector<ItemResult>& results) {
    std::map<std::string, Verdict> m;
    for (const auto& r : results) m[r.item_id] = r.verdict;
    return m;
  }

  TempDir dir_;
  std::string profile_;
};

TEST_F(RunTest, ConformanceAndInteropItemsGetVerdictsEvidenceAndReports) {
  const auto outcome = run(load(), "r1");
  const auto m = matrix(outcome.results);
  EXPECT_EQ(m.at("selftest/selftest.ru.verdict@ru-a"), Verdict::kPass);
  EXPECT_EQ(m.at("selftest/selftest.ru.verdict@ru-b"), Verdict::kFail);
  EXPECT_EQ(m.at("selftest/selftest.du.verdict@du-a"), Verdict::kPass);
  EXPECT_EQ(m.at("selftest/selftest.ru.needs-bfp@ru-a"), Verdict::kPass);
  EXPECT_EQ(m.at("selftest/selftest.ru.needs-bfp@ru-b"), Verdict::kNotApplicable);
  EXPECT_EQ(m.at("selftest/selftest.pair.verdict@du-a+ru-a"), Verdict::kPass);
  EXPECT_EQ(m.at("selftest/selftest.pair.verdict@du-a+ru-b"), Verdict::kFail);
  EXPECT_EQ(m.size(), 11u);
  EXPECT_EQ(outcome.exit_status, 1);

  const auto dir = dir_.path() / "r1";
  for (const char* f : {"manifest.json", "journal.jsonl", "junit.xml", "o-ran-results.json",
                        "report.html", "report.md"}) {
    EXPECT_TRUE(std::filesystem::exists(dir / f)) << f;
  }
  // Evidence: the fail's finding, measurements, and the artifact file.
  for (const auto& r : outcome.results) {
    if (r.item_id == "selftest/selftest.ru.verdict@ru-b") {
      ASSERT_EQ(r.findings.size(), 1u);
      EXPECT_EQ(r.findings[0].rule_id, "selftest.bad");
      EXPECT_EQ(r.measurements.size(), 2u);
      EXPECT_EQ(r.reason, "selftest.bad: the DUT misbehaved");
    }
    if (r.item_id == "selftest/selftest.mplane.artifact@ru-a") {
      ASSERT_EQ(r.artifacts.size(), 1u);
      EXPECT_EQ(r.artifacts[0].path, "evidence/selftest.mplane.artifact/ru-a/transcript.txt");
      EXPECT_TRUE(std::filesystem::exists(dir / r.artifacts[0].path));
      EXPECT_EQ(r.interface_under_test, "o-ru.fhm");
    }
  }
  // The manifest names each input with its SHA-256 and what each adapter described.
  auto manifest = read_manifest(dir);
  ASSERT_TRUE(manifest);
  EXPECT_EQ(manifest->harness_version, "test-version");
  ASSERT_EQ(manifest->inputs.size(), 4u);
  EXPECT_EQ(manifest->inputs[0].sha256, *sha256_file(profile_));
  ASSERT_EQ(manifest->duts.size(), 3u);
  EXPECT_EQ(manifest->duts[0].description.vendor, "Fake Radio Co");
  EXPECT_FALSE(manifest->host.empty());
}

TEST_F(RunTest, AllPassingExitsZero) {
  dir_.write("in/duts/ru-b.yaml", descriptor("ru-b", "o-ru"));
  EXPECT_EQ(run(load(), "r").exit_status, 0);
}

TEST_F(RunTest, ThrowHangNoVerdictAndAdapterErrorsBecomeErrorsAndTheRunGoesOn) {
  const auto profile = dir_.write("in/p2.yaml", R"(
id: faults
title: faults
specification: {document: TEST.SPEC, version: "1.0"}
cases:
  - id: selftest.ru.verdict
    timeout: 200ms
)");
  dir_.write("in/duts/ru-a.yaml",
             descriptor("ru-a", "o-ru", "lab: {selftest: {verdict: throw}}\n"));
  dir_.write("in/duts/ru-b.yaml",
             descriptor("ru-b", "o-ru", "lab: {selftest: {verdict: hang, hang_ms: 1500}}\n"));
  dir_.write("in/duts/ru-c.yaml", descriptor("ru-c", "o-ru", "lab: {selftest: {verdict: none}}\n"));
  dir_.write("in/duts/ru-d.yaml", descriptor("ru-d", "o-ru", "lab: {fake: {connect: fail}}\n"));
  dir_.write("in/duts/ru-e.yaml", descriptor("ru-e", "o-ru", "lab: {fake: {dead: link lost}}\n"));
  dir_.write("in/duts/ru-f.yaml", descriptor("ru-f", "o-ru", "lab: {fake: {role: o-du}}\n"));
  dir_.write("in/duts/ru-g.yaml",
             descriptor("ru-g", "o-ru", "lab: {selftest: {verdict: error}}\n"));
  dir_.write("in/duts/ru-h.yaml", descriptor("ru-h", "o-ru"));
  const auto outcome = run(load({profile, (dir_.path() / "in/duts").string()}), "r");
  std::map<std::string, ItemResult> by_dut;
  for (const auto& r : outcome.results) by_dut[r.duts[0]] = r;
  ASSERT_EQ(by_dut.size(), 8u);  // the O-RUs; du-a has no case here
  EXPECT_EQ(by_dut["ru-a"].verdict, Verdict::kError);
  EXPECT_EQ(by_dut["ru-a"].reason, "the case threw: boom");
  EXPECT_EQ(by_dut["ru-b"].verdict, Verdict::kError);
  EXPECT_NE(by_dut["ru-b"].reason.find("timed out after 200 ms"), std::string::npos);
  EXPECT_TRUE(outcome.abandoned_threads);
  EXPECT_EQ(by_dut["ru-c"].verdict, Verdict::kError);
  EXPECT_NE(by_dut["ru-c"].reason.find("without setting a verdict"), std::string::npos);
  EXPECT_EQ(by_dut["ru-d"].verdict, Verdict::kError);
  EXPECT_NE(by_dut["ru-d"].reason.find("connection refused"), std::string::npos);
  EXPECT_EQ(by_dut["ru-e"].verdict, Verdict::kError);
  EXPECT_NE(by_dut["ru-e"].reason.find("link lost"), std::string::npos);
  EXPECT_EQ(by_dut["ru-f"].verdict, Verdict::kError);
  EXPECT_NE(by_dut["ru-f"].reason.find("describes an o-du"), std::string::npos);
  EXPECT_EQ(by_dut["ru-g"].verdict, Verdict::kError);
  EXPECT_EQ(by_dut["ru-h"].verdict, Verdict::kPass);
  EXPECT_EQ(outcome.exit_status, 3);  // errors only
}

class Recorder : public ProgressSink {
 public:
  void started(std::size_t, std::size_t) override {}
  void finished(const ItemResult& r) override { events.push_back("finished " + r.item_id); }
  void dut_written_off(const std::string& dut, const std::string& why,
                       std::size_t items) override {
    events.push_back("written off " + dut + " (" + std::to_string(items) + "): " + why);
  }
  void ended() override {}
  std::vector<std::string> events;
};

TEST_F(RunTest, EveryItemOfAnUnreachableDutIsAnErrorSaidAtOnceAndTheRunExitsThree) {
  // ru-c claims nothing, so without its Describe every case would be not applicable.
  dir_.write("in/duts/ru-c.yaml", descriptor("ru-c", "o-ru", "lab: {fake: {connect: fail}}\n"));
  Recorder sink;
  RunOptions options;
  options.progress = &sink;
  const auto outcome = run(load(), "r", options);
  std::size_t of_ru_c = 0;
  for (const auto& r : outcome.results) {
    if (r.dut_label().find("ru-c") == std::string::npos) continue;
    ++of_ru_c;
    EXPECT_EQ(r.verdict, Verdict::kError) << r.item_id;
    EXPECT_NE(r.reason.find("ru-c: cannot reach the adapter: "), std::string::npos) << r.reason;
  }
  EXPECT_EQ(of_ru_c, 5u);  // 3 O-RU cases, 2 pair cases with du-a
  ASSERT_FALSE(sink.events.empty());
  // Said before any of its items is reported.
  EXPECT_EQ(sink.events[0].rfind("written off ru-c (5): cannot reach the adapter", 0), 0u)
      << sink.events[0];
  ASSERT_EQ(outcome.written_off.size(), 1u);
  EXPECT_EQ(outcome.exit_status, 3);  // although ru-b fails: the run is incomplete
}

class InterruptAfter : public ProgressSink {
 public:
  InterruptAfter(std::atomic<bool>& flag, std::size_t n) : flag_(flag), n_(n) {}
  void started(std::size_t, std::size_t) override {}
  void finished(const ItemResult&) override {
    if (++seen_ == n_) flag_ = true;
  }
  void ended() override {}

 private:
  std::atomic<bool>& flag_;
  std::size_t n_;
  std::size_t seen_ = 0;
};

TEST_F(RunTest, InterruptLeavesAConsistentFolderThatResumesToTheSameMatrix) {
  dir_.write("in/duts/ru-a.yaml", descriptor("ru-a", "o-ru",
                                             "capabilities: {compression: {bfp: [9]}}\n"
                                             "lab: {selftest: {sleep_ms: 20}}\n"));
  const Inputs inputs = load();
  const auto full = run(inputs, "full");

  std::atomic<bool> interrupt{false};
  InterruptAfter sink(interrupt, 3);
  RunOptions options;
  options.interrupt = &interrupt;
  options.progress = &sink;
  options.jobs = 1;
  const auto cut = run(inputs, "cut", options);
  EXPECT_TRUE(cut.interrupted);
  EXPECT_GT(cut.not_finished, 0u);
  EXPECT_EQ(cut.exit_status, 3);  // unfinished, although ru-b failed before the interrupt
  {
    std::ifstream md(dir_.path() / "cut" / "report.md");
    const std::string text((std::istreambuf_iterator<char>(md)), std::istreambuf_iterator<char>());
    EXPECT_NE(text.find("UNFINISHED RUN: " + std::to_string(cut.not_finished) + " of 11"),
              std::string::npos)
        << text;
  }
  EXPECT_LT(cut.results.size(), full.results.size());
  // Every journal line is whole and the reports were written for the part that ran.
  auto journal = read_journal(dir_.path() / "cut" / "journal.jsonl");
  ASSERT_TRUE(journal);
  EXPECT_EQ(journal->ignored_lines, 0u);
  EXPECT_EQ(journal->results.size(), cut.results.size());
  EXPECT_TRUE(std::filesystem::exists(dir_.path() / "cut" / "report.html"));

  RunOptions resume;
  resume.resume = true;
  const auto resumed = run(inputs, "cut", resume);
  EXPECT_GT(resumed.executed, 0u);
  // No item ran twice: the journal holds exactly one line per planned item.
  std::ifstream lines(dir_.path() / "cut" / "journal.jsonl");
  std::size_t count = 0;
  for (std::string line; std::getline(lines, line);) ++count;
  EXPECT_EQ(count, full.results.size());
  EXPECT_EQ(matrix(resumed.results), matrix(full.results));
  EXPECT_EQ(resumed.manifest.run_id, "cut");
}

// Fills the disk the results folder is on once `n` items are journaled, and shows the
// progress as the terminal would.
class FillDiskAfter : public ProgressSink {
 public:
  FillDiskAfter(const plugfest::testing::SmallTmpfs& disk, std::size_t n) : disk_(disk), n_(n) {}
  void started(std::size_t total, std::size_t done) override { terminal.started(total, done); }
  void finished(const ItemResult& r) override {
    terminal.finished(r);
    if (++seen_ == n_) disk_.fill();
  }
  void stopped(const std::string& why) override { terminal.stopped(why); }
  void ended() override { terminal.ended(); }
  std::ostringstream out;
  TerminalProgress terminal{out, false};

 private:
  const plugfest::testing::SmallTmpfs& disk_;
  std::size_t n_;
  std::size_t seen_ = 0;
};

TEST_F(RunTest, AFullDiskStopsTheRunAtTheFirstFailedJournalWrite) {
  plugfest::testing::SmallTmpfs disk(dir_.path() / "disk", 256 * 1024);
  if (!disk.mounted()) GTEST_SKIP() << disk.skip_reason();
  const std::string trace = (dir_.path() / "trace").string();
  // Lines longer than a page: the line after the fill cannot fit in the journal's last page.
  const std::string lab = "lab: {selftest: {trace: " + trace + ", log_bytes: 6000}}\n";
  dir_.write("in/duts/ru-a.yaml",
             descriptor("ru-a", "o-ru", "capabilities: {compression: {bfp: [9]}}\n" + lab));
  dir_.write("in/duts/ru-b.yaml", descriptor("ru-b", "o-ru", lab));
  dir_.write("in/duts/du-a.yaml", descriptor("du-a", "o-du", lab));
  const Inputs inputs = load();
  const auto full = run(inputs, "full");

  FillDiskAfter sink(disk, 3);  // the not-applicable item and two that ran
  auto connector = make_dut_connector();
  RunOptions options;
  options.results_dir = disk.path() / "r";
  options.run_id = "r";
  options.harness_version = "test-version";
  options.jobs = 1;
  options.progress = &sink;
  std::filesystem::remove(trace);
  auto outcome = run_plan(inputs, connector.get(), Registry::instance(), options);
  ASSERT_TRUE(outcome) << outcome.error().to_string();
  EXPECT_EQ(outcome->exit_status, 3);
  const std::string journal_path = (disk.path() / "r" / "journal.jsonl").string();
  EXPECT_NE(outcome->journal_error.find(journal_path), std::string::npos) << outcome->journal_error;
  EXPECT_NE(outcome->journal_error.find(std::strerror(ENOSPC)), std::string::npos)
      << outcome->journal_error;
  // Said on the terminal, naming the file and the error.
  EXPECT_NE(sink.out.str().find("plugfest: stopping, no further item starts: " + journal_path),
            std::string::npos)
      << sink.out.str();
  EXPECT_NE(sink.out.str().find("cannot write the journal: " + std::string(std::strerror(ENOSPC))),
            std::string::npos)
      << sink.out.str();
  // No item started after the failed write: two ran and were journaled, the third ran and
  // its line failed.
  std::ifstream ran(trace);
  std::size_t started = 0;
  for (std::string line; std::getline(ran, line);) ++started;
  EXPECT_EQ(started, 3u);
  EXPECT_EQ(outcome->executed, 2u);
  EXPECT_EQ(outcome->not_finished, 8u);
  // Whole lines only.
  auto journal = read_journal(journal_path);
  ASSERT_TRUE(journal);
  EXPECT_EQ(journal->ignored_lines, 0u);
  EXPECT_EQ(journal->results.size(), 3u);

  // With room again, the reports say the run is unfinished and --resume completes it.
  std::filesystem::remove(disk.path() / "filler");
  auto folder = read_results_folder(disk.path() / "r");
  ASSERT_TRUE(folder);
  EXPECT_NE(render_text_summary(folder->manifest, folder->results).find("UNFINISHED RUN: 8 of 11"),
            std::string::npos);
  options.resume = true;
  options.progress = nullptr;
  auto resumed = run_plan(inputs, connector.get(), Registry::instance(), options);
  ASSERT_TRUE(resumed) << resumed.error().to_string();
  EXPECT_TRUE(resumed->journal_error.empty()) << resumed->journal_error;
  EXPECT_EQ(matrix(resumed->results), matrix(full.results));
}

TEST_F(RunTest, ResumeRefusesChangedInputs) {
  const Inputs inputs = load();
  run(inputs, "r");
  dir_.write("in/duts/du-a.yaml", descriptor("du-a", "o-du", "description: changed\n"));
  auto connector = make_dut_connector();
  RunOptions options;
  options.results_dir = dir_.path() / "r";
  options.run_id = "r";
  options.harness_version = "test-version";
  options.resume = true;
  const auto outcome = run_plan(load(), connector.get(), Registry::instance(), options);
  ASSERT_FALSE(outcome);
  EXPECT_NE(outcome.error().message.find("input files"), std::string::npos);
}

TEST_F(RunTest, ShardsMergedEqualTheUnshardedRun) {
  const Inputs inputs = load();
  const auto whole = run(inputs, "whole");
  std::vector<std::filesystem::path> shards;
  for (unsigned k = 1; k <= 3; ++k) {
    RunOptions options;
    options.plan.shard = Shard{k, 3};
    const std::string name = "shard" + std::to_string(k);
    run(inputs, name, options);
    shards.push_back(dir_.path() / name);
  }
  auto merged = merge_results(shards, dir_.path() / "merged", "merged");
  ASSERT_TRUE(merged) << merged.error().to_string();
  EXPECT_EQ(matrix(merged->results), matrix(whole.results));
  std::vector<std::string> order_whole, order_merged;
  for (const auto& r : whole.results) order_whole.push_back(r.item_id);
  for (const auto& r : merged->results) order_merged.push_back(r.item_id);
  EXPECT_EQ(order_merged, order_whole);
  // The merged folder reports like any run.
  auto reread = read_results_folder(dir_.path() / "merged");
  ASSERT_TRUE(reread);
  EXPECT_EQ(matrix(reread->results), matrix(whole.results));
  const auto body = [](std::string md) { return md.substr(md.find('\n')); };  // after the run ID
  EXPECT_EQ(body(render_markdown(reread->manifest, reread->results)),
            body(render_markdown(whole.manifest, whole.results)));
}

TEST_F(RunTest, MergeCarriesEveryShardsEvidence) {
  const Inputs inputs = load();
  std::vector<std::filesystem::path> shards;
  for (unsigned k = 1; k <= 2; ++k) {
    RunOptions options;
    options.plan.shard = Shard{k, 2};
    run(inputs, "e" + std::to_string(k), options);
    shards.push_back(dir_.path() / ("e" + std::to_string(k)));
  }
  auto merged = merge_results(shards, dir_.path() / "merged", "merged");
  ASSERT_TRUE(merged) << merged.error().to_string();
  std::size_t artifacts = 0;
  for (const auto& r : merged->results) {
    for (const auto& a : r.artifacts) {
      ++artifacts;
      EXPECT_TRUE(std::filesystem::is_regular_file(dir_.path() / "merged" / a.path)) << a.path;
    }
  }
  EXPECT_GT(artifacts, 0u);  // the selftest artifact case wrote evidence in some shard
}

TEST_F(RunTest, MergeRefusesMissingDuplicateForeignAndUnfinishedShards) {
  const Inputs inputs = load();
  const auto shard = [&](const std::string& name, unsigned k, unsigned n,
                         std::vector<std::string> filters = {}) {
    RunOptions options;
    options.plan.shard = Shard{k, n};
    options.plan.filters = std::move(filters);
    run(inputs, name, options);
    return dir_.path() / name;
  };
  const auto s1 = shard("s1", 1, 3), s2 = shard("s2", 2, 3), s3 = shard("s3", 3, 3);
  const auto refusal = [&](const std::vector<std::filesystem::path>& dirs, const char* into) {
    auto merged = merge_results(dirs, dir_.path() / into, into);
    return merged ? std::string("merged") : merged.error().message;
  };
  EXPECT_NE(refusal({s1, s2}, "m1").find("shard 3/3 missing"), std::string::npos);
  EXPECT_NE(refusal({s1, s2, s2}, "m2").find("shard 2/3 given twice"), std::string::npos);
  run(inputs, "whole");
  EXPECT_NE(refusal({s1, s2, dir_.path() / "whole"}, "m3").find("not a shard"),
            std::string::npos);
  const auto other_split = shard("o2", 2, 2);
  EXPECT_NE(refusal({s1, other_split}, "m4").find("split into 2"), std::string::npos);
  const auto filtered = shard("f3", 3, 3, {"*.ru.*"});
  EXPECT_NE(refusal({s1, s2, filtered}, "m5").find("different --filter"), std::string::npos);
  // An unfinished shard: its journal lost a line.
  std::ifstream in(s3 / "journal.jsonl");
  std::string line, kept;
  std::getline(in, line);
  while (std::getline(in, line)) kept += line + "\n";
  in.close();
  if (!kept.empty() || !line.empty()) {
    std::ofstream(s3 / "journal.jsonl", std::ios::trunc) << kept;
    EXPECT_NE(refusal({s1, s2, s3}, "m6").find("unfinished"), std::string::npos);
  }
  // Nothing was written by the refused merges.
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "m1" / "manifest.json"));
}

TEST_F(RunTest, MergeRefusesDifferentHarnessVersions) {
  const Inputs inputs = load();
  RunOptions first;
  first.plan.shard = Shard{1, 2};
  run(inputs, "a", first);
  auto connector = make_dut_connector();
  RunOptions options;
  options.plan.shard = Shard{2, 2};
  options.results_dir = dir_.path() / "b";
  options.run_id = "b";
  options.harness_version = "other-version";
  ASSERT_TRUE(run_plan(inputs, connector.get(), Registry::instance(), options));
  auto merged = merge_results({dir_.path() / "a", dir_.path() / "b"}, dir_.path() / "m", "m");
  ASSERT_FALSE(merged);
  EXPECT_NE(merged.error().message.find("harness versions differ"), std::string::npos);
}

TEST_F(RunTest, ReportsFromTheJournalAloneEqualTheRunsReports) {
  const auto outcome = run(load(), "r");
  const auto dir = dir_.path() / "r";
  std::ifstream in(dir / "report.md");
  const std::string original((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
  std::filesystem::remove(dir / "report.md");
  auto folder = read_results_folder(dir);
  ASSERT_TRUE(folder);
  ASSERT_TRUE(write_reports(dir, folder->manifest, folder->results));
  std::ifstream again(dir / "report.md");
  const std::string regenerated((std::istreambuf_iterator<char>(again)),
                                std::istreambuf_iterator<char>());
  EXPECT_EQ(regenerated, original);
}

}  // namespace
}  // namespace plugfest::harness
