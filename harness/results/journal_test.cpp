#include "harness/results/journal.h"

#include <gtest/gtest.h>

#include <fstream>

#include "harness/results/manifest.h"
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
