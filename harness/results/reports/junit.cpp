// junit.xml: one testsuite per DUT or pair, one testcase per item; fail is a failure,
// error an error, inconclusive and not applicable are skipped. A planned item the run
// stopped before is an error of type "not-run", and the testsuites name says the run is
// unfinished, so CI never shows an unfinished run green.

#include <map>
#include <sstream>

#include "harness/results/reports/matrix.h"
#include "harness/results/reports/reports.h"

namespace plugfest::harness {

using reports::format_number;

std::string render_junit(const Manifest& manifest, const std::vector<ItemResult>& journal_results) {
  const std::vector<ItemResult> results = with_not_run(manifest, journal_results);
  std::vector<std::string> suites;
  std::map<std::string, std::vector<const ItemResult*>> by_suite;
  for (const auto& r : results) {
    const std::string label = r.dut_label();
    if (!by_suite.count(label)) suites.push_back(label);
    by_suite[label].push_back(&r);
  }
  const auto c = count_verdicts(results);
  std::ostringstream out;
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  const std::string note = reports::unfinished_note(c);
  if (!note.empty()) out << "<!-- " << escape_xml(note) << " -->\n";
  out << "<testsuites name=\"plugfest " << escape_xml(manifest.run_id)
      << (note.empty() ? "" : " (UNFINISHED: " + std::to_string(c.not_run) + " items not run)")
      << "\" tests=\"" << c.total() << "\" failures=\"" << c.fail << "\" errors=\""
      << c.error + c.not_run << "\" skipped=\"" << c.not_applicable + c.inconclusive << "\">\n";
  for (const auto& suite : suites) {
    const auto& items = by_suite[suite];
    std::vector<ItemResult> copy;
    double time = 0;
    for (const auto* r : items) {
      copy.push_back(*r);
      time += r->duration_s;
    }
    const auto sc = count_verdicts(copy);
    out << "  <testsuite name=\"" << escape_xml(suite) << "\" tests=\"" << sc.total()
        << "\" failures=\"" << sc.fail << "\" errors=\"" << sc.error + sc.not_run << "\" skipped=\""
        << sc.not_applicable + sc.inconclusive << "\" time=\"" << format_number(time) << "\">\n";
    for (const auto* r : items) {
      out << "    <testcase classname=\"" << escape_xml(r->profile_id + "." + suite) << "\" name=\""
          << escape_xml(r->case_id) << "\" time=\"" << format_number(r->duration_s) << "\">\n";
      std::string details;
      for (const auto& f : r->findings) {
        details += std::string(to_string(f.severity)) + " " + f.rule_id + " (" + f.clause + ") " +
                   f.message + (f.where.empty() ? "" : " at " + f.where) + "\n";
      }
      switch (r->verdict) {
        case Verdict::kPass:
          break;
        case Verdict::kFail:
          out << "      <failure message=\"" << escape_xml(r->reason) << "\">"
              << escape_xml(details) << "</failure>\n";
          break;
        case Verdict::kInconclusive:
          out << "      <skipped message=\"inconclusive: " << escape_xml(r->reason) << "\"/>\n";
          break;
        case Verdict::kNotApplicable:
          out << "      <skipped message=\"not applicable: " << escape_xml(r->reason) << "\"/>\n";
          break;
        case Verdict::kNotRun:
          out << "      <error type=\"not-run\" message=\"" << escape_xml(r->reason) << "\"/>\n";
          break;
        default:
          out << "      <error message=\"" << escape_xml(r->reason) << "\">" << escape_xml(details)
              << "</error>\n";
      }
      if (!r->log.empty()) {
        std::string log;
        for (const auto& line : r->log) log += line + "\n";
        out << "      <system-out>" << escape_xml(log) << "</system-out>\n";
      }
      out << "    </testcase>\n";
    }
    out << "  </testsuite>\n";
  }
  out << "</testsuites>\n";
  return out.str();
}
}  // namespace plugfest::harness
