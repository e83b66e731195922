// The public entry points of the reports: the exit status of a run and writing every report
// file into a results folder. Each format is rendered in its own file.

#include "harness/results/reports/reports.h"

namespace plugfest::harness {

int exit_status(const std::vector<ItemResult>& results) {
  bool failed = false;
  bool errors = false;
  for (const auto& r : results) {
    if (r.verdict == Verdict::kNotRun) return 3;  // unfinished, whatever else failed
    const bool required = r.status != CaseStatus::kOptional;
    if (required && (r.verdict == Verdict::kFail || r.verdict == Verdict::kInconclusive)) {
      failed = true;
    }
    if (r.verdict == Verdict::kError || r.verdict == Verdict::kNone) errors = true;
  }
  return failed ? 1 : errors ? 3 : 0;
}

std::map<std::string, std::string> adapter_logs(const std::filesystem::path& dir,
                                                const Manifest& manifest) {
  std::map<std::string, std::string> logs;
  for (const auto& d : manifest.duts) {
    const std::string relative = "evidence/_adapters/" + d.name + "/adapter.stderr";
    std::error_code ec;
    if (std::filesystem::is_regular_file(dir / relative, ec)) logs[d.name] = relative;
  }
  return logs;
}

Result<void> write_reports(const std::filesystem::path& dir, const Manifest& manifest,
                           const std::vector<ItemResult>& results) {
  const std::pair<const char*, std::string> files[] = {
      {"junit.xml", render_junit(manifest, results)},
      {"o-ran-results.json", render_oran_results(manifest, results).dump(2) + "\n"},
      {"report.html", render_html(manifest, results, adapter_logs(dir, manifest))},
      {"report.md", render_markdown(manifest, results)}};
  for (const auto& [name, content] : files) {
    if (auto written = write_file_atomically(dir / name, content); !written) return written;
  }
  return {};
}

}  // namespace plugfest::harness
