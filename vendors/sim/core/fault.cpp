#include "vendors/sim/core/fault.h"

#include <utility>

namespace plugfest::sim {
namespace {

enum Roles { kOru = 1, kOdu = 2, kBoth = 3 };

struct FaultInfo {
  Fault fault;
  std::string_view name;
  int roles;
};

constexpr FaultInfo kFaults[] = {
    {Fault::kDlCplaneUdCompHdrNonzero, "dl-cplane-udcomphdr-nonzero", kOdu},
    {Fault::kMultiSectionUplane, "multi-section-uplane", kOru},
    {Fault::kTruncatedUplane, "truncated-uplane", kOru},
    {Fault::kPrachWrongStartSymbol, "prach-wrong-start-symbol", kOru},
    {Fault::kSt3NumSymbolZero, "st3-numsymbol-zero", kOdu},
    {Fault::kEaxcMappingMismatch, "eaxc-mapping-mismatch", kBoth},
    {Fault::kUlLate, "ul-late", kOru},
    {Fault::kDlEarly, "dl-early", kOdu},
    {Fault::kSeqIdGap, "seqid-gap", kBoth},
    {Fault::kEcpriPayloadSizeWrong, "ecpri-payload-size-wrong", kBoth},
    {Fault::kDynamicHeaderWhenStatic, "dynamic-header-when-static", kBoth},
    {Fault::kIqLowScale, "iq-low-scale", kBoth},
    {Fault::kNoUplaneResponse, "no-uplane-response", kOru},
    {Fault::kPrbOutOfRange, "prb-out-of-range", kBoth},
    {Fault::kWrongSectionId, "wrong-section-id", kBoth},
    {Fault::kDlIqAntennaSwap, "dl-iq-antenna-swap", kOru},
    {Fault::kDlDecompressWrongWidth, "dl-decompress-wrong-width", kOru},
    {Fault::kReceptionWindowMiscount, "reception-window-miscount", kOru},
    {Fault::kBeamformingExtensionRejected, "beamforming-extension-rejected", kOru},
    {Fault::kUlIqAntennaSwap, "ul-iq-antenna-swap", kOdu},
    {Fault::kNoDlUplane, "no-dl-uplane", kOdu},
    {Fault::kSilent, "silent", kBoth},
};

const FaultInfo& info(Fault fault) { return kFaults[static_cast<std::size_t>(fault)]; }

}  // namespace

std::string_view to_string(Fault fault) { return info(fault).name; }

std::vector<Fault> all_faults() {
  std::vector<Fault> out;
  for (const auto& f : kFaults) out.push_back(f.fault);
  return out;
}

bool applies_to(Fault fault, adapter::Role role) {
  return (info(fault).roles & (role == adapter::Role::kOru ? kOru : kOdu)) != 0;
}

Result<Fault> parse_fault(std::string_view name) {
  for (const auto& f : kFaults) {
    if (f.name == name) return f.fault;
  }
  std::string known;
  for (const auto& f : kFaults) known += (known.empty() ? "" : ", ") + std::string(f.name);
  return Error{"unknown fault '" + std::string(name) + "' (known: " + known + ")", "faults"};
}

}  // namespace plugfest::sim
