// `plugfest run`: runs profiles against vendor adapters and writes a results folder.
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>

#include "harness/cli/cli.h"
#include "harness/inputs/inputs.h"
#include "harness/inputs/lab_identity.h"
#include "harness/results/progress.h"
#include "harness/results/reports/reports.h"
#include "harness/engine/run.h"

namespace plugfest::cli {
namespace {
namespace fs = std::filesystem;

struct RunCommandOptions {
  std::vector<std::string> files;
  std::string results_base = "results";
  std::string output;
  std::string resume;
  std::vector<std::string> filters;
  std::string shard;
  unsigned jobs = 2;
  double timeout_s = 300;
  std::optional<std::uint64_t> seed;
  std::string progress = "auto";
  std::string lab;
};

// Set by SIGINT/SIGTERM; the only thing the handler touches.
std::atomic<bool> interrupted{false};

void on_interrupt(int) { interrupted.store(true); }

void install_interrupt_handler() {
  struct sigaction action {};
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESETHAND;  // a second Ctrl-C ends the process at once
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

// Where `plugfest run` without files looks for profiles/default.list and
// vendors/descriptors/, first match wins: $PLUGFEST_HOME, the current folder,
// <prefix>/share/plugfest beside an installed binary, and last the source tree the binary
// was built from (a build that was never installed).
std::vector<fs::path> data_roots() {
  std::vector<fs::path> roots;
  if (const char* home = std::getenv("PLUGFEST_HOME"); home != nullptr && *home != '\0') {
    roots.emplace_back(home);
  }
  std::error_code ec;
  roots.push_back(fs::current_path(ec));
  const auto exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) roots.push_back(exe.parent_path().parent_path() / "share" / "plugfest");
#ifdef PLUGFEST_SOURCE_DIR
  roots.emplace_back(PLUGFEST_SOURCE_DIR);
#endif
  return roots;
}

int no_suite(const std::string& why) {
  std::cout << "plugfest " << version() << "\n"
            << "No test suite is installed: " << why << ".\n"
            << "Nothing was run. Give profiles and vendor descriptors, e.g.\n"
            << "  plugfest run profiles/x.yaml vendors/descriptors/\n";
  return kPassed;
}

int run_command(RunCommandOptions options) {
  auto& registry = harness::Registry::instance();
  for (const auto& e : registry.errors()) std::cerr << "error: test catalog: " << e << "\n";
  if (!registry.errors().empty()) return kInfrastructure;

  // --resume: everything comes from the earlier run's manifest.
  std::optional<harness::Manifest> earlier;
  if (!options.resume.empty()) {
    if (!options.files.empty() || !options.filters.empty() || !options.shard.empty()) {
      std::cerr << "error: --resume takes the inputs, filters and shard of the earlier run; "
                   "give no others\n";
      return kBadInput;
    }
    auto m = harness::read_manifest(options.resume);
    if (!m) {
      std::cerr << "error: " << m.error().to_string() << "\n";
      return kBadInput;
    }
    earlier = *m;
    options.files = m->arguments;
    options.filters = m->filters;
    if (m->shard) {
      options.shard = std::to_string(m->shard->index) + "/" + std::to_string(m->shard->count);
    }
    options.timeout_s = m->default_timeout_ms / 1000.0;
    options.seed = m->seed;
    if (!options.lab.empty()) {
      std::cerr << "error: --resume keeps the lab of the earlier run; give no --lab\n";
      return kBadInput;
    }
  }
  std::optional<harness::LabIdentity> lab = earlier ? earlier->lab : std::nullopt;
  if (!options.lab.empty()) {
    harness::Diagnostics diagnostics;
    lab = harness::load_lab_identity(options.lab, diagnostics);
    if (!lab) {
      std::cerr << diagnostics.to_string();
      return kBadInput;
    }
  }

  if (options.files.empty()) {
    if (registry.empty()) return no_suite("this build registers no test cases");
    // profiles/default.list names the default profiles, one file name a line.
    for (const auto& root : data_roots()) {
      const auto list = root / "profiles" / "default.list";
      const auto descriptors = root / "vendors" / "descriptors";
      if (!fs::is_regular_file(list) || !fs::is_directory(descriptors)) continue;
      std::ifstream in(list);
      for (std::string line; std::getline(in, line);) {
        const auto begin = line.find_first_not_of(" \t");
        if (begin == std::string::npos || line[begin] == '#') continue;
        const auto end = line.find_last_not_of(" \t\r");
        options.files.push_back((root / "profiles" / line.substr(begin, end - begin + 1)).string());
      }
      if (options.files.empty()) continue;
      options.files.push_back(descriptors.string());
      std::cerr << "plugfest: the default profiles and descriptors of " << root.string() << "\n";
      break;
    }
    if (options.files.empty()) {
      return no_suite("no profiles/default.list with vendors/descriptors/ was found");
    }
  }

  harness::PlanOptions plan;
  plan.filters = options.filters;
  if (!options.shard.empty()) {
    auto shard = harness::parse_shard(options.shard);
    if (!shard) {
      std::cerr << "error: " << shard.error().message << "\n";
      return kBadInput;
    }
    plan.shard = *shard;
  }
  if (options.jobs == 0) {
    std::cerr << "error: -j/--jobs must be at least 1\n";
    return kBadInput;
  }
  if (!(options.timeout_s > 0)) {
    std::cerr << "error: --timeout must be positive\n";
    return kBadInput;
  }
  plan.default_timeout =
      std::chrono::milliseconds(static_cast<long long>(options.timeout_s * 1000));

  harness::Diagnostics diagnostics;
  const auto inputs = harness::load_inputs(options.files, registry, diagnostics);
  if (!inputs) {
    std::cerr << diagnostics.to_string() << "nothing was run: fix the input first\n";
    return kBadInput;
  }
  if (inputs->profiles.empty() || inputs->descriptors.empty()) {
    std::cerr << "error: a run needs at least one profile and one vendor descriptor (got "
              << inputs->profiles.size() << " and " << inputs->descriptors.size() << ")\n";
    return kBadInput;
  }

  // A --filter that matches nothing is a mistake, not an empty run. Item IDs depend only
  // on the descriptors' names and roles, so this is decided before any DUT is reached.
  if (!options.filters.empty() && options.resume.empty()) {
    std::vector<harness::PlannedDut> named;
    for (const auto& d : inputs->descriptors) named.push_back({d.name, d.role, d.capabilities});
    const auto unfiltered = harness::make_plan(inputs->profiles, named, registry, {});
    const auto unmatched = harness::unmatched_filters(unfiltered, options.filters);
    for (const auto& u : unmatched) {
      std::cerr << "error: --filter '" << u.glob << "' matches no case ID or item ID of the plan";
      if (!u.nearest_case.empty()) {
        std::cerr << "; nearest case: " << u.nearest_case << ", nearest item: " << u.nearest_item;
      }
      std::cerr << "\n";
    }
    if (!unmatched.empty()) {
      std::cerr << "nothing was run (`plugfest list` shows the cases)\n";
      return kBadInput;
    }
  }

  harness::RunOptions run;
  run.run_id = earlier ? earlier->run_id : harness::new_run_id();
  run.results_dir = !options.resume.empty()   ? fs::path(options.resume)
                    : !options.output.empty() ? fs::path(options.output)
                                              : fs::path(options.results_base) / run.run_id;
  if (options.resume.empty() && fs::exists(run.results_dir / "manifest.json")) {
    std::cerr << "error: " << run.results_dir.string()
              << " already holds a run; use --resume to finish it or choose another folder\n";
    return kBadInput;
  }
  run.resume = !options.resume.empty();
  run.jobs = options.jobs;
  run.plan = plan;
  for (const auto& f : options.files)
    run.arguments.push_back(fs::absolute(f).lexically_normal().string());
  run.seed = options.seed ? *options.seed : std::random_device{}();
  run.lab = lab;
  run.harness_version = version();
  run.interrupt = &interrupted;

  const bool tty = options.progress == "tty" || (options.progress == "auto" && isatty(1));
  harness::TerminalProgress progress(std::cout, tty);
  if (options.progress != "none") run.progress = &progress;

  auto connector = harness::make_dut_connector();
  if (!connector) {
    std::cerr << "warning: this plugfest binary has no adapter support built in; every item "
                 "will end in error\n";
  }
  install_interrupt_handler();
  auto outcome = harness::run_plan(*inputs, connector.get(), registry, run);
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
  if (!outcome) {
    std::cerr << "error: " << outcome.error().to_string() << "\n";
    return kInfrastructure;
  }
  for (const auto& problem : outcome->journal_problems) {
    std::cerr << "warning: " << problem << "\n";
  }
  std::cout << harness::render_text_summary(outcome->manifest, outcome->results);
  if (!outcome->journal_error.empty()) {
    std::cerr << "error: the run stopped early: " << outcome->journal_error
              << " (free space, then finish with: plugfest run --resume "
              << run.results_dir.string() << ")\n";
  }
  if (outcome->interrupted || outcome->not_finished > 0) {
    std::cout << "unfinished: " << outcome->not_finished
              << " items not run; finish with: plugfest run --resume " << run.results_dir.string()
              << "\n";
  }
  if (!outcome->reports_error.empty()) {
    std::cerr << "error: cannot write the reports: " << outcome->reports_error << "\n";
  }
  std::error_code ec;
  const fs::path absolute = fs::absolute(run.results_dir, ec).lexically_normal();
  std::cout << "results: " << absolute.string() << "\n";
  if (outcome->reports_error.empty()) {
    std::cout << "report: " << (absolute / "report.html").string() << "\n";
  }
  std::cout.flush();
  const int status = outcome->reports_error.empty() ? outcome->exit_status : kInfrastructure;
  if (outcome->abandoned_threads) {
    // A case that never returned still owns a thread; do not unwind static state under it.
    std::fflush(nullptr);
    std::_Exit(status);
  }
  return status;
}

const bool registered = register_subcommand([](CLI::App& app) -> SubcommandAction {
  auto options = std::make_shared<RunCommandOptions>();
  auto* sub = app.add_subcommand(
      "run",
      "Run profiles against devices and write a results folder (no arguments: the default "
      "profile against the shipped vendor descriptors)");
  sub->add_option("files", options->files, "profiles and vendor descriptors (files or folders)");
  sub->add_option("--results", options->results_base,
                  "folder under which results/<run-id>/ is created")
      ->capture_default_str();
  sub->add_option("-o,--output", options->output, "the results folder itself");
  sub->add_option("--resume", options->resume,
                  "finish an earlier run: run only what its journal lacks");
  sub->add_option("--filter", options->filters,
                  "keep items whose ID or case ID matches this glob (repeatable)")
      ->allow_extra_args(false);
  sub->add_option("--shard", options->shard,
                  "K/N: run only shard K of N (the same partition on every machine)");
  sub->add_option("-j,--jobs", options->jobs, "items run at the same time")->capture_default_str();
  sub->add_option("--timeout", options->timeout_s,
                  "seconds a case may run when its profile sets no timeout")
      ->capture_default_str();
  sub->add_option("--lab", options->lab,
                  "lab file naming the lab and its contacts for published results");
  sub->add_option("--seed", options->seed, "seed for cases that randomise stimuli");
  sub->add_option("--progress", options->progress, "auto, tty, plain or none")
      ->check(CLI::IsMember({"auto", "tty", "plain", "none"}))
      ->capture_default_str();
  return [options] { return run_command(*options); };
});

}  // namespace
}  // namespace plugfest::cli
