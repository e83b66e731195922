#pragma once
// FronthaulSetup: what the harness and a DUT agreed for one fronthaul session (carrier,
// antennas, eAxC split, compression per direction, timing windows, the slot clock's epoch
// and dilation), and what follows from it for the harness's own encoder and decoders.

#include <cstdint>

#include "interfaces/common/result.h"
#include "interfaces/fronthaul/codec.h"
#include "interfaces/transport/slot_clock.h"

namespace plugfest::harness::tester {

// SFN 0 at the GPS epoch (1980-01-06 00:00:00 UTC), as PTP-aligned radios count frames.
inline transport::Timestamp gps_epoch() {
  return transport::Timestamp(std::chrono::seconds(315964800));
}

struct FronthaulSetup {
  transport::Numerology numerology = transport::Numerology::kMu1;
  std::uint16_t carrier_prbs = 273;
  std::uint16_t antennas = 4;
  fronthaul::EaxcSplit eaxc_split{2, 6, 4, 4};
  fronthaul::UplaneCompression dl_compression;
  fronthaul::UplaneCompression ul_compression;
  transport::TimingWindows windows = transport::TimingWindows::typical();  // undilated
  double dilation = 100.0;
  transport::Timestamp epoch = gps_epoch();

  transport::SlotClock clock() const { return {numerology, epoch, dilation}; }
  transport::TimingWindows dilated_windows() const { return windows.dilated(dilation); }
  // How traffic of `direction` is decoded.
  fronthaul::DecoderConfig decoder_config(fronthaul::DataDirection direction) const;
  // Ranges: antennas (twice, for PRACH ports) fit the RU port bits, PRBs 1..273, windows.
  Result<void> check() const;
};

// eAxC of an antenna's data (RU port = antenna) and of its PRACH (RU port = antennas + a).
fronthaul::EaxcId data_eaxc(std::uint16_t antenna);
fronthaul::EaxcId prach_eaxc(const FronthaulSetup& setup, std::uint16_t antenna);

// PRBs a section with this numPrb covers (0 means the whole carrier).
std::uint16_t effective_prbs(std::uint16_t num_prb, std::uint16_t carrier_prbs);
// numPrbc / numPrbu for `prbs` PRBs: 0 when they are the whole carrier and above 255.
std::uint8_t wire_num_prb(std::uint16_t prbs, std::uint16_t carrier_prbs);

// "bfp", "none", "block-scaling", "mu-law" (the capability spelling) and back.
const char* method_name(fronthaul::CompressionMethod method);
Result<fronthaul::CompressionMethod> parse_method(const std::string& name);
// The capability a compression setting needs, e.g. "compression.bfp.9".
std::string compression_capability(const fronthaul::CompressionParams& params);

}  // namespace plugfest::harness::tester
