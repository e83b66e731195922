#pragma once
// What both simulated devices agree on for one session: carrier, antennas, eAxC split,
// compression per direction, timing windows and the slot clock's epoch and dilation.

#include <cstdint>
#include <string>

#include "interfaces/fronthaul/codec.h"
#include "interfaces/fronthaul/compression.h"
#include "interfaces/transport/slot_clock.h"
#include "vendors/sim/core/fault.h"

namespace plugfest::sim {

// The slot timeline both ends of a simulated fronthaul share: SFN 0 at the GPS epoch
// (1980-01-06), as PTP-aligned radios have it.
inline transport::Timestamp gps_epoch() {
  return transport::Timestamp(std::chrono::seconds(315964800));
}

struct RadioConfig {
  transport::Numerology numerology = transport::Numerology::kMu1;
  std::uint16_t carrier_prbs = 273;
  std::uint16_t antennas = 4;
  fronthaul::EaxcSplit eaxc_split;
  fronthaul::UplaneCompression dl_compression;
  fronthaul::UplaneCompression ul_compression;
  transport::TimingWindows windows = transport::TimingWindows::typical();  // undilated
  double dilation = 1.0;
  transport::Timestamp epoch = gps_epoch();

  transport::SlotClock clock() const { return {numerology, epoch, dilation}; }
  transport::TimingWindows dilated_windows() const { return windows.dilated(dilation); }
  // How a receiver of `direction` traffic decodes it.
  fronthaul::DecoderConfig decoder_config(fronthaul::DataDirection direction) const;
  // Checks ranges (antennas fit the eAxC RU port bits twice over, for PRACH ports too).
  Result<void> check() const;
};

// eAxC of an antenna's data (RU port = antenna) and of its PRACH (RU port = antennas + i).
fronthaul::EaxcId data_eaxc(std::uint16_t antenna);
fronthaul::EaxcId prach_eaxc(const RadioConfig& config, std::uint16_t antenna);

// PRBs a section with this numPrb covers (0 means the whole carrier).
std::uint16_t effective_prbs(std::uint16_t num_prb, std::uint16_t carrier_prbs);

}  // namespace plugfest::sim
