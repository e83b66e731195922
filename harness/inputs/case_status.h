#pragma once
// How a profile rates a case (O-RAN results: mandatory / conditionally.mandatory / optional).

#include <cstdint>
#include <optional>
#include <string_view>

namespace plugfest::harness {

enum class CaseStatus : std::uint8_t { kMandatory, kConditional, kOptional };
std::string_view to_string(CaseStatus status);
std::optional<CaseStatus> parse_case_status(std::string_view text);

}  // namespace plugfest::harness
