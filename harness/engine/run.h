#pragma once
// One run: reach the DUTs, plan, write the manifest, execute on N workers while appending
// every finished item to the journal, then write every report. `--resume` runs only the
// items the journal lacks.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "harness/engine/dut.h"
#include "harness/inputs/inputs.h"
#include "harness/results/manifest.h"
#include "harness/results/progress.h"
#include "harness/engine/planner.h"
#include "harness/results/verdict.h"
#include "interfaces/common/result.h"

namespace plugfest::harness {

struct RunOptions {
  std::filesystem::path results_dir;  // the run's folder; created when missing
  std::string run_id;
  unsigned jobs = 1;
  PlanOptions plan;
  std::vector<std::string> arguments;  // the input paths, for the manifest and --resume
  std::uint64_t seed = 0;
  std::optional<LabIdentity> lab;  // the lab that runs the plan (--lab)
  std::string harness_version;
  bool resume = false;  // results_dir holds an earlier run of the same inputs
  const std::atomic<bool>* interrupt = nullptr;
  std::chrono::milliseconds interrupt_grace{2000};
  ProgressSink* progress = nullptr;
};

struct RunOutcome {
  Manifest manifest;
  std::vector<ItemResult> results;  // the whole run (earlier lines too), canonical order
  std::size_t executed = 0;         // items run by this invocation
  std::size_t not_finished = 0;     // left for --resume by an interrupt
  bool interrupted = false;
  std::vector<std::string> written_off;  // "DUT: why" for each DUT written off
  bool abandoned_threads = false;  // a case timed out and its thread was left running
  int exit_status = 0;             // see exit_status() in reports.h
  // "FILE:LINE: what" for each journal line an earlier run left unreadable (--resume runs
  // those items again).
  std::vector<std::string> journal_problems;
  // The first journal write that failed ("FILE: why"), or "". No item starts after it; the
  // item whose line failed and every later one are not run (--resume runs them).
  std::string journal_error;
  // Why the reports could not be written, or "" (the journal and manifest still stand).
  std::string reports_error;
};

// `connector` may be null: every item then ends in `error` saying no adapter support is
// built in. Returns an error only for problems with the results folder itself.
Result<RunOutcome> run_plan(const Inputs& inputs, DutConnector* connector, const Registry& registry,
                            const RunOptions& options);

// A new run ID: UTC date and time plus 6 random hex digits.
std::string new_run_id();
std::string host_name();

}  // namespace plugfest::harness
