#include "harness/engine/context.h"

#include <stdexcept>

namespace plugfest::harness {

const Parameters& DutContext::lab() const {
  static const Parameters kEmpty;
  return descriptor ? descriptor->lab : kEmpty;
}

Context::Context(std::string item_id, const TestCase& test_case, Parameters parameters,
                 std::vector<DutContext> duts, std::filesystem::path results_dir,
                 std::string evidence_dir, std::chrono::steady_clock::time_point deadline)
    : item_id_(std::move(item_id)),
      test_case_(test_case),
      parameters_(std::move(parameters)),
      duts_(std::move(duts)),
      results_dir_(std::move(results_dir)),
      evidence_dir_(std::move(evidence_dir)),
      deadline_(deadline) {}

const DutContext& Context::dut() const {
  if (duts_.size() != 1) {
    throw std::logic_error("Context::dut() used by an interoperability case; use odu()/oru()");
  }
  return duts_[0];
}

const DutContext& Context::odu() const {
  if (duts_.size() != 2) throw std::logic_error("Context::odu() used by a conformance case");
  return duts_[0];
}

const DutContext& Context::oru() const {
  if (duts_.size() != 2) throw std::logic_error("Context::oru() used by a conformance case");
  return duts_[1];
}

DutSession& Context::session(adapter::Role role) const {
  for (const auto& d : duts_) {
    if (d.role() == role && d.session) return *d.session;
  }
  throw std::logic_error("no " + std::string(adapter::to_string(role)) + " in this item");
}

void Context::add_finding(Finding finding) {
  std::lock_guard lock(mutex_);
  findings_.push_back(std::move(finding));
}

void Context::add_measurement(std::string name, double value, std::string unit) {
  std::lock_guard lock(mutex_);
  measurements_.push_back(Measurement{std::move(name), value, std::move(unit)});
}

void Context::log(std::string line) {
  std::lock_guard lock(mutex_);
  log_.push_back(std::move(line));
}

std::filesystem::path Context::evidence_dir() {
  const auto dir = results_dir_ / evidence_dir_;
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  return dir;
}

std::filesystem::path Context::artifact(const std::string& file_name, std::string description) {
  const std::string name = std::filesystem::path(file_name).filename().string();
  const auto path = evidence_dir() / name;
  std::lock_guard lock(mutex_);
  artifacts_.push_back(Artifact{name, evidence_dir_ + "/" + name, std::move(description)});
  return path;
}

namespace {
int rank(Verdict v) {
  switch (v) {
    case Verdict::kPass:
      return 1;
    case Verdict::kInconclusive:
      return 2;
    case Verdict::kFail:
      return 3;
    default:
      return 0;
  }
}
}  // namespace

void Context::set_verdict(Verdict verdict, std::string reason) {
  if (verdict == Verdict::kError) return error(std::move(reason));
  if (verdict == Verdict::kNotApplicable || verdict == Verdict::kNone ||
      verdict == Verdict::kNotRun) {
    // Applicability is decided by the planner; at run time "cannot tell" is inconclusive.
    verdict = Verdict::kInconclusive;
    if (reason.empty()) reason = "the case found itself not applicable at run time";
  }
  std::lock_guard lock(mutex_);
  if (rank(verdict) > rank(verdict_)) {
    verdict_ = verdict;
    reason_ = std::move(reason);
  } else if (verdict == verdict_ && reason_.empty()) {
    reason_ = std::move(reason);
  }
}

void Context::fail(Finding finding) {
  std::string reason = finding.rule_id + ": " + finding.message;
  add_finding(std::move(finding));
  set_verdict(Verdict::kFail, std::move(reason));
}

void Context::error(std::string reason) {
  std::lock_guard lock(mutex_);
  if (error_.empty()) error_ = reason.empty() ? "error" : std::move(reason);
}

Verdict Context::verdict() const {
  std::lock_guard lock(mutex_);
  return error_.empty() ? verdict_ : Verdict::kError;
}

std::chrono::milliseconds Context::remaining() const {
  const auto left = deadline_ - std::chrono::steady_clock::now();
  return std::max(std::chrono::milliseconds(0),
                  std::chrono::duration_cast<std::chrono::milliseconds>(left));
}

void Context::fill(ItemResult& result) const {
  std::lock_guard lock(mutex_);
  if (!error_.empty()) {
    result.verdict = Verdict::kError;
    result.reason = error_;
  } else if (verdict_ == Verdict::kNone) {
    result.verdict = Verdict::kError;
    result.reason = "the case returned without setting a verdict";
  } else {
    result.verdict = verdict_;
    result.reason = reason_;
  }
  result.findings = findings_;
  result.measurements = measurements_;
  result.artifacts = artifacts_;
  result.log = log_;
}

}  // namespace plugfest::harness
