// The terminal summary: both matrices as plain text, then the verdict counts.

#include <algorithm>
#include <sstream>

#include "harness/results/reports/matrix.h"
#include "harness/results/reports/reports.h"
#include "harness/inputs/visible_text.h"

namespace plugfest::harness {

using reports::conformance_matrix;
using reports::interop_matrix;
using reports::interop_text;
using reports::short_verdict;

std::string render_text_summary(const Manifest& manifest,
                                const std::vector<ItemResult>& journal_results) {
  std::ostringstream out;
  const std::vector<ItemResult> results = with_not_run(manifest, journal_results);
  const auto c = count_verdicts(results);
  const std::string note = reports::unfinished_note(c);
  if (!note.empty()) out << note << "\n";
  // Names may come from a results folder of any origin: shown without control characters.
  auto conformance = conformance_matrix(manifest, results);
  for (auto& d : conformance.duts) d = escape_terminal(d);
  for (auto& row : conformance.rows) row.case_id = escape_terminal(row.case_id);
  if (!conformance.rows.empty()) {
    std::size_t width = 4;
    for (const auto& row : conformance.rows) width = std::max(width, row.case_id.size());
    out << "Conformance (case x DUT)\n  " << std::string(width, ' ');
    for (const auto& d : conformance.duts) out << "  " << d;
    out << "\n";
    for (const auto& row : conformance.rows) {
      out << "  " << row.case_id << std::string(width - row.case_id.size(), ' ');
      for (std::size_t i = 0; i < row.cells.size(); ++i) {
        const std::string v = short_verdict(row.cells[i]);
        out << "  " << v
            << std::string(conformance.duts[i].size() > v.size()
                               ? conformance.duts[i].size() - v.size()
                               : 0,
                           ' ');
      }
      out << "\n";
    }
  }
  auto interop = interop_matrix(manifest, results);
  for (auto& d : interop.odus) d = escape_terminal(d);
  for (auto& d : interop.orus) d = escape_terminal(d);
  if (!interop.odus.empty()) {
    out << "Interoperability (O-DU x O-RU, passed/applicable)\n  " << std::string(12, ' ');
    for (const auto& ru : interop.orus) out << "  " << ru;
    out << "\n";
    for (std::size_t du = 0; du < interop.odus.size(); ++du) {
      std::string name = interop.odus[du];
      name.resize(std::max<std::size_t>(12, name.size()), ' ');
      out << "  " << name;
      for (std::size_t ru = 0; ru < interop.orus.size(); ++ru) {
        const std::string v = interop_text(interop.cells[du][ru]);
        out << "  " << v
            << std::string(
                   interop.orus[ru].size() > v.size() ? interop.orus[ru].size() - v.size() : 0,
                   ' ');
      }
      out << "\n";
    }
  }
  if (!conformance.rows.empty() || !interop.odus.empty()) {
    out << "  (PASS* passed with warnings, n/a not applicable, - not this role, not run: the run "
           "stopped before it)\n";
  }
  out << reports::counts_text(c) << "\n";
  // Said again last, where the eye lands.
  if (!note.empty()) out << note << "\n";
  return out.str();
}
}  // namespace plugfest::harness
