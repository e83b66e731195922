// report.md: the verdict counts, the run's warnings, both matrices as tables and a list of the
// items that did not pass.

#include <sstream>

#include "harness/results/reports/matrix.h"
#include "harness/results/reports/reports.h"

namespace plugfest::harness {

using reports::conformance_matrix;
using reports::interop_matrix;
using reports::interop_text;
using reports::short_verdict;

std::string render_markdown(const Manifest& manifest,
                            const std::vector<ItemResult>& journal_results) {
  std::ostringstream out;
  const std::vector<ItemResult> results = with_not_run(manifest, journal_results);
  const auto c = count_verdicts(results);
  out << "# plugfest results " << escape_markdown(manifest.run_id) << "\n\n";
  out << "plugfest " << escape_markdown(manifest.harness_version) << ", " << reports::counts_text(c)
      << ".\n\n";
  if (const std::string note = reports::unfinished_note(c); !note.empty()) {
    out << "> **" << escape_markdown(note) << "**\n\n";
  }
  out << "Legend:";
  for (const auto& entry : reports::legend()) {
    out << " `" << entry.symbol << "` " << escape_markdown(entry.meaning) << ";";
  }
  out << "\n\n";
  if (!manifest.warnings.empty()) {
    out << "## Warnings\n\n";
    for (const auto& w : manifest.warnings) {
      out << "- **warning** " << (w.dut.empty() ? "" : escape_markdown(w.dut) + ": ")
          << escape_markdown(w.message) << "\n";
    }
    out << "\n";
  }
  const auto conformance = conformance_matrix(manifest, results);
  if (!conformance.rows.empty()) {
    out << "## Conformance\n\n| case | status |";
    for (const auto& d : conformance.duts) out << " " << escape_markdown(d) << " |";
    out << "\n|---|---|";
    for (std::size_t i = 0; i < conformance.duts.size(); ++i) out << "---|";
    out << "\n";
    for (const auto& row : conformance.rows) {
      out << "| " << escape_markdown(row.case_id) << " | " << to_string(row.status) << " |";
      for (const auto* cell : row.cells) out << " " << escape_markdown(short_verdict(cell)) << " |";
      out << "\n";
    }
    out << "\n";
  }
  const auto interop = interop_matrix(manifest, results);
  if (!interop.odus.empty()) {
    out << "## Interoperability (passed / applicable)\n\n| O-DU \\\\ O-RU |";
    for (const auto& ru : interop.orus) out << " " << escape_markdown(ru) << " |";
    out << "\n|---|";
    for (std::size_t i = 0; i < interop.orus.size(); ++i) out << "---|";
    out << "\n";
    for (std::size_t du = 0; du < interop.odus.size(); ++du) {
      out << "| " << escape_markdown(interop.odus[du]) << " |";
      for (std::size_t ru = 0; ru < interop.orus.size(); ++ru) {
        out << " " << interop_text(interop.cells[du][ru]) << " |";
      }
      out << "\n";
    }
    out << "\n";
  }
  bool heading = false;
  for (const auto& r : results) {
    if (r.verdict == Verdict::kPass || r.verdict == Verdict::kNotApplicable ||
        r.verdict == Verdict::kNotRun) {
      continue;  // not run: counted above, in the unfinished note
    }
    if (!heading) {
      out << "## Not passed\n\n";
      heading = true;
    }
    out << "- **" << escape_markdown(std::string(to_string(r.verdict))) << "** "
        << escape_markdown(r.item_id) << ": " << escape_markdown(r.reason) << "\n";
  }
  return out.str();
}

}  // namespace plugfest::harness
