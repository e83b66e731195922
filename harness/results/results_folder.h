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

Result<ResultsFolder> read_results_folder(const std::filesystem::path& dir);

// Combines shards (or partial runs) of one plan; refuses runs whose manifests disagree on
// harness version or inputs. Writes manifest, journal and every report into `into`.
Result<ResultsFolder> merge_results(const std::vector<std::filesystem::path>& dirs,
                                    const std::filesystem::path& into,
                                    const std::string& merged_run_id);

}  // namespace plugfest::harness
