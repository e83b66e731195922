#pragma once
// The test cases `plugfest analyze` judges from a capture alone: stable IDs, titles, spec
// clauses, which side each judges, and the analyser's own rules (beyond the codec's
// catalog) with theirs.

#include <optional>
#include <span>
#include <string_view>

#include "interfaces/adapter/device.h"
#include "interfaces/fronthaul/rules.h"

namespace plugfest::analyze {

enum class CaseId : std::uint8_t {
  kEcpri,
  kCplaneHeaders,
  kUplaneHeaders,
  kCompression,
  kCplaneUplane,
  kSequenceIds,
  kSingleSection,
  kEaxcMapping,
  kSenderRoles,
  kUlResponse,
  kPrachResponse,
  kTimingOdu,
  kTimingOru,
  kCount,
};

struct OfflineCase {
  CaseId case_id;
  std::string_view id;  // stable: offline.cus.<area>
  std::string_view title;
  std::string_view clause;
  // The side whose traffic the case judges; nullopt: each side's own traffic, one item
  // per side.
  std::optional<adapter::Role> role;
  // The live cases (`plugfest run`) that judge the same property of the same side's
  // traffic, space-separated: a capture of a live run must give the same verdict.
  std::string_view live_cases;
};

std::span<const OfflineCase> offline_cases();
const OfflineCase& offline_case(CaseId id);

namespace rules {
inline constexpr std::string_view kMultiSection = "AN-UP-MULTI-SECTION";
inline constexpr std::string_view kMultiSectionUnagreed = "AN-UP-MULTI-SECTION-UNAGREED";
inline constexpr std::string_view kEaxcNotRequested = "AN-EAXC-NOT-REQUESTED";
inline constexpr std::string_view kWrongSender = "AN-WRONG-SENDER";
inline constexpr std::string_view kNoUlResponse = "AN-UL-NO-RESPONSE";
inline constexpr std::string_view kNoPrachResponse = "AN-PRACH-NO-RESPONSE";
inline constexpr std::string_view kPrachUnrequested = "AN-PRACH-UNREQUESTED";
inline constexpr std::string_view kEarly = "AN-TIMING-EARLY";
inline constexpr std::string_view kLate = "AN-TIMING-LATE";
inline constexpr std::string_view kMalformedFrame = "AN-FRAME-MALFORMED";
inline constexpr std::string_view kLayoutUnknown = "AN-UP-LAYOUT-UNKNOWN";
}  // namespace rules

// The analyser's own rules, looked up like the codec's catalog (clause, severity).
std::span<const fronthaul::Rule> analysis_rules();
// A rule of either catalog, or nullptr.
const fronthaul::Rule* find_any_rule(std::string_view id);

// The case that a finding of `rule_id` on a message of the given plane belongs to.
CaseId case_for_rule(std::string_view rule_id, bool uplane);

}  // namespace plugfest::analyze
