#include "harness/engine/executor.h"

#include <gtest/gtest.h>

#include <mutex>
#include <set>
#include <thread>

namespace plugfest::harness {
namespace {

TEST(Executor, RunsEveryTaskOnceAndNeverTwoOnOneResourceAtATime) {
  std::vector<TaskSpec> tasks;
  for (std::size_t i = 0; i < 60; ++i) tasks.push_back({{i % 3}, std::chrono::seconds(30)});
  std::atomic<int> busy[3] = {0, 0, 0};
  std::atomic<bool> overlap{false};
  std::atomic<int> concurrent{0}, peak{0};
  std::mutex mutex;
  std::multiset<std::size_t> done;
  const auto summary = execute(
      tasks,
      [&](std::size_t task, const std::atomic<bool>&) {
        const int now = ++concurrent;
        int seen = peak.load();
        while (now > seen && !peak.compare_exchange_weak(seen, now)) {
        }
        if (++busy[task % 3] > 1) overlap = true;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
        --busy[task % 3];
        --concurrent;
      },
      [&](std::size_t task, TaskEnding ending, const std::string&) {
        EXPECT_EQ(ending, TaskEnding::kCompleted);
        std::lock_guard lock(mutex);
        done.insert(task);
      },
      {.jobs = 3});
  EXPECT_FALSE(overlap);
  EXPECT_LE(peak.load(), 3);
  EXPECT_EQ(done.size(), 60u);
  EXPECT_EQ(std::set<std::size_t>(done.begin(), done.end()).size(), 60u);
  EXPECT_EQ(summary.completed, 60u);
}

TEST(Executor, ExceptionsAndHangsAreReportedAndTheRestRuns) {
  std::vector<TaskSpec> tasks = {{{0}, std::chrono::milliseconds(100)},
                                 {{1}, std::chrono::milliseconds(100)},
                                 {{0}, std::chrono::seconds(30)},
                                 {{1}, std::chrono::seconds(30)}};
  std::vector<TaskEnding> endings(4);
  std::vector<std::string> messages(4);
  const auto summary = execute(
      tasks,
      [&](std::size_t task, const std::atomic<bool>&) {
        if (task == 0) throw std::runtime_error("boom");
        if (task == 1)
          std::this_thread::sleep_for(std::chrono::milliseconds(800));  // ignores cancel
      },
      [&](std::size_t task, TaskEnding ending, const std::string& message) {
        endings[task] = ending;
        messages[task] = message;
      },
      {.jobs = 2});
  EXPECT_EQ(endings[0], TaskEnding::kThrew);
  EXPECT_EQ(messages[0], "boom");
  EXPECT_EQ(endings[1], TaskEnding::kTimedOut);
  EXPECT_EQ(endings[2], TaskEnding::kCompleted);
  EXPECT_EQ(endings[3], TaskEnding::kCompleted);  // its resource was freed at the timeout
  EXPECT_EQ(summary.timed_out, 1u);
  // Let the abandoned thread finish before the test's locals go away.
  std::this_thread::sleep_for(std::chrono::milliseconds(900));
}

TEST(Executor, InterruptStopsStartingAndCancelsTheRunning) {
  std::vector<TaskSpec> tasks(50, TaskSpec{{}, std::chrono::seconds(30)});
  std::atomic<bool> interrupt{false};
  std::atomic<int> started{0};
  std::size_t reported = 0, interrupted = 0;
  const auto summary = execute(
      tasks,
      [&](std::size_t, const std::atomic<bool>& cancelled) {
        if (++started == 2) interrupt = true;
        while (!cancelled) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      },
      [&](std::size_t, TaskEnding ending, const std::string&) {
        ++reported;
        if (ending == TaskEnding::kInterrupted) ++interrupted;
      },
      {.jobs = 2, .interrupt = &interrupt, .interrupt_grace = std::chrono::seconds(5)});
  EXPECT_EQ(reported, interrupted);  // everything that was running was cut short
  EXPECT_GE(summary.not_started, 40u);
  EXPECT_EQ(summary.not_started + summary.interrupted + summary.completed, 50u);
}

}  // namespace
}  // namespace plugfest::harness
