#pragma once
// Verdicts and the evidence behind them (DESIGN.md, "Vocabulary").

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/inputs/case_status.h"

namespace plugfest::harness {

// TTCN-3 style: within a case the verdict only gets worse, pass < inconclusive < fail.
// `error` is the harness's or adapter's fault, never the DUT's; `not_applicable` means the
// DUT's capabilities rule the case out. `none` is a case that set no verdict yet.
// `not_run` exists only in reports: a planned item the run stopped before (interrupted, or
// the journal could not be written); it is never journaled, so --resume runs it.
enum class Verdict : std::uint8_t {
  kNone,
  kPass,
  kInconclusive,
  kFail,
  kError,
  kNotApplicable,
  kNotRun
};

std::string_view to_string(Verdict verdict);
std::optional<Verdict> parse_verdict(std::string_view text);

enum class Severity : std::uint8_t { kError, kWarning };
std::string_view to_string(Severity severity);

// One observed deviation.
struct Finding {
  std::string rule_id;  // stable, e.g. "cus.ecpri.payload-size"
  std::string clause;   // spec clause, e.g. "O-RAN.WG4.CUS 7.5.2"
  Severity severity = Severity::kError;
  std::string message;
  std::string where;  // packet index, byte offset, YANG path...
  friend bool operator==(const Finding&, const Finding&) = default;
};

struct Measurement {
  std::string name;
  double value = 0;
  std::string unit;  // "us", "dB", "count", "%", ...
  friend bool operator==(const Measurement&, const Measurement&) = default;
};

// A file written as evidence; `path` is relative to the results folder.
struct Artifact {
  std::string name;
  std::string path;
  std::string description;
  friend bool operator==(const Artifact&, const Artifact&) = default;
};

enum class CaseKind : std::uint8_t { kConformance, kInteroperability };
std::string_view to_string(CaseKind kind);

// The outcome of one plan item: what ran, against what, the verdict and its evidence.
// One line of journal.jsonl.
struct ItemResult {
  std::string item_id;
  std::string profile_id;
  std::string case_id;
  std::string title;
  std::string plane;
  std::string clause;
  std::string conformance_test;  // the CONF / IOT test ID(s) the case implements, or empty
  std::string interface_under_test;
  CaseKind kind = CaseKind::kConformance;
  CaseStatus status = CaseStatus::kMandatory;
  std::vector<std::string> duts;  // one name, or {o-du, o-ru} for a pair
  Verdict verdict = Verdict::kNone;
  std::string reason;
  std::string started_at;  // ISO 8601 UTC
  double duration_s = 0;
  std::vector<Finding> findings;
  std::vector<Measurement> measurements;
  std::vector<Artifact> artifacts;
  std::vector<std::string> log;
  friend bool operator==(const ItemResult&, const ItemResult&) = default;

  // "du+ru" for a pair, the DUT's name otherwise.
  std::string dut_label() const;
  bool has_warnings() const;
};

}  // namespace plugfest::harness
