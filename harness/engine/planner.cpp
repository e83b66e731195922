#include "harness/engine/planner.h"

#include <fnmatch.h>

#include <algorithm>
#include <set>

#include "harness/inputs/diagnostics.h"

namespace plugfest::harness {

std::string path_component(const std::string& text) {
  std::string out;
  for (const char c : text) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-' || c == '+';
    out += ok ? c : '_';
  }
  if (out.empty() || out == "." || out == "..") out = "_" + out;
  return out;
}

bool matches_filters(const PlanItem& item, const std::vector<std::string>& filters) {
  if (filters.empty()) return true;
  for (const auto& glob : filters) {
    if (fnmatch(glob.c_str(), item.id.c_str(), 0) == 0) return true;
    if (fnmatch(glob.c_str(), item.test_case->id.c_str(), 0) == 0) return true;
  }
  return false;
}

std::vector<UnmatchedFilter> unmatched_filters(const std::vector<PlanItem>& unfiltered,
                                               const std::vector<std::string>& filters) {
  std::vector<UnmatchedFilter> unmatched;
  for (const auto& glob : filters) {
    const bool matched = std::any_of(unfiltered.begin(), unfiltered.end(),
                                     [&](const PlanItem& item) { return matches_filters(item, {glob}); });
    if (matched) continue;
    std::string literal;
    for (const char c : glob) {
      if (c != '*' && c != '?' && c != '[' && c != ']') literal += c;
    }
    UnmatchedFilter u{glob, {}, {}};
    std::size_t best_case = std::string::npos, best_item = std::string::npos;
    for (const auto& item : unfiltered) {
      if (const auto d = edit_distance(literal, item.test_case->id); d < best_case) {
        best_case = d;
        u.nearest_case = item.test_case->id;
      }
      if (const auto d = edit_distance(literal, item.id); d < best_item) {
        best_item = d;
        u.nearest_item = item.id;
      }
    }
    unmatched.push_back(std::move(u));
  }
  return unmatched;
}

std::vector<PlanItem> make_plan(const std::vector<Profile>& profiles,
                                const std::vector<PlannedDut>& duts, const Registry& registry,
                                const PlanOptions& options) {
  std::vector<PlanItem> items;
  std::set<std::string> evidence_dirs;
  for (const Profile& profile : profiles) {
    for (const ProfileCase& entry : profile.cases) {
      const TestCase* test_case = registry.find(entry.id);
      if (test_case == nullptr) continue;  // load_profile already refused it
      auto rule = Applicability::parse(test_case->requires_capabilities);
      if (!rule) continue;  // the registry refuses such cases
      Applicability applicability = std::move(rule.value());
      applicability.require_also(entry.requires_capabilities);

      PlanItem base;
      base.profile = &profile;
      base.profile_case = &entry;
      base.test_case = test_case;
      base.parameters = profile.defaults;
      base.parameters.merge_from(entry.parameters);
      base.timeout = entry.timeout                    ? *entry.timeout
                     : test_case->timeout.count() > 0 ? test_case->timeout
                                                      : options.default_timeout;

      const auto add = [&](std::vector<std::size_t> indices, std::optional<std::string> unmet) {
        PlanItem item = base;
        std::string label;
        for (const std::size_t i : indices) label += (label.empty() ? "" : "+") + duts[i].name;
        item.id = profile.id + "/" + test_case->id + "@" + label;
        item.duts = std::move(indices);
        if (unmet) item.not_applicable = "requires " + *unmet;
        std::string dir = "evidence/" + path_component(test_case->id) + "/" + path_component(label);
        if (!evidence_dirs.insert(dir).second) {
          // The same case in another profile: keep the two apart.
          dir = "evidence/" + path_component(test_case->id) + "~" + path_component(profile.id) +
                "/" + path_component(label);
          evidence_dirs.insert(dir);
        }
        item.evidence_dir = dir;
        items.push_back(std::move(item));
      };

      if (test_case->kind == CaseKind::kConformance) {
        for (std::size_t d = 0; d < duts.size(); ++d) {
          if (test_case->role && *test_case->role != duts[d].role) continue;
          add({d}, applicability.unmet(duts[d].capabilities));
        }
      } else {
        for (std::size_t du = 0; du < duts.size(); ++du) {
          if (duts[du].role != adapter::Role::kOdu) continue;
          for (std::size_t ru = 0; ru < duts.size(); ++ru) {
            if (duts[ru].role != adapter::Role::kOru) continue;
            add({du, ru}, applicability.unmet(duts[du].capabilities, duts[ru].capabilities));
          }
        }
      }
    }
  }

  std::vector<PlanItem> kept;
  kept.reserve(items.size());
  for (auto& item : items) {
    if (!matches_filters(item, options.filters)) continue;
    if (options.shard && !in_shard(item.id, *options.shard)) continue;
    kept.push_back(std::move(item));
  }
  return kept;
}

}  // namespace plugfest::harness
