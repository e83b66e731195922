#pragma once
// The model every report format reads: the conformance matrix (case x DUT) and the
// interoperability matrix (O-DU x O-RU), and the cell texts the formats share. Internal to
// reports/; count_verdicts, declared in reports.h, lives in matrix.cpp.

#include <string>
#include <vector>

#include "harness/results/manifest.h"
#include "harness/results/verdict.h"

namespace plugfest::harness::reports {

struct ConformanceRow {
  std::string profile;
  std::string case_id;
  std::string title;
  CaseStatus status = CaseStatus::kMandatory;
  std::vector<const ItemResult*> cells;  // per column, nullptr when not planned
};

struct ConformanceMatrix {
  std::vector<std::string> duts;
  std::vector<ConformanceRow> rows;
};

struct InteropCell {
  std::size_t passed = 0, applicable = 0, failed = 0, errors = 0;
};

struct InteropMatrix {
  std::vector<std::string> odus, orus;
  std::vector<std::vector<InteropCell>> cells;  // [odu][oru]
};

// Single-DUT conformance items; columns are the DUTs that have one, in manifest order.
ConformanceMatrix conformance_matrix(const Manifest& manifest,
                                     const std::vector<ItemResult>& results);
// Pair items, counted per O-DU and O-RU.
InteropMatrix interop_matrix(const Manifest& manifest, const std::vector<ItemResult>& results);

// "PASS", "PASS*" (passed with warnings), "FAIL", "INCONC", "n/a", "ERROR"; "-" when not planned.
std::string short_verdict(const ItemResult* r);
// "passed/applicable", or "n/a".
std::string interop_text(const InteropCell& c);
// %.6g: durations and measured values.
std::string format_number(double v);

}  // namespace plugfest::harness::reports
