#pragma once
// The fronthaul faults the simulator can inject, each a real O-DU / O-RU interop failure
// class, named as vendor descriptors name them. Each changes only what its name says.

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "interfaces/adapter/device.h"
#include "interfaces/common/result.h"

namespace plugfest::sim {

enum class Fault : std::uint8_t {
  kDlCplaneUdCompHdrNonzero,  // O-DU: DL C-plane udCompHdr carries the DL compression
  kMultiSectionUplane,        // O-RU: each UL U-plane message carries two sections
  kTruncatedUplane,           // O-RU: UL U-plane messages end mid-section
  kPrachWrongStartSymbol,     // O-RU: PRACH answered two symbols later than requested
  kSt3NumSymbolZero,          // O-DU: section type 3 requests with numSymbol 0
  kEaxcMappingMismatch,       // O-RU: data and PRACH eAxCs swapped; O-DU: DL on unknown ports
  kUlLate,                    // O-RU: UL U-plane sent after Ta3 max (late in Ta4)
  kDlEarly,                   // O-DU: DL U-plane sent before T1a max
  kSeqIdGap,                  // every 8th message of a flow skips a sequence ID
  kEcpriPayloadSizeWrong,     // U-plane ecpriPayload 4 octets larger than the message
  kDynamicHeaderWhenStatic,   // U-plane sections carry udCompHdr although it is static
  kIqLowScale,                // U-plane IQ about 50 dB below the configured power
  kNoUplaneResponse,          // O-RU: UL requests (section types 1 and 3) never answered
  kPrbOutOfRange,             // U-plane PRBs run past the carrier
  kWrongSectionId,            // U-plane sectionId differs from its C-plane section's
  kDlIqAntennaSwap,           // O-RU: DL IQ of RU ports 0 and 1 radiated on each other's antenna
  kDlDecompressWrongWidth,    // O-RU: DL U-plane decompressed with another iqWidth than agreed
  kReceptionWindowMiscount,   // O-RU: DL messages received late counted as on time
  kBeamformingExtensionRejected,  // O-RU: DL sections with extension 1 or 11 dropped, not radiated
  kUlIqAntennaSwap,               // O-DU: UL IQ of RU ports 0 and 1 decoded as each other's
  kNoDlUplane,                    // O-DU: DL C-plane announced, its DL U-plane never sent
  // The null device, a negative control of every case: it answers the adapter protocol
  // (Describe, PrepareSession, Stimulate, Counters, Reset) but sends no fronthaul, counts
  // nothing, describes no Observe instrument, and excludes every other fronthaul fault.
  kSilent,
};

std::string_view to_string(Fault fault);
std::vector<Fault> all_faults();
// Roles whose traffic the fault can change.
bool applies_to(Fault fault, adapter::Role role);
// A fault name from a descriptor; the error lists the known names.
Result<Fault> parse_fault(std::string_view name);

class FaultSet {
 public:
  FaultSet() = default;
  FaultSet(std::initializer_list<Fault> faults) : faults_(faults) {}
  void add(Fault fault) { faults_.insert(fault); }
  bool has(Fault fault) const { return faults_.count(fault) != 0; }
  bool empty() const { return faults_.empty(); }
  const std::set<Fault>& all() const { return faults_; }

 private:
  std::set<Fault> faults_;
};

}  // namespace plugfest::sim
