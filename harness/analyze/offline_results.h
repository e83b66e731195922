#pragma once
// The offline cases as the harness sees them: entries of the test-case catalog (so
// `plugfest list` and profiles know them) and the analysis report as the harness's item
// results, so `plugfest analyze` writes the same results folder and reports as a run.

#include <string>
#include <vector>

#include "harness/analyze/analyzer.h"
#include "harness/engine/test_case.h"
#include "harness/results/verdict.h"

namespace plugfest::analyze {

// Adds every offline case to the catalog. In a live run they end inconclusive: they are
// judged from captures by `plugfest analyze`.
bool register_offline_cases();

harness::Verdict to_verdict(Judgement judgement);

// One item per case and side, findings located by capture file, frame and byte.
std::vector<harness::ItemResult> item_results(const AnalysisReport& report,
                                              const std::string& profile_id,
                                              const std::string& started_at, double duration_s);

}  // namespace plugfest::analyze
