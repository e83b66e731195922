#pragma once
// FronthaulConfig: what both ends of one fronthaul session agree on (carrier, antennas,
// eAxC split, compression per direction, timing windows, and the slot clock's epoch and
// dilation), and what follows from it for encoders and decoders. The harness's tester and
// the simulated O-DU and O-RU read the same type.

#include <chrono>
#include <cstdint>

#include "interfaces/common/result.h"
#include "interfaces/fronthaul/codec.h"
#include "interfaces/transport/slot_clock.h"

namespace plugfest::transport {

// GPS time runs ahead of UTC by the leap seconds inserted since 1980 (18 since 2017-01-01);
// the system clock counts UTC without them.
inline constexpr std::chrono::seconds kGpsLeadOverUtc{18};

// SFN 0 at the GPS epoch (1980-01-06 00:00:00 GPS time), as PTP-aligned radios count frames,
// expressed on the system clock: GPS seconds are today's UTC seconds plus kGpsLeadOverUtc.
inline Timestamp gps_epoch() {
  return Timestamp(std::chrono::seconds(315964800) - kGpsLeadOverUtc);
}

struct FronthaulConfig {
  Numerology numerology = Numerology::kMu1;
  std::uint16_t carrier_prbs = 273;
  std::uint16_t antennas = 4;
  fronthaul::EaxcSplit eaxc_split;
  fronthaul::UplaneCompression dl_compression;
  fronthaul::UplaneCompression ul_compression;
  TimingWindows windows = TimingWindows::typical();  // undilated
  double dilation = 1.0;  // slots last this many times longer than on air
  Timestamp epoch = gps_epoch();

  SlotClock clock() const { return {numerology, epoch, dilation}; }
  TimingWindows dilated_windows() const { return windows.dilated(dilation); }
  // How a receiver of `direction` traffic decodes it.
  fronthaul::DecoderConfig decoder_config(fronthaul::DataDirection direction) const;
  // Ranges: antennas (twice, for PRACH ports) fit the RU port bits, PRBs 1..273, dilation,
  // block compression methods of width 1..16. The error's `where` names the parameter.
  Result<void> check() const;
};

// eAxC of an antenna's data (RU port = antenna) and of its PRACH (RU port = antennas + a).
fronthaul::EaxcId data_eaxc(std::uint16_t antenna);
fronthaul::EaxcId prach_eaxc(const FronthaulConfig& config, std::uint16_t antenna);

// PRBs a section with this numPrb covers (0 means the whole carrier).
std::uint16_t effective_prbs(std::uint16_t num_prb, std::uint16_t carrier_prbs);
// numPrbc / numPrbu for `prbs` PRBs: 0 when they are the whole carrier and above 255.
std::uint8_t wire_num_prb(std::uint16_t prbs, std::uint16_t carrier_prbs);

}  // namespace plugfest::transport
