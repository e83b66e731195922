#pragma once
// What the codec's translation units share and nobody else sees: the writers encode() is
// made of and the Decoder behind decode(), one per packet, which appends findings as it
// reads. Each part lives with its layer: codec_ecpri.cpp (eCPRI headers, radio application
// header, one-way delay), codec_cplane.cpp, codec_extensions.cpp, codec_uplane.cpp.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "interfaces/fronthaul/bit_io.h"
#include "interfaces/fronthaul/codec.h"

namespace plugfest::fronthaul::detail {

inline constexpr std::size_t kEcpriCommonHeaderBytes = 4;

inline std::size_t prbs_in(std::uint8_t num_prb, std::uint16_t carrier_prbs) {
  return num_prb == 0 ? carrier_prbs : num_prb;
}

// ------------------------------------------------------------------------------------
// Encoder

// eCPRI common header (payload size left 0 for the caller to patch) and, except for a
// one-way delay measurement, ecpriRtcid/ecpriSeqid.
void write_ecpri_headers(BitWriter& w, const Message& message);
void write_radio_header(BitWriter& w, const RadioApplicationHeader& h);
void write_one_way_delay(BitWriter& w, const OneWayDelayMeasurement& m);
void write_cplane(BitWriter& w, const CplaneMessage& m);
void write_extension(BitWriter& w, const SectionExtension& extension, bool more);
void write_uplane(BitWriter& w, const UplaneMessage& m);

// ------------------------------------------------------------------------------------
// Decoder

class Decoder {
 public:
  Decoder(std::span<const std::uint8_t> bytes, const DecoderConfig& config, DecodeResult& out)
      : bytes_(bytes), config_(config), out_(out) {}

  void run();

 private:
  void report(std::string_view rule, std::size_t offset, std::string message) {
    out_.findings.push_back(make_finding(rule, offset, std::move(message)));
  }
  bool decode_radio_header(BitReader& r, RadioApplicationHeader& h);
  void decode_cplane(BitReader& r, CplaneMessage& m);
  // Returns false when the rest of the message cannot be located any more.
  bool decode_cplane_section(BitReader& r, const CplaneMessage& m, CplaneSection& s);
  bool decode_extensions(BitReader& r, SectionType type, CplaneSection& s);
  std::optional<SectionExtension> decode_known_extension(std::uint8_t type,
                                                         std::span<const std::uint8_t> body,
                                                         std::size_t body_offset,
                                                         std::size_t ext_len,
                                                         const CplaneSection& s);
  void check_prb_range(std::string_view rule, std::size_t offset, std::uint16_t start,
                       std::uint8_t num, bool rb);
  void decode_uplane(BitReader& r, UplaneMessage& m);
  void decode_one_way_delay(BitReader& r, OneWayDelayMeasurement& m);

  std::span<const std::uint8_t> bytes_;
  const DecoderConfig& config_;
  DecodeResult& out_;
};

}  // namespace plugfest::fronthaul::detail
