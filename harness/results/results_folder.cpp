#include "harness/results/results_folder.h"

#include <set>

#include "harness/results/journal.h"
#include "harness/results/reports/reports.h"

namespace plugfest::harness {
namespace fs = std::filesystem;

Result<ResultsFolder> read_results_folder(const fs::path& dir) {
  auto manifest = read_manifest(dir);
  if (!manifest) return manifest.error();
  auto journal = read_journal(dir / "journal.jsonl");
  if (!journal) return journal.error();
  const std::set<std::string> planned(manifest->planned_items.begin(),
                                      manifest->planned_items.end());
  ResultsFolder folder;
  folder.manifest = std::move(manifest.value());
  folder.journal_problems = journal->problems;
  for (auto& r : journal->results) {
    if (planned.count(r.item_id)) folder.results.push_back(std::move(r));
  }
  folder.results = canonical_order(folder.manifest, std::move(folder.results));
  return folder;
}

Result<ResultsFolder> merge_results(const std::vector<fs::path>& dirs, const fs::path& into,
                                    const std::string& merged_run_id) {
  if (dirs.empty()) return Error{"nothing to merge", ""};
  std::vector<ResultsFolder> folders;
  for (const auto& dir : dirs) {
    auto folder = read_results_folder(dir);
    if (!folder) return folder.error();
    if (!folders.empty()) {
      if (const auto why = merge_conflict(folders.front().manifest, folder->manifest);
          !why.empty()) {
        return Error{"refusing to merge: " + why + " (" + dirs.front().string() + " vs " +
                         dir.string() + ")",
                     dir.string()};
      }
    }
    folders.push_back(std::move(folder.value()));
  }

  ResultsFolder merged;
  merged.manifest = folders.front().manifest;
  merged.manifest.run_id = merged_run_id;
  merged.manifest.created = utc_now_iso8601();
  merged.manifest.shard.reset();
  merged.manifest.planned_items.clear();
  merged.manifest.merged_from.clear();
  std::set<std::string> seen_items, seen_duts;
  for (const auto& d : merged.manifest.duts) seen_duts.insert(d.name);
  for (auto& folder : folders) {
    merged.manifest.merged_from.push_back(folder.manifest.run_id);
    for (const auto& d : folder.manifest.duts) {
      if (seen_duts.insert(d.name).second) merged.manifest.duts.push_back(d);
    }
    for (auto& r : folder.results) {
      if (seen_items.insert(r.item_id).second) merged.results.push_back(std::move(r));
    }
  }
  merged.results = canonical_order(merged.manifest, std::move(merged.results));
  for (const auto& r : merged.results) merged.manifest.planned_items.push_back(r.item_id);

  std::error_code ec;
  fs::create_directories(into, ec);
  if (ec) return Error{"cannot create folder: " + ec.message(), into.string()};
  if (fs::exists(into / "manifest.json")) {
    return Error{"already holds a run; merge into an empty folder", into.string()};
  }
  std::string journal;
  for (const auto& r : merged.results) journal += to_json(r).dump() + "\n";
  if (auto w = write_file_atomically(into / "journal.jsonl", journal); !w) return w.error();
  if (auto w = write_manifest(into, merged.manifest); !w) return w.error();
  if (auto w = write_reports(into, merged.manifest, merged.results); !w) return w.error();
  return merged;
}

}  // namespace plugfest::harness
