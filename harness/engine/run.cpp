#include "harness/engine/run.h"

#include <unistd.h>

#include <ctime>
#include <future>
#include <mutex>
#include <random>
#include <set>

#include "harness/engine/context.h"
#include "harness/engine/executor.h"
#include "harness/results/journal.h"
#include "harness/results/reports/reports.h"

namespace plugfest::harness {
namespace fs = std::filesystem;

std::string new_run_id() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y%m%d-%H%M%S", &tm);
  std::random_device random;
  char suffix[8];
  std::snprintf(suffix, sizeof suffix, "%06x", random() & 0xffffff);
  return std::string(text) + "-" + suffix;
}

std::string host_name() {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0) return "unknown";
  return name;
}

namespace {

struct DutState {
  const VendorDescriptor* descriptor = nullptr;
  std::unique_ptr<DutSession> session;
  adapter::DeviceDescription description;
  adapter::Capabilities described;                         // Describe's capabilities as they came
  std::optional<CapabilityReconciliation> reconciliation;  // set once described
  std::string error;
};

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

// The run warnings about one DUT: a plaintext adapter connection, and every difference
// between its descriptor's claims and its Describe, with the overrides applied.
std::vector<RunWarning> dut_warnings(const DutState& dut) {
  std::vector<RunWarning> out;
  const std::string& name = dut.descriptor->name;
  if (std::string why = plaintext_adapter_warning(*dut.descriptor); !why.empty()) {
    out.push_back({"plaintext-adapter", name, why});
  }
  if (!dut.reconciliation) return out;
  const CapabilityReconciliation& r = *dut.reconciliation;
  if (!r.claimed_not_described.empty()) {
    out.push_back({"capabilities-not-described", name,
                   "the descriptor claims " + joined(r.claimed_not_described) +
                       " but the adapter's Describe does not report " +
                       (r.claimed_not_described.size() == 1 ? "it" : "them") +
                       "; cases apply by what Describe reports unless 'capability_overrides' "
                       "says otherwise"});
  }
  if (!r.described_not_claimed.empty()) {
    out.push_back({"capabilities-not-claimed", name,
                   "the adapter's Describe reports " + joined(r.described_not_claimed) +
                       " which the descriptor does not claim; cases apply by what Describe "
                       "reports unless 'capability_overrides' says otherwise"});
  }
  for (const auto& o : r.overrides) {
    out.push_back({"capability-override", name,
                   "capability_overrides: " + o.name + " taken as " +
                       (o.supported ? "supported" : "unsupported") + " (Describe " +
                       (o.described ? "reports it)" : "does not report it)")});
  }
  return out;
}

DutState reach(const VendorDescriptor& descriptor, DutConnector* connector,
               const fs::path& results_dir, const std::atomic<bool>* interrupt) {
  DutState state;
  state.descriptor = &descriptor;
  state.description.role = descriptor.role;
  state.description.capabilities = descriptor.capabilities;
  if (connector == nullptr) {
    state.error = "no adapter support is built into this plugfest binary";
    return state;
  }
  ConnectOptions options;
  options.evidence_dir = results_dir / "evidence" / "_adapters" / descriptor.name;
  options.cancelled = interrupt;
  std::error_code ec;
  fs::create_directories(options.evidence_dir, ec);
  try {
    auto session = connector->connect(descriptor, options);
    if (!session) {
      state.error = "cannot reach the adapter: " + session.error().to_string();
      return state;
    }
    state.session = std::move(session.value());
    auto described = state.session->describe();
    if (!described) {
      state.error = "the adapter's describe failed: " + described.error().to_string();
      return state;
    }
    if (described->role != descriptor.role) {
      state.error = "the adapter describes an " + std::string(adapter::to_string(described->role)) +
                    " but the descriptor says " + std::string(adapter::to_string(descriptor.role));
      state.description.vendor = described->vendor;
      return state;
    }
    state.description = described.value();
    // Cases apply by what the device itself says; the descriptor's claims are only
    // compared with it, and its explicit overrides alone correct it.
    state.described = state.description.capabilities;
    state.reconciliation = reconcile_capabilities(descriptor.capabilities, state.described,
                                                  descriptor.capability_overrides);
    state.description.capabilities = state.reconciliation->effective;
  } catch (const std::exception& e) {
    state.error = std::string("cannot reach the adapter: ") + e.what();
  }
  return state;
}

ItemResult result_skeleton(const PlanItem& item, const std::vector<DutState>& duts) {
  ItemResult r;
  r.item_id = item.id;
  r.profile_id = item.profile->id;
  r.case_id = item.test_case->id;
  r.title = item.test_case->title;
  r.plane = item.test_case->plane;
  r.clause = item.test_case->clause;
  r.conformance_test = item.test_case->conformance_test;
  r.kind = item.test_case->kind;
  r.status = item.profile_case->status;
  for (const std::size_t d : item.duts) r.duts.push_back(duts[d].descriptor->name);
  r.interface_under_test =
      interface_under_test(*item.test_case, duts[item.duts.front()].descriptor->role);
  return r;
}

// Why a DUT can no longer be used (never reached, or its session died), or "".
std::string dut_failure(const DutState& dut) {
  if (!dut.error.empty()) return dut.error;
  if (dut.session) {
    if (std::string why = dut.session->failure(); !why.empty()) {
      return "the adapter session died: " + why;
    }
  }
  return {};
}

std::string session_failure(const PlanItem& item, const std::vector<DutState>& duts) {
  for (const std::size_t d : item.duts) {
    if (std::string why = dut_failure(duts[d]); !why.empty()) {
      return duts[d].descriptor->name + ": " + why;
    }
  }
  return {};
}

std::uint64_t item_seed(std::uint64_t seed, const std::string& id) {
  std::uint64_t h = seed ^ 14695981039346656037ULL;
  for (const unsigned char c : id) h = (h ^ c) * 1099511628211ULL;
  return h;
}

}  // namespace

Result<RunOutcome> run_plan(const Inputs& inputs, DutConnector* connector, const Registry& registry,
                            const RunOptions& options) {
  std::error_code ec;
  fs::create_directories(options.results_dir, ec);
  if (ec) return Error{"cannot create the results folder: " + ec.message(), options.results_dir};

  // Reach every DUT at once: adapters may take seconds to start.
  std::vector<std::future<DutState>> pending;
  for (const auto& d : inputs.descriptors) {
    pending.push_back(std::async(std::launch::async, reach, std::cref(d), connector,
                                 options.results_dir, options.interrupt));
  }
  std::vector<DutState> duts;
  for (auto& p : pending) duts.push_back(p.get());
  const auto close_all = [&] {
    for (auto& d : duts) {
      if (d.session) d.session->close();
    }
  };

  std::vector<PlannedDut> planned;
  for (const auto& d : duts) {
    planned.push_back({d.descriptor->name, d.descriptor->role, d.description.capabilities});
  }
  const std::vector<PlanItem> plan = make_plan(inputs.profiles, planned, registry, options.plan);

  // The manifest.
  Manifest manifest;
  manifest.harness_version = options.harness_version;
  manifest.run_id = options.run_id;
  manifest.created = utc_now_iso8601();
  manifest.host = host_name();
  manifest.seed = options.seed;
  manifest.lab = options.lab;
  manifest.arguments = options.arguments;
  for (const auto& file : inputs.files) {
    auto hash = sha256_file(file);
    if (!hash) {
      close_all();
      return hash.error();
    }
    manifest.inputs.push_back({fs::absolute(file).lexically_normal().string(), *hash});
  }
  for (const auto& p : inputs.profiles) {
    ManifestProfile mp{
        p.id, p.title, p.specification.document, p.specification.version, p.specification.url, {}};
    for (const auto& c : p.cases) mp.cases.push_back(c.id);
    manifest.profiles.push_back(std::move(mp));
  }
  for (const auto& d : duts) {
    ManifestDut dut;
    dut.name = d.descriptor->name;
    dut.descriptor = fs::absolute(d.descriptor->file).string();
    dut.description = d.description;
    dut.error = d.error;
    dut.described_capabilities = d.described;
    if (d.reconciliation) {
      for (const auto& o : d.reconciliation->overrides) {
        dut.capability_overrides.push_back({o.name, o.supported, o.described});
      }
    }
    manifest.duts.push_back(std::move(dut));
    for (auto& w : dut_warnings(d)) manifest.warnings.push_back(std::move(w));
  }
  manifest.filters = options.plan.filters;
  manifest.shard = options.plan.shard;
  manifest.jobs = options.jobs;
  manifest.default_timeout_ms = options.plan.default_timeout.count();
  for (const auto& item : plan) manifest.planned_items.push_back(item.id);
  {
    PlanOptions whole = options.plan;
    whole.shard.reset();
    std::vector<std::string> ids;
    for (const auto& item : make_plan(inputs.profiles, planned, registry, whole)) {
      ids.push_back(item.id);
    }
    manifest.plan_hash = plan_hash(ids);
  }

  if (options.resume) {
    auto earlier = read_manifest(options.results_dir);
    if (!earlier) {
      close_all();
      return earlier.error();
    }
    if (const std::string why = merge_conflict(*earlier, manifest); !why.empty()) {
      close_all();
      return Error{"cannot resume: " + why + " since the run began", options.results_dir};
    }
    // Keep the run's identity; record what the adapters describe now.
    manifest.run_id = earlier->run_id;
    manifest.created = earlier->created;
    manifest.seed = earlier->seed;
  }
  if (auto written = write_manifest(options.results_dir, manifest); !written) {
    close_all();
    return written.error();
  }

  const fs::path journal_path = options.results_dir / "journal.jsonl";
  std::set<std::string> done;
  RunOutcome outcome;
  if (options.resume) {
    auto earlier = read_journal(journal_path);
    if (!earlier) {
      close_all();
      return earlier.error();
    }
    for (const auto& r : earlier->results) done.insert(r.item_id);
    outcome.journal_problems = earlier->problems;
  }
  auto journal = JournalWriter::open(journal_path);
  if (!journal) {
    close_all();
    return journal.error();
  }

  std::mutex record_mutex;
  // Set at the first journal write that fails: from then on no item starts.
  std::atomic<bool> journal_failed{false};
  // A DUT is written off when it was never reached or its session died: every item of it
  // still to come ends in error without running, and the terminal says so once, at once.
  std::vector<bool> written_off(duts.size(), false);
  std::vector<std::size_t> remaining(duts.size(), 0);
  for (const auto& item : plan) {
    if (done.count(item.id)) continue;
    for (const std::size_t d : item.duts) ++remaining[d];
  }
  const auto write_off_lost_duts = [&](const std::vector<std::size_t>& candidates) {
    for (const std::size_t d : candidates) {
      if (written_off[d]) continue;
      const std::string why = dut_failure(duts[d]);
      if (why.empty()) continue;
      written_off[d] = true;
      outcome.written_off.push_back(duts[d].descriptor->name + ": " + why);
      if (options.progress) {
        options.progress->dut_written_off(duts[d].descriptor->name, why, remaining[d]);
      }
    }
  };
  // Journals one result; false when it could not be (the item then counts as not run).
  const auto record = [&](const ItemResult& r, const std::vector<std::size_t>& item_duts) {
    std::lock_guard lock(record_mutex);
    if (journal_failed.load()) {
      ++outcome.not_finished;
      return false;
    }
    if (auto appended = (*journal)->append(r); !appended) {
      journal_failed.store(true);
      outcome.journal_error = appended.error().to_string();
      ++outcome.not_finished;
      if (options.progress) {
        options.progress->stopped("stopping, no further item starts: " + outcome.journal_error);
      }
      return false;
    }
    for (const std::size_t d : item_duts) --remaining[d];
    if (options.progress) options.progress->finished(r);
    write_off_lost_duts(item_duts);
    return true;
  };

  const bool interrupted_while_reaching = options.interrupt && options.interrupt->load();
  std::size_t already = 0;
  for (const auto& item : plan) already += done.count(item.id);
  if (options.progress) {
    for (const auto& w : manifest.warnings) options.progress->warned(w.dut, w.message);
    options.progress->started(plan.size(), already);
  }
  if (!interrupted_while_reaching) {
    std::lock_guard lock(record_mutex);
    std::vector<std::size_t> all(duts.size());
    for (std::size_t d = 0; d < duts.size(); ++d) all[d] = d;
    write_off_lost_duts(all);
  }
  // Items of unreachable DUTs (whatever their applicability: what such a device supports
  // is unknown) and not-applicable items are finished before anything runs.
  std::vector<const PlanItem*> to_run;
  for (const auto& item : plan) {
    if (done.count(item.id)) continue;
    if (interrupted_while_reaching || journal_failed.load()) {
      ++outcome.not_finished;  // not run: --resume reaches the DUTs again
      continue;
    }
    ItemResult r = result_skeleton(item, duts);
    r.started_at = utc_now_iso8601();
    if (std::string why = session_failure(item, duts); !why.empty()) {
      r.verdict = Verdict::kError;
      r.reason = why;
    } else if (item.not_applicable) {
      r.verdict = Verdict::kNotApplicable;
      r.reason = *item.not_applicable;
    } else {
      to_run.push_back(&item);
      continue;
    }
    record(r, item.duts);
  }

  if (options.progress) {
    std::vector<std::string> case_ids;
    for (const PlanItem* item : to_run) case_ids.push_back(item->test_case->id);
    std::lock_guard lock(record_mutex);
    options.progress->executing(case_ids, options.jobs);
  }

  // Execute.
  std::vector<TaskSpec> tasks;
  for (const PlanItem* item : to_run) tasks.push_back({item->duts, item->timeout});
  std::vector<std::shared_ptr<Context>> contexts(to_run.size());
  std::vector<std::string> started_at(to_run.size());
  std::vector<std::chrono::steady_clock::time_point> started(to_run.size());
  std::vector<char> skipped(to_run.size(), 0);  // not started: the journal had failed
  std::mutex contexts_mutex;

  const auto body = [&](std::size_t task, const std::atomic<bool>& cancelled) {
    const PlanItem& item = *to_run[task];
    if (journal_failed.load()) {
      std::lock_guard lock(contexts_mutex);
      skipped[task] = 1;
      return;
    }
    std::vector<DutContext> dut_contexts;
    for (const std::size_t d : item.duts) {
      dut_contexts.push_back({duts[d].descriptor->name, duts[d].descriptor, duts[d].description,
                              duts[d].session.get()});
    }
    const auto now = std::chrono::steady_clock::now();
    auto ctx = std::make_shared<Context>(item.id, *item.test_case, item.parameters,
                                         std::move(dut_contexts), options.results_dir,
                                         item.evidence_dir, now + item.timeout);
    ctx->set_seed(item_seed(options.seed, item.id));
    ctx->watch(&cancelled);
    {
      std::lock_guard lock(contexts_mutex);
      contexts[task] = ctx;
      started_at[task] = utc_now_iso8601();
      started[task] = now;
    }
    if (std::string why = session_failure(item, duts); !why.empty()) {
      ctx->error(why);
      return;
    }
    item.test_case->run(*ctx);
    // Timed out and abandoned: the run may be over, touch nothing of it.
    if (cancelled.load()) return;
    if (std::string why = session_failure(item, duts); !why.empty()) ctx->error(why);
  };

  const auto finish = [&](std::size_t task, TaskEnding ending, const std::string& message) {
    const PlanItem& item = *to_run[task];
    bool was_skipped = false;
    {
      std::lock_guard lock(contexts_mutex);
      was_skipped = skipped[task] != 0;
    }
    if (ending == TaskEnding::kInterrupted || was_skipped) {
      std::lock_guard lock(record_mutex);
      ++outcome.not_finished;
      return;  // not journaled: --resume runs it again
    }
    std::shared_ptr<Context> ctx;
    ItemResult r = result_skeleton(item, duts);
    {
      std::lock_guard lock(contexts_mutex);
      ctx = contexts[task];
      r.started_at = started_at[task];
      if (ctx) {
        r.duration_s =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started[task]).count();
      }
    }
    if (ctx) ctx->fill(r);
    if (ending == TaskEnding::kThrew) {
      r.verdict = Verdict::kError;
      r.reason = "the case threw: " + message;
    } else if (ending == TaskEnding::kTimedOut) {
      r.verdict = Verdict::kError;
      r.reason = message;
      outcome.abandoned_threads = true;
    }
    if (record(r, item.duts)) ++outcome.executed;
  };

  ExecutorOptions executor_options;
  executor_options.jobs = options.jobs;
  executor_options.interrupt = options.interrupt;
  executor_options.interrupt_grace = options.interrupt_grace;
  const ExecutionSummary summary = execute(tasks, body, finish, executor_options);
  outcome.not_finished += summary.not_started;
  outcome.interrupted = options.interrupt && options.interrupt->load();
  if (summary.interrupted > 0) outcome.abandoned_threads = true;

  close_all();
  journal->reset();  // flush and close
  if (options.progress) options.progress->ended();

  // Reports from the journal alone, as `plugfest report` would.
  auto contents = read_journal(journal_path);
  if (!contents) return contents.error();
  const std::set<std::string> planned_ids(manifest.planned_items.begin(),
                                          manifest.planned_items.end());
  std::vector<ItemResult> results;
  for (auto& r : contents->results) {
    if (planned_ids.count(r.item_id)) results.push_back(std::move(r));
  }
  outcome.results = canonical_order(manifest, std::move(results));
  outcome.manifest = manifest;
  outcome.exit_status = exit_status(outcome.results);
  // A run with a DUT written off, interrupted, or stopped by its journal is incomplete
  // whatever else failed.
  if (!outcome.written_off.empty() || outcome.interrupted || outcome.not_finished > 0 ||
      !outcome.journal_error.empty()) {
    outcome.exit_status = 3;
  }
  if (auto written = write_reports(options.results_dir, manifest, outcome.results); !written) {
    outcome.reports_error = written.error().to_string();
  }
  return outcome;
}

}  // namespace plugfest::harness
