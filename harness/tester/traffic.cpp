#include "harness/tester/traffic.h"

#include "interfaces/fronthaul/compression.h"

namespace plugfest::harness::tester {

using fronthaul::CplaneMessage;
using fronthaul::DataDirection;
using fronthaul::Message;
using fronthaul::SectionType;

SlotRef slot_ref(const transport::SlotClock& clock, std::int64_t index) {
  const std::int64_t first = index * transport::kSymbolsPerSlot;
  return {index, clock.point_of(first), first};
}

SlotRef first_slot_at_or_after(const transport::SlotClock& clock, transport::Timestamp t) {
  const std::int64_t symbol = clock.symbol_at(t);
  std::int64_t slot =
      symbol >= 0 ? symbol / transport::kSymbolsPerSlot
                  : -((-symbol + transport::kSymbolsPerSlot - 1) / transport::kSymbolsPerSlot);
  if (clock.symbol_start(slot * transport::kSymbolsPerSlot) < t) ++slot;
  return slot_ref(clock, slot);
}

SlotRef slot_of_header(const transport::SlotClock& clock,
                       const fronthaul::RadioApplicationHeader& header, transport::Timestamp near) {
  const std::int64_t symbol =
      clock.nearest_symbol({header.frame_id, header.subframe_id, header.slot_id, 0}, near, 256);
  return slot_ref(clock, symbol / transport::kSymbolsPerSlot);
}

fronthaul::RadioApplicationHeader radio_header(DataDirection direction,
                                               const transport::SlotPoint& point,
                                               std::uint8_t start_symbol,
                                               std::uint8_t filter_index) {
  fronthaul::RadioApplicationHeader h;
  h.data_direction = direction;
  h.payload_version = 1;
  h.filter_index = filter_index;
  h.frame_id = point.frame_id();
  h.subframe_id = point.subframe;
  h.slot_id = point.slot;
  h.start_symbol_id = start_symbol;
  return h;
}

namespace {

Message message_on(const transport::FronthaulConfig& setup, const fronthaul::EaxcId& eaxc) {
  Message m;
  m.eaxc_split = setup.eaxc_split;
  m.eaxc = eaxc;
  return m;
}

fronthaul::CplaneSection section_of(const transport::FronthaulConfig& setup, const SectionRequest& request) {
  fronthaul::CplaneSection s;
  s.section_id = request.section_id;
  s.start_prbc = request.start_prb;
  s.num_prbc = transport::wire_num_prb(transport::effective_prbs(request.prbs, setup.carrier_prbs), setup.carrier_prbs);
  s.num_symbol = request.num_symbol;
  s.beam_id = request.beam_id;
  return s;
}

std::uint8_t first_symbol(const std::vector<SectionRequest>& sections) {
  std::uint8_t first = 14;
  for (const auto& s : sections) first = std::min(first, s.start_symbol);
  return sections.empty() ? 0 : first;
}

}  // namespace

Message st1_cplane(const transport::FronthaulConfig& setup, DataDirection direction,
                   const transport::SlotPoint& point, const fronthaul::EaxcId& eaxc,
                   const std::vector<SectionRequest>& sections) {
  Message m = message_on(setup, eaxc);
  CplaneMessage c;
  c.header = radio_header(direction, point, first_symbol(sections));
  c.section_type = SectionType::kMostDlUl;
  // DL: udCompHdr 0 (none, 16 bits encodes as 0x00). UL: how the answer is compressed.
  c.ud_comp_hdr = direction == DataDirection::kUplink ? setup.ul_compression.static_params
                                                      : fronthaul::CompressionParams{};
  for (const auto& request : sections) c.sections.push_back(section_of(setup, request));
  m.body = std::move(c);
  return m;
}

Message st3_cplane(const transport::FronthaulConfig& setup, const transport::SlotPoint& point,
                   std::uint16_t antenna, const PrachRequest& prach) {
  Message m = message_on(setup, transport::prach_eaxc(setup, antenna));
  CplaneMessage c;
  c.header = radio_header(DataDirection::kUplink, point, prach.start_symbol, prach.filter_index);
  c.section_type = SectionType::kPrachAndMixedNumerology;
  c.time_offset = prach.time_offset;
  c.frame_structure = prach.frame_structure;
  c.cp_length = prach.cp_length;
  c.ud_comp_hdr = setup.ul_compression.static_params;
  fronthaul::CplaneSection s;
  s.section_id = prach.section_id;
  s.start_prbc = prach.start_prb;
  s.num_prbc = prach.num_prb;
  s.num_symbol = prach.num_symbol;
  s.freq_offset = prach.freq_offset;
  c.sections.push_back(s);
  m.body = std::move(c);
  return m;
}

Message st0_cplane(const transport::FronthaulConfig& setup, DataDirection direction,
                   const transport::SlotPoint& point, const fronthaul::EaxcId& eaxc,
                   const SectionRequest& section) {
  Message m = message_on(setup, eaxc);
  CplaneMessage c;
  c.header = radio_header(direction, point, section.start_symbol);
  c.section_type = SectionType::kUnusedResourceBlocks;
  c.frame_structure = static_cast<std::uint8_t>(0x90 | transport::mu_of(setup.numerology));
  auto s = section_of(setup, section);
  s.beam_id = 0;
  c.sections.push_back(s);
  m.body = std::move(c);
  return m;
}

Result<Message> uplane_message(const transport::FronthaulConfig& setup, DataDirection direction,
                               const transport::SlotPoint& point, std::uint8_t symbol,
                               const fronthaul::EaxcId& eaxc, std::uint16_t section_id,
                               std::uint16_t start_prb, std::span<const fronthaul::IqSample> iq,
                               const fronthaul::UplaneCompression& compression,
                               std::uint8_t filter_index) {
  const std::size_t prbs = iq.size() / 12;
  fronthaul::UplaneSection s;
  s.section_id = section_id;
  s.start_prbu = start_prb;
  s.num_prbu = transport::wire_num_prb(static_cast<std::uint16_t>(prbs), setup.carrier_prbs);
  if (compression.dynamic) s.ud_comp_hdr = compression.static_params;
  s.iq_data.resize(fronthaul::compressed_size(compression.static_params, prbs));
  auto written = fronthaul::compress(compression.static_params, iq, s.iq_data);
  if (!written) return written.error();
  fronthaul::UplaneMessage u;
  u.header = radio_header(direction, point, symbol, filter_index);
  u.sections.push_back(std::move(s));
  Message m = message_on(setup, eaxc);
  m.body = std::move(u);
  return m;
}

std::vector<fronthaul::IqSample> symbol_signal(std::uint64_t seed, std::uint16_t antenna,
                                               std::int64_t symbol, std::size_t prbs,
                                               double power_dbfs) {
  const std::uint64_t mixed = seed * 0x9e3779b97f4a7c15ull ^ (std::uint64_t(antenna) << 48) ^
                              static_cast<std::uint64_t>(symbol);
  return qpsk_signal(mixed, prbs, power_dbfs);
}

void add_uplane_iq(SlotIq& into, const fronthaul::UplaneMessage& uplane,
                   const fronthaul::UplaneCompression& compression, std::uint16_t carrier_prbs) {
  for (const auto& section : uplane.sections) {
    const auto params = section.ud_comp_hdr.value_or(compression.static_params);
    const std::uint16_t prbs = transport::effective_prbs(section.num_prbu, carrier_prbs);
    if (!fronthaul::is_block_method(params.method)) continue;
    std::vector<fronthaul::IqSample> iq(std::size_t{prbs} * 12);
    if (!fronthaul::decompress(params, section.iq_data, iq)) continue;
    into[uplane.header.start_symbol_id].push_back({section.start_prbu, std::move(iq)});
  }
}

SlotIq uplane_iq(const fronthaul::UplaneMessage& uplane,
                 const fronthaul::UplaneCompression& compression, std::uint16_t carrier_prbs) {
  SlotIq out;
  add_uplane_iq(out, uplane, compression, carrier_prbs);
  return out;
}

}  // namespace plugfest::harness::tester
