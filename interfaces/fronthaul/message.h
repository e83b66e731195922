#pragma once
// The fronthaul message model: eCPRI common header plus the O-RAN CUS-plane C-plane and
// U-plane messages, with field names after the O-RAN CUS specification in snake_case.
// Every field the wire carries is held (reserved fields included), so that
// decode(encode(m)) == m for every message the model can hold. Derived wire fields
// (eCPRI payload size, numberOfSections, ef, extLen) are computed by the encoder.

#include <array>
#include <cstdint>
#include <optional>
#include <variant>
#include <vector>

#include "interfaces/fronthaul/compression_params.h"

namespace plugfest::fronthaul {

// eCPRI message types handled here (eCPRI 2.0 clause 3.2.4).
enum class EcpriMessageType : std::uint8_t {
  kIqData = 0,
  kRealTimeControl = 2,
  kOneWayDelayMeasurement = 5,
};

// eCPRI common header (eCPRI 2.0 clause 3.1.3.1) as far as the model keeps it: the
// message type follows from the message body and the payload size is computed by encode.
struct EcpriHeader {
  std::uint8_t revision = 1;  // 4 bits
  std::uint8_t reserved = 0;  // 3 bits
  bool c_bit = false;         // concatenation indicator

  friend bool operator==(const EcpriHeader&, const EcpriHeader&) = default;
};

// How the 16 bits of ecpriRtcid / ecpriPcid split into eAxC parts (lab parameter, an
// M-plane setting). Valid when every width is at most 16 and they add up to 16.
struct EaxcSplit {
  std::uint8_t du_port_bits = 4;
  std::uint8_t band_sector_bits = 4;
  std::uint8_t cc_bits = 4;
  std::uint8_t ru_port_bits = 4;

  bool valid() const {
    return du_port_bits <= 16 && band_sector_bits <= 16 && cc_bits <= 16 && ru_port_bits <= 16 &&
           du_port_bits + band_sector_bits + cc_bits + ru_port_bits == 16;
  }
  friend bool operator==(const EaxcSplit&, const EaxcSplit&) = default;
};

// eAxC ID (ecpriRtcid / ecpriPcid, O-RAN CUS clause 5.1.3.2.6). The wire value is the
// concatenation DU port | BandSector | CC | RU port with the widths of `split`.
struct EaxcId {
  std::uint16_t du_port = 0;
  std::uint16_t band_sector = 0;
  std::uint16_t cc = 0;
  std::uint16_t ru_port = 0;

  // Packs into the 16-bit wire value; parts wider than their field are truncated. An
  // invalid split packs as if parts were laid out with the given widths, capped at 16.
  std::uint16_t to_wire(const EaxcSplit& split) const;
  static EaxcId from_wire(std::uint16_t value, const EaxcSplit& split);

  friend bool operator==(const EaxcId&, const EaxcId&) = default;
  friend auto operator<=>(const EaxcId&, const EaxcId&) = default;
};

// ecpriSeqid (O-RAN CUS clause 5.1.3.2.7).
struct EcpriSeqId {
  std::uint8_t sequence_id = 0;
  bool e_bit = true;                // last (or only) subsequence
  std::uint8_t subsequence_id = 0;  // 7 bits

  friend bool operator==(const EcpriSeqId&, const EcpriSeqId&) = default;
};

enum class DataDirection : std::uint8_t { kUplink = 0, kDownlink = 1 };

// The radio application common header shared by C-plane and U-plane
// (O-RAN CUS clauses 7.5.2.1-7.5.2.7 and 8.3.3.1-8.3.3.7).
struct RadioApplicationHeader {
  DataDirection data_direction = DataDirection::kDownlink;
  std::uint8_t payload_version = 1;  // 3 bits
  std::uint8_t filter_index = 0;     // 4 bits
  std::uint8_t frame_id = 0;
  std::uint8_t subframe_id = 0;      // 4 bits
  std::uint8_t slot_id = 0;          // 6 bits
  std::uint8_t start_symbol_id = 0;  // 6 bits

  friend bool operator==(const RadioApplicationHeader&, const RadioApplicationHeader&) = default;
};

enum class SectionType : std::uint8_t {
  kUnusedResourceBlocks = 0,
  kMostDlUl = 1,
  kPrachAndMixedNumerology = 3,
  kUeScheduling = 5,
  kChannelInformation = 6,
};

// ---- Section extensions (O-RAN CUS clause 7.7) ----

// Ext 1: beamforming weights (7.7.1). bfw holds raw bfwI, bfwQ bit patterns interleaved
// (I0, Q0, I1, Q1, ...), each bfw_comp_hdr.iq_width bits wide; the number of pairs is the
// configured antenna count. bfw_comp_param is present for bfwCompMeth 1-3.
struct BeamformingWeightsExtension {
  CompressionParams bfw_comp_hdr;
  std::uint8_t bfw_comp_param = 0;
  std::vector<std::uint16_t> bfw;
  friend bool operator==(const BeamformingWeightsExtension&,
                         const BeamformingWeightsExtension&) = default;
};

// Ext 2: beamforming attributes (7.7.2). A width code w > 0 means a field of w + 1 bits;
// w == 0 means the field is absent.
struct BeamformingAttributesExtension {
  std::uint8_t bf_az_pt_width = 0;  // 3 bits each
  std::uint8_t bf_ze_pt_width = 0;
  std::uint8_t bf_az3dd_width = 0;
  std::uint8_t bf_ze3dd_width = 0;
  std::uint8_t bf_az_pt = 0;
  std::uint8_t bf_ze_pt = 0;
  std::uint8_t bf_az3dd = 0;
  std::uint8_t bf_ze3dd = 0;
  std::uint8_t bf_az_sl = 0;  // 3 bits
  std::uint8_t bf_ze_sl = 0;  // 3 bits
  friend bool operator==(const BeamformingAttributesExtension&,
                         const BeamformingAttributesExtension&) = default;
};

// Ext 4: modulation compression parameters (7.7.4).
struct ModulationCompressionExtension {
  bool csf = false;
  std::uint16_t mod_comp_scaler = 0;  // 15 bits
  friend bool operator==(const ModulationCompressionExtension&,
                         const ModulationCompressionExtension&) = default;
};

// Ext 5: modulation compression additional scaling parameters (7.7.5), one or two sets.
struct ModulationCompressionSet {
  std::uint16_t mc_scale_re_mask = 0;  // 12 bits
  bool csf = false;
  std::uint16_t mc_scale_offset = 0;  // 15 bits
  friend bool operator==(const ModulationCompressionSet&,
                         const ModulationCompressionSet&) = default;
};
struct ModulationCompressionAdditionalExtension {
  std::vector<ModulationCompressionSet> sets;  // 1 or 2
  friend bool operator==(const ModulationCompressionAdditionalExtension&,
                         const ModulationCompressionAdditionalExtension&) = default;
};

// Ext 6: non-contiguous PRB allocation in time and frequency (7.7.6).
struct NonContiguousPrbExtension {
  bool repetition = false;
  std::uint8_t rbg_size = 1;      // 3 bits, 0 reserved
  std::uint32_t rbg_mask = 0;     // 28 bits
  std::uint8_t priority = 0;      // 2 bits
  std::uint16_t symbol_mask = 0;  // 14 bits
  friend bool operator==(const NonContiguousPrbExtension&,
                         const NonContiguousPrbExtension&) = default;
};

// Ext 10: section description for a group of ports (7.7.10). beam_ids is used with
// beamGroupType 2 (one beamId per port); types 0 and 1 carry a reserved octet instead.
struct PortGroupExtension {
  std::uint8_t beam_group_type = 0;  // 2 bits
  std::uint8_t num_portc = 0;        // 6 bits
  std::uint8_t reserved = 0;
  std::vector<std::uint16_t> beam_ids;  // 15 bits each
  friend bool operator==(const PortGroupExtension&, const PortGroupExtension&) = default;
};

// Ext 11: flexible beamforming weights (7.7.11): one bundle per numBundPrb PRBs of the
// section (the last one may be shorter), each with a beamId and, unless disableBFWs, its
// bfwCompParam and weights (configured number of weights per bundle).
struct FlexibleWeightsBundle {
  std::uint8_t bfw_comp_param = 0;
  std::uint16_t beam_id = 0;  // 15 bits
  std::vector<std::uint16_t> bfw;
  friend bool operator==(const FlexibleWeightsBundle&, const FlexibleWeightsBundle&) = default;
};
struct FlexibleWeightsExtension {
  bool disable_bfws = false;
  bool rad = false;
  std::uint8_t reserved = 0;  // 6 bits
  std::uint8_t num_bund_prb = 1;
  CompressionParams bfw_comp_hdr;  // absent on the wire when disable_bfws
  std::vector<FlexibleWeightsBundle> bundles;
  friend bool operator==(const FlexibleWeightsExtension&,
                         const FlexibleWeightsExtension&) = default;
};

// Ext 12: non-contiguous PRB allocation with frequency ranges (7.7.12).
struct FrequencyRange {
  std::uint8_t off_start_prb = 0;
  std::uint8_t num_prb = 1;  // 0 marks padding on the wire
  friend bool operator==(const FrequencyRange&, const FrequencyRange&) = default;
};
struct FrequencyRangesExtension {
  std::uint8_t priority = 0;      // 2 bits
  std::uint16_t symbol_mask = 0;  // 14 bits
  std::vector<FrequencyRange> ranges;
  friend bool operator==(const FrequencyRangesExtension&,
                         const FrequencyRangesExtension&) = default;
};

// Any other extension type (or one not selected for decoding): its payload after the
// extType / extLen octets, padding included, so it round-trips.
struct OpaqueExtension {
  std::uint8_t ext_type = 0;          // 7 bits
  std::vector<std::uint8_t> payload;  // size + 2 is a multiple of 4
  friend bool operator==(const OpaqueExtension&, const OpaqueExtension&) = default;
};

using SectionExtension =
    std::variant<BeamformingWeightsExtension, BeamformingAttributesExtension,
                 ModulationCompressionExtension, ModulationCompressionAdditionalExtension,
                 NonContiguousPrbExtension, PortGroupExtension, FlexibleWeightsExtension,
                 FrequencyRangesExtension, OpaqueExtension>;

// extType of an extension held in the model.
std::uint8_t extension_type(const SectionExtension& extension);

// ---- C-plane ----

// One section description (O-RAN CUS clause 7.4). Fields a section type does not carry
// stay at their defaults. ef is implied by a non-empty extension list.
struct CplaneSection {
  std::uint16_t section_id = 0;  // 12 bits
  bool rb = false;
  bool sym_inc = false;
  std::uint16_t start_prbc = 0;            // 10 bits
  std::uint8_t num_prbc = 0;               // 0: all PRBs of the carrier
  std::uint16_t re_mask = 0xfff;           // 12 bits (types 0, 1, 3, 5)
  std::uint8_t num_symbol = 1;             // 4 bits (types 0, 1, 3, 5)
  std::uint16_t beam_id = 0;               // 15 bits (types 1, 3)
  std::uint16_t ue_id = 0;                 // 15 bits (types 5, 6)
  std::int32_t freq_offset = 0;            // 24-bit signed (type 3)
  std::uint16_t reserved = 0;              // type 0: 16 bits; type 3: 8 bits; type 6: 4 bits
  std::int16_t regularization_factor = 0;  // type 6
  std::vector<std::uint8_t> ci_samples;    // type 6: ciIsample/ciQsample, 16 bits each
  std::vector<SectionExtension> extensions;

  friend bool operator==(const CplaneSection&, const CplaneSection&) = default;
};

// A C-plane message (O-RAN CUS clause 7): common header plus sections of one type.
struct CplaneMessage {
  RadioApplicationHeader header;
  SectionType section_type = SectionType::kMostDlUl;
  std::uint16_t time_offset = 0;     // types 0, 3
  std::uint8_t frame_structure = 0;  // types 0, 3: FFT size (4 bits) | SCS (4 bits)
  std::uint16_t cp_length = 0;       // types 0, 3
  CompressionParams ud_comp_hdr;     // types 1, 3, 5
  std::uint8_t number_of_ues = 0;    // type 6
  std::uint8_t reserved = 0;         // types 0, 1, 5, 6: the reserved octet
  std::vector<CplaneSection> sections;

  friend bool operator==(const CplaneMessage&, const CplaneMessage&) = default;
};

// ---- U-plane ----

// One U-plane data section (O-RAN CUS clause 8.3.2). ud_comp_hdr is present on the wire
// only when the compression header is dynamic; iq_data holds the PRBs as sent
// (udCompParam plus samples, prb_payload_bytes() each).
struct UplaneSection {
  std::uint16_t section_id = 0;  // 12 bits
  bool rb = false;
  bool sym_inc = false;
  std::uint16_t start_prbu = 0;  // 10 bits
  std::uint8_t num_prbu = 0;     // 0: all PRBs of the carrier
  std::optional<CompressionParams> ud_comp_hdr;
  std::uint8_t reserved = 0;  // the octet after a dynamic udCompHdr
  std::vector<std::uint8_t> iq_data;

  friend bool operator==(const UplaneSection&, const UplaneSection&) = default;
};

struct UplaneMessage {
  RadioApplicationHeader header;
  std::vector<UplaneSection> sections;
  friend bool operator==(const UplaneMessage&, const UplaneMessage&) = default;
};

// ---- eCPRI one-way delay measurement (eCPRI 2.0 clause 3.2.4.6) ----
struct OneWayDelayMeasurement {
  std::uint8_t measurement_id = 0;
  std::uint8_t action_type = 0;
  std::uint64_t timestamp_seconds = 0;  // 48 bits
  std::uint32_t timestamp_nanoseconds = 0;
  std::int64_t compensation_value = 0;
  std::vector<std::uint8_t> dummy_bytes;
  friend bool operator==(const OneWayDelayMeasurement&, const OneWayDelayMeasurement&) = default;
};

// One eCPRI message as carried in one Ethernet frame or UDP datagram. The eAxC ID and
// sequence ID belong to types 0 and 2 only. eaxc_split says how eaxc is packed.
struct Message {
  EcpriHeader ecpri;
  EaxcSplit eaxc_split;
  EaxcId eaxc;
  EcpriSeqId seq_id;
  std::variant<UplaneMessage, CplaneMessage, OneWayDelayMeasurement> body;

  EcpriMessageType message_type() const {
    if (is_uplane()) return EcpriMessageType::kIqData;
    if (is_cplane()) return EcpriMessageType::kRealTimeControl;
    return EcpriMessageType::kOneWayDelayMeasurement;
  }
  bool is_uplane() const { return std::holds_alternative<UplaneMessage>(body); }
  bool is_cplane() const { return std::holds_alternative<CplaneMessage>(body); }
  friend bool operator==(const Message&, const Message&) = default;
};

}  // namespace plugfest::fronthaul
