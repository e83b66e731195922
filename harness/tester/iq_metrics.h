#pragma once
// IQ the harness puts on the fronthaul or the air, and how it compares what it sent with
// what a DUT radiated or decoded: error vector magnitude over the resource elements both
// cover, and power relative to full scale.

#include <cstddef>
#include <cstdint>
#include <map>
#include <span>
#include <vector>

#include "interfaces/common/result.h"
#include "interfaces/fronthaul/compression.h"

namespace plugfest::harness::tester {

// Seeded pseudo-random QPSK on `prbs` PRBs (12 samples each) at `power_dbfs` relative to
// the full scale of 16-bit samples; the same seed gives the same samples.
std::vector<fronthaul::IqSample> qpsk_signal(std::uint64_t seed, std::size_t prbs,
                                             double power_dbfs);

// Mean power of the samples relative to full scale, in dB (-200 for silence).
double power_dbfs(std::span<const fronthaul::IqSample> samples);

// The IQ of one slot of one antenna, by symbol: contiguous PRBs from start_prb.
struct SymbolIq {
  std::uint16_t start_prb = 0;
  std::vector<fronthaul::IqSample> iq;  // 12 per PRB
};
using SlotIq = std::map<std::uint8_t, std::vector<SymbolIq>>;  // symbol -> pieces

struct IqComparison {
  double evm_percent = 0;    // RMS error over RMS reference, on the compared REs
  std::size_t compared = 0;  // resource elements present in both
  std::size_t missing = 0;   // in the reference, absent from the observation
  double reference_power_dbfs = -200;
  double observed_power_dbfs = -200;
};

// Compares `observed` with `reference` resource element by resource element (same
// symbol, same subcarrier).
IqComparison compare_iq(const SlotIq& reference, const SlotIq& observed);

// The EVM compression alone causes on `samples` (compress then decompress with the
// codec), in percent: the error a faithful receiver may show.
Result<double> compression_evm_percent(const fronthaul::CompressionParams& params,
                                       std::span<const fronthaul::IqSample> samples);

// Decompresses PRBs to samples (prbs * 12).
Result<std::vector<fronthaul::IqSample>> decompress_prbs(const fronthaul::CompressionParams& params,
                                                         std::span<const std::uint8_t> bytes,
                                                         std::size_t prbs);

}  // namespace plugfest::harness::tester
