#pragma once
// Context: everything one test case sees while it runs against one DUT (conformance) or an
// (O-DU, O-RU) pair (interoperability): its parameters, the DUTs' descriptions, lab
// parameters and sessions, the evidence recorder, cancellation, and the verdict.
//
// Thread-safe: a case may record evidence from helper threads. Recording never throws.
// The typed parameter getters throw ParameterError, which the executor turns into `error`.
//
// Verdicts (TTCN-3): set_verdict() only makes it worse, pass < inconclusive < fail.
// error() is for the harness's or adapter's faults and wins over everything. A case that
// returns without setting any verdict ends in `error` ("set no verdict"), so a case can
// never pass by accident.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "harness/engine/dut.h"
#include "harness/inputs/parameters.h"
#include "harness/engine/test_case.h"
#include "harness/inputs/vendor_descriptor.h"
#include "harness/results/verdict.h"

namespace plugfest::harness {

// One DUT as a case sees it.
struct DutContext {
  std::string name;
  const VendorDescriptor* descriptor = nullptr;
  adapter::DeviceDescription description;  // what the adapter described (capabilities: effective)
  DutSession* session = nullptr;

  adapter::Role role() const { return description.role; }
  const Parameters& lab() const;  // the descriptor's lab parameters (empty when none)
};

class Context {
 public:
  Context(std::string item_id, const TestCase& test_case, Parameters parameters,
          std::vector<DutContext> duts, std::filesystem::path results_dir, std::string evidence_dir,
          std::chrono::steady_clock::time_point deadline);

  const std::string& item_id() const { return item_id_; }
  const TestCase& test_case() const { return test_case_; }
  // Profile defaults merged with the case's overrides.
  const Parameters& params() const { return parameters_; }

  // The DUT of a conformance item.
  const DutContext& dut() const;
  // The pair of an interoperability item.
  const DutContext& odu() const;
  const DutContext& oru() const;
  const std::vector<DutContext>& duts() const { return duts_; }
  // The session of dut() (conformance) or of the DUT of `role` (interoperability).
  DutSession& session() const { return *dut().session; }
  DutSession& session(adapter::Role role) const;
  // A session extension (fronthaul port, management session...), or nullptr.
  template <typename T>
  std::shared_ptr<T> extension(const DutContext& dut, std::string_view name) const {
    return dut.session ? std::static_pointer_cast<T>(dut.session->extension(name)) : nullptr;
  }

  // Evidence.
  void add_finding(Finding finding);
  void add_measurement(std::string name, double value, std::string unit);
  void log(std::string line);
  // The item's evidence folder (absolute), created on first use: evidence/<case>/<dut>/.
  std::filesystem::path evidence_dir();
  // A path in the evidence folder for an artifact the case writes; recorded in the results.
  std::filesystem::path artifact(const std::string& file_name, std::string description);

  // Verdict.
  void set_verdict(Verdict verdict, std::string reason = {});
  // Records an error-severity finding and makes the verdict fail.
  void fail(Finding finding);
  // Harness or adapter fault: the final verdict is `error` with this reason.
  void error(std::string reason);
  Verdict verdict() const;

  // Cancellation: set at the deadline or on Ctrl-C; long cases poll it and return.
  bool cancelled() const {
    return cancelled_.load(std::memory_order_relaxed) ||
           (watched_ != nullptr && watched_->load(std::memory_order_relaxed));
  }
  std::chrono::steady_clock::time_point deadline() const { return deadline_; }
  std::chrono::milliseconds remaining() const;

  // A per-item seed derived from the run's seed, for cases that randomise stimuli.
  std::uint64_t seed() const { return seed_; }

  // For the executor.
  void cancel() { cancelled_.store(true, std::memory_order_relaxed); }
  void set_seed(std::uint64_t seed) { seed_ = seed; }
  // Also report cancelled() when `flag` is set (the executor's flag for this item).
  void watch(const std::atomic<bool>* flag) { watched_ = flag; }
  // The verdict, reason and evidence recorded so far, into `result`.
  void fill(ItemResult& result) const;

 private:
  std::string item_id_;
  const TestCase& test_case_;
  Parameters parameters_;
  std::vector<DutContext> duts_;
  std::filesystem::path results_dir_;
  std::string evidence_dir_;
  std::chrono::steady_clock::time_point deadline_;
  std::atomic<bool> cancelled_{false};
  const std::atomic<bool>* watched_ = nullptr;
  std::uint64_t seed_ = 0;

  mutable std::mutex mutex_;
  Verdict verdict_ = Verdict::kNone;
  std::string reason_;
  std::string error_;
  std::vector<Finding> findings_;
  std::vector<Measurement> measurements_;
  std::vector<Artifact> artifacts_;
  std::vector<std::string> log_;
};

}  // namespace plugfest::harness
