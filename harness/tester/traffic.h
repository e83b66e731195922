#pragma once
// The messages the harness sends when it plays an O-DU or an O-RU, built with the codec's
// model from a transport::FronthaulConfig, and where on the slot clock they go.

#include <cstdint>
#include <vector>

#include "interfaces/transport/fronthaul_config.h"
#include "harness/tester/iq_metrics.h"
#include "interfaces/fronthaul/message.h"

namespace plugfest::harness::tester {

// One slot of the clock: its index since the epoch, where it is, and its first symbol.
struct SlotRef {
  std::int64_t index = 0;
  transport::SlotPoint point;
  std::int64_t first_symbol = 0;

  transport::Timestamp symbol_start(const transport::SlotClock& clock, int symbol) const {
    return clock.symbol_start(first_symbol + symbol);
  }
};

SlotRef slot_ref(const transport::SlotClock& clock, std::int64_t index);
// The first slot that starts at `t` or later.
SlotRef first_slot_at_or_after(const transport::SlotClock& clock, transport::Timestamp t);
// A slot of the O-RAN frameId/subframe/slot in the header, nearest to `near`.
SlotRef slot_of_header(const transport::SlotClock& clock,
                       const fronthaul::RadioApplicationHeader& header, transport::Timestamp near);

fronthaul::RadioApplicationHeader radio_header(fronthaul::DataDirection direction,
                                               const transport::SlotPoint& point,
                                               std::uint8_t start_symbol,
                                               std::uint8_t filter_index = 0);

// What one C-plane section asks for.
struct SectionRequest {
  std::uint16_t section_id = 1;
  std::uint16_t start_prb = 0;
  std::uint16_t prbs = 0;  // 0: the whole carrier
  std::uint8_t start_symbol = 0;
  std::uint8_t num_symbol = 14;
  std::uint16_t beam_id = 0;
};

// Section type 1: DL (udCompHdr zero, as the DL C-plane carries none) or a UL request in
// `compression` (udCompHdr says how the U-plane answer is to be compressed).
fronthaul::Message st1_cplane(const transport::FronthaulConfig& setup, fronthaul::DataDirection direction,
                              const transport::SlotPoint& point, const fronthaul::EaxcId& eaxc,
                              const std::vector<SectionRequest>& sections);

// PRACH format parameters of a section type 3 request.
struct PrachRequest {
  std::uint8_t filter_index = 1;
  std::uint8_t start_symbol = 0;
  std::uint8_t num_symbol = 12;
  std::uint16_t start_prb = 0;
  std::uint8_t num_prb = 12;
  std::uint8_t frame_structure = 0x91;  // FFT 4096 (9) | SCS code 1 (30 kHz)
  std::uint16_t cp_length = 0;
  std::uint16_t time_offset = 0;
  std::int32_t freq_offset = -6 * 12;
  std::uint16_t section_id = 3;
};
fronthaul::Message st3_cplane(const transport::FronthaulConfig& setup, const transport::SlotPoint& point,
                              std::uint16_t antenna, const PrachRequest& prach);

// Section type 0 (idle / guard period): no U-plane expected.
fronthaul::Message st0_cplane(const transport::FronthaulConfig& setup, fronthaul::DataDirection direction,
                              const transport::SlotPoint& point, const fronthaul::EaxcId& eaxc,
                              const SectionRequest& section);

// One U-plane message with one section carrying `iq` (12 samples per PRB) compressed as
// `compression` says (udCompHdr in the section when it is dynamic).
Result<fronthaul::Message> uplane_message(
    const transport::FronthaulConfig& setup, fronthaul::DataDirection direction,
    const transport::SlotPoint& point, std::uint8_t symbol, const fronthaul::EaxcId& eaxc,
    std::uint16_t section_id, std::uint16_t start_prb, std::span<const fronthaul::IqSample> iq,
    const fronthaul::UplaneCompression& compression, std::uint8_t filter_index = 0);

// The IQ one antenna gets in one symbol of a seeded test signal.
std::vector<fronthaul::IqSample> symbol_signal(std::uint64_t seed, std::uint16_t antenna,
                                               std::int64_t symbol, std::size_t prbs,
                                               double power_dbfs);

// The IQ carried by a received U-plane message's sections, by symbol (start symbol of the
// header), decompressed with the given static compression unless the section says.
SlotIq uplane_iq(const fronthaul::UplaneMessage& uplane,
                 const fronthaul::UplaneCompression& compression, std::uint16_t carrier_prbs);
void add_uplane_iq(SlotIq& into, const fronthaul::UplaneMessage& uplane,
                   const fronthaul::UplaneCompression& compression, std::uint16_t carrier_prbs);

}  // namespace plugfest::harness::tester
