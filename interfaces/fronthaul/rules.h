#pragma once
// Findings and the rule catalog of the fronthaul codec: every check the decoder and the
// stream validator make has a stable rule ID, a spec clause and a severity.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace plugfest::fronthaul {

enum class Severity : std::uint8_t { kWarning, kError };
std::string_view to_string(Severity severity);

struct Rule {
  std::string_view id;
  std::string_view clause;  // "eCPRI 2.0 3.1.3.1.5" or an O-RAN CUS clause "7.5.2.10"
  Severity severity;
  std::string_view title;
};

// One observed deviation. byte_offset counts from the start of the eCPRI common header;
// packet_index is set by the stream validator (0-based, in the order packets were fed).
struct Finding {
  std::string_view rule_id;
  std::string_view clause;
  Severity severity = Severity::kError;
  std::string message;
  std::size_t byte_offset = 0;
  std::optional<std::size_t> packet_index;
};

// Builds a finding for a catalogued rule (clause and severity from the catalog).
Finding make_finding(std::string_view rule_id, std::size_t byte_offset, std::string message);

// Every rule, in catalog order.
std::span<const Rule> rule_catalog();
const Rule* find_rule(std::string_view id);

namespace rules {
// eCPRI transport
inline constexpr std::string_view kEcpriTruncated = "FH-ECPRI-TRUNCATED";
inline constexpr std::string_view kEcpriRevision = "FH-ECPRI-REVISION";
inline constexpr std::string_view kEcpriReserved = "FH-ECPRI-RESERVED";
inline constexpr std::string_view kEcpriConcatenation = "FH-ECPRI-CONCATENATION";
inline constexpr std::string_view kEcpriMessageType = "FH-ECPRI-MESSAGE-TYPE";
inline constexpr std::string_view kEcpriPayloadSize = "FH-ECPRI-PAYLOAD-SIZE";
inline constexpr std::string_view kEcpriFramePadding = "FH-ECPRI-FRAME-PADDING";
inline constexpr std::string_view kEaxcBitWidths = "FH-EAXC-BIT-WIDTHS";
inline constexpr std::string_view kEcpriFragmentation = "FH-ECPRI-FRAGMENTATION";
inline constexpr std::string_view kEcpriOneWayDelayAction = "FH-ECPRI-OWD-ACTION";
// Radio application header (both planes)
inline constexpr std::string_view kPayloadVersion = "FH-PAYLOAD-VERSION";
inline constexpr std::string_view kSubframeIdRange = "FH-SUBFRAME-ID-RANGE";
inline constexpr std::string_view kStartSymbolRange = "FH-START-SYMBOL-RANGE";
// C-plane
inline constexpr std::string_view kCpSectionType = "FH-CP-SECTION-TYPE";
inline constexpr std::string_view kCpDlUdCompHdrNonzero = "FH-CP-DL-UDCOMPHDR-NONZERO";
inline constexpr std::string_view kCpSectionTruncated = "FH-CP-SECTION-TRUNCATED";
inline constexpr std::string_view kCpTrailingBytes = "FH-CP-TRAILING-BYTES";
inline constexpr std::string_view kCpNoSections = "FH-CP-NO-SECTIONS";
inline constexpr std::string_view kCpReserved = "FH-CP-RESERVED";
inline constexpr std::string_view kCpNumSymbolZero = "FH-CP-NUMSYMBOL-ZERO";
inline constexpr std::string_view kCpPrbRange = "FH-CP-PRB-RANGE";
inline constexpr std::string_view kCpExtLenZero = "FH-CP-EXTLEN-ZERO";
inline constexpr std::string_view kCpExtLen = "FH-CP-EXTLEN";
inline constexpr std::string_view kCpExtSectionType = "FH-CP-EXT-SECTION-TYPE";
inline constexpr std::string_view kCpExtUnsupported = "FH-CP-EXT-UNSUPPORTED";
inline constexpr std::string_view kCpBfwCompMeth = "FH-CP-BFW-COMP-METH";
inline constexpr std::string_view kCpNumBundPrbZero = "FH-CP-EXT11-NUMBUNDPRB-ZERO";
inline constexpr std::string_view kCpRbgSizeZero = "FH-CP-EXT6-RBGSIZE-ZERO";
inline constexpr std::string_view kCpBeamGroupType = "FH-CP-EXT10-BEAMGROUPTYPE";
// U-plane
inline constexpr std::string_view kUpNoSections = "FH-UP-NO-SECTIONS";
inline constexpr std::string_view kUpSectionTruncated = "FH-UP-SECTION-TRUNCATED";
inline constexpr std::string_view kUpTrailingBytes = "FH-UP-TRAILING-BYTES";
inline constexpr std::string_view kUpPrbRange = "FH-UP-PRB-RANGE";
inline constexpr std::string_view kUpReserved = "FH-UP-RESERVED";
inline constexpr std::string_view kUpCompMeth = "FH-UP-UDCOMPMETH";
inline constexpr std::string_view kUpCompHdrMode = "FH-UP-UDCOMPHDR-MODE";
// Stream (across packets)
inline constexpr std::string_view kStreamSeqIdGap = "FH-STREAM-SEQID-GAP";
inline constexpr std::string_view kStreamSeqIdReorder = "FH-STREAM-SEQID-REORDER";
inline constexpr std::string_view kStreamUpNoCplane = "FH-STREAM-UP-NO-CPLANE";
inline constexpr std::string_view kStreamUpPrbOutside = "FH-STREAM-UP-PRB-OUTSIDE";
inline constexpr std::string_view kStreamUpSymbolOutside = "FH-STREAM-UP-SYMBOL-OUTSIDE";
inline constexpr std::string_view kStreamUpSectionId = "FH-STREAM-UP-SECTION-ID";
inline constexpr std::string_view kStreamUpCompression = "FH-STREAM-UP-COMPRESSION";
}  // namespace rules

}  // namespace plugfest::fronthaul
