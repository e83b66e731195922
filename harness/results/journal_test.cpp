#include "harness/results/journal.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "harness/results/manifest.h"
#include "harness/results/testing/small_tmpfs.h"
#include "interfaces/common/testing/temp_dir.h"

namespace plugfest::harness {
namespace {

ItemResult sample(const std::string& id) {
  ItemResult r;
  r.item_id = id;
  r.profile_id = "p";
  r.case_id = "c";
  r.title = "t \"quoted\"\n";
  r.clause = "RFC 6241 8.1";
  r.conformance_test = "O-RAN.WG4.CONF 3.1.1.1";
  r.duts = {"du", "ru"};
  r.kind = CaseKind::kInteroperability;
  r.status = CaseStatus::kConditional;
  r.verdict = Verdict::kFail;
  r.findings = {{"r", "1.2", Severity::kWarning, "m", "w"}};
  r.measurements = {{"n", 1.25, "dB"}};
  r.artifacts = {{"a", "evidence/a", "d"}};
  r.log = {"line"};
  return r;
}

TEST(Journal, RoundTripsAndSurvivesATruncatedLastLine) {
  plugfest::testing::TempDir dir;
  const auto path = dir.path() / "journal.jsonl";
  {
    auto writer = JournalWriter::open(path);
    ASSERT_TRUE(writer);
    ASSERT_TRUE((*writer)->append(sample("a")));
    ASSERT_TRUE((*writer)->append(sample("b")));
  }
  std::ofstream(path, std::ios::app) << R"({"item":"c","profile")";  // killed mid-line
  auto contents = read_journal(path);
  ASSERT_TRUE(contents);
  ASSERT_EQ(contents->results.size(), 2u);
  EXPECT_EQ(contents->results[0], sample("a"));
  EXPECT_EQ(contents->ignored_lines, 1u);
  ASSERT_EQ(contents->problems.size(), 1u);
  EXPECT_EQ(contents->problems[0], path.string() + ":3: incomplete last line (the run was killed "
                                                   "while writing it)");
  {
    auto writer = JournalWriter::open(path);  // cuts the partial line
    ASSERT_TRUE(writer);
    ASSERT_TRUE((*writer)->append(sample("c")));
  }
  contents = read_journal(path);
  ASSERT_TRUE(contents);
  EXPECT_EQ(contents->results.size(), 3u);
  EXPECT_EQ(contents->ignored_lines, 0u);
}

TEST(Journal, ACorruptLineIsReportedWithItsLineNumber) {
  plugfest::testing::TempDir dir;
  const auto path = dir.path() / "journal.jsonl";
  {
    auto writer = JournalWriter::open(path);
    ASSERT_TRUE(writer);
    ASSERT_TRUE((*writer)->append(sample("a")));
  }
  std::ofstream(path, std::ios::app) << "{not json\n{\"item\": \"b\"}\n";
  {
    auto writer = JournalWriter::open(path);
    ASSERT_TRUE(writer);
    ASSERT_TRUE((*writer)->append(sample("c")));
  }
  auto contents = read_journal(path);
  ASSERT_TRUE(contents);
  EXPECT_EQ(contents->results.size(), 2u);
  EXPECT_EQ(contents->ignored_lines, 2u);
  ASSERT_EQ(contents->problems.size(), 2u);
  EXPECT_EQ(contents->problems[0], path.string() + ":2: not valid JSON; the line is ignored");
  EXPECT_EQ(contents->problems[1].rfind(path.string() + ":3: malformed journal line", 0), 0u)
      << contents->problems[1];
}

TEST(Journal, ANotRunLineIsRefusedOnReading) {
  plugfest::testing::TempDir dir;
  auto line = to_json(sample("x"));
  line["verdict"] = "not-run";
  const auto path = dir.write("journal.jsonl", line.dump() + "\n");
  auto journal = read_journal(path);
  ASSERT_TRUE(journal);
  EXPECT_TRUE(journal->results.empty());  // --resume runs it again
  ASSERT_EQ(journal->problems.size(), 1u);
  EXPECT_NE(journal->problems[0].find("never says not-run"), std::string::npos);
}

// On a full disk the line that does not fit is cut back off: the journal ends in a whole
// line, and the error names the file and the system's reason.
TEST(Journal, AFullDiskLeavesNoPartialLine) {
  plugfest::testing::TempDir dir;
  plugfest::testing::SmallTmpfs disk(dir.path() / "disk", 64 * 1024);
  if (!disk.mounted()) GTEST_SKIP() << disk.skip_reason();
  const auto path = disk.path() / "journal.jsonl";
  auto writer = JournalWriter::open(path);
  ASSERT_TRUE(writer);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE((*writer)->append(sample("i" + std::to_string(i))));
  struct stat before {};
  ASSERT_EQ(stat(path.c_str(), &before), 0);
  ASSERT_LT(before.st_size, 4096);  // the journal's page still has room: a write starts there
  disk.fill();
  ItemResult big = sample("big");
  big.log.assign(100, std::string(200, 'x'));  // 20 kB: more than the page has left
  const auto appended = (*writer)->append(big);
  ASSERT_FALSE(appended);
  EXPECT_NE(appended.error().to_string().find(path.string()), std::string::npos)
      << appended.error().to_string();
  EXPECT_NE(appended.error().to_string().find(std::strerror(ENOSPC)), std::string::npos)
      << appended.error().to_string();
  struct stat after {};
  ASSERT_EQ(stat(path.c_str(), &after), 0);
  EXPECT_EQ(after.st_size, before.st_size);
  auto journal = read_journal(path);
  ASSERT_TRUE(journal);
  EXPECT_EQ(journal->results.size(), 3u);
  EXPECT_EQ(journal->ignored_lines, 0u);
  // Once there is room again, the next line starts clean.
  std::filesystem::remove(disk.path() / "filler");
  ASSERT_TRUE((*writer)->append(sample("i3")));
  journal = read_journal(path);
  ASSERT_TRUE(journal);
  EXPECT_EQ(journal->results.size(), 4u);
  EXPECT_EQ(journal->ignored_lines, 0u);
}

TEST(Manifest, RoundTripsAndHashes) {
  plugfest::testing::TempDir dir;
  Manifest m;
  m.harness_version = "v";
  m.run_id = "r";
  m.inputs = {{"/a", "00"}};
  m.profiles = {{"p", "t", "d", "1", "", {"c"}}};
  m.shard = Shard{2, 3};
  m.duts = {{"ru", "/ru.yaml", {}, ""}};
  m.duts[0].description.capabilities.add("x.y");
  ASSERT_TRUE(write_manifest(dir.path(), m));
  auto back = read_manifest(dir.path());
  ASSERT_TRUE(back);
  EXPECT_EQ(back->shard->index, 2u);
  EXPECT_TRUE(back->duts[0].description.capabilities.has("x.y"));
  EXPECT_EQ(merge_conflict(m, *back), "");
  back->harness_version = "w";
  EXPECT_NE(merge_conflict(m, *back), "");
  // Known answer (FIPS 180-2 "abc").
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(*sha256_file(dir.write("f", "abc")), sha256_hex("abc"));
}

}  // namespace
}  // namespace plugfest::harness
