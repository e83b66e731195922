// C-plane section extensions: the encoder and decoder of extension types 1, 2, 4, 5, 6,
// 10, 11 and 12 (others are kept opaque) and which section types may carry which.
#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "interfaces/fronthaul/codec_internal.h"

namespace plugfest::fronthaul {
namespace detail {
namespace {

bool bfw_comp_param_present(CompressionMethod method) {
  return method == CompressionMethod::kBlockFloatingPoint ||
         method == CompressionMethod::kBlockScaling || method == CompressionMethod::kMuLaw;
}
bool bfw_method_decoded(CompressionMethod method) {
  return method == CompressionMethod::kNone || bfw_comp_param_present(method);
}
unsigned bfa_bits(std::uint8_t width_code) { return width_code == 0 ? 0 : width_code + 1u; }

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

}  // namespace

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

}  // namespace detail

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

}  // namespace plugfest::fronthaul
