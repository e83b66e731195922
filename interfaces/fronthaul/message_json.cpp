#include "interfaces/fronthaul/message_json.h"

#include <algorithm>

namespace plugfest::fronthaul {
namespace {

using nlohmann::json;

json comp(const CompressionParams& params) {
  return {{"ud_comp_meth", static_cast<int>(params.method)},
          {"ud_iq_width", params.iq_width},
          {"octet", params.ud_comp_hdr()}};
}

json radio(const RadioApplicationHeader& h) {
  return {{"data_direction", h.data_direction == DataDirection::kDownlink ? "DL" : "UL"},
          {"payload_version", h.payload_version},
          {"filter_index", h.filter_index},
          {"frame_id", h.frame_id},
          {"subframe_id", h.subframe_id},
          {"slot_id", h.slot_id},
          {"start_symbol_id", h.start_symbol_id}};
}

struct ExtensionJson {
  json operator()(const BeamformingWeightsExtension& e) const {
    return {{"bfw_comp_hdr", comp(e.bfw_comp_hdr)},
            {"bfw_comp_param", e.bfw_comp_param},
            {"bfw", e.bfw}};
  }
  json operator()(const BeamformingAttributesExtension& e) const {
    return {{"bf_az_pt_width", e.bf_az_pt_width},
            {"bf_ze_pt_width", e.bf_ze_pt_width},
            {"bf_az3dd_width", e.bf_az3dd_width},
            {"bf_ze3dd_width", e.bf_ze3dd_width},
            {"bf_az_pt", e.bf_az_pt},
            {"bf_ze_pt", e.bf_ze_pt},
            {"bf_az3dd", e.bf_az3dd},
            {"bf_ze3dd", e.bf_ze3dd},
            {"bf_az_sl", e.bf_az_sl},
            {"bf_ze_sl", e.bf_ze_sl}};
  }
  json operator()(const ModulationCompressionExtension& e) const {
    return {{"csf", e.csf}, {"mod_comp_scaler", e.mod_comp_scaler}};
  }
  json operator()(const ModulationCompressionAdditionalExtension& e) const {
    json sets = json::array();
    for (const auto& set : e.sets) {
      sets.push_back({{"mc_scale_re_mask", set.mc_scale_re_mask},
                      {"csf", set.csf},
                      {"mc_scale_offset", set.mc_scale_offset}});
    }
    return {{"sets", sets}};
  }
  json operator()(const NonContiguousPrbExtension& e) const {
    return {{"repetition", e.repetition},
            {"rbg_size", e.rbg_size},
            {"rbg_mask", e.rbg_mask},
            {"priority", e.priority},
            {"symbol_mask", e.symbol_mask}};
  }
  json operator()(const PortGroupExtension& e) const {
    return {{"beam_group_type", e.beam_group_type},
            {"num_portc", e.num_portc},
            {"beam_ids", e.beam_ids}};
  }
  json operator()(const FlexibleWeightsExtension& e) const {
    json bundles = json::array();
    for (const auto& b : e.bundles) {
      bundles.push_back(
          {{"beam_id", b.beam_id}, {"bfw_comp_param", b.bfw_comp_param}, {"bfw", b.bfw}});
    }
    json out = {{"disable_bfws", e.disable_bfws},
                {"rad", e.rad},
                {"num_bund_prb", e.num_bund_prb},
                {"bundles", bundles}};
    if (!e.disable_bfws) out["bfw_comp_hdr"] = comp(e.bfw_comp_hdr);
    return out;
  }
  json operator()(const FrequencyRangesExtension& e) const {
    json ranges = json::array();
    for (const auto& r : e.ranges) {
      ranges.push_back({{"off_start_prb", r.off_start_prb}, {"num_prb", r.num_prb}});
    }
    return {{"priority", e.priority}, {"symbol_mask", e.symbol_mask}, {"ranges", ranges}};
  }
  json operator()(const OpaqueExtension& e) const { return {{"opaque_octets", e.payload.size()}}; }
};

json cplane(const CplaneMessage& m) {
  json out = radio(m.header);
  const auto type = static_cast<int>(m.section_type);
  out["section_type"] = type;
  out["number_of_sections"] = m.sections.size();
  if (type == 0 || type == 3) {
    out["time_offset"] = m.time_offset;
    out["frame_structure"] = m.frame_structure;
    out["cp_length"] = m.cp_length;
  }
  if (type == 1 || type == 3 || type == 5) out["ud_comp_hdr"] = comp(m.ud_comp_hdr);
  if (type == 6) out["number_of_ues"] = m.number_of_ues;
  json sections = json::array();
  for (const CplaneSection& s : m.sections) {
    json j = {{"rb", s.rb},
              {"sym_inc", s.sym_inc},
              {"start_prbc", s.start_prbc},
              {"num_prbc", s.num_prbc}};
    if (type == 6) {
      j["ue_id"] = s.ue_id;
      j["regularization_factor"] = s.regularization_factor;
      j["ci_octets"] = s.ci_samples.size();
    } else {
      j["section_id"] = s.section_id;
      j["re_mask"] = s.re_mask;
      j["num_symbol"] = s.num_symbol;
    }
    if (type == 1 || type == 3) j["beam_id"] = s.beam_id;
    if (type == 5) j["ue_id"] = s.ue_id;
    if (type == 3) j["freq_offset"] = s.freq_offset;
    json extensions = json::array();
    for (const SectionExtension& e : s.extensions) {
      json ext = std::visit(ExtensionJson{}, e);
      ext["ext_type"] = extension_type(e);
      extensions.push_back(std::move(ext));
    }
    if (!extensions.empty()) j["extensions"] = std::move(extensions);
    sections.push_back(std::move(j));
  }
  out["sections"] = std::move(sections);
  return out;
}

json uplane(const UplaneMessage& m) {
  json out = radio(m.header);
  json sections = json::array();
  for (const UplaneSection& s : m.sections) {
    json j = {{"section_id", s.section_id}, {"rb", s.rb},
              {"sym_inc", s.sym_inc},       {"start_prbu", s.start_prbu},
              {"num_prbu", s.num_prbu},     {"iq_octets", s.iq_data.size()}};
    if (s.ud_comp_hdr) j["ud_comp_hdr"] = comp(*s.ud_comp_hdr);
    sections.push_back(std::move(j));
  }
  out["sections"] = std::move(sections);
  return out;
}

}  // namespace

nlohmann::json to_json(const Message& message) {
  json out = {{"ecpri",
               {{"revision", message.ecpri.revision},
                {"c_bit", message.ecpri.c_bit},
                {"message_type", static_cast<int>(message.message_type())}}}};
  if (const auto* owd = std::get_if<OneWayDelayMeasurement>(&message.body)) {
    out["one_way_delay"] = {{"measurement_id", owd->measurement_id},
                            {"action_type", owd->action_type},
                            {"timestamp_seconds", owd->timestamp_seconds},
                            {"timestamp_nanoseconds", owd->timestamp_nanoseconds},
                            {"compensation_value", owd->compensation_value}};
    return out;
  }
  out["eaxc"] = {{"du_port", message.eaxc.du_port},
                 {"band_sector", message.eaxc.band_sector},
                 {"cc", message.eaxc.cc},
                 {"ru_port", message.eaxc.ru_port},
                 {"wire", message.eaxc.to_wire(message.eaxc_split)}};
  out["seq_id"] = {{"sequence_id", message.seq_id.sequence_id},
                   {"e_bit", message.seq_id.e_bit},
                   {"subsequence_id", message.seq_id.subsequence_id}};
  if (const auto* cp = std::get_if<CplaneMessage>(&message.body)) out["cplane"] = cplane(*cp);
  if (const auto* up = std::get_if<UplaneMessage>(&message.body)) out["uplane"] = uplane(*up);
  return out;
}

nlohmann::json to_json(const DecodeResult& result, std::span<const std::uint8_t> bytes) {
  const std::size_t read = std::min(result.bytes_read, bytes.size());
  json out = {{"decoded_octets", read}};
  if (read < 4) return out;
  const Message& message = result.message;
  out["ecpri"] = {{"revision", message.ecpri.revision},
                  {"c_bit", message.ecpri.c_bit},
                  {"message_type", bytes[1]},
                  {"payload_size", bytes[2] << 8 | bytes[3]}};
  if (std::holds_alternative<OneWayDelayMeasurement>(message.body)) {
    if (read > 4) out["one_way_delay"] = to_json(message)["one_way_delay"];
    return out;
  }
  if (read < 8 || (bytes[1] != 0 && bytes[1] != 2)) return out;
  json full = to_json(message);
  out["eaxc"] = std::move(full["eaxc"]);
  out["seq_id"] = std::move(full["seq_id"]);
  if (read < 12) return out;
  // The radio application header was read; sections only as far as they were.
  const char* plane = message.is_uplane() ? "uplane" : "cplane";
  if (!full.contains(plane)) return out;
  json body = std::move(full[plane]);
  const bool sections_read = message.is_uplane() ? read > 12 : !body["sections"].empty();
  if (!sections_read) {
    body.erase("sections");
    if (message.is_cplane()) body.erase("number_of_sections");
  }
  out[plane] = std::move(body);
  return out;
}

nlohmann::json to_json(const Finding& finding) {
  json out = {{"rule_id", finding.rule_id},
              {"clause", finding.clause},
              {"severity", to_string(finding.severity)},
              {"message", finding.message},
              {"byte_offset", finding.byte_offset}};
  if (finding.packet_index) out["packet_index"] = *finding.packet_index;
  return out;
}

nlohmann::json to_json(const Rule& rule) {
  return {{"rule_id", rule.id},
          {"clause", rule.clause},
          {"severity", to_string(rule.severity)},
          {"title", rule.title}};
}

}  // namespace plugfest::fronthaul
