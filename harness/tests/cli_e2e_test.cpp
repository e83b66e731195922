// End-to-end tests of the command line: the real `plugfest` code path, built with the
// test-only catalog and fake DUTs (plugfest-selftest), run as a separate process.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <thread>

#include "harness/results/journal.h"
#include "harness/results/testing/small_tmpfs.h"
#include "interfaces/common/testing/temp_dir.h"

extern char** environ;

namespace plugfest::harness {
namespace {

using plugfest::testing::TempDir;

const std::string kBinary = PLUGFEST_SELFTEST_BIN;

pid_t spawn(const std::vector<std::string>& args, const std::string& output) {
  std::vector<char*> argv;
  std::string program = kBinary;
  argv.push_back(program.data());
  std::vector<std::string> copy = args;
  for (auto& a : copy) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, output.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, kBinary.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  return rc == 0 ? pid : -1;
}

int wait_exit(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::map<std::string, Verdict> matrix(const std::filesystem::path& dir) {
  std::map<std::string, Verdict> m;
  auto journal = read_journal(dir / "journal.jsonl");
  if (journal) {
    for (const auto& r : journal->results) m[r.item_id] = r.verdict;
  }
  return m;
}

std::size_t journal_lines(const std::filesystem::path& dir) {
  std::ifstream in(dir / "journal.jsonl");
  std::size_t n = 0;
  for (std::string line; std::getline(in, line);) ++n;
  return n;
}

class Cli : public ::testing::Test {
 protected:
  void SetUp() override {
    profile_ = dir_.write("in/p.yaml", R"(
id: selftest
title: t
specification: {document: TEST, version: "1"}
cases:
  - id: selftest.ru.verdict
  - id: selftest.ru.needs-bfp
  - id: selftest.pair.verdict
)");
    duts_ = (dir_.path() / "in/duts").string();
    dut("du-1", "o-du", "");
    dut("ru-1", "o-ru", "capabilities: [compression.bfp.9]\n");
    dut("ru-2", "o-ru", "");
  }
  void dut(const std::string& name, const std::string& role, const std::string& extra) {
    dir_.write("in/duts/" + name + ".yaml",
               "name: " + name + "\nrole: " + role + "\ncommand: fake\n" + extra);
  }
  int run(std::vector<std::string> args, std::string* output = nullptr) {
    const auto out = (dir_.path() / ("out" + std::to_string(counter_++))).string();
    const int status = wait_exit(spawn(args, out));
    if (output) *output = slurp(out);
    return status;
  }
  std::string results(const std::string& name) { return (dir_.path() / name).string(); }

  TempDir dir_;
  std::string profile_, duts_;
  int counter_ = 0;
};

// `run` without files takes profiles/default.list and vendors/descriptors/ from
// $PLUGFEST_HOME before anywhere else, and says where it took them from.
TEST_F(Cli, DefaultInputsComeFromPlugfestHome) {
  const auto home = dir_.path() / "home";
  dir_.write("home/profiles/default.list", "# the default set\np.yaml\n");
  std::filesystem::copy_file(profile_, home / "profiles" / "p.yaml");
  std::filesystem::create_directories(home / "vendors");
  std::filesystem::copy(duts_, home / "vendors" / "descriptors");
  ::setenv("PLUGFEST_HOME", home.c_str(), 1);
  std::string out;
  const int status = run({"run", "-o", results("h"), "--progress", "none"}, &out);
  ::unsetenv("PLUGFEST_HOME");
  EXPECT_EQ(status, 0) << out;
  EXPECT_NE(out.find("default profiles and descriptors of " + home.string()), std::string::npos)
      << out;
  EXPECT_EQ(matrix(results("h")).count("selftest/selftest.ru.verdict@ru-1"), 1u);
}

TEST_F(Cli, ExitStatusesZeroOneTwoThree) {
  std::string out;
  EXPECT_EQ(run({"run", "-o", results("a"), "--progress", "plain", profile_, duts_}, &out), 0)
      << out;
  EXPECT_NE(out.find("report: "), std::string::npos);
  EXPECT_NE(out.find("Conformance"), std::string::npos);
  // Each result carries the conformance test its case implements, apart from the clause.
  auto journal = read_journal(std::filesystem::path(results("a")) / "journal.jsonl");
  ASSERT_TRUE(journal);
  bool carried = false;
  for (const auto& r : journal->results) {
    if (r.case_id == "selftest.ru.verdict")
      carried = r.conformance_test == "SELFTEST-CONF 1.1" && r.clause == "TEST 1";
  }
  EXPECT_TRUE(carried);
  dut("ru-2", "o-ru", "lab: {selftest: {verdict: fail}}\n");
  EXPECT_EQ(run({"run", "-o", results("b"), profile_, duts_}), 1);
  dut("ru-2", "o-ru", "lab: {selftest: {verdict: error}}\n");
  EXPECT_EQ(run({"run", "-o", results("c"), profile_, duts_}), 3);
  dut("ru-2", "o-ru", "lab: [oops]\n");
  EXPECT_EQ(run({"run", "-o", results("d"), profile_, duts_}, &out), 2);
  EXPECT_NE(out.find("ru-2.yaml:4:6"), std::string::npos) << out;
  EXPECT_FALSE(std::filesystem::exists(results("d")));  // nothing runs on bad input
  EXPECT_EQ(run({"run", "--shard", "4/3", profile_, duts_}), 2);
  EXPECT_EQ(run({"validate", profile_, duts_}), 2);
}

TEST_F(Cli, BarePlugfestPrintsHelpAndZeroJobsIsAnError) {
  std::string out;
  EXPECT_EQ(run({}, &out), 2);
  EXPECT_NE(out.find("Subcommands:"), std::string::npos) << out;
  EXPECT_NE(out.find("run"), std::string::npos) << out;
  EXPECT_EQ(run({"run", "-o", results("j0"), "-j", "0", profile_, duts_}, &out), 2);
  EXPECT_NE(out.find("-j/--jobs must be at least 1"), std::string::npos) << out;
  EXPECT_FALSE(std::filesystem::exists(results("j0")));
}

TEST_F(Cli, AnUnreachableDutIsWrittenOffOnTheTerminalAndTheRunExitsThree) {
  dut("ru-2", "o-ru", "lab: {fake: {connect: fail}}\n");
  std::string out;
  EXPECT_EQ(run({"run", "-o", results("u"), "--progress", "plain", profile_, duts_}, &out), 3)
      << out;
  const auto notice = out.find("plugfest: DUT ru-2 is written off, its 3 remaining items end in "
                               "error: cannot reach the adapter: ");
  EXPECT_NE(notice, std::string::npos) << out;
  EXPECT_LT(notice, out.find("ru-2 ("));  // before its items' lines
  const auto m = matrix(results("u"));
  EXPECT_EQ(m.at("selftest/selftest.ru.verdict@ru-2"), Verdict::kError);
  EXPECT_EQ(m.at("selftest/selftest.ru.needs-bfp@ru-2"), Verdict::kError);  // not n/a
  EXPECT_EQ(m.at("selftest/selftest.pair.verdict@du-1+ru-2"), Verdict::kError);
  EXPECT_EQ(m.at("selftest/selftest.ru.verdict@ru-1"), Verdict::kPass);
}

TEST_F(Cli, AFilterThatMatchesNothingExitsTwoNamingTheNearestIds) {
  std::string out;
  EXPECT_EQ(run({"run", "-o", results("nf"), "--filter", "selftest.ru.verdikt", profile_, duts_},
                &out),
            2);
  EXPECT_NE(out.find("error: --filter 'selftest.ru.verdikt' matches no case ID or item ID"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("nearest case: selftest.ru.verdict"), std::string::npos) << out;
  EXPECT_NE(out.find("nearest item: selftest/selftest.ru.verdict@"), std::string::npos) << out;
  EXPECT_FALSE(std::filesystem::exists(results("nf")));
  // One glob that matches among others that do not is still refused.
  EXPECT_EQ(run({"run", "-o", results("nf2"), "--filter", "selftest.pair.*", "--filter",
                 "*@ru-9", profile_, duts_},
                &out),
            2);
  EXPECT_NE(out.find("'*@ru-9'"), std::string::npos) << out;
  EXPECT_NE(out.find("nearest item: selftest/selftest.ru.verdict@ru-1"), std::string::npos) << out;
  EXPECT_EQ(run({"run", "-o", results("nf3"), "--filter", "*@ru-2", profile_, duts_}), 0);
}

TEST_F(Cli, ACorruptJournalLineIsReportedWithFileAndLine) {
  ASSERT_EQ(run({"run", "-o", results("c"), profile_, duts_}), 0);
  const auto journal = std::filesystem::path(results("c")) / "journal.jsonl";
  std::string text = slurp(journal);
  const auto second = text.find('\n') + 1;
  text.insert(second, "{\"item\": garbage\n");
  std::ofstream(journal, std::ios::trunc) << text;
  std::string out;
  run({"report", results("c")}, &out);
  EXPECT_NE(out.find("warning: " + journal.string() + ":2: not valid JSON"), std::string::npos)
      << out;
  // On --resume too, before the run goes on.
  EXPECT_EQ(run({"run", "--resume", results("c")}, &out), 0);
  EXPECT_NE(out.find("warning: " + journal.string() + ":2: not valid JSON"), std::string::npos)
      << out;
}

TEST_F(Cli, ListValidateFilterAndReport) {
  std::string out;
  EXPECT_EQ(run({"list"}, &out), 0);
  EXPECT_NE(out.find("selftest.pair.verdict"), std::string::npos);
  // The conformance test and the clause are separate columns.
  EXPECT_NE(out.find("SELFTEST-CONF 1.1"), std::string::npos) << out;
  EXPECT_EQ(run({"list", profile_}, &out), 0);
  EXPECT_NE(out.find("[requires compression.bfp]"), std::string::npos) << out;
  EXPECT_EQ(run({"validate", profile_, duts_}, &out), 0);
  EXPECT_NE(out.find("ok: profile selftest"), std::string::npos);
  const auto typo = dir_.write("typo.yaml",
                               "id: x\ntitle: t\nspecification: {document: D, version: '1'}\n"
                               "cases: [{id: selftest.ru.verdikt}]\n");
  EXPECT_EQ(run({"validate", typo}, &out), 2);
  EXPECT_NE(out.find("typo.yaml:4:14: key 'id': unknown test case 'selftest.ru.verdikt'; did you "
                     "mean 'selftest.ru.verdict'?"),
            std::string::npos)
      << out;

  EXPECT_EQ(run({"run", "-o", results("f"), "--filter", "selftest.pair.*", profile_, duts_}), 0);
  EXPECT_EQ(matrix(results("f")).size(), 2u);
  std::filesystem::remove(std::filesystem::path(results("f")) / "report.html");
  EXPECT_EQ(run({"report", results("f")}, &out), 0);
  EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(results("f")) / "report.html"));
  EXPECT_NE(out.find("Interoperability"), std::string::npos);
}

TEST_F(Cli, ShardsMergeAndMismatchedRunsAreRefused) {
  ASSERT_EQ(run({"run", "-o", results("all"), profile_, duts_}), 0);
  ASSERT_EQ(run({"run", "-o", results("s1"), "--shard", "1/2", profile_, duts_}), 0);
  ASSERT_EQ(run({"run", "-o", results("s2"), "--shard", "2/2", profile_, duts_}), 0);
  EXPECT_EQ(run({"merge", results("s1"), results("s2"), "--into", results("m")}), 0);
  EXPECT_EQ(matrix(results("m")), matrix(results("all")));
  const auto other = dir_.write("in2/p.yaml", slurp(profile_) + "  - id: selftest.du.verdict\n");
  ASSERT_EQ(run({"run", "-o", results("o"), other, duts_}), 0);
  std::string out;
  EXPECT_EQ(run({"merge", results("s1"), results("o"), "--into", results("m2")}, &out), 2);
  EXPECT_NE(out.find("refusing to merge"), std::string::npos) << out;
}

TEST_F(Cli, KilledRunResumesToTheSameMatrix) {
  for (int i = 3; i <= 12; ++i)
    dut("ru-" + std::to_string(i), "o-ru", "lab: {selftest: {sleep_ms: 40}}\n");
  ASSERT_EQ(run({"run", "-o", results("ref"), "--jobs", "2", profile_, duts_}), 0);
  const auto reference = matrix(results("ref"));
  ASSERT_GT(reference.size(), 30u);

  const pid_t pid =
      spawn({"run", "-o", results("killed"), "--jobs", "2", "--progress", "none", profile_, duts_},
            (dir_.path() / "killed.out").string());
  ASSERT_GT(pid, 0);
  // Kill it once a few items are in the journal (bounded wait; no timing assertion).
  for (int i = 0; i < 6000 && journal_lines(results("killed")) < 5; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  kill(pid, SIGKILL);
  EXPECT_EQ(wait_exit(pid), 128 + SIGKILL);
  const std::size_t before = matrix(results("killed")).size();
  EXPECT_GE(before, 5u);
  EXPECT_LT(before, reference.size());

  std::string out;
  EXPECT_EQ(run({"run", "--resume", results("killed")}, &out), 0) << out;
  EXPECT_EQ(matrix(results("killed")), reference);
  EXPECT_EQ(journal_lines(results("killed")), reference.size());  // nothing ran twice
}

// SIGTERM (what a CI runner or container stop sends) stops the run as Ctrl-C does.
TEST_F(Cli, InterruptFinishesConsistentlyAndResumes) {
  for (int i = 3; i <= 12; ++i)
    dut("ru-" + std::to_string(i), "o-ru", "lab: {selftest: {sleep_ms: 300}}\n");
  const pid_t pid =
      spawn({"run", "-o", results("int"), "--jobs", "2", "--progress", "none", profile_, duts_},
            (dir_.path() / "int.out").string());
  for (int i = 0; i < 6000 && journal_lines(results("int")) < 3; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  kill(pid, SIGTERM);
  const int status = wait_exit(pid);
  EXPECT_EQ(status, 3);
  EXPECT_NE(slurp(dir_.path() / "int.out").find("--resume"), std::string::npos);
  EXPECT_NE(slurp(dir_.path() / "int.out").find("UNFINISHED RUN: "), std::string::npos);
  EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(results("int")) / "report.html"));
  EXPECT_EQ(run({"run", "--resume", results("int")}), 0);
  EXPECT_EQ(journal_lines(results("int")), matrix(results("int")).size());
}

// A real run interrupted with SIGINT after a failure: it exits 3, and the terminal and every
// report say it is unfinished, with the items it did not reach as `not run`.
TEST_F(Cli, AnInterruptedRunSaysSoInEveryReportAndExitsThree) {
  dut("ru-1", "o-ru", "capabilities: [compression.bfp.9]\nlab: {selftest: {verdict: fail}}\n");
  for (int i = 3; i <= 12; ++i)
    dut("ru-" + std::to_string(i), "o-ru", "lab: {selftest: {sleep_ms: 300}}\n");
  const auto dir = std::filesystem::path(results("cut"));
  const pid_t pid =
      spawn({"run", "-o", dir.string(), "--jobs", "2", "--progress", "plain", profile_, duts_},
            (dir_.path() / "cut.out").string());
  const auto failed = [&] {
    return slurp(dir / "journal.jsonl").find("\"verdict\":\"fail\"") != std::string::npos;
  };
  for (int i = 0; i < 6000 && !(failed() && journal_lines(dir) >= 3); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_TRUE(failed());
  kill(pid, SIGINT);
  EXPECT_EQ(wait_exit(pid), 3);  // not 1: unfinished whatever failed before
  const std::string out = slurp(dir_.path() / "cut.out");
  const std::size_t lines = journal_lines(dir);
  EXPECT_NE(out.find("UNFINISHED RUN: "), std::string::npos) << out;
  EXPECT_NE(out.find("not run; finish with: plugfest run --resume " + dir.string()),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("report: " + (dir / "report.html").string()), std::string::npos) << out;
  for (const char* report : {"report.md", "report.html", "junit.xml", "o-ran-results.json"}) {
    EXPECT_NE(slurp(dir / report).find("UNFINISHED RUN: "), std::string::npos) << report;
  }
  EXPECT_NE(slurp(dir / "report.html").find("<td class=\"notrun\">"), std::string::npos);
  EXPECT_NE(slurp(dir / "junit.xml").find("<error type=\"not-run\""), std::string::npos);
  // `report` regenerates the same verdict: unfinished, exit 3.
  std::string regenerated;
  EXPECT_EQ(run({"report", dir.string()}, &regenerated), 3) << regenerated;
  EXPECT_NE(regenerated.find("UNFINISHED RUN: "), std::string::npos) << regenerated;
  EXPECT_EQ(journal_lines(dir), lines);
  // Finished by --resume, the reports say nothing of it any more.
  std::string resumed;
  EXPECT_EQ(run({"run", "--resume", dir.string(), "--progress", "none"}, &resumed), 1) << resumed;
  EXPECT_EQ(resumed.find("UNFINISHED"), std::string::npos) << resumed;
  EXPECT_EQ(slurp(dir / "report.html").find("UNFINISHED"), std::string::npos);
}

// A run whose results folder is on a small disk that its own journal fills: it stops at the
// first line that does not fit, names the file and the error, exits 3, and leaves whole
// lines only.
TEST_F(Cli, ARunOnAFullDiskStopsAtTheFirstFailedJournalWrite) {
  plugfest::testing::SmallTmpfs disk(dir_.path() / "disk", 256 * 1024);
  if (!disk.mounted()) GTEST_SKIP() << disk.skip_reason();
  const std::string trace = (dir_.path() / "trace").string();
  // 100 kB journal lines: two fit, the third does not.
  const std::string lab = "lab: {selftest: {trace: " + trace + ", log_bytes: 100000}}\n";
  dut("du-1", "o-du", lab);
  dut("ru-1", "o-ru", "capabilities: [compression.bfp.9]\n" + lab);
  dut("ru-2", "o-ru", lab);
  const auto dir = disk.path() / "r";
  std::string out;
  EXPECT_EQ(
      run({"run", "-o", dir.string(), "-j", "1", "--progress", "plain", profile_, duts_}, &out), 3)
      << out;
  const std::string file = (dir / "journal.jsonl").string();
  EXPECT_NE(out.find("plugfest: stopping, no further item starts: " + file +
                     ": cannot write the journal: " + std::strerror(ENOSPC)),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("error: the run stopped early: " + file), std::string::npos) << out;
  auto journal = read_journal(file);
  ASSERT_TRUE(journal);
  EXPECT_EQ(journal->ignored_lines, 0u);
  EXPECT_EQ(journal->results.size(), 3u);  // the not-applicable item and two that ran
  std::ifstream ran(trace);
  std::size_t started = 0;
  for (std::string line; std::getline(ran, line);) ++started;
  EXPECT_EQ(started, 3u);  // the third ran, its line failed, nothing started after it
}

}  // namespace
}  // namespace plugfest::harness
