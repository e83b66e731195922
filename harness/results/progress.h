#pragma once
// Progress on the terminal while a run goes. On a TTY: one redrawn status line (items
// done / total, not passed so far, elapsed, ETA), with every failure printed above it as it
// happens, with its reason. In a log (not a TTY): one plain line per finished item, except
// not-applicable items, which are counted in one line rather than listed.
//
// The ETA is learned from the cases themselves: each finished item teaches its case's
// duration (not-applicable items teach nothing), and the items still to run are estimated
// by their own case's mean duration, or the mean of all cases until theirs has run once,
// shared over the run's parallel jobs.

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "harness/results/verdict.h"

namespace plugfest::harness {

// Receives progress while items finish (calls are serialised).
class ProgressSink {
 public:
  virtual ~ProgressSink() = default;
  virtual void started(std::size_t total, std::size_t already_done) = 0;
  // The items that will execute (their case IDs), once the ones decided without running
  // (not applicable, or of a DUT written off) are reported; `jobs` run at the same time.
  virtual void executing(const std::vector<std::string>& /*case_ids*/, unsigned /*jobs*/) {}
  virtual void finished(const ItemResult& result) = 0;
  // A DUT was written off (never reached, or its adapter died or stopped answering): its
  // remaining `items` end in error without running. Said at once, before those items.
  virtual void dut_written_off(const std::string& /*dut*/, const std::string& /*why*/,
                               std::size_t /*items*/) {}
  // The run stops starting items (e.g. the journal cannot be written): said at once.
  virtual void stopped(const std::string& /*why*/) {}
  // A run warning (RunWarning in manifest.h: capability mismatches, plaintext adapter
  // connections), said before any item runs. `dut` is "" for the whole run.
  virtual void warned(const std::string& /*dut*/, const std::string& /*message*/) {}
  virtual void ended() = 0;
};

class TerminalProgress : public ProgressSink {
 public:
  using Clock = std::chrono::steady_clock;
  // `now` stands in for the clock in tests.
  TerminalProgress(std::ostream& out, bool tty, std::function<Clock::time_point()> now = {})
      : out_(out), tty_(tty), now_(now ? std::move(now) : [] { return Clock::now(); }) {}
  void started(std::size_t total, std::size_t already_done) override;
  void executing(const std::vector<std::string>& case_ids, unsigned jobs) override;
  void finished(const ItemResult& result) override;
  void dut_written_off(const std::string& dut, const std::string& why, std::size_t items) override;
  void stopped(const std::string& why) override;
  void warned(const std::string& dut, const std::string& message) override;
  void ended() override;

  // Seconds left by the learned durations, or a negative value while nothing is learned.
  double eta_seconds() const;

 private:
  void draw(bool force);
  void clear_line();
  void flush_not_applicable();

  std::ostream& out_;
  bool tty_;
  std::function<Clock::time_point()> now_;
  std::size_t total_ = 0;
  std::size_t done_ = 0;
  std::size_t failures_ = 0;
  std::size_t not_applicable_pending_ = 0;  // not yet said (log mode)
  unsigned jobs_ = 1;
  bool executing_ = false;                     // executing() was called
  std::map<std::string, std::size_t> to_run_;  // case ID -> items of it still to execute
  struct Learned {
    double seconds = 0;
    std::size_t items = 0;
  };
  std::map<std::string, Learned> learned_;  // case ID -> durations of its finished items
  Learned all_;
  Clock::time_point start_;
  Clock::time_point last_draw_;
  bool drawn_ = false;  // the status line is on screen
};

}  // namespace plugfest::harness
