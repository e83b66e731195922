// The shared model of the reports: canonical order, verdict counts, the conformance and
// interoperability matrices and the cell texts.

#include "harness/results/reports/matrix.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <tuple>

#include "harness/results/reports/reports.h"
#include "harness/results/results_folder.h"

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
      case Verdict::kNotRun:
        ++c.not_run;
        break;
      default:
        ++c.error;
    }
  }
  return c;
}

namespace {

// A placeholder for a planned item without a result. The item ID says the profile, case
// and DUTs (`<profile>/<case>@<dut>` or `@<o-du>+<o-ru>`): they are matched against the
// manifest's names, so names holding '/', '@' or '+' still split right. Title and status
// come from another item of the same case when there is one.
ItemResult not_run_item(const Manifest& manifest, const std::string& id,
                        const std::vector<ItemResult>& results) {
  ItemResult r;
  r.item_id = id;
  r.case_id = id;
  r.verdict = Verdict::kNotRun;
  r.reason =
      "not run: the run stopped before this item; plugfest run --resume on this "
      "results folder runs it";
  std::size_t best = 0;
  for (const auto& p : manifest.profiles) {
    if (p.id.size() + 1 > best && id.compare(0, p.id.size() + 1, p.id + "/") == 0) {
      best = p.id.size() + 1;
      r.profile_id = p.id;
    }
  }
  const std::string rest = id.substr(best);
  const auto ends_with = [&](const std::string& tail) {
    return rest.size() > tail.size() &&
           rest.compare(rest.size() - tail.size(), tail.size(), tail) == 0;
  };
  std::size_t matched = 0;
  for (const auto& a : manifest.duts) {
    if (const std::string tail = "@" + a.name; tail.size() > matched && ends_with(tail)) {
      matched = tail.size();
      r.duts = {a.name};
    }
    for (const auto& b : manifest.duts) {
      if (const std::string tail = "@" + a.name + "+" + b.name;
          tail.size() > matched && ends_with(tail)) {
        matched = tail.size();
        r.duts = {a.name, b.name};
      }
    }
  }
  if (matched > 0) r.case_id = rest.substr(0, rest.size() - matched);
  r.kind = r.duts.size() == 2 ? CaseKind::kInteroperability : CaseKind::kConformance;
  for (const auto& other : results) {
    if (other.profile_id == r.profile_id && other.case_id == r.case_id) {
      r.title = other.title;
      r.status = other.status;
      r.plane = other.plane;
      r.clause = other.clause;
      r.conformance_test = other.conformance_test;
      if (other.duts.size() == r.duts.size()) r.interface_under_test = other.interface_under_test;
      break;
    }
  }
  return r;
}

}  // namespace

std::vector<ItemResult> with_not_run(const Manifest& manifest,
                                     const std::vector<ItemResult>& results) {
  std::set<std::string> have;
  for (const auto& r : results) have.insert(r.item_id);
  std::vector<ItemResult> all = results;
  bool added = false;
  for (const auto& id : manifest.planned_items) {
    if (!have.insert(id).second) continue;
    all.push_back(not_run_item(manifest, id, results));
    added = true;
  }
  return added ? canonical_order(manifest, std::move(all)) : all;
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
    if (r.verdict == Verdict::kNotRun) {
      ++cell.not_run;
      continue;
    }
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
    case Verdict::kNotRun:
      return "not run";
    default:
      return "ERROR";
  }
}

std::string interop_text(const InteropCell& c) {
  if (c.applicable == 0) return c.not_run > 0 ? "not run" : "n/a";
  std::string text = std::to_string(c.passed) + "/" + std::to_string(c.applicable);
  if (c.not_run > 0) text += " +" + std::to_string(c.not_run) + " not run";
  return text;
}

const std::vector<LegendEntry>& legend() {
  static const std::vector<LegendEntry> kLegend = {
      {"PASS", "passed"},
      {"PASS*", "passed with warnings (see the item's findings)"},
      {"FAIL", "failed"},
      {"INCONC", "inconclusive: the case could not decide (it says why)"},
      {"ERROR", "the harness or the adapter failed, not the device"},
      {"n/a", "not applicable: the device's capabilities rule the case out"},
      {"-",
       "not this role: no item for this device (a case of the other role, or left out "
       "by --filter / --shard)"},
      {"not run", "planned, but the run stopped before it (--resume runs it)"},
      {"k/N",
       "interoperability: k of the N applicable cases of the pair passed (all: green, "
       "some: orange, none: red)"}};
  return kLegend;
}

std::string unfinished_note(const VerdictCounts& counts) {
  if (counts.not_run == 0) return {};
  return "UNFINISHED RUN: " + std::to_string(counts.not_run) + " of " +
         std::to_string(counts.total()) +
         " planned items were not run (the run was stopped early); these results are "
         "incomplete. plugfest run --resume on this results folder finishes it.";
}

std::string counts_text(const VerdictCounts& c) {
  std::string text = std::to_string(c.total()) + " items: " + std::to_string(c.pass) + " pass, " +
                     std::to_string(c.fail) + " fail, " + std::to_string(c.inconclusive) +
                     " inconclusive, " + std::to_string(c.error) + " error, " +
                     std::to_string(c.not_applicable) + " not applicable";
  if (c.not_run > 0) text += ", " + std::to_string(c.not_run) + " not run";
  return text;
}

std::string format_number(double v) {
  char text[64];
  std::snprintf(text, sizeof text, "%.6g", v);
  return text;
}

}  // namespace reports
}  // namespace plugfest::harness
