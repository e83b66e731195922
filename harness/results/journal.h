#pragma once
// journal.jsonl: one JSON line per finished item, appended and flushed as each finishes,
// so a run killed at any moment loses at most the items that were still running. A line
// cut short by the kill is ignored when the journal is read back (and cut off before a
// resumed run appends). A line that cannot be written whole (disk full) is cut off again
// at once, so the journal never ends in a partial line the writer knows of.

#include <sys/types.h>

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

  // Appends one line with write(2), so the kernel has it before append returns.
  // Thread-safe. On failure (e.g. ENOSPC) the file is truncated back to its last whole line
  // and the error names the file and the system's reason.
  Result<void> append(const ItemResult& result);
  const std::filesystem::path& path() const { return path_; }

 private:
  JournalWriter(int fd, std::filesystem::path path, off_t size)
      : fd_(fd), path_(std::move(path)), size_(size) {}
  std::mutex mutex_;
  int fd_;
  std::filesystem::path path_;
  off_t size_;  // bytes of whole lines
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
