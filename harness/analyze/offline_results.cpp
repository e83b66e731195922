#include "harness/analyze/offline_results.h"

#include "harness/engine/context.h"

namespace plugfest::analyze {

bool register_offline_cases() {
  bool ok = true;
  for (const OfflineCase& c : offline_cases()) {
    harness::TestCase test_case;
    test_case.id = std::string(c.id);
    test_case.title = std::string(c.title);
    test_case.plane = "cus";
    test_case.clause = std::string(c.clause);
    test_case.role = c.role;
    test_case.run = [](harness::Context& ctx) {
      ctx.set_verdict(harness::Verdict::kInconclusive,
                      "an offline case: judged from a capture by `plugfest analyze`");
    };
    ok &= harness::register_test_case(std::move(test_case));
  }
  return ok;
}

harness::Verdict to_verdict(Judgement judgement) {
  switch (judgement) {
    case Judgement::kPass:
      return harness::Verdict::kPass;
    case Judgement::kFail:
      return harness::Verdict::kFail;
    default:
      return harness::Verdict::kInconclusive;
  }
}

std::vector<harness::ItemResult> item_results(const AnalysisReport& report,
                                              const std::string& profile_id,
                                              const std::string& started_at, double duration_s) {
  std::vector<harness::ItemResult> items;
  for (const CaseOutcome& outcome : report.cases) {
    const OfflineCase& c = offline_case(outcome.case_id);
    const std::string side(adapter::to_string(outcome.side));
    harness::ItemResult item;
    item.case_id = std::string(c.id);
    item.item_id = item.case_id + "@" + side;
    item.profile_id = profile_id;
    item.title = std::string(c.title);
    item.plane = "cus";
    item.clause = std::string(c.clause);
    item.interface_under_test = side + ".ofh";
    item.duts = {side};
    item.verdict = to_verdict(outcome.judgement);
    item.reason = outcome.reason;
    item.started_at = started_at;
    item.duration_s = duration_s;
    for (const LocatedFinding& f : outcome.findings) {
      item.findings.push_back({std::string(f.rule_id), std::string(f.clause),
                               f.severity == fronthaul::Severity::kError
                                   ? harness::Severity::kError
                                   : harness::Severity::kWarning,
                               f.message, f.where()});
    }
    for (const auto& [rule, count] : outcome.counts) {
      item.measurements.push_back({"findings " + rule, static_cast<double>(count), "count"});
    }
    for (const auto& m : outcome.measurements) {
      item.measurements.push_back({m.name, m.value, m.unit});
    }
    item.log.push_back("O-DU: " + report.odu);
    item.log.push_back("O-RU: " + report.oru);
    if (!c.live_cases.empty()) {
      item.log.push_back("judges what these live cases judge: " + std::string(c.live_cases));
    }
    items.push_back(std::move(item));
  }
  return items;
}

}  // namespace plugfest::analyze
