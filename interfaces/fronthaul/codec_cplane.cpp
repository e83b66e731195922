// C-plane messages: the common header of each section type (0, 1, 3, 5, 6) and the
// sections; their section extensions are in codec_extensions.cpp.
#include <string>
#include <utility>

#include "interfaces/fronthaul/codec_internal.h"

namespace plugfest::fronthaul::detail {
namespace {

std::string hex_octet(std::uint8_t value) {
  constexpr char kDigits[] = "0123456789abcdef";
  return std::string("0x") + kDigits[value >> 4] + kDigits[value & 0x0f];
}

}  // namespace

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

}  // namespace plugfest::fronthaul::detail
