#include "interfaces/fronthaul/testing/message_generator.h"

#include <algorithm>

namespace plugfest::fronthaul::testing {
namespace {

std::uint32_t low_bits(unsigned bits) { return bits >= 32 ? 0xffffffffu : (1u << bits) - 1u; }

}  // namespace

MessageGenerator::MessageGenerator(std::uint64_t seed, DecoderConfig config)
    : rng_(seed), config_(std::move(config)) {}

std::uint32_t MessageGenerator::uniform(std::uint32_t low, std::uint32_t high) {
  return std::uniform_int_distribution<std::uint32_t>(low, high)(rng_);
}

std::vector<std::uint8_t> MessageGenerator::bytes(std::size_t count) {
  std::vector<std::uint8_t> out(count);
  for (auto& b : out) b = static_cast<std::uint8_t>(uniform(0, 255));
  return out;
}

std::vector<std::uint16_t> MessageGenerator::weights(std::size_t count, unsigned width) {
  std::vector<std::uint16_t> out(count);
  for (auto& w : out) w = static_cast<std::uint16_t>(uniform(0, low_bits(width)));
  return out;
}

const std::vector<std::uint8_t>& MessageGenerator::modelled_extension_types() {
  static const std::vector<std::uint8_t> kTypes = {1, 2, 4, 5, 6, 10, 11, 12};
  return kTypes;
}

Message MessageGenerator::transport_header() {
  Message m;
  const EaxcSplit& split = config_.eaxc_split;
  m.eaxc_split = split;
  m.eaxc.du_port = static_cast<std::uint16_t>(uniform(0, low_bits(split.du_port_bits)));
  m.eaxc.band_sector = static_cast<std::uint16_t>(uniform(0, low_bits(split.band_sector_bits)));
  m.eaxc.cc = static_cast<std::uint16_t>(uniform(0, low_bits(split.cc_bits)));
  m.eaxc.ru_port = static_cast<std::uint16_t>(uniform(0, low_bits(split.ru_port_bits)));
  m.seq_id.sequence_id = static_cast<std::uint8_t>(uniform(0, 255));
  return m;
}

RadioApplicationHeader MessageGenerator::radio_header() {
  RadioApplicationHeader h;
  h.data_direction = coin() ? DataDirection::kDownlink : DataDirection::kUplink;
  h.filter_index = static_cast<std::uint8_t>(uniform(0, 15));
  h.frame_id = static_cast<std::uint8_t>(uniform(0, 255));
  h.subframe_id = static_cast<std::uint8_t>(uniform(0, 9));
  h.slot_id = static_cast<std::uint8_t>(uniform(0, 63));
  h.start_symbol_id = static_cast<std::uint8_t>(uniform(0, 13));
  return h;
}

CompressionParams MessageGenerator::bfw_comp_hdr() {
  return {static_cast<CompressionMethod>(uniform(0, 3)), static_cast<std::uint8_t>(uniform(1, 16))};
}

Message MessageGenerator::uplane() {
  Message m = transport_header();
  UplaneMessage up;
  up.header = radio_header();
  const std::uint32_t count = uniform(1, 3);
  for (std::uint32_t i = 0; i < count; ++i) {
    UplaneSection s;
    s.section_id = static_cast<std::uint16_t>(uniform(0, 4095));
    s.rb = uniform(0, 7) == 0;
    s.sym_inc = uniform(0, 7) == 0;
    CompressionParams params = config_.uplane_compression.static_params;
    if (config_.uplane_compression.dynamic) {
      params = {static_cast<CompressionMethod>(uniform(0, 4)),
                static_cast<std::uint8_t>(uniform(1, 16))};
      s.ud_comp_hdr = params;
    }
    const std::uint16_t carrier = config_.carrier_prbs;
    std::size_t prbs = carrier;
    if (uniform(0, 4) == 0) {
      s.num_prbu = 0;  // the whole carrier
    } else {
      const std::uint32_t span_limit = s.rb ? (carrier + 1u) / 2u : carrier;
      s.num_prbu = static_cast<std::uint8_t>(uniform(1, std::min<std::uint32_t>(255, span_limit)));
      prbs = s.num_prbu;
      const std::uint32_t width = s.rb ? 2u * (prbs - 1u) + 1u : static_cast<std::uint32_t>(prbs);
      s.start_prbu = static_cast<std::uint16_t>(uniform(0, carrier - width));
    }
    s.iq_data = bytes(prbs * prb_payload_bytes(params));
    up.sections.push_back(std::move(s));
  }
  m.body = std::move(up);
  return m;
}

SectionExtension MessageGenerator::extension(std::uint8_t ext_type, const CplaneSection& s) {
  switch (ext_type) {
    case 1: {
      BeamformingWeightsExtension e;
      e.bfw_comp_hdr = bfw_comp_hdr();
      if (e.bfw_comp_hdr.method != CompressionMethod::kNone) {
        e.bfw_comp_param = static_cast<std::uint8_t>(uniform(0, 255));
        if (e.bfw_comp_hdr.method == CompressionMethod::kBlockFloatingPoint) {
          e.bfw_comp_param &= 0x0f;
        }
      }
      e.bfw = weights(2u * config_.bf_weights, e.bfw_comp_hdr.iq_width);
      return e;
    }
    case 2: {
      BeamformingAttributesExtension e;
      e.bf_az_pt_width = static_cast<std::uint8_t>(uniform(0, 7));
      e.bf_ze_pt_width = static_cast<std::uint8_t>(uniform(0, 7));
      e.bf_az3dd_width = static_cast<std::uint8_t>(uniform(0, 7));
      e.bf_ze3dd_width = static_cast<std::uint8_t>(uniform(0, 7));
      auto value = [&](std::uint8_t width) {
        return static_cast<std::uint8_t>(width == 0 ? 0 : uniform(0, low_bits(width + 1u)));
      };
      e.bf_az_pt = value(e.bf_az_pt_width);
      e.bf_ze_pt = value(e.bf_ze_pt_width);
      e.bf_az3dd = value(e.bf_az3dd_width);
      e.bf_ze3dd = value(e.bf_ze3dd_width);
      e.bf_az_sl = static_cast<std::uint8_t>(uniform(0, 7));
      e.bf_ze_sl = static_cast<std::uint8_t>(uniform(0, 7));
      return e;
    }
    case 4:
      return ModulationCompressionExtension{coin(), static_cast<std::uint16_t>(uniform(0, 0x7fff))};
    case 5: {
      ModulationCompressionAdditionalExtension e;
      e.sets.resize(uniform(1, 2));
      for (auto& set : e.sets) {
        set = {static_cast<std::uint16_t>(uniform(0, 0xfff)), coin(),
               static_cast<std::uint16_t>(uniform(0, 0x7fff))};
      }
      return e;
    }
    case 6: {
      NonContiguousPrbExtension e;
      e.repetition = coin();
      e.rbg_size = static_cast<std::uint8_t>(uniform(1, 7));
      e.rbg_mask = uniform(0, 0x0fffffff);
      e.priority = static_cast<std::uint8_t>(uniform(0, 3));
      e.symbol_mask = static_cast<std::uint16_t>(uniform(0, 0x3fff));
      return e;
    }
    case 10: {
      PortGroupExtension e;
      e.beam_group_type = static_cast<std::uint8_t>(uniform(0, 2));
      e.num_portc = static_cast<std::uint8_t>(uniform(0, 63));
      if (e.beam_group_type == 2) {
        e.beam_ids.resize(e.num_portc);
        for (auto& id : e.beam_ids) id = static_cast<std::uint16_t>(uniform(0, 0x7fff));
      }
      return e;
    }
    case 11: {
      FlexibleWeightsExtension e;
      e.disable_bfws = coin();
      e.rad = coin();
      e.num_bund_prb = static_cast<std::uint8_t>(uniform(1, 255));
      if (!e.disable_bfws) e.bfw_comp_hdr = bfw_comp_hdr();
      const std::size_t prbs = s.num_prbc == 0 ? config_.carrier_prbs : s.num_prbc;
      e.bundles.resize((prbs + e.num_bund_prb - 1) / e.num_bund_prb);
      for (auto& bundle : e.bundles) {
        bundle.beam_id = static_cast<std::uint16_t>(uniform(0, 0x7fff));
        if (e.disable_bfws) continue;
        if (e.bfw_comp_hdr.method != CompressionMethod::kNone) {
          bundle.bfw_comp_param = static_cast<std::uint8_t>(uniform(0, 255));
        }
        bundle.bfw = weights(2u * config_.bf_weights, e.bfw_comp_hdr.iq_width);
      }
      return e;
    }
    case 12: {
      FrequencyRangesExtension e;
      e.priority = static_cast<std::uint8_t>(uniform(0, 3));
      e.symbol_mask = static_cast<std::uint16_t>(uniform(0, 0x3fff));
      e.ranges.resize(uniform(1, 20));
      for (auto& range : e.ranges) {
        range = {static_cast<std::uint8_t>(uniform(0, 255)),
                 static_cast<std::uint8_t>(uniform(1, 255))};
      }
      return e;
    }
    default: {
      OpaqueExtension e;
      e.ext_type = ext_type;
      e.payload = bytes(4 * uniform(1, 4) - (ext_type == 11 ? 3 : 2));
      return e;
    }
  }
}

CplaneSection MessageGenerator::section(SectionType type) {
  CplaneSection s;
  const std::uint16_t carrier = config_.carrier_prbs;
  if (type != SectionType::kChannelInformation) {
    s.section_id = static_cast<std::uint16_t>(uniform(0, 4095));
    s.re_mask = static_cast<std::uint16_t>(uniform(1, 0xfff));
    s.num_symbol = static_cast<std::uint8_t>(uniform(1, 14));
  }
  s.rb = uniform(0, 7) == 0;
  s.sym_inc = uniform(0, 7) == 0;
  const bool whole_carrier = type != SectionType::kChannelInformation && uniform(0, 4) == 0;
  if (!whole_carrier) {
    const std::uint32_t max_prbs = type == SectionType::kChannelInformation ? 8u : 255u;
    const std::uint32_t span_limit = s.rb ? (carrier + 1u) / 2u : carrier;
    s.num_prbc = static_cast<std::uint8_t>(uniform(1, std::min(max_prbs, span_limit)));
    const std::uint32_t width = s.rb ? 2u * (s.num_prbc - 1u) + 1u : s.num_prbc;
    s.start_prbc = static_cast<std::uint16_t>(uniform(0, carrier - width));
  }
  switch (type) {
    case SectionType::kMostDlUl:
      s.beam_id = static_cast<std::uint16_t>(uniform(0, 0x7fff));
      break;
    case SectionType::kPrachAndMixedNumerology:
      s.beam_id = static_cast<std::uint16_t>(uniform(0, 0x7fff));
      s.freq_offset = static_cast<std::int32_t>(uniform(0, 0xffffff) << 8) >> 8;
      break;
    case SectionType::kUeScheduling:
      s.ue_id = static_cast<std::uint16_t>(uniform(0, 0x7fff));
      break;
    case SectionType::kChannelInformation:
      s.ue_id = static_cast<std::uint16_t>(uniform(0, 0x7fff));
      s.regularization_factor = static_cast<std::int16_t>(uniform(0, 0xffff));
      s.ci_samples = bytes(std::size_t{s.num_prbc} * config_.ci_antennas * 4);
      break;
    case SectionType::kUnusedResourceBlocks:
      break;
  }
  if (type == SectionType::kUnusedResourceBlocks) return s;
  std::vector<std::uint8_t> allowed;
  for (std::uint8_t t : modelled_extension_types()) {
    if (extension_allowed(t, type)) allowed.push_back(t);
  }
  const std::uint32_t count = uniform(0, 3);
  for (std::uint32_t i = 0; i < count; ++i) {
    std::uint8_t t = 0;
    if (allowed.empty() || uniform(0, 9) == 0) {
      t = static_cast<std::uint8_t>(uniform(13, 127));  // a type the model keeps opaque
    } else {
      t = allowed[uniform(0, static_cast<std::uint32_t>(allowed.size() - 1))];
    }
    s.extensions.push_back(extension(t, s));
  }
  return s;
}

Message MessageGenerator::cplane(SectionType type) {
  Message m = transport_header();
  CplaneMessage cp;
  cp.header = radio_header();
  cp.section_type = type;
  if (type == SectionType::kUnusedResourceBlocks || type == SectionType::kPrachAndMixedNumerology) {
    cp.time_offset = static_cast<std::uint16_t>(uniform(0, 0xffff));
    cp.frame_structure = static_cast<std::uint8_t>(uniform(0, 255));
    cp.cp_length = static_cast<std::uint16_t>(uniform(0, 0xffff));
  }
  if (cp.header.data_direction == DataDirection::kUplink) {
    cp.ud_comp_hdr = {static_cast<CompressionMethod>(uniform(0, 4)),
                      static_cast<std::uint8_t>(uniform(1, 16))};
  }
  if (type == SectionType::kUnusedResourceBlocks || type == SectionType::kChannelInformation) {
    cp.ud_comp_hdr = {};
  }
  const std::uint32_t count = uniform(1, 4);
  if (type == SectionType::kChannelInformation) cp.number_of_ues = static_cast<std::uint8_t>(count);
  for (std::uint32_t i = 0; i < count; ++i) cp.sections.push_back(section(type));
  m.body = std::move(cp);
  return m;
}

Message MessageGenerator::cplane_with_extension(std::uint8_t ext_type) {
  Message m = cplane(SectionType::kMostDlUl);
  auto& cp = std::get<CplaneMessage>(m.body);
  cp.sections.resize(1);
  cp.sections[0].extensions = {extension(ext_type, cp.sections[0])};
  return m;
}

Message MessageGenerator::one_way_delay() {
  Message m;
  OneWayDelayMeasurement owd;
  owd.measurement_id = static_cast<std::uint8_t>(uniform(0, 255));
  owd.action_type = static_cast<std::uint8_t>(uniform(0, 5));
  owd.timestamp_seconds = (std::uint64_t{uniform(0, 0xffff)} << 32) | uniform(0, 0xffffffff);
  owd.timestamp_nanoseconds = uniform(0, 999999999);
  owd.compensation_value = static_cast<std::int64_t>((std::uint64_t{uniform(0, 0xffffffff)} << 32) |
                                                     uniform(0, 0xffffffff));
  owd.dummy_bytes = bytes(uniform(0, 16));
  if (owd.action_type != 0 && owd.action_type != 2 && owd.action_type != 5) {
    owd.timestamp_seconds = 0;
    owd.timestamp_nanoseconds = 0;
    owd.compensation_value = 0;
  }
  m.body = std::move(owd);
  return m;
}

Message MessageGenerator::any() {
  switch (uniform(0, 6)) {
    case 0:
      return one_way_delay();
    case 1:
      return cplane(SectionType::kUnusedResourceBlocks);
    case 2:
      return cplane(SectionType::kMostDlUl);
    case 3:
      return cplane(SectionType::kPrachAndMixedNumerology);
    case 4:
      return cplane(SectionType::kUeScheduling);
    case 5:
      return cplane(SectionType::kChannelInformation);
    default:
      return uplane();
  }
}

CellTraffic::CellTraffic(std::uint64_t seed, DecoderConfig config, unsigned antennas,
                         DataDirection direction)
    : rng_(seed),
      config_(std::move(config)),
      antennas_(antennas),
      direction_(direction),
      cplane_seq_(antennas, 0),
      uplane_seq_(antennas, 0) {
  const CompressionParams params = config_.uplane_compression.static_params;
  iq_.resize(std::size_t{config_.carrier_prbs} * prb_payload_bytes(params));
  for (auto& b : iq_) b = static_cast<std::uint8_t>(rng_());
}

std::vector<Message> CellTraffic::next_slot() {
  std::vector<Message> out;
  for (unsigned antenna = 0; antenna < antennas_; ++antenna) {
    Message m;
    m.eaxc_split = config_.eaxc_split;
    m.eaxc.ru_port = static_cast<std::uint16_t>(antenna);
    m.seq_id.sequence_id = cplane_seq_[antenna]++;
    CplaneMessage cp;
    cp.header.data_direction = direction_;
    cp.header.frame_id = frame_;
    cp.header.subframe_id = subframe_;
    cp.header.slot_id = slot_;
    if (direction_ == DataDirection::kUplink)
      cp.ud_comp_hdr = config_.uplane_compression.static_params;
    CplaneSection s;
    s.section_id = static_cast<std::uint16_t>(antenna + 1);
    s.num_prbc = 0;
    s.num_symbol = 14;
    cp.sections.push_back(s);
    m.body = std::move(cp);
    out.push_back(std::move(m));
  }
  for (Message& m : next_uplane_slot()) out.push_back(std::move(m));
  return out;
}

std::vector<Message> CellTraffic::next_uplane_slot() {
  std::vector<Message> out;
  const bool dynamic = config_.uplane_compression.dynamic;
  for (std::uint8_t symbol = 0; symbol < 14; ++symbol) {
    for (unsigned antenna = 0; antenna < antennas_; ++antenna) {
      Message m;
      m.eaxc_split = config_.eaxc_split;
      m.eaxc.ru_port = static_cast<std::uint16_t>(antenna);
      m.seq_id.sequence_id = uplane_seq_[antenna]++;
      UplaneMessage up;
      up.header.data_direction = direction_;
      up.header.frame_id = frame_;
      up.header.subframe_id = subframe_;
      up.header.slot_id = slot_;
      up.header.start_symbol_id = symbol;
      UplaneSection s;
      s.section_id = static_cast<std::uint16_t>(antenna + 1);
      s.num_prbu = 0;
      if (dynamic) s.ud_comp_hdr = config_.uplane_compression.static_params;
      s.iq_data = iq_;
      up.sections.push_back(std::move(s));
      m.body = std::move(up);
      out.push_back(std::move(m));
    }
  }
  if (++slot_ == 2) {
    slot_ = 0;
    if (++subframe_ == 10) {
      subframe_ = 0;
      ++frame_;
    }
  }
  return out;
}

}  // namespace plugfest::fronthaul::testing
