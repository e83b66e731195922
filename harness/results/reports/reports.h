#pragma once
// Reports of a results folder, all regenerated from manifest.json and journal.jsonl alone:
// junit.xml, o-ran-results.json (O-RAN ALLIANCE test-results schema), report.html (one
// self-contained file: matrices, drill-down, manifest) and report.md; plus the terminal
// summary matrix. Every string that came from a profile, descriptor or device is escaped
// for the format it lands in.

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "harness/results/manifest.h"
#include "harness/results/results_folder.h"
#include "harness/results/verdict.h"
#include "interfaces/common/result.h"

namespace plugfest::harness {

struct VerdictCounts {
  std::size_t pass = 0, fail = 0, inconclusive = 0, error = 0, not_applicable = 0;
  std::size_t total() const { return pass + fail + inconclusive + error + not_applicable; }
};
VerdictCounts count_verdicts(const std::vector<ItemResult>& results);

// 0: every applicable mandatory or conditional item passed; 1: one failed or was
// inconclusive; 3: none did but some item ended in error (infrastructure only).
int exit_status(const std::vector<ItemResult>& results);

std::string render_junit(const Manifest& manifest, const std::vector<ItemResult>& results);
nlohmann::json render_oran_results(const Manifest& manifest,
                                   const std::vector<ItemResult>& results);
std::string render_html(const Manifest& manifest, const std::vector<ItemResult>& results);
std::string render_markdown(const Manifest& manifest, const std::vector<ItemResult>& results);
// Plain-text matrices for the terminal.
std::string render_text_summary(const Manifest& manifest, const std::vector<ItemResult>& results);

// Writes junit.xml, o-ran-results.json, report.html and report.md into `dir`.
Result<void> write_reports(const std::filesystem::path& dir, const Manifest& manifest,
                           const std::vector<ItemResult>& results);

// Each shows control characters as visible_text.h does, keeping newlines (and tabs)
// where the format's syntax allows them.
std::string escape_html(std::string_view text);
std::string escape_markdown(std::string_view text);
std::string escape_xml(std::string_view text);

}  // namespace plugfest::harness
