// `plugfest report DIR` and `plugfest merge DIR... --into DIR`: reports regenerated from a
// results folder's journal alone, and shards combined into one results folder.
#include <iostream>

#include "harness/cli/cli.h"
#include "harness/results/reports/reports.h"
#include "harness/results/results_folder.h"
#include "harness/engine/run.h"

namespace plugfest::cli {
namespace {

struct ReportOptions {
  std::string dir;
};

struct MergeOptions {
  std::vector<std::string> dirs;
  std::string into;
};

int report(const ReportOptions& options) {
  auto folder = harness::read_results_folder(options.dir);
  if (!folder) {
    std::cerr << "error: " << folder.error().to_string() << "\n";
    return kBadInput;
  }
  for (const auto& problem : folder->journal_problems) std::cerr << "warning: " << problem << "\n";
  if (auto written = harness::write_reports(options.dir, folder->manifest, folder->results);
      !written) {
    std::cerr << "error: " << written.error().to_string() << "\n";
    return kInfrastructure;
  }
  std::cout << harness::render_text_summary(folder->manifest, folder->results);
  const std::size_t missing = folder->manifest.planned_items.size() - folder->results.size();
  if (missing > 0) {
    std::cout << "unfinished: " << missing << " planned items not run (plugfest run --resume "
              << options.dir << ")\n";
  }
  std::error_code ec;
  std::cout
      << "report: "
      << (std::filesystem::absolute(options.dir, ec).lexically_normal() / "report.html").string()
      << "\n";
  // An unfinished run is 3 whatever else failed, as `plugfest run` says.
  return missing > 0 ? kInfrastructure : harness::exit_status(folder->results);
}

int merge(const MergeOptions& options) {
  std::vector<std::filesystem::path> dirs(options.dirs.begin(), options.dirs.end());
  auto merged = harness::merge_results(dirs, options.into, "merged-" + harness::new_run_id());
  if (!merged) {
    std::cerr << "error: " << merged.error().to_string() << "\n";
    return kBadInput;
  }
  if (auto written = harness::write_reports(options.into, merged->manifest, merged->results);
      !written) {
    std::cerr << "error: " << written.error().to_string() << "\n";
    return kInfrastructure;
  }
  std::cout << harness::render_text_summary(merged->manifest, merged->results) << "merged "
            << dirs.size() << " runs into " << options.into << "\n";
  return harness::exit_status(merged->results);
}

const bool registered_report = register_subcommand([](CLI::App& app) -> SubcommandAction {
  auto options = std::make_shared<ReportOptions>();
  auto* sub = app.add_subcommand("report", "Regenerate every report of a results folder");
  sub->add_option("dir", options->dir, "results folder")->required();
  return [options] { return report(*options); };
});

const bool registered_merge = register_subcommand([](CLI::App& app) -> SubcommandAction {
  auto options = std::make_shared<MergeOptions>();
  auto* sub = app.add_subcommand("merge", "Combine shards of one plan into one results folder");
  sub->add_option("dirs", options->dirs, "results folders")->required();
  sub->add_option("--into", options->into, "the merged results folder (new)")->required();
  return [options] { return merge(*options); };
});

}  // namespace
}  // namespace plugfest::cli
