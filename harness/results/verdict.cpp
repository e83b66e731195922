#include "harness/results/verdict.h"

#include <array>

namespace plugfest::harness {

namespace {
constexpr std::array<std::string_view, 7> kVerdictNames = {
    "none", "pass", "inconclusive", "fail", "error", "not-applicable", "not-run"};
}  // namespace

std::string_view to_string(Verdict verdict) {
  return kVerdictNames[static_cast<std::size_t>(verdict)];
}

std::optional<Verdict> parse_verdict(std::string_view text) {
  for (std::size_t i = 0; i < kVerdictNames.size(); ++i) {
    if (kVerdictNames[i] == text) return static_cast<Verdict>(i);
  }
  return std::nullopt;
}

std::string_view to_string(Severity severity) {
  return severity == Severity::kError ? "error" : "warning";
}

std::string_view to_string(CaseKind kind) {
  return kind == CaseKind::kConformance ? "conformance" : "interoperability";
}

std::string ItemResult::dut_label() const {
  std::string out;
  for (const auto& d : duts) out += (out.empty() ? "" : "+") + d;
  return out;
}

bool ItemResult::has_warnings() const {
  for (const auto& f : findings) {
    if (f.severity == Severity::kWarning) return true;
  }
  return false;
}

}  // namespace plugfest::harness
