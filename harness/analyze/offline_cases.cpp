#include "harness/analyze/offline_cases.h"

#include <array>

namespace plugfest::analyze {
namespace {

using adapter::Role;
constexpr std::optional<Role> kEach = std::nullopt;

constexpr std::array<OfflineCase, static_cast<std::size_t>(CaseId::kCount)> kCases = {{
    {CaseId::kEcpri, "offline.cus.ecpri-transport", "eCPRI common and transport headers",
     "eCPRI 2.0 3.1.3.1; O-RAN.WG4.CUS 5.1.3.2", kEach,
     "cus.du.headers cus.ru.ul.headers iot.cus.stream-validation"},
    {CaseId::kCplaneHeaders, "offline.cus.cplane-headers",
     "C-plane application headers and section fields", "O-RAN.WG4.CUS 7.5", Role::kOdu,
     "cus.du.headers iot.cus.stream-validation"},
    {CaseId::kUplaneHeaders, "offline.cus.uplane-headers",
     "U-plane application headers and section fields", "O-RAN.WG4.CUS 8.3", kEach,
     "cus.du.headers cus.ru.ul.headers iot.cus.stream-validation"},
    {CaseId::kCompression, "offline.cus.compression",
     "U-plane compression as configured (static or dynamic udCompHdr) and as the C-plane asked",
     "O-RAN.WG4.CUS 8.3.3.13, 7.5.2.10", kEach,
     "cus.du.headers cus.du.dl.udcomphdr-zero cus.ru.ul.headers cus.ru.ul.st1-coverage "
     "iot.cus.stream-validation"},
    {CaseId::kCplaneUplane, "offline.cus.cplane-uplane",
     "U-plane sections match the C-plane sections that requested them", "O-RAN.WG4.CUS 7.8.1",
     kEach, "cus.du.uplane-within-cplane cus.ru.ul.st1-coverage iot.cus.stream-validation"},
    {CaseId::kSequenceIds, "offline.cus.sequence-ids",
     "ecpriSeqid continuity per eAxC (gaps are warnings)", "O-RAN.WG4.CUS 5.1.3.2.7", kEach,
     "cus.du.sequence-id cus.ru.ul.sequence-id iot.cus.stream-validation"},
    {CaseId::kSingleSection, "offline.cus.uplane-sections-per-message",
     "U-plane messages carry the agreed number of sections", "O-RAN.WG4.CUS 8.3.2", kEach,
     "cus.ru.ul.headers iot.cus.stream-validation"},
    {CaseId::kEaxcMapping, "offline.cus.eaxc-mapping",
     "U-plane flows use eAxC IDs the C-plane addressed", "O-RAN.WG4.CUS 5.1.3.2.6", kEach,
     "cus.ru.ul.eaxc iot.cus.stream-validation"},
    {CaseId::kSenderRoles, "offline.cus.sender-roles",
     "C-plane and DL U-plane only from the O-DU, UL U-plane only from the O-RU",
     "O-RAN.WG4.CUS 7.5.2.1, 8.3.3.1", kEach, "iot.cus.stream-validation"},
    {CaseId::kUlResponse, "offline.cus.ul-response",
     "every UL section type 1 request answered by U-plane on all requested symbols",
     "O-RAN.WG4.CUS 7.8.1", Role::kOru, "cus.ru.ul.st1-coverage iot.cus.stream-validation"},
    {CaseId::kPrachResponse, "offline.cus.prach-response",
     "every section type 3 request answered on the requested slot, symbols and filterIndex",
     "O-RAN.WG4.CUS 7.5.2.3, 7.5.3.7, 7.8.1", Role::kOru,
     "cus.ru.prach.st3-response iot.cus.stream-validation"},
    {CaseId::kTimingOdu, "offline.cus.timing.odu-transmit",
     "O-DU C-plane and DL U-plane inside the delay-management windows (T1a, or T2a at the O-RU)",
     "O-RAN.WG4.CUS 4.4", Role::kOdu, "cus.du.dl.cplane-timing"},
    {CaseId::kTimingOru, "offline.cus.timing.oru-transmit",
     "O-RU UL U-plane inside the delay-management windows (Ta4, or Ta3 at the O-RU)",
     "O-RAN.WG4.CUS 4.4", Role::kOru, "cus.ru.ul.ta4-window"},
}};

using S = fronthaul::Severity;
constexpr std::array kRules = {
    fronthaul::Rule{rules::kMultiSection, "8.3.2", S::kError,
                    "U-plane message carries more sections than agreed"},
    fronthaul::Rule{
        rules::kMultiSectionUnagreed, "8.3.2", S::kWarning,
        "U-plane message with several sections (no limit agreed; many O-DUs expect one)"},
    fronthaul::Rule{rules::kEaxcNotRequested, "5.1.3.2.6", S::kError,
                    "U-plane on an eAxC no C-plane message addressed"},
    fronthaul::Rule{rules::kWrongSender, "7.5.2.1", S::kError,
                    "message sent by the wrong side for its plane and dataDirection"},
    fronthaul::Rule{rules::kNoUlResponse, "7.8.1", S::kError,
                    "UL C-plane request without U-plane on every requested symbol"},
    fronthaul::Rule{rules::kNoPrachResponse, "7.8.1", S::kError,
                    "section type 3 request without U-plane on every requested symbol"},
    fronthaul::Rule{rules::kPrachUnrequested, "7.5.2.3", S::kError,
                    "PRACH U-plane (filterIndex set) for a symbol or filter no request named"},
    fronthaul::Rule{rules::kEarly, "4.4", S::kError, "message before its timing window opened"},
    fronthaul::Rule{rules::kLate, "4.4", S::kError, "message after its timing window closed"},
    fronthaul::Rule{rules::kMalformedFrame, "eCPRI 2.0 3.1.3.1", S::kError,
                    "frame with the eCPRI ethertype whose headers cannot be read"},
    fronthaul::Rule{rules::kLayoutUnknown, "8.3", S::kError,
                    "U-plane stream whose messages no compression layout lays out exactly"},
};

}  // namespace

std::span<const OfflineCase> offline_cases() { return kCases; }

const OfflineCase& offline_case(CaseId id) { return kCases[static_cast<std::size_t>(id)]; }

std::span<const fronthaul::Rule> analysis_rules() { return kRules; }

const fronthaul::Rule* find_any_rule(std::string_view id) {
  for (const auto& rule : kRules) {
    if (rule.id == id) return &rule;
  }
  return fronthaul::find_rule(id);
}

CaseId case_for_rule(std::string_view id, bool uplane) {
  namespace fr = fronthaul::rules;
  if (id == fr::kStreamSeqIdGap || id == fr::kStreamSeqIdReorder) return CaseId::kSequenceIds;
  if (id == fr::kUpCompHdrMode || id == fr::kUpCompMeth || id == fr::kStreamUpCompression ||
      id == fr::kCpDlUdCompHdrNonzero) {
    return CaseId::kCompression;
  }
  if (id.starts_with("FH-STREAM-")) return CaseId::kCplaneUplane;
  if (id.starts_with("FH-ECPRI-") || id == fr::kEaxcBitWidths || id == rules::kMalformedFrame) {
    return CaseId::kEcpri;
  }
  if (id.starts_with("FH-CP-")) return CaseId::kCplaneHeaders;
  if (id.starts_with("FH-UP-")) return CaseId::kUplaneHeaders;
  // Radio application header rules are shared by both planes.
  return uplane ? CaseId::kUplaneHeaders : CaseId::kCplaneHeaders;
}

}  // namespace plugfest::analyze
