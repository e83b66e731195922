#pragma once
// Reports of a results folder, all regenerated from manifest.json and journal.jsonl alone:
// junit.xml, o-ran-results.json (O-RAN ALLIANCE test-results schema), report.html (one
// self-contained file: matrices, drill-down, manifest) and report.md; plus the terminal
// summary matrix. Every string that came from a profile, descriptor or device is escaped
// for the format it lands in.

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "harness/results/manifest.h"
#include "harness/results/results_folder.h"
#include "harness/results/verdict.h"
#include "interfaces/common/result.h"

namespace plugfest::harness {

struct VerdictCounts {
  std::size_t pass = 0, fail = 0, inconclusive = 0, error = 0, not_applicable = 0, not_run = 0;
  std::size_t total() const {
    return pass + fail + inconclusive + error + not_applicable + not_run;
  }
};
VerdictCounts count_verdicts(const std::vector<ItemResult>& results);

// 0: every applicable mandatory or conditional item passed; 1: one failed or was
// inconclusive; 3: none did but some item ended in error (infrastructure only), or some
// item is `not run` (an unfinished run is 3 whatever else failed).
int exit_status(const std::vector<ItemResult>& results);

// The results of a folder plus one `not run` placeholder for every planned item the
// journal lacks, in canonical order: what every report renders, so an unfinished run never
// looks finished. Each render_* below applies it itself.
std::vector<ItemResult> with_not_run(const Manifest& manifest,
                                     const std::vector<ItemResult>& results);

std::string render_junit(const Manifest& manifest, const std::vector<ItemResult>& results);
nlohmann::json render_oran_results(const Manifest& manifest,
                                   const std::vector<ItemResult>& results);
// `adapter_logs`: DUT name -> its adapter's stderr log, relative to the results folder
// (see adapter_logs()); each DUT row of the report links its log.
std::string render_html(const Manifest& manifest, const std::vector<ItemResult>& results,
                        const std::map<std::string, std::string>& adapter_logs = {});
std::string render_markdown(const Manifest& manifest, const std::vector<ItemResult>& results);
// Plain-text matrices for the terminal.
std::string render_text_summary(const Manifest& manifest, const std::vector<ItemResult>& results);

// The adapter stderr logs present in a results folder (evidence/_adapters/<dut>/
// adapter.stderr), by DUT name.
std::map<std::string, std::string> adapter_logs(const std::filesystem::path& dir,
                                                const Manifest& manifest);

// Writes junit.xml, o-ran-results.json, report.html and report.md into `dir`.
Result<void> write_reports(const std::filesystem::path& dir, const Manifest& manifest,
                           const std::vector<ItemResult>& results);

// Each shows control characters as visible_text.h does, keeping newlines (and tabs)
// where the format's syntax allows them.
std::string escape_html(std::string_view text);
std::string escape_markdown(std::string_view text);
std::string escape_xml(std::string_view text);

}  // namespace plugfest::harness
