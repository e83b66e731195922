#include "harness/results/results_folder.h"

#include <algorithm>
#include <map>
#include <tuple>
#include <set>

#include "harness/results/journal.h"

namespace plugfest::harness {
namespace fs = std::filesystem;

std::vector<ItemResult> canonical_order(const Manifest& manifest, std::vector<ItemResult> results) {
  std::map<std::string, std::size_t> profile_index, dut_index;
  std::map<std::pair<std::string, std::string>, std::size_t> case_index;
  for (std::size_t p = 0; p < manifest.profiles.size(); ++p) {
    profile_index[manifest.profiles[p].id] = p;
    for (std::size_t c = 0; c < manifest.profiles[p].cases.size(); ++c) {
      case_index[{manifest.profiles[p].id, manifest.profiles[p].cases[c]}] = c;
    }
  }
  for (std::size_t d = 0; d < manifest.duts.size(); ++d) dut_index[manifest.duts[d].name] = d;
  const auto key = [&](const ItemResult& r) {
    const auto lookup = [](const auto& map, const auto& k) {
      const auto it = map.find(k);
      return it == map.end() ? map.size() : it->second;
    };
    std::vector<std::size_t> duts;
    for (const auto& d : r.duts) duts.push_back(lookup(dut_index, d));
    return std::tuple(lookup(profile_index, r.profile_id),
                      lookup(case_index, std::pair(r.profile_id, r.case_id)), duts, r.item_id);
  };
  std::stable_sort(results.begin(), results.end(),
                   [&](const ItemResult& a, const ItemResult& b) { return key(a) < key(b); });
  return results;
}

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

namespace {

// Files of a results folder that a merge writes anew rather than copies.
bool rewritten_by_merge(const fs::path& relative) {
  static const std::set<std::string> kOwn = {"manifest.json", "journal.jsonl", "junit.xml",
                                             "o-ran-results.json", "report.html", "report.md"};
  return relative.has_parent_path() == false && kOwn.count(relative.string()) != 0;
}

std::string shard_text(const Shard& shard) {
  return std::to_string(shard.index) + "/" + std::to_string(shard.count);
}

// Copies everything of `from` but the files the merge writes into `into`; a file that
// another shard already put there is a conflict.
Result<void> copy_evidence(const fs::path& from, const fs::path& into) {
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(from, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    const fs::path relative = it->path().lexically_relative(from);
    if (rewritten_by_merge(relative)) continue;
    const fs::path target = into / relative;
    if (it->is_directory()) {
      fs::create_directories(target, ec);
    } else if (it->is_regular_file()) {
      if (fs::exists(target)) {
        return Error{"two shards hold the same evidence file '" + relative.string() + "'",
                     from.string()};
      }
      fs::copy_file(it->path(), target, ec);
    }
    if (ec) return Error{"cannot copy evidence: " + ec.message(), target.string()};
  }
  if (ec) return Error{"cannot read evidence: " + ec.message(), from.string()};
  return {};
}

}  // namespace

Result<ResultsFolder> merge_results(const std::vector<fs::path>& dirs, const fs::path& into,
                                    const std::string& merged_run_id) {
  if (dirs.empty()) return Error{"nothing to merge", ""};
  std::vector<ResultsFolder> folders;
  std::map<unsigned, fs::path> by_index;
  for (const auto& dir : dirs) {
    auto folder = read_results_folder(dir);
    if (!folder) return folder.error();
    const Manifest& m = folder->manifest;
    if (!m.shard) {
      return Error{"refusing to merge: not a shard (run without --shard); only the shards "
                   "1/N..N/N of one plan merge",
                   dir.string()};
    }
    if (!folders.empty()) {
      const Manifest& first = folders.front().manifest;
      if (const auto why = merge_conflict(first, m); !why.empty()) {
        return Error{"refusing to merge: " + why + " (" + dirs.front().string() + " vs " +
                         dir.string() + ")",
                     dir.string()};
      }
      if (m.shard->count != first.shard->count) {
        return Error{"refusing to merge: shard " + shard_text(*m.shard) + " of a split into " +
                         std::to_string(m.shard->count) + ", but " + dirs.front().string() +
                         " is " + shard_text(*first.shard),
                     dir.string()};
      }
    }
    if (const auto [at, added] = by_index.emplace(m.shard->index, dir); !added) {
      return Error{"refusing to merge: shard " + shard_text(*m.shard) + " given twice (" +
                       at->second.string() + " and " + dir.string() + ")",
                   dir.string()};
    }
    if (folder->results.size() != m.planned_items.size()) {
      return Error{"refusing to merge: shard " + shard_text(*m.shard) + " is unfinished (" +
                       std::to_string(folder->results.size()) + " of " +
                       std::to_string(m.planned_items.size()) +
                       " items have results); finish it with plugfest run --resume",
                   dir.string()};
    }
    folders.push_back(std::move(folder.value()));
  }
  const unsigned count = folders.front().manifest.shard->count;
  std::string missing;
  for (unsigned k = 1; k <= count; ++k) {
    if (!by_index.count(k)) missing += (missing.empty() ? "" : ", ") + shard_text({k, count});
  }
  if (!missing.empty()) {
    return Error{"refusing to merge: shard " + missing + " missing", dirs.front().string()};
  }

  std::error_code ec;
  fs::create_directories(into, ec);
  if (ec) return Error{"cannot create folder: " + ec.message(), into.string()};
  if (!fs::is_empty(into, ec)) {
    return Error{"already holds files; merge into an empty folder", into.string()};
  }

  ResultsFolder merged;
  merged.manifest = folders.front().manifest;
  merged.manifest.run_id = merged_run_id;
  merged.manifest.created = utc_now_iso8601();
  merged.manifest.shard.reset();
  merged.manifest.planned_items.clear();
  merged.manifest.merged_from.clear();
  std::set<std::string> seen_duts;
  for (const auto& d : merged.manifest.duts) seen_duts.insert(d.name);
  for (std::size_t i = 0; i < folders.size(); ++i) {
    auto& folder = folders[i];
    merged.manifest.merged_from.push_back(folder.manifest.run_id);
    for (const auto& d : folder.manifest.duts) {
      if (seen_duts.insert(d.name).second) merged.manifest.duts.push_back(d);
    }
    for (auto& r : folder.results) merged.results.push_back(std::move(r));
    if (auto copied = copy_evidence(dirs[i], into); !copied) return copied.error();
  }
  merged.results = canonical_order(merged.manifest, std::move(merged.results));
  for (const auto& r : merged.results) merged.manifest.planned_items.push_back(r.item_id);

  std::string journal;
  for (const auto& r : merged.results) journal += to_json(r).dump() + "\n";
  if (auto w = write_file_atomically(into / "journal.jsonl", journal); !w) return w.error();
  if (auto w = write_manifest(into, merged.manifest); !w) return w.error();
  return merged;
}

}  // namespace plugfest::harness
