#include "interfaces/fronthaul/codec.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>

#include "interfaces/fronthaul/bit_io.h"

namespace plugfest::fronthaul {
namespace {

constexpr std::size_t kEcpriCommonHeaderBytes = 4;
constexpr std::size_t kEcpriTransportHeaderBytes = 8;  // plus ecpriRtcid/Pcid, ecpriSeqid
constexpr std::size_t kEthernetMinimumPayload = 46;    // below this, padding is normal
constexpr std::size_t kOneWayDelayBytes = 20;

bool bfw_comp_param_present(CompressionMethod method) {
  return method == CompressionMethod::kBlockFloatingPoint ||
         method == CompressionMethod::kBlockScaling || method == CompressionMethod::kMuLaw;
}
bool bfw_method_decoded(CompressionMethod method) {
  return method == CompressionMethod::kNone || bfw_comp_param_present(method);
}
unsigned bfa_bits(std::uint8_t width_code) { return width_code == 0 ? 0 : width_code + 1u; }

std::string hex_octet(std::uint8_t value) {
  constexpr char kDigits[] = "0123456789abcdef";
  return std::string("0x") + kDigits[value >> 4] + kDigits[value & 0x0f];
}

std::size_t prbs_in(std::uint8_t num_prb, std::uint16_t carrier_prbs) {
  return num_prb == 0 ? carrier_prbs : num_prb;
}

// ------------------------------------------------------------------------------------
// Encoder

void write_radio_header(BitWriter& w, const RadioApplicationHeader& h) {
  w.write(static_cast<std::uint32_t>(h.data_direction), 1);
  w.write(h.payload_version, 3);
  w.write(h.filter_index, 4);
  w.write_u8(h.frame_id);
  w.write(h.subframe_id, 4);
  w.write(h.slot_id, 6);
  w.write(h.start_symbol_id, 6);
}

void write_weights(BitWriter& w, const std::vector<std::uint16_t>& bfw, unsigned width) {
  for (std::uint16_t value : bfw) w.write(value, width);
}

struct ExtensionWriter {
  BitWriter& w;
  void operator()(const BeamformingWeightsExtension& e) const {
    w.write_u8(e.bfw_comp_hdr.ud_comp_hdr());
    if (bfw_comp_param_present(e.bfw_comp_hdr.method)) w.write_u8(e.bfw_comp_param);
    write_weights(w, e.bfw, e.bfw_comp_hdr.iq_width);
  }
  void operator()(const BeamformingAttributesExtension& e) const {
    w.write(0, 2);
    w.write(e.bf_az_pt_width, 3);
    w.write(e.bf_ze_pt_width, 3);
    w.write(0, 2);
    w.write(e.bf_az3dd_width, 3);
    w.write(e.bf_ze3dd_width, 3);
    w.write(e.bf_az_pt, bfa_bits(e.bf_az_pt_width));
    w.write(e.bf_ze_pt, bfa_bits(e.bf_ze_pt_width));
    w.write(e.bf_az3dd, bfa_bits(e.bf_az3dd_width));
    w.write(e.bf_ze3dd, bfa_bits(e.bf_ze3dd_width));
    w.align_to_byte();
    w.write(0, 2);
    w.write(e.bf_az_sl, 3);
    w.write(e.bf_ze_sl, 3);
  }
  void operator()(const ModulationCompressionExtension& e) const {
    w.write_bool(e.csf);
    w.write(e.mod_comp_scaler, 15);
  }
  void operator()(const ModulationCompressionAdditionalExtension& e) const {
    for (const ModulationCompressionSet& set : e.sets) {
      w.write(set.mc_scale_re_mask, 12);
      w.write_bool(set.csf);
      w.write(set.mc_scale_offset, 15);
    }
  }
  void operator()(const NonContiguousPrbExtension& e) const {
    w.write_bool(e.repetition);
    w.write(e.rbg_size, 3);
    w.write(e.rbg_mask, 28);
    w.write(e.priority, 2);
    w.write(e.symbol_mask, 14);
  }
  void operator()(const PortGroupExtension& e) const {
    w.write(e.beam_group_type, 2);
    w.write(e.num_portc, 6);
    if (e.beam_group_type == 2) {
      for (std::uint16_t beam_id : e.beam_ids) w.write(beam_id, 16);
    } else {
      w.write_u8(e.reserved);
    }
  }
  void operator()(const FlexibleWeightsExtension& e) const {
    w.write_bool(e.disable_bfws);
    w.write_bool(e.rad);
    w.write(e.reserved, 6);
    w.write_u8(e.num_bund_prb);
    if (!e.disable_bfws) w.write_u8(e.bfw_comp_hdr.ud_comp_hdr());
    for (const FlexibleWeightsBundle& bundle : e.bundles) {
      if (!e.disable_bfws && bfw_comp_param_present(e.bfw_comp_hdr.method)) {
        w.write_u8(bundle.bfw_comp_param);
      }
      w.write(bundle.beam_id, 16);
      if (!e.disable_bfws) {
        write_weights(w, bundle.bfw, e.bfw_comp_hdr.iq_width);
        w.align_to_byte();
      }
    }
  }
  void operator()(const FrequencyRangesExtension& e) const {
    w.write(e.priority, 2);
    w.write(e.symbol_mask, 14);
    for (const FrequencyRange& range : e.ranges) {
      w.write_u8(range.off_start_prb);
      w.write_u8(range.num_prb);
    }
  }
  void operator()(const OpaqueExtension& e) const { w.write_bytes(e.payload); }
};

void write_extension(BitWriter& w, const SectionExtension& extension, bool more) {
  const std::size_t start = w.byte_size();
  const std::uint8_t type = extension_type(extension);
  w.write_bool(more);
  w.write(type, 7);
  if (type == 11) {
    w.write_u16(0);
  } else {
    w.write_u8(0);
  }
  std::visit(ExtensionWriter{w}, extension);
  w.pad_to_multiple(start, 4);
  const std::size_t words = (w.byte_size() - start) / 4;
  if (type == 11) {
    w.patch_u16(start + 1, static_cast<std::uint16_t>(words));
  } else {
    w.patch_u8(start + 1, static_cast<std::uint8_t>(words));
  }
}

void write_cplane(BitWriter& w, const CplaneMessage& m) {
  write_radio_header(w, m.header);
  w.write_u8(static_cast<std::uint8_t>(m.sections.size()));
  w.write_u8(static_cast<std::uint8_t>(m.section_type));
  switch (m.section_type) {
    case SectionType::kUnusedResourceBlocks:
      w.write_u16(m.time_offset);
      w.write_u8(m.frame_structure);
      w.write_u16(m.cp_length);
      w.write_u8(m.reserved);
      break;
    case SectionType::kMostDlUl:
    case SectionType::kUeScheduling:
      w.write_u8(m.ud_comp_hdr.ud_comp_hdr());
      w.write_u8(m.reserved);
      break;
    case SectionType::kPrachAndMixedNumerology:
      w.write_u16(m.time_offset);
      w.write_u8(m.frame_structure);
      w.write_u16(m.cp_length);
      w.write_u8(m.ud_comp_hdr.ud_comp_hdr());
      break;
    case SectionType::kChannelInformation:
      w.write_u8(m.number_of_ues);
      w.write_u8(m.reserved);
      break;
  }
  for (const CplaneSection& s : m.sections) {
    const bool ef = !s.extensions.empty();
    if (m.section_type == SectionType::kChannelInformation) {
      w.write_bool(ef);
      w.write(s.ue_id, 15);
      w.write_u16(static_cast<std::uint16_t>(s.regularization_factor));
      w.write(s.reserved, 4);
      w.write_bool(s.rb);
      w.write_bool(s.sym_inc);
      w.write(s.start_prbc, 10);
      w.write_u8(s.num_prbc);
      w.write_bytes(s.ci_samples);
    } else {
      w.write(s.section_id, 12);
      w.write_bool(s.rb);
      w.write_bool(s.sym_inc);
      w.write(s.start_prbc, 10);
      w.write_u8(s.num_prbc);
      w.write(s.re_mask, 12);
      w.write(s.num_symbol, 4);
      switch (m.section_type) {
        case SectionType::kUnusedResourceBlocks:
          w.write_u16(s.reserved);
          break;
        case SectionType::kUeScheduling:
          w.write_bool(ef);
          w.write(s.ue_id, 15);
          break;
        default:
          w.write_bool(ef);
          w.write(s.beam_id, 15);
          break;
      }
      if (m.section_type == SectionType::kPrachAndMixedNumerology) {
        w.write(static_cast<std::uint32_t>(s.freq_offset) & 0xffffff, 24);
        w.write_u8(static_cast<std::uint8_t>(s.reserved));
      }
    }
    if (m.section_type == SectionType::kUnusedResourceBlocks) continue;
    for (std::size_t i = 0; i < s.extensions.size(); ++i) {
      write_extension(w, s.extensions[i], i + 1 < s.extensions.size());
    }
  }
}

void write_uplane(BitWriter& w, const UplaneMessage& m) {
  write_radio_header(w, m.header);
  for (const UplaneSection& s : m.sections) {
    w.write(s.section_id, 12);
    w.write_bool(s.rb);
    w.write_bool(s.sym_inc);
    w.write(s.start_prbu, 10);
    w.write_u8(s.num_prbu);
    if (s.ud_comp_hdr) {
      w.write_u8(s.ud_comp_hdr->ud_comp_hdr());
      w.write_u8(s.reserved);
    }
    w.write_bytes(s.iq_data);
  }
}

void write_one_way_delay(BitWriter& w, const OneWayDelayMeasurement& m) {
  w.write_u8(m.measurement_id);
  w.write_u8(m.action_type);
  w.write(static_cast<std::uint32_t>(m.timestamp_seconds >> 32) & 0xffff, 16);
  w.write(static_cast<std::uint32_t>(m.timestamp_seconds & 0xffffffff), 32);
  w.write(m.timestamp_nanoseconds, 32);
  const auto compensation = static_cast<std::uint64_t>(m.compensation_value);
  w.write(static_cast<std::uint32_t>(compensation >> 32), 32);
  w.write(static_cast<std::uint32_t>(compensation & 0xffffffff), 32);
  w.write_bytes(m.dummy_bytes);
}

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

void Decoder::run() {
  Message& msg = out_.message;
  if (bytes_.size() < kEcpriCommonHeaderBytes) {
    report(rules::kEcpriTruncated, 0,
           "packet of " + std::to_string(bytes_.size()) + " octets has no eCPRI common header");
    return;
  }
  BitReader head(bytes_);
  msg.ecpri.revision = static_cast<std::uint8_t>(head.read(4));
  msg.ecpri.reserved = static_cast<std::uint8_t>(head.read(3));
  msg.ecpri.c_bit = head.read_bool();
  const std::uint8_t type = head.read_u8();
  const std::size_t payload_size = head.read_u16();
  out_.bytes_read = kEcpriCommonHeaderBytes;
  if (msg.ecpri.revision != 1) {
    report(rules::kEcpriRevision, 0,
           "eCPRI revision " + std::to_string(msg.ecpri.revision) + ", expected 1");
  }
  if (msg.ecpri.reserved != 0) report(rules::kEcpriReserved, 0, "eCPRI reserved bits not zero");
  if (msg.ecpri.c_bit) {
    report(rules::kEcpriConcatenation, 0, "C bit set; only the first message is decoded");
  }
  const std::size_t available = bytes_.size() - kEcpriCommonHeaderBytes;
  std::size_t end = bytes_.size();
  if (payload_size > available) {
    report(rules::kEcpriPayloadSize, 2,
           "ecpriPayload " + std::to_string(payload_size) + " octets but only " +
               std::to_string(available) + " follow the common header");
  } else if (payload_size < available) {
    end = kEcpriCommonHeaderBytes + payload_size;
    if (bytes_.size() > kEthernetMinimumPayload) {
      report(rules::kEcpriFramePadding, end,
             std::to_string(available - payload_size) + " octets after the eCPRI payload of " +
                 std::to_string(payload_size));
    }
  }
  BitReader r(bytes_.first(end));
  r.skip(kEcpriCommonHeaderBytes * 8);

  if (type == static_cast<std::uint8_t>(EcpriMessageType::kOneWayDelayMeasurement)) {
    msg.body = OneWayDelayMeasurement{};
    decode_one_way_delay(r, std::get<OneWayDelayMeasurement>(msg.body));
    return;
  }
  if (type != static_cast<std::uint8_t>(EcpriMessageType::kIqData) &&
      type != static_cast<std::uint8_t>(EcpriMessageType::kRealTimeControl)) {
    report(rules::kEcpriMessageType, 1, "eCPRI message type " + std::to_string(type));
    return;
  }
  if (r.remaining_bytes() < 4) {
    report(rules::kEcpriTruncated, r.byte_position(), "no room for ecpriRtcid/ecpriSeqid");
    return;
  }
  if (!config_.eaxc_split.valid()) {
    const EaxcSplit& s = config_.eaxc_split;
    report(rules::kEaxcBitWidths, 4,
           "eAxC split " + std::to_string(s.du_port_bits) + "+" +
               std::to_string(s.band_sector_bits) + "+" + std::to_string(s.cc_bits) + "+" +
               std::to_string(s.ru_port_bits) + " is not 16 bits");
  }
  msg.eaxc_split = config_.eaxc_split;
  msg.eaxc = EaxcId::from_wire(r.read_u16(), config_.eaxc_split);
  msg.seq_id.sequence_id = r.read_u8();
  msg.seq_id.e_bit = r.read_bool();
  msg.seq_id.subsequence_id = static_cast<std::uint8_t>(r.read(7));
  if (!msg.seq_id.e_bit || msg.seq_id.subsequence_id != 0) {
    report(rules::kEcpriFragmentation, 6,
           "E bit " + std::to_string(msg.seq_id.e_bit) + ", subsequence ID " +
               std::to_string(msg.seq_id.subsequence_id));
  }
  out_.bytes_read = kEcpriTransportHeaderBytes;
  if (type == static_cast<std::uint8_t>(EcpriMessageType::kIqData)) {
    if (!msg.is_uplane()) msg.body = UplaneMessage{};
    decode_uplane(r, std::get<UplaneMessage>(msg.body));
  } else {
    msg.body = CplaneMessage{};
    decode_cplane(r, std::get<CplaneMessage>(msg.body));
  }
}

bool Decoder::decode_radio_header(BitReader& r, RadioApplicationHeader& h) {
  const std::size_t offset = r.byte_position();
  if (r.remaining_bytes() < 4) {
    report(rules::kEcpriTruncated, offset, "no room for the radio application header");
    return false;
  }
  h.data_direction = static_cast<DataDirection>(r.read(1));
  h.payload_version = static_cast<std::uint8_t>(r.read(3));
  h.filter_index = static_cast<std::uint8_t>(r.read(4));
  h.frame_id = r.read_u8();
  h.subframe_id = static_cast<std::uint8_t>(r.read(4));
  h.slot_id = static_cast<std::uint8_t>(r.read(6));
  h.start_symbol_id = static_cast<std::uint8_t>(r.read(6));
  if (h.payload_version != 1) {
    report(rules::kPayloadVersion, offset,
           "payloadVersion " + std::to_string(h.payload_version) + ", only 1 is supported");
  }
  if (h.subframe_id > 9) {
    report(rules::kSubframeIdRange, offset + 2, "subframeId " + std::to_string(h.subframe_id));
  }
  if (h.start_symbol_id > 13) {
    report(rules::kStartSymbolRange, offset + 3,
           "startSymbolId " + std::to_string(h.start_symbol_id));
  }
  return true;
}

void Decoder::check_prb_range(std::string_view rule, std::size_t offset, std::uint16_t start,
                              std::uint8_t num, bool rb) {
  const std::size_t carrier = config_.carrier_prbs;
  if (num == 0) {
    if (start >= carrier && carrier > 0) {
      report(rule, offset,
             "start PRB " + std::to_string(start) + " beyond a carrier of " +
                 std::to_string(carrier) + " PRBs");
    }
    return;
  }
  const std::size_t last = start + (rb ? 2u * (num - 1u) : num - 1u);
  if (last >= carrier) {
    report(rule, offset,
           "PRBs " + std::to_string(start) + ".." + std::to_string(last) + " beyond a carrier of " +
               std::to_string(carrier) + " PRBs");
  }
}

void Decoder::decode_cplane(BitReader& r, CplaneMessage& m) {
  if (!decode_radio_header(r, m.header)) return;
  const std::size_t header_offset = r.byte_position();
  if (r.remaining_bytes() < 2) {
    report(rules::kEcpriTruncated, header_offset, "no room for numberOfSections/sectionType");
    return;
  }
  const std::size_t number_of_sections = r.read_u8();
  const std::uint8_t type = r.read_u8();
  std::size_t type_header_bytes = 0;
  switch (type) {
    case 0:
    case 3:
      type_header_bytes = 6;
      break;
    case 1:
    case 5:
    case 6:
      type_header_bytes = 2;
      break;
    default:
      report(rules::kCpSectionType, header_offset + 1,
             "sectionType " + std::to_string(type) + " is not decoded");
      return;
  }
  m.section_type = static_cast<SectionType>(type);
  if (r.remaining_bytes() < type_header_bytes) {
    report(rules::kEcpriTruncated, r.byte_position(), "C-plane common header truncated");
    return;
  }
  const std::size_t comp_offset = r.byte_position() + (type == 3 ? 5 : 0);
  switch (m.section_type) {
    case SectionType::kUnusedResourceBlocks:
    case SectionType::kPrachAndMixedNumerology:
      m.time_offset = r.read_u16();
      m.frame_structure = r.read_u8();
      m.cp_length = r.read_u16();
      if (m.section_type == SectionType::kUnusedResourceBlocks) {
        m.reserved = r.read_u8();
      } else {
        m.ud_comp_hdr = CompressionParams::from_ud_comp_hdr(r.read_u8());
      }
      break;
    case SectionType::kMostDlUl:
    case SectionType::kUeScheduling:
      m.ud_comp_hdr = CompressionParams::from_ud_comp_hdr(r.read_u8());
      m.reserved = r.read_u8();
      break;
    case SectionType::kChannelInformation:
      m.number_of_ues = r.read_u8();
      m.reserved = r.read_u8();
      break;
  }
  if (m.reserved != 0) {
    report(rules::kCpReserved, r.byte_position() - 1, "reserved octet of the common header");
  }
  const bool carries_comp = m.section_type == SectionType::kMostDlUl ||
                            m.section_type == SectionType::kUeScheduling ||
                            m.section_type == SectionType::kPrachAndMixedNumerology;
  if (carries_comp && m.header.data_direction == DataDirection::kDownlink &&
      m.ud_comp_hdr.ud_comp_hdr() != 0) {
    report(rules::kCpDlUdCompHdrNonzero, comp_offset,
           "downlink udCompHdr " + hex_octet(m.ud_comp_hdr.ud_comp_hdr()) + ", must be 0");
  }
  out_.bytes_read = r.byte_position();
  if (number_of_sections == 0) {
    report(rules::kCpNoSections, header_offset, "numberOfSections is 0");
  }
  m.sections.reserve(number_of_sections);
  for (std::size_t i = 0; i < number_of_sections; ++i) {
    const std::size_t offset = r.byte_position();
    if (r.remaining_bytes() == 0) {
      report(rules::kCpSectionTruncated, offset,
             "numberOfSections " + std::to_string(number_of_sections) + " but only " +
                 std::to_string(i) + " sections fit in the packet");
      return;
    }
    CplaneSection section;
    if (!decode_cplane_section(r, m, section)) return;
    m.sections.push_back(std::move(section));
    out_.bytes_read = r.byte_position();
  }
  if (r.remaining_bytes() > 0) {
    report(rules::kCpTrailingBytes, r.byte_position(),
           std::to_string(r.remaining_bytes()) + " octets after the last section");
  }
}

bool Decoder::decode_cplane_section(BitReader& r, const CplaneMessage& m, CplaneSection& s) {
  const std::size_t offset = r.byte_position();
  const SectionType type = m.section_type;
  std::size_t fixed_bytes = 8;
  if (type == SectionType::kPrachAndMixedNumerology) fixed_bytes = 12;
  if (type == SectionType::kChannelInformation) fixed_bytes = 7;
  if (r.remaining_bytes() < fixed_bytes) {
    report(rules::kCpSectionTruncated, offset,
           "section needs " + std::to_string(fixed_bytes) + " octets, " +
               std::to_string(r.remaining_bytes()) + " left");
    return false;
  }
  bool ef = false;
  bool reserved_set = false;
  if (type == SectionType::kChannelInformation) {
    ef = r.read_bool();
    s.ue_id = static_cast<std::uint16_t>(r.read(15));
    s.regularization_factor = static_cast<std::int16_t>(r.read_u16());
    s.reserved = static_cast<std::uint16_t>(r.read(4));
    s.rb = r.read_bool();
    s.sym_inc = r.read_bool();
    s.start_prbc = static_cast<std::uint16_t>(r.read(10));
    s.num_prbc = r.read_u8();
    reserved_set = s.reserved != 0;
    const std::size_t ci_bytes =
        prbs_in(s.num_prbc, config_.carrier_prbs) * config_.ci_antennas * 4;
    if (r.remaining_bytes() < ci_bytes) {
      report(rules::kCpSectionTruncated, r.byte_position(),
             "channel information needs " + std::to_string(ci_bytes) + " octets, " +
                 std::to_string(r.remaining_bytes()) + " left");
      return false;
    }
    s.ci_samples = r.read_bytes(ci_bytes);
    check_prb_range(rules::kCpPrbRange, offset + 4, s.start_prbc, s.num_prbc, s.rb);
  } else {
    s.section_id = static_cast<std::uint16_t>(r.read(12));
    s.rb = r.read_bool();
    s.sym_inc = r.read_bool();
    s.start_prbc = static_cast<std::uint16_t>(r.read(10));
    s.num_prbc = r.read_u8();
    s.re_mask = static_cast<std::uint16_t>(r.read(12));
    s.num_symbol = static_cast<std::uint8_t>(r.read(4));
    switch (type) {
      case SectionType::kUnusedResourceBlocks:
        s.reserved = r.read_u16();
        break;
      case SectionType::kUeScheduling:
        ef = r.read_bool();
        s.ue_id = static_cast<std::uint16_t>(r.read(15));
        break;
      default:
        ef = r.read_bool();
        s.beam_id = static_cast<std::uint16_t>(r.read(15));
        break;
    }
    if (type == SectionType::kPrachAndMixedNumerology) {
      const std::uint32_t raw = r.read(24);
      s.freq_offset = static_cast<std::int32_t>(raw << 8) >> 8;
      s.reserved = r.read_u8();
    }
    reserved_set = s.reserved != 0;
    if (s.num_symbol == 0) {
      report(
          rules::kCpNumSymbolZero, offset + 5,
          "numSymbol 0 in a section type " + std::to_string(static_cast<int>(type)) + " section");
    }
    check_prb_range(rules::kCpPrbRange, offset + 1, s.start_prbc, s.num_prbc, s.rb);
  }
  if (reserved_set) report(rules::kCpReserved, offset, "reserved bits of the section");
  if (!ef) return true;
  return decode_extensions(r, type, s);
}

bool Decoder::decode_extensions(BitReader& r, SectionType type, CplaneSection& s) {
  bool more = true;
  while (more) {
    const std::size_t start = r.byte_position();
    if (r.remaining_bytes() < 2) {
      report(rules::kCpSectionTruncated, start, "ef set but no room for another extension");
      return false;
    }
    more = r.read_bool();
    const auto ext_type = static_cast<std::uint8_t>(r.read(7));
    const std::size_t header_bytes = ext_type == 11 ? 3 : 2;
    if (r.remaining_bytes() < header_bytes - 1) {
      report(rules::kCpSectionTruncated, start, "extension header truncated");
      return false;
    }
    const std::size_t ext_len = ext_type == 11 ? r.read_u16() : r.read_u8();
    if (ext_len == 0) {
      report(rules::kCpExtLenZero, start + 1,
             "extType " + std::to_string(ext_type) + " with extLen 0");
      return false;
    }
    const std::size_t total = ext_len * 4;
    if (total - header_bytes > r.remaining_bytes()) {
      report(rules::kCpSectionTruncated, start,
             "extType " + std::to_string(ext_type) + " extLen " + std::to_string(ext_len) +
                 " runs past the packet");
      return false;
    }
    std::span<const std::uint8_t> body = bytes_.subspan(start + header_bytes, total - header_bytes);
    r.skip((total - header_bytes) * 8);
    const bool known = ext_type == 1 || ext_type == 2 || ext_type == 4 || ext_type == 5 ||
                       ext_type == 6 || ext_type == 10 || ext_type == 11 || ext_type == 12;
    if (known && !extension_allowed(ext_type, type)) {
      report(rules::kCpExtSectionType, start,
             "extType " + std::to_string(ext_type) + " in a section type " +
                 std::to_string(static_cast<int>(type)) + " section");
    }
    std::optional<SectionExtension> decoded;
    if (known && config_.decoded_extensions.test(ext_type)) {
      decoded = decode_known_extension(ext_type, body, start + header_bytes, ext_len, s);
    } else {
      report(rules::kCpExtUnsupported, start,
             "extType " + std::to_string(ext_type) + " kept as opaque bytes");
    }
    if (decoded) {
      s.extensions.push_back(std::move(*decoded));
    } else {
      s.extensions.push_back(
          OpaqueExtension{ext_type, std::vector<std::uint8_t>(body.begin(), body.end())});
    }
  }
  return true;
}

std::optional<SectionExtension> Decoder::decode_known_extension(std::uint8_t type,
                                                                std::span<const std::uint8_t> body,
                                                                std::size_t body_offset,
                                                                std::size_t ext_len,
                                                                const CplaneSection& s) {
  BitReader r(body);
  const std::size_t ext_offset = body_offset - (type == 11 ? 3 : 2);
  bool reserved_set = false;
  std::optional<SectionExtension> result;
  auto read_weights = [&](unsigned width) {
    std::vector<std::uint16_t> bfw(2u * config_.bf_weights);
    for (std::uint16_t& value : bfw) value = static_cast<std::uint16_t>(r.read(width));
    return bfw;
  };
  switch (type) {
    case 1: {
      BeamformingWeightsExtension e;
      e.bfw_comp_hdr = CompressionParams::from_ud_comp_hdr(r.read_u8());
      if (!bfw_method_decoded(e.bfw_comp_hdr.method)) {
        report(rules::kCpBfwCompMeth, body_offset,
               "bfwCompMeth " + std::to_string(static_cast<int>(e.bfw_comp_hdr.method)));
        return std::nullopt;
      }
      if (bfw_comp_param_present(e.bfw_comp_hdr.method)) e.bfw_comp_param = r.read_u8();
      e.bfw = read_weights(e.bfw_comp_hdr.iq_width);
      result = std::move(e);
      break;
    }
    case 2: {
      BeamformingAttributesExtension e;
      reserved_set |= r.read(2) != 0;
      e.bf_az_pt_width = static_cast<std::uint8_t>(r.read(3));
      e.bf_ze_pt_width = static_cast<std::uint8_t>(r.read(3));
      reserved_set |= r.read(2) != 0;
      e.bf_az3dd_width = static_cast<std::uint8_t>(r.read(3));
      e.bf_ze3dd_width = static_cast<std::uint8_t>(r.read(3));
      e.bf_az_pt = static_cast<std::uint8_t>(r.read(bfa_bits(e.bf_az_pt_width)));
      e.bf_ze_pt = static_cast<std::uint8_t>(r.read(bfa_bits(e.bf_ze_pt_width)));
      e.bf_az3dd = static_cast<std::uint8_t>(r.read(bfa_bits(e.bf_az3dd_width)));
      e.bf_ze3dd = static_cast<std::uint8_t>(r.read(bfa_bits(e.bf_ze3dd_width)));
      r.align_to_byte();
      reserved_set |= r.read(2) != 0;
      e.bf_az_sl = static_cast<std::uint8_t>(r.read(3));
      e.bf_ze_sl = static_cast<std::uint8_t>(r.read(3));
      result = e;
      break;
    }
    case 4: {
      ModulationCompressionExtension e;
      e.csf = r.read_bool();
      e.mod_comp_scaler = static_cast<std::uint16_t>(r.read(15));
      result = e;
      break;
    }
    case 5: {
      if (ext_len != 2 && ext_len != 3) {
        report(rules::kCpExtLen, ext_offset + 1,
               "extType 5 needs extLen 2 or 3, got " + std::to_string(ext_len));
        return std::nullopt;
      }
      ModulationCompressionAdditionalExtension e;
      e.sets.resize(ext_len == 2 ? 1 : 2);
      for (ModulationCompressionSet& set : e.sets) {
        set.mc_scale_re_mask = static_cast<std::uint16_t>(r.read(12));
        set.csf = r.read_bool();
        set.mc_scale_offset = static_cast<std::uint16_t>(r.read(15));
      }
      result = std::move(e);
      break;
    }
    case 6: {
      NonContiguousPrbExtension e;
      e.repetition = r.read_bool();
      e.rbg_size = static_cast<std::uint8_t>(r.read(3));
      e.rbg_mask = r.read(28);
      e.priority = static_cast<std::uint8_t>(r.read(2));
      e.symbol_mask = static_cast<std::uint16_t>(r.read(14));
      if (e.rbg_size == 0) report(rules::kCpRbgSizeZero, body_offset, "rbgSize 0");
      result = e;
      break;
    }
    case 10: {
      PortGroupExtension e;
      e.beam_group_type = static_cast<std::uint8_t>(r.read(2));
      e.num_portc = static_cast<std::uint8_t>(r.read(6));
      if (e.beam_group_type == 3) {
        report(rules::kCpBeamGroupType, body_offset, "beamGroupType 3");
        return std::nullopt;
      }
      if (e.beam_group_type == 2) {
        e.beam_ids.resize(e.num_portc);
        for (std::uint16_t& beam_id : e.beam_ids) {
          reserved_set |= r.read_bool();
          beam_id = static_cast<std::uint16_t>(r.read(15));
        }
      } else {
        e.reserved = r.read_u8();
        reserved_set |= e.reserved != 0;
      }
      result = std::move(e);
      break;
    }
    case 11: {
      FlexibleWeightsExtension e;
      e.disable_bfws = r.read_bool();
      e.rad = r.read_bool();
      e.reserved = static_cast<std::uint8_t>(r.read(6));
      reserved_set |= e.reserved != 0;
      e.num_bund_prb = r.read_u8();
      if (e.num_bund_prb == 0) {
        report(rules::kCpNumBundPrbZero, body_offset + 1, "numBundPrb 0");
        return std::nullopt;
      }
      if (!e.disable_bfws) {
        e.bfw_comp_hdr = CompressionParams::from_ud_comp_hdr(r.read_u8());
        if (!bfw_method_decoded(e.bfw_comp_hdr.method)) {
          report(rules::kCpBfwCompMeth, body_offset + 2,
                 "bfwCompMeth " + std::to_string(static_cast<int>(e.bfw_comp_hdr.method)));
          return std::nullopt;
        }
      }
      const std::size_t prbs = prbs_in(s.num_prbc, config_.carrier_prbs);
      const std::size_t bundles = (prbs + e.num_bund_prb - 1) / e.num_bund_prb;
      e.bundles.resize(bundles);
      for (FlexibleWeightsBundle& bundle : e.bundles) {
        if (r.failed()) break;
        if (!e.disable_bfws && bfw_comp_param_present(e.bfw_comp_hdr.method)) {
          bundle.bfw_comp_param = r.read_u8();
        }
        reserved_set |= r.read_bool();
        bundle.beam_id = static_cast<std::uint16_t>(r.read(15));
        if (!e.disable_bfws) {
          bundle.bfw = read_weights(e.bfw_comp_hdr.iq_width);
          r.align_to_byte();
        }
      }
      result = std::move(e);
      break;
    }
    case 12: {
      FrequencyRangesExtension e;
      e.priority = static_cast<std::uint8_t>(r.read(2));
      e.symbol_mask = static_cast<std::uint16_t>(r.read(14));
      while (r.remaining_bytes() >= 2) {
        FrequencyRange range;
        range.off_start_prb = r.read_u8();
        range.num_prb = r.read_u8();
        e.ranges.push_back(range);
      }
      // Trailing numPrb 0 pairs are the padding to the 4-octet boundary.
      while (!e.ranges.empty() && e.ranges.back().num_prb == 0) e.ranges.pop_back();
      result = std::move(e);
      break;
    }
    default:
      return std::nullopt;
  }
  r.align_to_byte();
  const std::size_t used = (type == 11 ? 3 : 2) + r.byte_position();
  if (r.failed() || ext_len * 4 - used > 3) {
    report(rules::kCpExtLen, ext_offset + 1,
           "extType " + std::to_string(type) + " extLen " + std::to_string(ext_len) + " (" +
               std::to_string(ext_len * 4) + " octets) but its fields " +
               (r.failed() ? std::string("need more") : "take " + std::to_string(used)));
    return std::nullopt;
  }
  if (reserved_set) {
    report(rules::kCpReserved, ext_offset, "reserved bits in extType " + std::to_string(type));
  }
  return result;
}

// U-plane sections under one udCompHdr mode. Returns true when the whole message was
// laid out cleanly (no structural finding).
struct UplaneLayout {
  std::vector<UplaneSection> sections;
  std::vector<Finding> findings;
  std::size_t end = 0;
  bool clean = true;
};

UplaneLayout read_uplane_sections(std::span<const std::uint8_t> bytes, std::size_t start,
                                  bool dynamic, const DecoderConfig& config,
                                  std::vector<UplaneSection>&& reuse) {
  UplaneLayout layout;
  layout.sections = std::move(reuse);
  std::size_t used = 0;  // sections filled; earlier storage is reused
  BitReader r(bytes);
  r.skip(start * 8);
  const std::size_t header_bytes = dynamic ? 6 : 4;
  auto note = [&](std::string_view rule, std::size_t offset, std::string message, bool structural) {
    layout.findings.push_back(make_finding(rule, offset, std::move(message)));
    if (structural) layout.clean = false;
  };
  while (r.remaining_bytes() > 0) {
    const std::size_t offset = r.byte_position();
    if (r.remaining_bytes() < header_bytes) {
      note(rules::kUpTrailingBytes, offset,
           std::to_string(r.remaining_bytes()) + " octets after the last section", true);
      break;
    }
    if (used == layout.sections.size()) layout.sections.emplace_back();
    UplaneSection& s = layout.sections[used++];
    s.ud_comp_hdr.reset();
    s.reserved = 0;
    s.section_id = static_cast<std::uint16_t>(r.read(12));
    s.rb = r.read_bool();
    s.sym_inc = r.read_bool();
    s.start_prbu = static_cast<std::uint16_t>(r.read(10));
    s.num_prbu = r.read_u8();
    CompressionParams params = config.uplane_compression.static_params;
    if (dynamic) {
      params = CompressionParams::from_ud_comp_hdr(r.read_u8());
      s.ud_comp_hdr = params;
      s.reserved = r.read_u8();
      if (s.reserved != 0) note(rules::kUpReserved, offset + 5, "reserved octet", false);
      if (static_cast<unsigned>(params.method) > 8) {
        note(rules::kUpCompMeth, offset + 4,
             "udCompMeth " + std::to_string(static_cast<int>(params.method)), true);
      }
    }
    const std::size_t carrier = config.carrier_prbs;
    const std::size_t prbs = prbs_in(s.num_prbu, config.carrier_prbs);
    if (s.num_prbu == 0 ? (s.start_prbu >= carrier && carrier > 0)
                        : s.start_prbu + (s.rb ? 2u * (prbs - 1) : prbs - 1) >= carrier) {
      note(rules::kUpPrbRange, offset + 1,
           "startPrbu " + std::to_string(s.start_prbu) + " numPrbu " + std::to_string(s.num_prbu) +
               " beyond a carrier of " + std::to_string(carrier) + " PRBs",
           false);
    }
    const std::size_t need = prbs * prb_payload_bytes(params);
    if (need > r.remaining_bytes()) {
      note(rules::kUpSectionTruncated, offset,
           "section of " + std::to_string(prbs) + " PRBs needs " + std::to_string(need) +
               " IQ octets, " + std::to_string(r.remaining_bytes()) + " left",
           true);
      const std::size_t left = r.byte_position();
      s.iq_data.assign(bytes.begin() + static_cast<std::ptrdiff_t>(left), bytes.end());
      r.skip(r.remaining_bits());
      break;
    }
    const std::size_t iq_start = r.byte_position();
    s.iq_data.assign(bytes.begin() + static_cast<std::ptrdiff_t>(iq_start),
                     bytes.begin() + static_cast<std::ptrdiff_t>(iq_start + need));
    r.skip(need * 8);
  }
  layout.sections.resize(used);
  layout.end = r.byte_position();
  return layout;
}

void Decoder::decode_uplane(BitReader& r, UplaneMessage& m) {
  if (!decode_radio_header(r, m.header)) return;
  out_.bytes_read = r.byte_position();
  const std::size_t start = r.byte_position();
  const std::span<const std::uint8_t> bytes = bytes_.first(start + r.remaining_bytes());
  const bool dynamic = config_.uplane_compression.dynamic;
  if (r.remaining_bytes() == 0) {
    report(rules::kUpNoSections, start, "U-plane message without a section");
    return;
  }
  UplaneLayout layout = read_uplane_sections(bytes, start, dynamic, config_, std::move(m.sections));
  if (!layout.clean) {
    UplaneLayout other = read_uplane_sections(bytes, start, !dynamic, config_, {});
    if (other.clean) {
      report(rules::kUpCompHdrMode, start + 4,
             dynamic ? "configured dynamic udCompHdr, but the packet is laid out with a static "
                       "one"
                     : "configured static compression, but the sections carry a udCompHdr");
      layout = std::move(other);
    }
  }
  for (Finding& finding : layout.findings) out_.findings.push_back(std::move(finding));
  m.sections = std::move(layout.sections);
  out_.bytes_read = layout.end;
}

void Decoder::decode_one_way_delay(BitReader& r, OneWayDelayMeasurement& m) {
  if (r.remaining_bytes() < kOneWayDelayBytes) {
    report(rules::kEcpriTruncated, r.byte_position(),
           "one-way delay measurement needs 20 octets, " + std::to_string(r.remaining_bytes()) +
               " present");
    return;
  }
  m.measurement_id = r.read_u8();
  m.action_type = r.read_u8();
  m.timestamp_seconds = static_cast<std::uint64_t>(r.read(16)) << 32;
  m.timestamp_seconds |= r.read(32);
  m.timestamp_nanoseconds = r.read(32);
  std::uint64_t compensation = static_cast<std::uint64_t>(r.read(32)) << 32;
  compensation |= r.read(32);
  m.compensation_value = static_cast<std::int64_t>(compensation);
  m.dummy_bytes = r.read_bytes(r.remaining_bytes());
  out_.bytes_read = r.byte_position();
  // Action types: 0 request, 1 request with follow-up, 2 response, 3 remote request,
  // 4 remote request with follow-up, 5 follow-up; only 0, 2 and 5 carry a timestamp
  // and a compensation value.
  const std::size_t offset = kEcpriCommonHeaderBytes + 1;
  if (m.action_type > 5) {
    report(rules::kEcpriOneWayDelayAction, offset,
           "action type " + std::to_string(m.action_type) + " is reserved");
  } else if (m.action_type != 0 && m.action_type != 2 && m.action_type != 5 &&
             (m.timestamp_seconds != 0 || m.timestamp_nanoseconds != 0 ||
              m.compensation_value != 0)) {
    report(rules::kEcpriOneWayDelayAction, offset,
           "action type " + std::to_string(m.action_type) +
               " with a non-zero timestamp or compensation value");
  }
}

}  // namespace

std::bitset<128> all_decoded_extensions() {
  std::bitset<128> set;
  for (int type : {1, 2, 4, 5, 6, 10, 11, 12}) set.set(static_cast<std::size_t>(type));
  return set;
}

bool extension_allowed(std::uint8_t ext_type, SectionType section_type) {
  const bool st1_or_3 = section_type == SectionType::kMostDlUl ||
                        section_type == SectionType::kPrachAndMixedNumerology;
  switch (ext_type) {
    case 1:
    case 2:
    case 11:
      return st1_or_3;
    case 4:
    case 5:
    case 6:
    case 10:
    case 12:
      return st1_or_3 || section_type == SectionType::kUeScheduling;
    default:
      return true;
  }
}

bool DecodeResult::has_errors() const {
  return std::any_of(findings.begin(), findings.end(),
                     [](const Finding& f) { return f.severity == Severity::kError; });
}

bool DecodeResult::has(std::string_view rule_id) const {
  return std::any_of(findings.begin(), findings.end(),
                     [&](const Finding& f) { return f.rule_id == rule_id; });
}

std::vector<std::uint8_t> encode(const Message& message) {
  BitWriter w(64);
  w.write(message.ecpri.revision, 4);
  w.write(message.ecpri.reserved, 3);
  w.write_bool(message.ecpri.c_bit);
  w.write_u8(static_cast<std::uint8_t>(message.message_type()));
  w.write_u16(0);
  if (!std::holds_alternative<OneWayDelayMeasurement>(message.body)) {
    w.write_u16(message.eaxc.to_wire(message.eaxc_split));
    w.write_u8(message.seq_id.sequence_id);
    w.write_bool(message.seq_id.e_bit);
    w.write(message.seq_id.subsequence_id, 7);
  }
  if (const auto* up = std::get_if<UplaneMessage>(&message.body)) {
    write_uplane(w, *up);
  } else if (const auto* cp = std::get_if<CplaneMessage>(&message.body)) {
    write_cplane(w, *cp);
  } else {
    write_one_way_delay(w, std::get<OneWayDelayMeasurement>(message.body));
  }
  w.patch_u16(2, static_cast<std::uint16_t>(w.byte_size() - kEcpriCommonHeaderBytes));
  return w.take();
}

void decode_into(std::span<const std::uint8_t> bytes, const DecoderConfig& config,
                 DecodeResult& result) {
  result.findings.clear();
  result.bytes_read = 0;
  // Keep the U-plane section storage when the previous message was a U-plane one.
  if (!result.message.is_uplane()) result.message.body = UplaneMessage{};
  auto& up = std::get<UplaneMessage>(result.message.body);
  std::vector<UplaneSection> keep = std::move(up.sections);
  result.message = Message{};
  std::get<UplaneMessage>(result.message.body).sections = std::move(keep);
  Decoder(bytes, config, result).run();
}

DecodeResult decode(std::span<const std::uint8_t> bytes, const DecoderConfig& config) {
  DecodeResult result;
  Decoder(bytes, config, result).run();
  return result;
}

}  // namespace plugfest::fronthaul
