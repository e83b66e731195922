#pragma once
// Reading a results folder back (manifest + journal) and merging several into one.

#include <filesystem>
#include <string>
#include <vector>

#include "harness/results/manifest.h"
#include "harness/results/verdict.h"
#include "interfaces/common/result.h"

namespace plugfest::harness {

struct ResultsFolder {
  Manifest manifest;
  std::vector<ItemResult> results;  // canonical order, planned items only
  std::vector<std::string> journal_problems;  // "FILE:LINE: what" per unreadable journal line
};

// Results sorted canonically (profile order, case order in the profile, DUT order), so a
// merged set of shards reports exactly like the unsharded run.
std::vector<ItemResult> canonical_order(const Manifest& manifest, std::vector<ItemResult> results);

Result<ResultsFolder> read_results_folder(const std::filesystem::path& dir);

// Combines the shards 1/N..N/N of one plan into `into` (an empty or new folder): writes its
// manifest and journal and copies every shard's evidence beside them; the caller renders
// the reports. Refuses, naming the folder, a run that is not a shard, shards of other plans
// (harness version, inputs, filters, plan hash), a shard given twice, a missing shard, and
// an unfinished one.
Result<ResultsFolder> merge_results(const std::vector<std::filesystem::path>& dirs,
                                    const std::filesystem::path& into,
                                    const std::string& merged_run_id);

}  // namespace plugfest::harness
