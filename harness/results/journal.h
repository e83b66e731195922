#pragma once
// journal.jsonl: one JSON line per finished item, appended and flushed as each finishes,
// so a run killed at any moment loses at most the items that were still running. A line
// cut short by the kill is ignored when the journal is read back (and cut off before a
// resumed run appends).

#include <cstdio>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "harness/results/verdict.h"
#include "interfaces/common/result.h"

namespace plugfest::harness {

nlohmann::json to_json(const ItemResult& result);
Result<ItemResult> item_result_from_json(const nlohmann::json& json);

class JournalWriter {
 public:
  // Opens `path` for appending; a trailing partial line is cut off first.
  static Result<std::unique_ptr<JournalWriter>> open(const std::filesystem::path& path);
  ~JournalWriter();
  JournalWriter(const JournalWriter&) = delete;
  JournalWriter& operator=(const JournalWriter&) = delete;

  // Appends one line and flushes it to the kernel. Thread-safe.
  Result<void> append(const ItemResult& result);

 private:
  explicit JournalWriter(std::FILE* file) : file_(file) {}
  std::mutex mutex_;
  std::FILE* file_;
};

struct JournalContents {
  std::vector<ItemResult> results;  // in journal order; a later line for an item wins
  std::size_t ignored_lines = 0;    // partial or unreadable lines
  // One "FILE:LINE: what" per ignored line, so none is dropped without a word.
  std::vector<std::string> problems;
};

// Reads a journal; a missing file reads as empty.
Result<JournalContents> read_journal(const std::filesystem::path& path);

// Current UTC time as ISO 8601 ("2026-01-31T12:00:00Z").
std::string utc_now_iso8601();

}  // namespace plugfest::harness
