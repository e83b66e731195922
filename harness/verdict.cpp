#include "harness/verdict.h"

#include <array>

namespace plugfest::harness {

namespace {
constexpr std::array<std::string_view, 6> kVerdictNames = {"none", "pass",  "inconclusive",
                                                           "fail", "error", "not-applicable"};
constexpr std::array<std::string_view, 3> kStatusNames = {"mandatory", "conditional", "optional"};
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

std::string_view to_string(CaseStatus status) {
  return kStatusNames[static_cast<std::size_t>(status)];
}

std::optional<CaseStatus> parse_case_status(std::string_view text) {
  for (std::size_t i = 0; i < kStatusNames.size(); ++i) {
    if (kStatusNames[i] == text) return static_cast<CaseStatus>(i);
  }
  return std::nullopt;
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
