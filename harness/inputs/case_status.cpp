#include "harness/inputs/case_status.h"

#include <array>

namespace plugfest::harness {

namespace {
constexpr std::array<std::string_view, 3> kStatusNames = {"mandatory", "conditional", "optional"};
}  // namespace

std::string_view to_string(CaseStatus status) {
  return kStatusNames[static_cast<std::size_t>(status)];
}

std::optional<CaseStatus> parse_case_status(std::string_view text) {
  for (std::size_t i = 0; i < kStatusNames.size(); ++i) {
    if (kStatusNames[i] == text) return static_cast<CaseStatus>(i);
  }
  return std::nullopt;
}

}  // namespace plugfest::harness
