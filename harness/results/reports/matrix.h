#pragma once
// The model every report format reads: the conformance matrix (case x DUT) and the
// interoperability matrix (O-DU x O-RU), and the cell texts the formats share. Internal to
// reports/; count_verdicts, declared in reports.h, lives in matrix.cpp.

#include <string>
#include <vector>

#include "harness/results/manifest.h"
#include "harness/results/reports/reports.h"
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
  // `applicable` counts the items that ran and were applicable; `not_run` those the run
  // stopped before.
  std::size_t passed = 0, applicable = 0, failed = 0, errors = 0, not_run = 0;
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

// "PASS", "PASS*" (passed with warnings), "FAIL", "INCONC", "n/a", "ERROR", "not run"; "-"
// when no item was planned for the DUT (the case is for the other role, or left out by
// --filter / --shard).
std::string short_verdict(const ItemResult* r);
// "passed/applicable", "n/a", "not run", or "passed/applicable +R not run".
std::string interop_text(const InteropCell& c);

// What each cell text means, one entry per symbol: {symbol, meaning}.
struct LegendEntry {
  const char* symbol;
  const char* meaning;
};
const std::vector<LegendEntry>& legend();

// "" for a finished run; else a plain sentence saying it is unfinished and how many planned
// items were not run.
std::string unfinished_note(const VerdictCounts& counts);
// "N items: P pass, F fail, ..., R not run" (the last part only when R > 0).
std::string counts_text(const VerdictCounts& counts);
// %.6g: durations and measured values.
std::string format_number(double v);

}  // namespace plugfest::harness::reports
