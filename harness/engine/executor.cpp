#include "harness/engine/executor.h"

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <iterator>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

namespace plugfest::harness {
namespace {

using Clock = std::chrono::steady_clock;

struct Running {
  std::size_t task = 0;
  std::optional<Clock::time_point> deadline;
  std::shared_ptr<std::atomic<bool>> cancelled;
  std::shared_ptr<std::atomic<bool>> claimed;  // whoever sets it first reports the task
};

// Shared with every worker, abandoned ones too, so it outlives execute() if need be.
struct State {
  std::vector<TaskSpec> tasks;
  TaskBody body;
  TaskDone done;
  ExecutorOptions options;

  std::mutex mutex;
  std::condition_variable changed;
  std::vector<char> taken;
  std::size_t cursor = 0;  // no task before it is still pending
  std::size_t pending = 0;
  std::vector<char> busy;                       // per resource
  std::vector<std::optional<Running>> running;  // per worker slot
  bool stopping = false;
  std::size_t active_workers = 0;

  std::mutex done_mutex;
  ExecutionSummary summary;

  // The first pending task whose resources are all free, or nullopt. Caller holds mutex.
  std::optional<std::size_t> pick() {
    while (cursor < tasks.size() && taken[cursor]) ++cursor;
    for (std::size_t i = cursor; i < tasks.size(); ++i) {
      if (taken[i]) continue;
      const auto& r = tasks[i].resources;
      if (std::any_of(r.begin(), r.end(), [&](std::size_t x) { return busy[x] != 0; })) continue;
      return i;
    }
    return std::nullopt;
  }

  void report(std::size_t task, TaskEnding ending, const std::string& message) {
    std::lock_guard lock(done_mutex);
    switch (ending) {
      case TaskEnding::kCompleted:
      case TaskEnding::kThrew:
        ++summary.completed;
        break;
      case TaskEnding::kTimedOut:
        ++summary.timed_out;
        break;
      case TaskEnding::kInterrupted:
        ++summary.interrupted;
        break;
    }
    done(task, ending, message);
  }

  void release(std::size_t slot) {  // caller holds mutex
    for (const std::size_t x : tasks[running[slot]->task].resources) busy[x] = 0;
    running[slot].reset();
  }
};

void worker(std::shared_ptr<State> state, std::size_t slot) {
  State& s = *state;
  for (;;) {
    Running run;
    {
      std::unique_lock lock(s.mutex);
      std::optional<std::size_t> next;
      s.changed.wait(lock, [&] {
        if (s.stopping || s.pending == 0) return true;
        next = s.pick();
        return next.has_value();
      });
      if (!next) {
        --s.active_workers;
        s.changed.notify_all();
        return;
      }
      run.task = *next;
      s.taken[run.task] = 1;
      --s.pending;
      for (const std::size_t x : s.tasks[run.task].resources) s.busy[x] = 1;
      if (s.tasks[run.task].timeout.count() > 0) {
        run.deadline = Clock::now() + s.tasks[run.task].timeout;
      }
      run.cancelled = std::make_shared<std::atomic<bool>>(false);
      run.claimed = std::make_shared<std::atomic<bool>>(false);
      s.running[slot] = run;
      s.changed.notify_all();  // the supervisor may need a nearer deadline
    }

    TaskEnding ending = TaskEnding::kCompleted;
    std::string message;
    try {
      s.body(run.task, *run.cancelled);
    } catch (const std::exception& e) {
      ending = TaskEnding::kThrew;
      message = e.what();
    } catch (...) {
      ending = TaskEnding::kThrew;
      message = "unknown exception";
    }
    if (run.claimed->exchange(true)) return;  // abandoned: the supervisor reported it

    {
      std::lock_guard lock(s.mutex);
      if (s.stopping && run.cancelled->load()) ending = TaskEnding::kInterrupted;
    }
    s.report(run.task, ending, message);
    std::lock_guard lock(s.mutex);
    s.release(slot);
    s.changed.notify_all();
  }
}

}  // namespace

ExecutionSummary execute(const std::vector<TaskSpec>& tasks, TaskBody body, TaskDone done,
                         const ExecutorOptions& options) {
  auto state = std::make_shared<State>();
  State& s = *state;
  s.tasks = tasks;
  s.body = std::move(body);
  s.done = std::move(done);
  s.options = options;
  s.taken.assign(tasks.size(), 0);
  s.pending = tasks.size();
  std::size_t resources = 0;
  for (const auto& t : tasks) {
    for (const std::size_t x : t.resources) resources = std::max(resources, x + 1);
  }
  s.busy.assign(resources, 0);
  const unsigned jobs = std::max(1u, options.jobs);
  s.running.resize(jobs);

  std::vector<std::thread> threads;
  std::vector<char> abandoned_threads;
  std::vector<std::size_t> thread_of_slot(jobs);
  const auto spawn = [&](std::size_t slot) {
    ++s.active_workers;
    thread_of_slot[slot] = threads.size();
    threads.emplace_back(worker, state, slot);
    abandoned_threads.push_back(0);
  };
  {
    std::lock_guard lock(s.mutex);
    for (std::size_t slot = 0; slot < jobs; ++slot) spawn(slot);
  }

  std::optional<Clock::time_point> grace_end;
  std::unique_lock lock(s.mutex);
  for (;;) {
    if (s.active_workers == 0) break;
    const bool interrupt = options.interrupt && options.interrupt->load();
    if (interrupt && !s.stopping) {
      s.stopping = true;
      grace_end = Clock::now() + options.interrupt_grace;
      for (auto& r : s.running) {
        if (r) r->cancelled->store(true);
      }
      s.changed.notify_all();
    }
    // Deadlines: timed-out tasks, or everything still running once the grace is over.
    const auto now = Clock::now();
    std::optional<Clock::time_point> wake;
    for (std::size_t slot = 0; slot < s.running.size(); ++slot) {
      auto& r = s.running[slot];
      if (!r) continue;
      const bool over_grace = grace_end && now >= *grace_end;
      const bool timed_out = r->deadline && now >= *r->deadline;
      if (!over_grace && !timed_out) {
        if (r->deadline && (!wake || *r->deadline < *wake)) wake = r->deadline;
        continue;
      }
      r->cancelled->store(true);
      if (r->claimed->exchange(true)) continue;  // finishing right now; the worker reports it
      const Running abandoned = *r;
      const auto timeout = s.tasks[abandoned.task].timeout;
      s.release(slot);
      // The abandoned thread keeps the State alive; a fresh worker takes its slot.
      --s.active_workers;
      abandoned_threads[thread_of_slot[slot]] = 1;
      spawn(slot);
      lock.unlock();
      if (over_grace) {
        s.report(abandoned.task, TaskEnding::kInterrupted, "interrupted");
      } else {
        s.report(abandoned.task, TaskEnding::kTimedOut,
                 "timed out after " + std::to_string(timeout.count()) +
                     " ms; the case did not return and was abandoned");
      }
      lock.lock();
      s.changed.notify_all();
    }
    if (grace_end && (!wake || *grace_end < *wake)) wake = grace_end;
    // Poll the interrupt flag (set from a signal handler) at least every 50 ms.
    const auto poll = Clock::now() + std::chrono::milliseconds(50);
    s.changed.wait_until(lock, wake && *wake < poll ? *wake : poll);
  }
  for (std::size_t i = 0; i < s.taken.size(); ++i) {
    if (!s.taken[i]) ++s.summary.not_started;
  }
  lock.unlock();

  // Join the workers that returned; detach the abandoned ones (still inside a case).
  for (std::size_t i = 0; i < threads.size(); ++i) {
    if (abandoned_threads[i])
      threads[i].detach();
    else
      threads[i].join();
  }
  std::lock_guard done_lock(s.done_mutex);
  return s.summary;
}

}  // namespace plugfest::harness
