// The shared report model: planned items without a result are `not run` in every format,
// distinct from not applicable and from no item for the DUT.
#include "harness/results/reports/matrix.h"

#include <gtest/gtest.h>

#include "harness/results/reports/reports.h"

namespace plugfest::harness {
namespace {

ItemResult item(const std::string& case_id, std::vector<std::string> duts, Verdict verdict) {
  ItemResult r;
  r.profile_id = "p";
  r.case_id = case_id;
  r.duts = std::move(duts);
  r.item_id = "p/" + case_id + "@" + r.dut_label();
  r.title = "title of " + case_id;
  r.kind = r.duts.size() == 2 ? CaseKind::kInteroperability : CaseKind::kConformance;
  r.status = CaseStatus::kMandatory;
  r.verdict = verdict;
  return r;
}

class UnfinishedRun : public ::testing::Test {
 protected:
  void SetUp() override {
    manifest_.run_id = "run-1";
    manifest_.profiles = {{"p", "t", "D", "1", "", {"cus.a", "cus.b", "cus.c", "iot.x"}}};
    for (const auto& [name, role] : {std::pair{"ru1", adapter::Role::kOru},
                                     {"ru2+x", adapter::Role::kOru},
                                     {"du1", adapter::Role::kOdu}}) {
      ManifestDut d;
      d.name = name;
      d.description.role = role;
      manifest_.duts.push_back(d);
    }
    // cus.c is a case of the O-RU role; du1 has no item of it. ru2+x never ran cus.a and
    // cus.b, and the pair du1+ru2+x never ran either.
    results_ = {item("cus.a", {"ru1"}, Verdict::kPass), item("cus.b", {"ru1"}, Verdict::kFail),
                item("cus.c", {"ru1"}, Verdict::kNotApplicable),
                item("cus.c", {"ru2+x"}, Verdict::kNotApplicable),
                item("iot.x", {"du1", "ru1"}, Verdict::kPass)};
    for (const auto& r : results_) manifest_.planned_items.push_back(r.item_id);
    for (const char* id : {"p/cus.a@ru2+x", "p/cus.b@ru2+x", "p/iot.x@du1+ru2+x"}) {
      manifest_.planned_items.push_back(id);
    }
  }
  Manifest manifest_;
  std::vector<ItemResult> results_;
};

TEST_F(UnfinishedRun, PlannedItemsWithoutAResultBecomeNotRunInTheirPlace) {
  const auto all = with_not_run(manifest_, results_);
  ASSERT_EQ(all.size(), 8u);
  std::size_t not_run = 0;
  for (const auto& r : all) {
    if (r.verdict != Verdict::kNotRun) continue;
    ++not_run;
    EXPECT_EQ(r.profile_id, "p");
    EXPECT_EQ(r.title, "title of " + r.case_id);  // taken from another item of its case
    if (r.case_id == "iot.x") {
      EXPECT_EQ(r.duts, (std::vector<std::string>{"du1", "ru2+x"}));
      EXPECT_EQ(r.kind, CaseKind::kInteroperability);
    } else {
      EXPECT_EQ(r.duts, std::vector<std::string>{"ru2+x"}) << r.item_id;
    }
  }
  EXPECT_EQ(not_run, 3u);
  // A complete run gains nothing.
  Manifest complete = manifest_;
  complete.planned_items.resize(results_.size());
  EXPECT_EQ(with_not_run(complete, results_), results_);
}

TEST_F(UnfinishedRun, NotRunNotApplicableAndNotThisRoleAreThreeDistinctCells) {
  const auto all = with_not_run(manifest_, results_);
  const auto m = reports::conformance_matrix(manifest_, all);
  ASSERT_EQ(m.duts, (std::vector<std::string>{"ru1", "ru2+x"}));
  std::map<std::string, std::vector<std::string>> cells;
  for (const auto& row : m.rows) {
    for (const auto* c : row.cells) cells[row.case_id].push_back(reports::short_verdict(c));
  }
  EXPECT_EQ(cells["cus.a"], (std::vector<std::string>{"PASS", "not run"}));
  EXPECT_EQ(cells["cus.c"], (std::vector<std::string>{"n/a", "n/a"}));
  EXPECT_EQ(reports::short_verdict(nullptr), "-");
  const auto interop = reports::interop_matrix(manifest_, all);
  ASSERT_EQ(interop.orus, (std::vector<std::string>{"ru1", "ru2+x"}));
  EXPECT_EQ(reports::interop_text(interop.cells[0][0]), "1/1");
  EXPECT_EQ(reports::interop_text(interop.cells[0][1]), "not run");
  reports::InteropCell partly{1, 1, 0, 0, 2};
  EXPECT_EQ(reports::interop_text(partly), "1/1 +2 not run");
  EXPECT_EQ(reports::interop_text(reports::InteropCell{}), "n/a");
}

TEST_F(UnfinishedRun, EveryReportSaysTheRunIsUnfinished) {
  const std::string note = "UNFINISHED RUN: 3 of 8 planned items were not run";
  const std::string text = render_text_summary(manifest_, results_);
  EXPECT_EQ(text.rfind(note, 0), 0u) << text;  // first, and said again last
  EXPECT_NE(text.find(", 3 not run\n" + note), std::string::npos) << text;
  EXPECT_NE(text.find("not run"), std::string::npos);
  EXPECT_NE(render_markdown(manifest_, results_).find("> **" + note), std::string::npos);
  const std::string html = render_html(manifest_, results_);
  EXPECT_NE(html.find("<div class=\"unfinished\" id=\"unfinished\">" + note), std::string::npos);
  EXPECT_NE(html.find("<td class=\"notrun\"><a href=\"#item-"), std::string::npos);
  const std::string junit = render_junit(manifest_, results_);
  EXPECT_NE(junit.find("<!-- " + note), std::string::npos) << junit;
  EXPECT_NE(junit.find("name=\"plugfest run-1 (UNFINISHED: 3 items not run)\""), std::string::npos);
  EXPECT_NE(junit.find("<error type=\"not-run\""), std::string::npos);
  EXPECT_NE(junit.find("errors=\"3\""), std::string::npos) << junit;
  const auto oran = render_oran_results(manifest_, results_);
  EXPECT_EQ(oran["notes"][0]["title"], "unfinished run");
  EXPECT_EQ(oran["notes"][0]["body"].get<std::string>().rfind(note, 0), 0u);
  EXPECT_EQ(oran["testMetadata"]["result"], "FAIL");  // cus.b failed before the stop

  // A complete run says none of it.
  Manifest complete = manifest_;
  complete.planned_items.resize(results_.size());
  EXPECT_EQ(render_text_summary(complete, results_).find("UNFINISHED"), std::string::npos);
  EXPECT_EQ(render_html(complete, results_).find("class=\"unfinished\""), std::string::npos);
  EXPECT_EQ(render_junit(complete, results_).find("UNFINISHED"), std::string::npos);
  EXPECT_EQ(render_oran_results(complete, results_)["notes"][0]["title"], "harness");
}

TEST_F(UnfinishedRun, AnUnfinishedRunExitsThreeWhateverFailedBefore) {
  EXPECT_EQ(exit_status(results_), 1);
  EXPECT_EQ(exit_status(with_not_run(manifest_, results_)), 3);
  auto passing = results_;
  passing[1].verdict = Verdict::kPass;
  EXPECT_EQ(exit_status(passing), 0);
  EXPECT_EQ(exit_status(with_not_run(manifest_, passing)), 3);
  const auto oran = render_oran_results(manifest_, passing);
  EXPECT_EQ(oran["testMetadata"]["result"], "WARN");  // never PASS while unfinished
}

}  // namespace
}  // namespace plugfest::harness
