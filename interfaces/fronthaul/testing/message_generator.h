#pragma once
// Random, valid fronthaul messages from a seed: every section type, extension and
// compression the model holds, consistent with a DecoderConfig so that
// decode(encode(m), config) == m with no error finding.

#include <cstdint>
#include <random>
#include <vector>

#include "interfaces/fronthaul/codec.h"
#include "interfaces/fronthaul/message.h"

namespace plugfest::fronthaul::testing {

class MessageGenerator {
 public:
  MessageGenerator(std::uint64_t seed, DecoderConfig config);

  Message uplane();
  Message cplane(SectionType type);
  // A C-plane section type 1 message carrying exactly this extension type (opaque when the
  // type is not one the model decodes).
  Message cplane_with_extension(std::uint8_t ext_type);
  Message one_way_delay();
  // Any of the above.
  Message any();

  // Extension types the generator produces field by field.
  static const std::vector<std::uint8_t>& modelled_extension_types();

  std::uint32_t uniform(std::uint32_t low, std::uint32_t high);
  bool coin() { return uniform(0, 1) == 1; }
  const DecoderConfig& config() const { return config_; }

 private:
  Message transport_header();
  RadioApplicationHeader radio_header();
  CplaneSection section(SectionType type);
  SectionExtension extension(std::uint8_t ext_type, const CplaneSection& section);
  std::vector<std::uint8_t> bytes(std::size_t count);
  std::vector<std::uint16_t> weights(std::size_t count, unsigned width);
  CompressionParams bfw_comp_hdr();

  std::mt19937_64 rng_;
  DecoderConfig config_;
};

// A cell's traffic slot by slot: per antenna (eAxC RU port 0..antennas-1) one C-plane
// section type 1 message for the whole carrier and all 14 symbols, then one U-plane
// message per symbol with one section of random IQ, sequence IDs counting per stream.
// Numerology 1 (30 kHz): two slots per subframe.
class CellTraffic {
 public:
  CellTraffic(std::uint64_t seed, DecoderConfig config, unsigned antennas,
              DataDirection direction = DataDirection::kDownlink);
  std::vector<Message> next_slot();
  // Only the U-plane messages of the next slot (the C-plane half is skipped).
  std::vector<Message> next_uplane_slot();

 private:
  std::mt19937_64 rng_;
  DecoderConfig config_;
  unsigned antennas_;
  DataDirection direction_;
  std::uint8_t frame_ = 0, subframe_ = 0, slot_ = 0;
  std::vector<std::uint8_t> cplane_seq_, uplane_seq_;
  std::vector<std::uint8_t> iq_;
};

}  // namespace plugfest::fronthaul::testing
