// report.html read the way a person without scripts reads it: a legend for every cell
// text, failed items' details at the place their cell links to, adapter logs, and partial
// interoperability cells apart from none and all passed.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>

#include "harness/results/reports/reports.h"
#include "interfaces/common/testing/temp_dir.h"

namespace plugfest::harness {
namespace {

ItemResult item(const std::string& case_id, std::vector<std::string> duts, Verdict verdict) {
  ItemResult r;
  r.profile_id = "p";
  r.case_id = case_id;
  r.duts = std::move(duts);
  r.item_id = "p/" + case_id + "@" + r.dut_label();
  r.kind = r.duts.size() == 2 ? CaseKind::kInteroperability : CaseKind::kConformance;
  r.verdict = verdict;
  return r;
}

class Html : public ::testing::Test {
 protected:
  void SetUp() override {
    manifest_.run_id = "r";
    manifest_.profiles = {{"p", "t", "D", "1", "", {"cus.a", "iot.x", "iot.y"}}};
    for (const auto& [name, role] : {std::pair{"ru1", adapter::Role::kOru},
                                     {"ru2", adapter::Role::kOru},
                                     {"ru3", adapter::Role::kOru},
                                     {"du1", adapter::Role::kOdu}}) {
      ManifestDut d;
      d.name = name;
      d.description.role = role;
      manifest_.duts.push_back(d);
    }
    ItemResult failed = item("cus.a", {"ru1"}, Verdict::kFail);
    failed.reason = "rule.late: U-plane 3 us late";
    failed.findings.push_back(
        {"rule.late", "CUS 4.4", Severity::kError, "U-plane 3 us late", "frame 12"});
    failed.log = {"sent 10 C-plane messages"};
    results_ = {failed, item("cus.a", {"ru2"}, Verdict::kPass),
                // du1 x ru1: 2/2; du1 x ru2: 1/2 (partial); du1 x ru3: 0/2.
                item("iot.x", {"du1", "ru1"}, Verdict::kPass),
                item("iot.y", {"du1", "ru1"}, Verdict::kPass),
                item("iot.x", {"du1", "ru2"}, Verdict::kPass),
                item("iot.y", {"du1", "ru2"}, Verdict::kFail),
                item("iot.x", {"du1", "ru3"}, Verdict::kFail),
                item("iot.y", {"du1", "ru3"}, Verdict::kFail)};
  }
  Manifest manifest_;
  std::vector<ItemResult> results_;
};

TEST_F(Html, HasALegendForEveryCellText) {
  const std::string html = render_html(manifest_, results_);
  const auto legend = html.find("<table id=\"legend\">");
  ASSERT_NE(legend, std::string::npos);
  const std::string table = html.substr(legend, html.find("</table>", legend) - legend);
  for (const char* symbol : {"PASS*", "-", "n/a", "not run", "ERROR", "INCONC", "k/N"}) {
    EXPECT_NE(table.find(std::string("<b>") + symbol + "</b>"), std::string::npos) << symbol;
  }
}

TEST_F(Html, AFailedCellLinksToASectionThatShowsItsDetailsWithoutScripts) {
  const std::string html = render_html(manifest_, results_);
  std::smatch link;
  ASSERT_TRUE(std::regex_search(
      html, link, std::regex("<td class=\"fail\"><a href=\"#(item-[0-9]+)\">FAIL</a>")));
  const std::string target = "<section class=\"item\" id=\"" + link[1].str() + "\">";
  const auto at = html.find(target);
  ASSERT_NE(at, std::string::npos) << link[1];
  const std::string section = html.substr(at, html.find("</section>", at) - at);
  // Reason and finding are in the section itself, not in anything folded shut.
  EXPECT_NE(section.find("reason: rule.late: U-plane 3 us late"), std::string::npos) << section;
  EXPECT_NE(section.find("<td>frame 12</td>"), std::string::npos) << section;
  EXPECT_LT(section.find("frame 12"), section.find("<details") == std::string::npos
                                          ? std::string::npos
                                          : section.find("<details"));
  // Its log is open too; a passed item's log is not.
  EXPECT_NE(section.find("<details open><summary>log (1 lines)"), std::string::npos) << section;
  EXPECT_EQ(html.find("<details id="), std::string::npos);  // no item is a folded element
}

TEST_F(Html, PartialInteropCellsAreColouredApartFromNoneAndAll) {
  const std::string html = render_html(manifest_, results_);
  EXPECT_NE(html.find("<td class=\"pass\"><a href=\"#pair-du1+ru1\">2/2</a>"), std::string::npos);
  EXPECT_NE(html.find("<td class=\"partial\"><a href=\"#pair-du1+ru2\">1/2</a>"), std::string::npos)
      << html;
  EXPECT_NE(html.find("<td class=\"fail\"><a href=\"#pair-du1+ru3\">0/2</a>"), std::string::npos);
  EXPECT_NE(html.find("td.partial{background:"), std::string::npos);
}

TEST_F(Html, EachDutLinksItsAdapterStderrWhenTheFolderHasIt) {
  plugfest::testing::TempDir dir;
  dir.write("evidence/_adapters/ru1/adapter.stderr", "adapter: listening\n");
  dir.write("evidence/_adapters/ru 2/adapter.stderr", "x\n");
  manifest_.duts[1].name = "ru 2";
  ASSERT_TRUE(write_reports(dir.path(), manifest_, results_));
  std::ifstream in(dir.path() / "report.html");
  const std::string html((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(html.find("<a href=\"./evidence/_adapters/ru1/adapter.stderr\">stderr</a>"),
            std::string::npos);
  EXPECT_NE(html.find("<a href=\"./evidence/_adapters/ru%202/adapter.stderr\">stderr</a>"),
            std::string::npos);
  // du1 has no log: no link that would not resolve.
  EXPECT_EQ(html.find("_adapters/du1"), std::string::npos);
  EXPECT_EQ(html.find("_adapters/ru3"), std::string::npos);
}

}  // namespace
}  // namespace plugfest::harness
