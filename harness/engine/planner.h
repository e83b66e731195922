#pragma once
// Planner: expands profiles x DUTs into items, in a stable order (profiles as given, cases
// in profile order, DUTs as given; pairs O-DU-major). Conformance items are case x DUT of
// the case's role; interoperability items are case x (O-DU, O-RU). Items whose
// applicability the capabilities rule out stay in the plan marked not-applicable.
//
// Item IDs read `<profile>/<case>@<dut>` or `<profile>/<case>@<o-du>+<o-ru>`; --filter
// globs match the item ID or the case ID, and --shard K/N keeps the items whose ID hashes
// (FNV-1a 64) to K-1 modulo N, so the partition is the same on every machine.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "harness/inputs/parameters.h"
#include "harness/inputs/profile.h"
#include "harness/inputs/shard.h"
#include "harness/engine/test_case.h"
#include "interfaces/adapter/device.h"
#include "interfaces/common/result.h"

namespace plugfest::harness {

struct PlannedDut {
  std::string name;
  adapter::Role role = adapter::Role::kOru;
  adapter::Capabilities capabilities;
};

struct PlanItem {
  std::string id;
  const Profile* profile = nullptr;
  const ProfileCase* profile_case = nullptr;
  const TestCase* test_case = nullptr;
  std::vector<std::size_t> duts;              // indices into the planned DUTs: one, or {o-du, o-ru}
  std::optional<std::string> not_applicable;  // why, when the capabilities rule it out
  Parameters parameters;                      // defaults merged with the case's overrides
  std::chrono::milliseconds timeout{0};
  std::string evidence_dir;  // relative to the results folder: evidence/<case>/<dut>
};

struct PlanOptions {
  std::vector<std::string> filters;  // globs; empty keeps everything
  std::optional<Shard> shard;
  std::chrono::milliseconds default_timeout{std::chrono::minutes(5)};
};

std::vector<PlanItem> make_plan(const std::vector<Profile>& profiles,
                                const std::vector<PlannedDut>& duts, const Registry& registry,
                                const PlanOptions& options);

bool matches_filters(const PlanItem& item, const std::vector<std::string>& filters);

// A --filter glob that matches no item of a plan made without filters, with the case ID
// and the item ID nearest to it (by edit distance to the glob's literal characters).
struct UnmatchedFilter {
  std::string glob;
  std::string nearest_case;
  std::string nearest_item;
};
std::vector<UnmatchedFilter> unmatched_filters(const std::vector<PlanItem>& unfiltered,
                                               const std::vector<std::string>& filters);

// A string safe as one path component (other characters become '_').
std::string path_component(const std::string& text);

}  // namespace plugfest::harness
