#include "vendors/sim/core/radio_config.h"

namespace plugfest::sim {

fronthaul::DecoderConfig RadioConfig::decoder_config(fronthaul::DataDirection direction) const {
  fronthaul::DecoderConfig config;
  config.eaxc_split = eaxc_split;
  config.uplane_compression =
      direction == fronthaul::DataDirection::kDownlink ? dl_compression : ul_compression;
  config.carrier_prbs = carrier_prbs;
  config.bf_weights = antennas;
  config.ci_antennas = antennas;
  return config;
}

Result<void> RadioConfig::check() const {
  if (!eaxc_split.valid()) return Error{"eAxC bit widths must add up to 16", "eaxc_split"};
  if (antennas == 0 || 2u * antennas > (1u << eaxc_split.ru_port_bits)) {
    return Error{"antennas must be 1.." + std::to_string((1u << eaxc_split.ru_port_bits) / 2) +
                     " (data and PRACH ports must fit the RU port bits)",
                 "antennas"};
  }
  if (carrier_prbs == 0 || carrier_prbs > 273) {
    return Error{"carrier PRBs must be 1..273", "carrier_prbs"};
  }
  if (!(dilation >= 1.0)) return Error{"dilation must be at least 1", "dilation"};
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

fronthaul::EaxcId prach_eaxc(const RadioConfig& config, std::uint16_t antenna) {
  return {0, 0, 0, static_cast<std::uint16_t>(config.antennas + antenna)};
}

std::uint16_t effective_prbs(std::uint16_t num_prb, std::uint16_t carrier_prbs) {
  return num_prb == 0 ? carrier_prbs : num_prb;
}

}  // namespace plugfest::sim
