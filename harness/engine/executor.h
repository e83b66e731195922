#pragma once
// Executor: runs tasks on N worker threads with a deadline each, never two tasks that
// share a resource (a DUT) at once, in plan order as far as resources allow.
//
// A task that outlives its deadline is abandoned, not killed: C++ cannot stop a thread
// safely, so the supervisor reports it as timed out, sets its cancellation flag, leaves
// its worker thread to finish (or not) on its own, and starts a fresh worker in its place.
// The run therefore never waits for a hung case; the abandoned thread's late outcome is
// ignored. (A process that abandoned threads should end with _Exit, not by unwinding
// static state under them; `plugfest run` does.)
//
// When `interrupt` becomes true (Ctrl-C) no new task starts, running tasks are cancelled
// and given `interrupt_grace` to return; their outcome is reported as kInterrupted either
// way, so the caller can leave them out of the results and run them again on resume.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace plugfest::harness {

struct TaskSpec {
  std::vector<std::size_t> resources;    // tasks sharing one never run at the same time
  std::chrono::milliseconds timeout{0};  // zero: none
};

enum class TaskEnding { kCompleted, kThrew, kTimedOut, kInterrupted };

struct ExecutorOptions {
  unsigned jobs = 1;
  const std::atomic<bool>* interrupt = nullptr;
  std::chrono::milliseconds interrupt_grace{2000};
};

struct ExecutionSummary {
  std::size_t completed = 0;  // kCompleted or kThrew
  std::size_t timed_out = 0;
  std::size_t interrupted = 0;  // started, then cut short by the interrupt
  std::size_t not_started = 0;  // left in the queue by the interrupt
};

// body(task, cancelled) runs one task; it may throw (reported as kThrew with the message).
// done(task, ending, message) is called exactly once for every started task, never
// concurrently with itself.
using TaskBody = std::function<void(std::size_t task, const std::atomic<bool>& cancelled)>;
using TaskDone =
    std::function<void(std::size_t task, TaskEnding ending, const std::string& message)>;

ExecutionSummary execute(const std::vector<TaskSpec>& tasks, TaskBody body, TaskDone done,
                         const ExecutorOptions& options);

}  // namespace plugfest::harness
