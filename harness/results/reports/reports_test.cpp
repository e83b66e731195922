#include "harness/results/reports/reports.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "interfaces/common/testing/temp_dir.h"

namespace plugfest::harness {
namespace {

using plugfest::testing::TempDir;

constexpr const char* kHostile = "<script>alert('x')</script>";

ItemResult item(std::string profile, std::string case_id, std::vector<std::string> duts,
                Verdict verdict, CaseKind kind = CaseKind::kConformance) {
  ItemResult r;
  r.profile_id = std::move(profile);
  r.case_id = std::move(case_id);
  r.duts = std::move(duts);
  r.item_id = r.profile_id + "/" + r.case_id + "@" + r.dut_label();
  r.title = std::string("title ") + kHostile;
  r.plane = "cus";
  r.clause = "TEST 1";
  r.kind = kind;
  r.interface_under_test = kind == CaseKind::kConformance ? "o-ru.ofh" : "o-du.ofh";
  r.verdict = verdict;
  r.started_at = "2026-01-01T00:00:00Z";
  r.duration_s = 0.5;
  return r;
}

class ReportsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    manifest_.harness_version = "v1";
    manifest_.run_id = "run-1";
    manifest_.created = "2026-01-01T00:00:00Z";
    manifest_.host = "bench";
    manifest_.profiles = {{"p",
                           std::string("profile ") + kHostile,
                           "O-RAN.WG4.CONF.0",
                           "10.0",
                           "",
                           {"cus.a", "cus.b", "iot.c"}}};
    ManifestDut ru;
    ru.name = "ru1";
    ru.description.vendor = kHostile;
    ru.description.model = "M<1>";
    ru.description.role = adapter::Role::kOru;
    ManifestDut du;
    du.name = "du1";
    du.description.role = adapter::Role::kOdu;
    manifest_.duts = {ru, du};
    results_ = {item("p", "cus.a", {"ru1"}, Verdict::kPass),
                item("p", "cus.b", {"ru1"}, Verdict::kFail),
                item("p", "iot.c", {"du1", "ru1"}, Verdict::kPass, CaseKind::kInteroperability)};
    results_[1].findings.push_back(
        {"rule.x", "TEST 1.2", Severity::kError, std::string("bad ") + kHostile, "byte 3"});
    results_[1].measurements.push_back({"offset", 3.5, "us"});
    results_[1].measurements.push_back({"late", 2, "count"});
    results_[1].artifacts.push_back({"c.pcap", "evidence/cus.b/ru1/c.pcap", "capture"});
    results_[1].reason = "rule.x: bad";
  }
  Manifest manifest_;
  std::vector<ItemResult> results_;
};

TEST_F(ReportsTest, HtmlEscapesEveryStringAndHasBothMatrices) {
  const std::string html = render_html(manifest_, results_);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("id=\"conformance-matrix\""), std::string::npos);
  EXPECT_NE(html.find("id=\"interop-matrix\""), std::string::npos);
  EXPECT_NE(html.find(">1/1</a>"), std::string::npos);  // pair cell: passed / applicable
  EXPECT_NE(html.find("M&lt;1&gt;"), std::string::npos);
  // Self-contained: nothing is fetched.
  EXPECT_EQ(html.find("http://"), std::string::npos);
  EXPECT_EQ(html.find("src="), std::string::npos);
}

TEST_F(ReportsTest, MarkdownAndJunitEscape) {
  const std::string md = render_markdown(manifest_, results_);
  EXPECT_EQ(md.find("<script"), std::string::npos);
  EXPECT_NE(md.find("| cus.b | mandatory | FAIL |"), std::string::npos) << md;
  EXPECT_NE(md.find("| du1 | 1/1 |"), std::string::npos) << md;
  const std::string junit = render_junit(manifest_, results_);
  EXPECT_EQ(junit.find("<script"), std::string::npos);
  EXPECT_NE(junit.find("<failure message=\"rule.x: bad\">"), std::string::npos);
}

// An adapter's text with terminal controls: clear screen, bell, a retitle, a forged line,
// an 8-bit CSI byte and a UTF-8 encoded C1 control.
constexpr const char* kControls = "late\x1b[2J\x07\x1b]0;owned\x07\r\nPASS forged\x9b" "31m\xc2\x9b";

bool has_raw_controls(const std::string& text, const std::string& keep) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if ((c < 0x20 || c == 0x7f) && keep.find(static_cast<char>(c)) == std::string::npos) return true;
    if (c == 0x9b || (c == 0xc2 && i + 1 < text.size() &&
                      static_cast<unsigned char>(text[i + 1]) <= 0x9f)) {
      return true;
    }
  }
  return false;
}

TEST_F(ReportsTest, DeviceTextReachesNoReportWithItsControlCharacters) {
  results_[1].reason = kControls;
  results_[1].findings[0].message = kControls;
  results_[1].log = {kControls};
  manifest_.duts[0].description.vendor = kControls;
  const std::string md = render_markdown(manifest_, results_);
  EXPECT_FALSE(has_raw_controls(md, "\n")) << md;
  // Markdown escapes the backslashes of the escapes too; a line break becomes a space.
  EXPECT_NE(md.find("late\\\\x1b\\[2J\\\\x07\\\\x1b\\]0;owned\\\\x07  PASS forged\\\\x9b31m\\\\u009b"),
            std::string::npos)
      << md;
  const std::string html = render_html(manifest_, results_);
  EXPECT_FALSE(has_raw_controls(html, "\n\t")) << html;
  // HTML keeps line feeds (whitespace there); the carriage return is shown.
  EXPECT_NE(html.find("late\\x1b[2J\\x07\\x1b]0;owned\\x07\\r\nPASS forged\\x9b31m\\u009b"),
            std::string::npos);
  const std::string junit = render_junit(manifest_, results_);
  EXPECT_FALSE(has_raw_controls(junit, "\n\t")) << junit;
  EXPECT_NE(junit.find("<failure message=\"late\\x1b[2J"), std::string::npos) << junit;
  manifest_.duts[0].name = std::string("ru1") + kControls;
  for (auto& r : results_) {
    for (auto& d : r.duts) {
      if (d == "ru1") d = manifest_.duts[0].name;
    }
  }
  const std::string text = render_text_summary(manifest_, results_);
  EXPECT_FALSE(has_raw_controls(text, "\n")) << text;
  EXPECT_NE(text.find("ru1late\\x1b[2J"), std::string::npos) << text;
}

TEST_F(ReportsTest, ExitStatusFollowsMandatoryVerdicts) {
  EXPECT_EQ(exit_status(results_), 1);
  results_[1].status = CaseStatus::kOptional;
  EXPECT_EQ(exit_status(results_), 0);
  results_[0].verdict = Verdict::kError;
  EXPECT_EQ(exit_status(results_), 3);
  results_[2].verdict = Verdict::kInconclusive;
  EXPECT_EQ(exit_status(results_), 1);
}

int run_python(const std::string& script, const std::string& arg) {
  const std::string command = "/usr/bin/python3 -c \"" + script + "\" '" + arg + "'";
  return std::system(command.c_str());
}

TEST_F(ReportsTest, JunitIsWellFormedXml) {
  TempDir dir;
  const auto file = dir.write("junit.xml", render_junit(manifest_, results_));
  EXPECT_EQ(
      run_python("import sys, xml.etree.ElementTree as E; r = E.parse(sys.argv[1]).getroot(); "
                 "sys.exit(0 if r.tag == 'testsuites' and len(r) == 2 else 1)",
                 file),
      0);
}

TEST_F(ReportsTest, OranResultsValidateAgainstTheSchema) {
  const std::string schema = PLUGFEST_ORAN_SCHEMA;
  if (!std::filesystem::exists(schema) || !std::filesystem::exists("/usr/bin/python3")) {
    GTEST_SKIP() << "O-RAN results schema not found at " << schema << "; not validated";
  }
  TempDir dir;
  const auto file = dir.write("o.json", render_oran_results(manifest_, results_).dump(2));
  const std::string validate =
      "import json, sys, jsonschema; "
      "s = json.load(open(sys.argv[1].split(',')[0])); d = "
      "json.load(open(sys.argv[1].split(',')[1])); "
      "jsonschema.Draft202012Validator(s).validate(d)";
  EXPECT_EQ(run_python(validate, schema + "," + file), 0);
  // Also with nothing to report.
  const auto empty = dir.write("e.json", render_oran_results(Manifest{}, {}).dump(2));
  EXPECT_EQ(run_python(validate, schema + "," + empty), 0);
  // And for an unfinished run, its not-run items and its note.
  Manifest unfinished = manifest_;
  for (const auto& r : results_) unfinished.planned_items.push_back(r.item_id);
  unfinished.planned_items.push_back("p/cus.a@du1");
  unfinished.planned_items.push_back("p/iot.c@du1+ru1x");
  const auto cut = dir.write("u.json", render_oran_results(unfinished, results_).dump(2));
  EXPECT_EQ(run_python(validate, schema + "," + cut), 0);
  const auto j = render_oran_results(manifest_, results_);
  EXPECT_EQ(j["testMetadata"]["testType"], "Other");
  EXPECT_EQ(j["testMetadata"]["result"], "FAIL");
  EXPECT_EQ(j["testResults"][0]["groupItems"][1]["result"], "FAIL");
  EXPECT_EQ(j["testResults"][0]["groupItems"][1]["measurements"][1]["units"], "count");
  // Without a lab file the lab says it was not named, rather than inventing one.
  EXPECT_NE(j["testLab"]["name"].get<std::string>().find("not named"), std::string::npos);
}

TEST_F(ReportsTest, OranResultsNameTheLabOfTheLabFile) {
  manifest_.lab = LabIdentity{"Fjord Interop Lab",
                              "Harbour Road 1",
                              {{"Ada", "Lund", "ada@lab.example", "Fjord Labs", ""},
                               {"Bo", "Strand", "bo@lab.example", "", "+47 000"}}};
  const auto j = render_oran_results(manifest_, results_);
  EXPECT_EQ(j["testLab"]["name"], "Fjord Interop Lab");
  EXPECT_EQ(j["testLab"]["address"], "Harbour Road 1");
  ASSERT_EQ(j["testLab"]["contacts"].size(), 2u);
  EXPECT_EQ(j["testLab"]["contacts"][0]["organization"], "Fjord Labs");
  EXPECT_FALSE(j["testLab"]["contacts"][0].contains("phone"));
  EXPECT_EQ(j["testLab"]["contacts"][1]["phone"], "+47 000");
  // The lab survives the manifest round trip, so `report` and `merge` keep it.
  auto back = manifest_from_json(to_json(manifest_));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->lab, manifest_.lab);
  const std::string schema = PLUGFEST_ORAN_SCHEMA;
  if (!std::filesystem::exists(schema) || !std::filesystem::exists("/usr/bin/python3")) {
    GTEST_SKIP() << "O-RAN results schema not found at " << schema << "; not validated";
  }
  TempDir dir;
  const auto file = dir.write("o.json", j.dump(2));
  EXPECT_EQ(run_python("import json, sys, jsonschema; a = sys.argv[1].split(','); "
                       "jsonschema.Draft202012Validator(json.load(open(a[0])))"
                       ".validate(json.load(open(a[1])))",
                       schema + "," + file),
            0);
}

TEST_F(ReportsTest, HtmlRendersInHeadlessChromium) {
  const char* chromium = "/usr/bin/chromium";
  if (!std::filesystem::exists(chromium)) GTEST_SKIP() << "chromium not installed";
  TempDir dir;
  const auto file = dir.write("report.html", render_html(manifest_, results_));
  const auto dom = (dir.path() / "dom.html").string();
  const std::string command =
      std::string(chromium) +
      " --headless --no-sandbox --disable-gpu --disable-background-networking "
      "--disable-component-update --disable-sync --no-first-run --user-data-dir=" +
      (dir.path() / "profile").string() + " --dump-dom file://" + file + " > " + dom +
      " 2>/dev/null";
  ASSERT_EQ(std::system(command.c_str()), 0);
  std::ifstream in(dom);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("id=\"conformance-matrix\""), std::string::npos);
  EXPECT_NE(text.find("id=\"interop-matrix\""), std::string::npos);
  EXPECT_NE(text.find(">FAIL</a>"), std::string::npos);
  // The hostile vendor name stayed text: no script element made it into the DOM.
  EXPECT_EQ(text.find("<script"), std::string::npos);
}

// The run's warnings come before the matrices in both reports, escaped; none, no section.
TEST_F(ReportsTest, RunWarningsLeadBothReportsEscaped) {
  EXPECT_EQ(render_markdown(manifest_, results_).find("Warnings"), std::string::npos);
  EXPECT_EQ(render_html(manifest_, results_).find("id=\"warnings\""), std::string::npos);
  manifest_.warnings = {{"plaintext-adapter", "ru1", std::string("no TLS ") + kHostile}};
  const std::string md = render_markdown(manifest_, results_);
  const auto md_at = md.find("## Warnings\n\n- **warning** ru1: no TLS");
  ASSERT_NE(md_at, std::string::npos) << md;
  EXPECT_LT(md_at, md.find("## Conformance"));
  const std::string html = render_html(manifest_, results_);
  const auto html_at = html.find("<li class=\"warning\">ru1: no TLS &lt;script&gt;");
  ASSERT_NE(html_at, std::string::npos) << html;
  EXPECT_LT(html_at, html.find("<h2>Conformance</h2>"));
}

}  // namespace
}  // namespace plugfest::harness
