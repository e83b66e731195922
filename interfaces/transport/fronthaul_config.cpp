#include "interfaces/transport/fronthaul_config.h"

#include <string>

#include "interfaces/fronthaul/compression.h"

namespace plugfest::transport {

fronthaul::DecoderConfig FronthaulConfig::decoder_config(fronthaul::DataDirection direction) const {
  fronthaul::DecoderConfig config;
  config.eaxc_split = eaxc_split;
  config.carrier_prbs = carrier_prbs;
  config.uplane_compression =
      direction == fronthaul::DataDirection::kDownlink ? dl_compression : ul_compression;
  config.bf_weights = antennas;
  config.ci_antennas = antennas;
  return config;
}

Result<void> FronthaulConfig::check() const {
  if (!eaxc_split.valid()) return Error{"eAxC bit widths must add up to 16", "eaxc"};
  if (carrier_prbs < 1 || carrier_prbs > 273) {
    return Error{"carrier PRBs must be 1..273, not " + std::to_string(carrier_prbs), "carrier"};
  }
  const unsigned ports = 2u * antennas;
  if (antennas == 0 || ports > (1u << eaxc_split.ru_port_bits)) {
    return Error{std::to_string(antennas) + " antennas and their PRACH ports do not fit " +
                     std::to_string(eaxc_split.ru_port_bits) + " RU port bits",
                 "antennas"};
  }
  if (!(dilation >= 1.0)) return Error{"dilation must be at least 1", "timing.dilation"};
  for (const auto* c : {&dl_compression, &ul_compression}) {
    if (!fronthaul::is_block_method(c->static_params.method) || c->static_params.iq_width == 0 ||
        c->static_params.iq_width > 16) {
      return Error{"compression must be none, BFP, block scaling or mu-law with width 1..16",
                   "compression"};
    }
  }
  return windows.check();
}

fronthaul::EaxcId data_eaxc(std::uint16_t antenna) { return {0, 0, 0, antenna}; }

fronthaul::EaxcId prach_eaxc(const FronthaulConfig& config, std::uint16_t antenna) {
  return {0, 0, 0, static_cast<std::uint16_t>(config.antennas + antenna)};
}

std::uint16_t effective_prbs(std::uint16_t num_prb, std::uint16_t carrier_prbs) {
  return num_prb == 0 ? carrier_prbs : num_prb;
}

std::uint8_t wire_num_prb(std::uint16_t prbs, std::uint16_t carrier_prbs) {
  if (prbs == carrier_prbs && prbs > 255) return 0;
  return static_cast<std::uint8_t>(prbs);
}

}  // namespace plugfest::transport
