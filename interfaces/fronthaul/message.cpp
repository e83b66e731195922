#include "interfaces/fronthaul/message.h"

#include <algorithm>

namespace plugfest::fronthaul {
namespace {

// Widths as laid out on the wire; an invalid split is capped so that no part starts
// beyond bit 16.
std::array<unsigned, 4> wire_widths(const EaxcSplit& split) {
  std::array<unsigned, 4> widths = {split.du_port_bits, split.band_sector_bits, split.cc_bits,
                                    split.ru_port_bits};
  unsigned used = 0;
  for (unsigned& width : widths) {
    width = std::min(width, 16u - used);
    used += width;
  }
  return widths;
}

std::uint32_t mask(unsigned bits) { return bits >= 32 ? 0xffffffffu : (1u << bits) - 1u; }

}  // namespace

std::uint16_t EaxcId::to_wire(const EaxcSplit& split) const {
  const auto widths = wire_widths(split);
  const std::array<std::uint32_t, 4> parts = {du_port, band_sector, cc, ru_port};
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < 4; ++i) value = (value << widths[i]) | (parts[i] & mask(widths[i]));
  // Short splits leave the low bits zero.
  const unsigned used = widths[0] + widths[1] + widths[2] + widths[3];
  return static_cast<std::uint16_t>(value << (16 - used));
}

EaxcId EaxcId::from_wire(std::uint16_t value, const EaxcSplit& split) {
  const auto widths = wire_widths(split);
  std::array<std::uint16_t, 4> parts{};
  unsigned shift = 16;
  for (std::size_t i = 0; i < 4; ++i) {
    shift -= widths[i];
    parts[i] = static_cast<std::uint16_t>((value >> shift) & mask(widths[i]));
  }
  return {parts[0], parts[1], parts[2], parts[3]};
}

std::uint8_t extension_type(const SectionExtension& extension) {
  struct Visitor {
    std::uint8_t operator()(const BeamformingWeightsExtension&) const { return 1; }
    std::uint8_t operator()(const BeamformingAttributesExtension&) const { return 2; }
    std::uint8_t operator()(const ModulationCompressionExtension&) const { return 4; }
    std::uint8_t operator()(const ModulationCompressionAdditionalExtension&) const { return 5; }
    std::uint8_t operator()(const NonContiguousPrbExtension&) const { return 6; }
    std::uint8_t operator()(const PortGroupExtension&) const { return 10; }
    std::uint8_t operator()(const FlexibleWeightsExtension&) const { return 11; }
    std::uint8_t operator()(const FrequencyRangesExtension&) const { return 12; }
    std::uint8_t operator()(const OpaqueExtension& opaque) const { return opaque.ext_type; }
  };
  return std::visit(Visitor{}, extension);
}

}  // namespace plugfest::fronthaul
