#pragma once
// Progress on the terminal while a run goes: one redrawn line on a TTY (items done / total,
// failures so far, elapsed, ETA), one plain line per finished item otherwise.

#include <chrono>
#include <cstddef>
#include <ostream>
#include <string>

#include "harness/results/verdict.h"

namespace plugfest::harness {

// Receives progress while items finish (calls are serialised).
class ProgressSink {
 public:
  virtual ~ProgressSink() = default;
  virtual void started(std::size_t total, std::size_t already_done) = 0;
  virtual void finished(const ItemResult& result) = 0;
  // A DUT was written off (never reached, or its adapter died or stopped answering): its
  // remaining `items` end in error without running. Said at once, before those items.
  virtual void dut_written_off(const std::string& /*dut*/, const std::string& /*why*/,
                               std::size_t /*items*/) {}
  // A run warning (RunWarning in manifest.h: capability mismatches, plaintext adapter
  // connections), said before any item runs. `dut` is "" for the whole run.
  virtual void warned(const std::string& /*dut*/, const std::string& /*message*/) {}
  virtual void ended() = 0;
};

class TerminalProgress : public ProgressSink {
 public:
  TerminalProgress(std::ostream& out, bool tty) : out_(out), tty_(tty) {}
  void started(std::size_t total, std::size_t already_done) override;
  void finished(const ItemResult& result) override;
  void dut_written_off(const std::string& dut, const std::string& why, std::size_t items) override;
  void warned(const std::string& dut, const std::string& message) override;
  void ended() override;

 private:
  std::ostream& out_;
  bool tty_;
  std::size_t total_ = 0;
  std::size_t done_ = 0;
  std::size_t done_at_start_ = 0;
  std::size_t failures_ = 0;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace plugfest::harness
