#include "interfaces/fronthaul/rules.h"

#include <array>

namespace plugfest::fronthaul {
namespace {

using S = Severity;
// Clauses: "eCPRI 2.0 x" for the eCPRI specification, plain numbers for O-RAN.WG4.CUS.0.
constexpr std::array kRules = {
    Rule{rules::kEcpriTruncated, "eCPRI 2.0 3.1.3.1", S::kError,
         "packet shorter than the eCPRI and O-RAN headers it must carry"},
    Rule{rules::kEcpriRevision, "eCPRI 2.0 3.1.3.1.1", S::kError, "eCPRI revision is not 1"},
    Rule{rules::kEcpriReserved, "eCPRI 2.0 3.1.3.1.2", S::kWarning,
         "eCPRI common header reserved bits set"},
    Rule{rules::kEcpriConcatenation, "eCPRI 2.0 3.1.3.1.3", S::kWarning,
         "C bit set: concatenated eCPRI messages are not decoded"},
    Rule{rules::kEcpriMessageType, "eCPRI 2.0 3.1.3.1.4", S::kError,
         "eCPRI message type not used by the O-RAN fronthaul (0, 2, 5)"},
    Rule{rules::kEcpriPayloadSize, "eCPRI 2.0 3.1.3.1.5", S::kError,
         "eCPRI payload size larger than the packet"},
    Rule{rules::kEcpriFramePadding, "eCPRI 2.0 3.1.3.1.5", S::kWarning,
         "bytes after the eCPRI payload (frame length or padding)"},
    Rule{rules::kEaxcBitWidths, "5.1.3.2.6", S::kError, "eAxC ID bit widths do not add up to 16"},
    Rule{rules::kEcpriFragmentation, "5.1.3.2.7", S::kWarning,
         "radio transport fragmentation (E bit clear or subsequence ID set)"},
    Rule{rules::kEcpriOneWayDelayAction, "eCPRI 2.0 3.2.4.6", S::kError,
         "one-way delay measurement: reserved action type, or a timestamp / compensation "
         "value where the action type defines none"},
    Rule{rules::kPayloadVersion, "7.5.2.2", S::kError, "unsupported payloadVersion (not 1)"},
    Rule{rules::kSubframeIdRange, "7.5.2.5", S::kError, "subframeId greater than 9"},
    Rule{rules::kStartSymbolRange, "7.5.2.7", S::kError, "startSymbolId greater than 13"},
    Rule{rules::kCpSectionType, "7.5.2.9", S::kError,
         "C-plane section type not decoded (not 0, 1, 3, 5 or 6)"},
    Rule{rules::kCpDlUdCompHdrNonzero, "7.5.2.10", S::kError,
         "downlink C-plane udCompHdr is not zero"},
    Rule{rules::kCpSectionTruncated, "7.5.2.8", S::kError,
         "C-plane section runs past the end of the packet"},
    Rule{rules::kCpTrailingBytes, "7.5.2.8", S::kWarning,
         "bytes left after numberOfSections C-plane sections"},
    Rule{rules::kCpNoSections, "7.5.2.8", S::kError, "C-plane numberOfSections is zero"},
    Rule{rules::kCpReserved, "7.5.2", S::kWarning, "C-plane reserved bits set"},
    Rule{rules::kCpNumSymbolZero, "7.5.3.7", S::kError, "numSymbol is zero"},
    Rule{rules::kCpPrbRange, "7.5.3.4", S::kError,
         "C-plane PRBs (startPrbc, numPrbc) beyond the carrier"},
    Rule{rules::kCpExtLenZero, "7.7.1.1", S::kError, "section extension extLen is zero"},
    Rule{rules::kCpExtLen, "7.7.1.1", S::kError,
         "section extension extLen does not match its contents"},
    Rule{rules::kCpExtSectionType, "7.7.1", S::kError,
         "section extension not allowed for this section type"},
    Rule{rules::kCpExtUnsupported, "7.7", S::kWarning,
         "section extension type kept as opaque bytes"},
    Rule{rules::kCpBfwCompMeth, "7.7.1.2", S::kWarning,
         "bfwCompMeth not decoded (beamspace or reserved): weights kept as bytes"},
    Rule{rules::kCpNumBundPrbZero, "7.7.11.4", S::kError, "numBundPrb value 0 is reserved"},
    Rule{rules::kCpRbgSizeZero, "7.7.6.2", S::kError, "rbgSize value 0 is reserved"},
    Rule{rules::kCpBeamGroupType, "7.7.10.2", S::kError, "beamGroupType value 3 is reserved"},
    Rule{rules::kUpNoSections, "8.3.2", S::kError, "U-plane message without a section"},
    Rule{rules::kUpSectionTruncated, "8.3.2", S::kError,
         "U-plane section runs past the end of the packet"},
    Rule{rules::kUpTrailingBytes, "8.3.2", S::kWarning,
         "bytes after the last U-plane section too short for another section"},
    Rule{rules::kUpPrbRange, "8.3.3.11", S::kError,
         "U-plane PRBs (startPrbu, numPrbu) beyond the carrier"},
    Rule{rules::kUpReserved, "8.3.3", S::kWarning, "U-plane reserved bits set"},
    Rule{rules::kUpCompMeth, "8.3.3.13", S::kError, "udCompMeth is a reserved value"},
    Rule{rules::kUpCompHdrMode, "8.3.3.13", S::kError,
         "packet fits the other udCompHdr mode (static configured, dynamic sent, or reverse)"},
    Rule{rules::kStreamSeqIdGap, "5.1.3.2.7", S::kWarning, "sequence ID gap"},
    Rule{rules::kStreamSeqIdReorder, "5.1.3.2.7", S::kWarning,
         "sequence ID repeated or out of order"},
    Rule{rules::kStreamUpNoCplane, "7.8.1", S::kError,
         "U-plane for a slot and symbol no C-plane section requested"},
    Rule{rules::kStreamUpPrbOutside, "7.8.1", S::kError,
         "U-plane PRBs outside what the C-plane requested"},
    Rule{rules::kStreamUpSymbolOutside, "7.8.1", S::kError,
         "U-plane symbol outside the C-plane section's symbols"},
    Rule{rules::kStreamUpSectionId, "7.8.1", S::kError,
         "U-plane sectionId does not echo a C-plane sectionId"},
    Rule{rules::kStreamUpCompression, "8.3.3.13", S::kError,
         "U-plane compression differs from the C-plane udCompHdr"},
};

}  // namespace

std::string_view to_string(Severity severity) {
  return severity == Severity::kError ? "error" : "warning";
}

std::span<const Rule> rule_catalog() { return kRules; }

const Rule* find_rule(std::string_view id) {
  for (const Rule& rule : kRules) {
    if (rule.id == id) return &rule;
  }
  return nullptr;
}

Finding make_finding(std::string_view rule_id, std::size_t byte_offset, std::string message) {
  const Rule* rule = find_rule(rule_id);
  Finding finding;
  finding.rule_id = rule_id;
  finding.byte_offset = byte_offset;
  finding.message = std::move(message);
  if (rule != nullptr) {
    finding.rule_id = rule->id;
    finding.clause = rule->clause;
    finding.severity = rule->severity;
  }
  return finding;
}

}  // namespace plugfest::fronthaul
