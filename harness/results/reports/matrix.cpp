// The shared model of the reports: canonical order, verdict counts, the conformance and
// interoperability matrices and the cell texts.

#include "harness/results/reports/matrix.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <tuple>

#include "harness/results/reports/reports.h"

namespace plugfest::harness {

VerdictCounts count_verdicts(const std::vector<ItemResult>& results) {
  VerdictCounts c;
  for (const auto& r : results) {
    switch (r.verdict) {
      case Verdict::kPass:
        ++c.pass;
        break;
      case Verdict::kFail:
        ++c.fail;
        break;
      case Verdict::kInconclusive:
        ++c.inconclusive;
        break;
      case Verdict::kNotApplicable:
        ++c.not_applicable;
        break;
      default:
        ++c.error;
    }
  }
  return c;
}

namespace reports {

ConformanceMatrix conformance_matrix(const Manifest& manifest,
                                     const std::vector<ItemResult>& results) {
  ConformanceMatrix m;
  for (const auto& d : manifest.duts) {
    const bool used = std::any_of(results.begin(), results.end(), [&](const ItemResult& r) {
      return r.kind == CaseKind::kConformance && r.duts.size() == 1 && r.duts[0] == d.name;
    });
    if (used) m.duts.push_back(d.name);
  }
  std::map<std::pair<std::string, std::string>, std::size_t> row_of;
  for (const auto& r : results) {
    if (r.kind != CaseKind::kConformance || r.duts.size() != 1) continue;
    auto [it, fresh] = row_of.emplace(std::pair(r.profile_id, r.case_id), m.rows.size());
    if (fresh) {
      m.rows.push_back({r.profile_id, r.case_id, r.title, r.status,
                        std::vector<const ItemResult*>(m.duts.size(), nullptr)});
    }
    const auto col = std::find(m.duts.begin(), m.duts.end(), r.duts[0]);
    if (col != m.duts.end()) m.rows[it->second].cells[col - m.duts.begin()] = &r;
  }
  return m;
}

InteropMatrix interop_matrix(const Manifest& manifest, const std::vector<ItemResult>& results) {
  InteropMatrix m;
  for (const auto& d : manifest.duts) {
    const auto in_pairs = [&](std::size_t side) {
      return std::any_of(results.begin(), results.end(), [&](const ItemResult& r) {
        return r.kind == CaseKind::kInteroperability && r.duts.size() == 2 &&
               r.duts[side] == d.name;
      });
    };
    if (in_pairs(0)) m.odus.push_back(d.name);
    if (in_pairs(1)) m.orus.push_back(d.name);
  }
  m.cells.assign(m.odus.size(), std::vector<InteropCell>(m.orus.size()));
  for (const auto& r : results) {
    if (r.kind != CaseKind::kInteroperability || r.duts.size() != 2) continue;
    const auto du = std::find(m.odus.begin(), m.odus.end(), r.duts[0]) - m.odus.begin();
    const auto ru = std::find(m.orus.begin(), m.orus.end(), r.duts[1]) - m.orus.begin();
    if (du >= static_cast<long>(m.odus.size()) || ru >= static_cast<long>(m.orus.size())) continue;
    InteropCell& cell = m.cells[du][ru];
    if (r.verdict == Verdict::kNotApplicable) continue;
    ++cell.applicable;
    if (r.verdict == Verdict::kPass) ++cell.passed;
    if (r.verdict == Verdict::kFail || r.verdict == Verdict::kInconclusive) ++cell.failed;
    if (r.verdict == Verdict::kError || r.verdict == Verdict::kNone) ++cell.errors;
  }
  return m;
}

std::string short_verdict(const ItemResult* r) {
  if (r == nullptr) return "-";
  switch (r->verdict) {
    case Verdict::kPass:
      return r->has_warnings() ? "PASS*" : "PASS";
    case Verdict::kFail:
      return "FAIL";
    case Verdict::kInconclusive:
      return "INCONC";
    case Verdict::kNotApplicable:
      return "n/a";
    default:
      return "ERROR";
  }
}

std::string interop_text(const InteropCell& c) {
  if (c.applicable == 0) return "n/a";
  return std::to_string(c.passed) + "/" + std::to_string(c.applicable);
}

std::string format_number(double v) {
  char text[64];
  std::snprintf(text, sizeof text, "%.6g", v);
  return text;
}

}  // namespace reports
}  // namespace plugfest::harness
