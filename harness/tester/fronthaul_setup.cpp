#include "harness/tester/fronthaul_setup.h"

#include <string>

namespace plugfest::harness::tester {

fronthaul::DecoderConfig FronthaulSetup::decoder_config(fronthaul::DataDirection direction) const {
  fronthaul::DecoderConfig config;
  config.eaxc_split = eaxc_split;
  config.carrier_prbs = carrier_prbs;
  config.uplane_compression =
      direction == fronthaul::DataDirection::kDownlink ? dl_compression : ul_compression;
  config.bf_weights = antennas;
  config.ci_antennas = antennas;
  return config;
}

Result<void> FronthaulSetup::check() const {
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
  return windows.check();
}

fronthaul::EaxcId data_eaxc(std::uint16_t antenna) { return {0, 0, 0, antenna}; }

fronthaul::EaxcId prach_eaxc(const FronthaulSetup& setup, std::uint16_t antenna) {
  return {0, 0, 0, static_cast<std::uint16_t>(setup.antennas + antenna)};
}

std::uint16_t effective_prbs(std::uint16_t num_prb, std::uint16_t carrier_prbs) {
  return num_prb == 0 ? carrier_prbs : num_prb;
}

std::uint8_t wire_num_prb(std::uint16_t prbs, std::uint16_t carrier_prbs) {
  if (prbs == carrier_prbs && prbs > 255) return 0;
  return static_cast<std::uint8_t>(prbs);
}

const char* method_name(fronthaul::CompressionMethod method) {
  switch (method) {
    case fronthaul::CompressionMethod::kNone:
      return "none";
    case fronthaul::CompressionMethod::kBlockFloatingPoint:
      return "bfp";
    case fronthaul::CompressionMethod::kBlockScaling:
      return "block-scaling";
    case fronthaul::CompressionMethod::kMuLaw:
      return "mu-law";
    case fronthaul::CompressionMethod::kModulation:
      return "modulation";
    default:
      return "other";
  }
}

Result<fronthaul::CompressionMethod> parse_method(const std::string& name) {
  using fronthaul::CompressionMethod;
  for (auto method : {CompressionMethod::kNone, CompressionMethod::kBlockFloatingPoint,
                      CompressionMethod::kBlockScaling, CompressionMethod::kMuLaw}) {
    if (name == method_name(method)) return method;
  }
  return Error{
      "unknown compression method '" + name + "' (expected none, bfp, block-scaling or mu-law)",
      "compression.method"};
}

std::string compression_capability(const fronthaul::CompressionParams& params) {
  return std::string("compression.") + method_name(params.method) + "." +
         std::to_string(params.iq_width);
}

}  // namespace plugfest::harness::tester
