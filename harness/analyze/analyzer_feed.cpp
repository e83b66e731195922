// Judging each frame (Analyzer::feed): eCPRI or skipped, which side sent it, the codec's
// StreamValidator, the flow it belongs to, sender roles, timing on the slot timeline, UL
// and PRACH requests followed to their U-plane answers, sections per message and eAxC
// mapping. While the U-plane parameters are still being inferred (analyzer_inference.cpp),
// frames are buffered instead.

#include <algorithm>
#include <string>
#include <variant>

#include "harness/analyze/analyzer_state.h"

namespace plugfest::analyze {

using namespace detail;

void Analyzer::feed(const FrameView& frame, const std::string& file, int link_type) {
  State& s = *state_;
  if (s.inferring) {
    // Decide the U-plane compression and the carrier's PRBs (whichever the config lacks)
    // from the U-plane, replaying the frames before the decision once made; give up
    // after a bounded prefix.
    BufferedFrame copy{{frame.bytes.begin(), frame.bytes.end()},
                       frame.timestamp,
                       frame.original_length,
                       frame.frame_number,
                       file,
                       link_type};
    s.inference_buffer.push_back(std::move(copy));
    const bool cut = frame.original_length > frame.bytes.size();
    if (link_type == fronthaul::kLinkTypeEthernet) {
      auto location = fronthaul::locate_ecpri(frame.bytes, config_.udp_ports, config_.detect_udp);
      if (location) s.inference->feed(*location, frame.timestamp, cut, file, frame.frame_number);
    }
    if (!s.inference->settled() && s.inference_buffer.size() < kInferenceFrames) return;
    end_inference();
    return;
  }

  ++s.frames;
  s.bytes += frame.bytes.size();
  s.last_timestamp = std::max(s.last_timestamp, frame.timestamp);
  if (link_type != fronthaul::kLinkTypeEthernet) {
    ++s.skipped;
    ++s.skip_reasons["link type " + std::to_string(link_type) + " is not Ethernet"];
    return;
  }
  auto location = fronthaul::locate_ecpri(frame.bytes, config_.udp_ports, config_.detect_udp);
  if (!location) {
    ++s.skipped;
    // A frame that says eCPRI at the Ethernet layer but cannot be read is a finding;
    // anything else is another protocol (or garbage) and only counted.
    if (frame.bytes.size() >= 14 && frame.bytes[12] == 0xae && frame.bytes[13] == 0xfe) {
      s.add(CaseId::kEcpri, Role::kOdu, rules::kMalformedFrame, location.error().to_string(), file,
            frame.frame_number, 14);
    } else {
      // Reasons carry numbers (ports, ethertypes): a bounded set, the rest pooled.
      const std::string reason =
          s.skip_reasons.size() < 64 || s.skip_reasons.contains(location.error().message)
              ? location.error().message
              : "other reasons";
      auto& count = s.skip_reasons[reason];
      if (count++ == 0 && s.skip_reasons.size() <= 8) {
        s.notes.push_back(file + " frame " + std::to_string(frame.frame_number) +
                          ": not eCPRI, skipped (" + location.error().to_string() + ")");
      }
    }
    return;
  }
  ++s.ecpri_frames;
  const std::size_t base = location->offset;
  if (location->transport != fronthaul::EcpriTransport::kEthernet && config_.udp_ports.empty() &&
      s.detected_udp_ports.size() < 16) {
    s.detected_udp_ports.insert(location->source_port);
    s.detected_udp_ports.insert(location->destination_port);
  }

  // Which side sent it: the config's addresses, else the learned O-DU (first C-plane
  // sender), else the plane and dataDirection.
  const bool first_plane_cplane = location->payload.size() >= 2 && location->payload[1] == 2;
  const Endpoint sender = endpoint_of(*location, true);
  const bool overridden = !config_.odu.empty() || !config_.oru.empty();
  std::optional<Role> sender_role;
  if (overridden) {
    if (matches(config_.odu, *location)) sender_role = Role::kOdu;
    if (matches(config_.oru, *location)) sender_role = Role::kOru;
    if (!sender_role && !config_.odu.empty() && config_.oru.empty()) sender_role = Role::kOru;
    if (!sender_role && !config_.oru.empty() && config_.odu.empty()) sender_role = Role::kOdu;
  } else if (!s.odu && first_plane_cplane) {
    s.odu = sender;
    s.odu->label = endpoint_label(*location, true);
    s.odu_how = "sender of the first C-plane message (" + file + " frame " +
                std::to_string(frame.frame_number) + ")";
  }
  if (!sender_role && s.odu) sender_role = (sender == *s.odu) ? Role::kOdu : Role::kOru;
  if (!s.oru && sender_role == Role::kOru && !(s.odu && sender == *s.odu)) {
    s.oru = sender;
    s.oru->label = endpoint_label(*location, true);
  }

  // A frame the snap length cut: a capture note per range of frames, then decoded and
  // checked as far as it goes.
  const bool cut = frame.original_length > frame.bytes.size();
  if (cut) {
    ++s.cut_frames;
    CutRange* range = s.cut_ranges.empty() ? nullptr : &s.cut_ranges.back();
    if (range && range->file == file && range->last + 1 == frame.frame_number) {
      range->last = frame.frame_number;
    } else if (s.cut_ranges.size() < kCutRangesKept) {
      s.cut_ranges.push_back({file, frame.frame_number, frame.frame_number, frame.bytes.size(), 0});
      range = &s.cut_ranges.back();
    } else {
      range = nullptr;
    }
    if (range) {
      range->captured_min = std::min(range->captured_min, frame.bytes.size());
      range->length_max = std::max(range->length_max, frame.original_length);
    }
  }

  // Where this packet is, for findings the validator reports later about it.
  if (s.files.empty() || s.files[s.current_file] != file) {
    const auto known = std::find(s.files.begin(), s.files.end(), file);
    s.current_file = static_cast<std::uint32_t>(known - s.files.begin());
    if (known == s.files.end()) s.files.push_back(file);
  }
  s.places[s.validator->packets() % kPacketPlaces] = {s.current_file, frame.frame_number,
                                                      location->offset};

  // The validator keeps every finding; they are taken here per frame, so drop its copies.
  if (s.validator->findings().size() > 1024) s.validator->clear_findings();
  const fronthaul::SequenceTotals sequence_before = s.validator->sequence_totals();
  const std::size_t packet = s.validator->packets();
  const auto findings = s.validator->feed(location->payload, frame.timestamp, cut);
  const fronthaul::DecodeResult& decoded = s.validator->last();
  const Message& message = decoded.message;
  const auto* up = std::get_if<UplaneMessage>(&message.body);
  const auto* cp = std::get_if<CplaneMessage>(&message.body);
  const fronthaul::RadioApplicationHeader* header = up ? &up->header : (cp ? &cp->header : nullptr);
  const bool readable = decoded.bytes_read >= 8 && header != nullptr;
  // Without a learned side the plane decides: C-plane and DL U-plane come from the O-DU.
  const Role side = sender_role.value_or(
      (up && up->header.data_direction == DataDirection::kUplink) ? Role::kOru : Role::kOdu);
  const std::size_t si = side_index(side);
  ++s.messages_by_side[si];
  for (const auto& f : findings) {
    // A finding about an earlier packet names that packet's frame.
    std::string where_file = file;
    std::size_t where_frame = frame.frame_number, where_base = base;
    if (f.packet_index && *f.packet_index != packet && packet - *f.packet_index < kPacketPlaces) {
      const PacketPlace& place = s.places[*f.packet_index % kPacketPlaces];
      where_file = s.files[place.file];
      where_frame = place.frame_number;
      where_base = place.base;
    }
    s.add(case_for_rule(f.rule_id, up != nullptr), side, f.rule_id, f.message, where_file,
          where_frame, where_base + f.byte_offset);
  }
  {
    const fronthaul::SequenceTotals& now = s.validator->sequence_totals();
    fronthaul::SequenceTotals& mine = s.sequence_by_side[si];
    mine.missing += now.missing - sequence_before.missing;
    mine.reordered += now.reordered - sequence_before.reordered;
    mine.unexpected += now.unexpected - sequence_before.unexpected;
  }
  if (up && !s.undecodable.empty()) {
    const std::uint32_t stream = (std::uint32_t(up->header.data_direction) << 16) |
                                 message.eaxc.to_wire(message.eaxc_split);
    const auto it = s.undecodable.find(stream);
    if (it != s.undecodable.end() && s.undecodable_reported.insert(stream).second) {
      s.add(CaseId::kUplaneHeaders, side, rules::kLayoutUnknown,
            no_layout_message(it->second, PinStyle::kAnalysisConfig), file, frame.frame_number,
            base + 12);
    }
  }
  if (s.validator->last_before_start()) {
    const std::string here = file + " frame " + std::to_string(frame.frame_number);
    if (s.before_start++ == 0) s.before_start_first = here;
    s.before_start_last = here;
  }
  if (!readable) return;

  const DataDirection direction = header->data_direction;
  const std::uint16_t eaxc = message.eaxc.to_wire(message.eaxc_split);
  const std::uint32_t flow_key =
      (std::uint32_t{up != nullptr} << 17) | (std::uint32_t(direction) << 16) | eaxc;
  auto [flow, new_flow] = s.flows.try_emplace(flow_key);
  if (new_flow) {
    flow->second.uplane = up != nullptr;
    flow->second.direction = direction;
    flow->second.eaxc = eaxc;
    flow->second.eaxc_text = eaxc_text(eaxc, message.eaxc_split);
    flow->second.sender = endpoint_label(*location, true);
    flow->second.first_frame = file + " frame " + std::to_string(frame.frame_number);
  }
  ++flow->second.messages;
  flow->second.bytes += location->payload.size();

  for (CaseId id : {CaseId::kEcpri, CaseId::kSequenceIds, CaseId::kSenderRoles}) {
    ++s.bucket(id, side).judged;
  }
  ++s.bucket(up ? CaseId::kUplaneHeaders : CaseId::kCplaneHeaders, side).judged;

  // Sender roles: C-plane and DL U-plane from the O-DU, UL U-plane from the O-RU.
  const bool from_odu = sender_role == Role::kOdu;
  if (sender_role) {
    const bool odu_message = cp != nullptr || direction == DataDirection::kDownlink;
    if (odu_message != from_odu) {
      const std::string what = cp ? "C-plane" : direction_name(direction) + " U-plane";
      s.add(CaseId::kSenderRoles, side, rules::kWrongSender,
            what + " sent by the " + std::string(adapter::to_string(side)) + " side (" +
                endpoint_label(*location, true) + ")",
            file, frame.frame_number, base + 4);
    }
  }

  // Timing on the slot timeline.
  const bool time_it = s.clock && s.windows &&
                       header->slot_id < transport::slots_per_subframe(*s.numerology) &&
                       header->subframe_id < 10 && header->start_symbol_id < 14;
  if (time_it) {
    const auto& w = *s.windows;
    const bool at_odu = config_.capture_point == CapturePoint::kOdu;
    const transport::TimingWindow* window = nullptr;
    std::string_view name;
    if (cp) {
      const bool dl = direction == DataDirection::kDownlink;
      window = at_odu ? (dl ? &w.t1a_cp_dl : &w.t1a_cp_ul) : (dl ? &w.t2a_cp_dl : &w.t2a_cp_ul);
      name = at_odu ? (dl ? "T1a C-plane DL" : "T1a C-plane UL")
                    : (dl ? "T2a C-plane DL" : "T2a C-plane UL");
    } else if (direction == DataDirection::kDownlink) {
      window = at_odu ? &w.t1a_up : &w.t2a_up;
      name = at_odu ? "T1a U-plane" : "T2a U-plane";
    } else {
      window = at_odu ? &w.ta4 : &w.ta3;
      name = at_odu ? "Ta4" : "Ta3";
    }
    const CaseId timing_case =
        (cp || direction == DataDirection::kDownlink) ? CaseId::kTimingOdu : CaseId::kTimingOru;
    const transport::Timestamp at{frame.timestamp + config_.clock_offset};
    const transport::SlotPoint point{header->frame_id, header->subframe_id, header->slot_id,
                                     header->start_symbol_id};
    const transport::Timestamp symbol = s.clock->nearest_time(point, at, 256);
    // Offsets in real time: a dilated clock stretched them.
    const auto real = [&](std::chrono::nanoseconds d) {
      return std::chrono::nanoseconds(
          static_cast<std::int64_t>(static_cast<double>(d.count()) / config_.time_dilation));
    };
    const auto offset = real(window->offset(at, symbol));
    TimingStats& stats = s.timing[timing_case == CaseId::kTimingOdu ? 0 : 1];
    stats.min = std::min(stats.min, offset);
    stats.max = std::max(stats.max, offset);
    ++s.bucket(timing_case, timing_case == CaseId::kTimingOdu ? Role::kOdu : Role::kOru).judged;
    const auto position = window->classify(at, symbol);
    if (position == transport::WindowPosition::kOnTime) {
      ++stats.on_time;
    } else {
      const bool early = position == transport::WindowPosition::kEarly;
      ++(early ? stats.early : stats.late);
      const bool before = window->anchor == transport::WindowAnchor::kBeforeSymbol;
      s.add(timing_case, timing_case == CaseId::kTimingOdu ? Role::kOdu : Role::kOru,
            early ? rules::kEarly : rules::kLate,
            std::string(name) + ": " + (cp ? "C-plane " : "U-plane ") + slot_text(*header) +
                " symbol " + std::to_string(header->start_symbol_id) + " " + micros(offset) +
                (before ? " before" : " after") + " the symbol, window " +
                micros(real(window->min)) + ".." + micros(real(window->max)),
            file, frame.frame_number, base + 8);
    }
  }

  // Expire requests whose answers can no longer come.
  auto expire = [&](std::chrono::nanoseconds now, bool all) {
    while (!s.pending_order.empty()) {
      const auto [key, stamp] = s.pending_order.front();
      if (!all && now - stamp <= config_.response_window && s.pending_order.size() <= kMaxPending) {
        break;
      }
      s.pending_order.pop_front();
      auto it = s.pending.find(key);
      if (it == s.pending.end()) continue;
      for (const PendingRequest& r : it->second) s.report_unanswered(r);
      s.pending.erase(it);
    }
  };
  expire(frame.timestamp, false);

  if (cp) {
    ++s.cplane_messages;
    s.addressed[(std::uint32_t(direction) << 16) | eaxc] = true;
    s.cplane_seen_in[static_cast<std::size_t>(direction)] = true;
    const bool prach = cp->section_type == SectionType::kPrachAndMixedNumerology;
    if (prach) s.first_prach_slot.try_emplace(eaxc, slot_ordinal(cp->header));
    const bool ul_st1 =
        cp->section_type == SectionType::kMostDlUl && direction == DataDirection::kUplink;
    if (prach || ul_st1) {
      const std::uint64_t key = slot_key(eaxc, cp->header);
      auto& list = s.pending[key];
      if (list.empty()) s.pending_order.emplace_back(key, frame.timestamp);
      unsigned symbol = cp->header.start_symbol_id;
      for (const auto& section : cp->sections) {
        if (section.sym_inc) ++symbol;
        PendingRequest r;
        r.key = key;
        r.prach = prach;
        r.filter_index = cp->header.filter_index;
        r.section_id = section.section_id;
        for (unsigned k = symbol; k < symbol + section.num_symbol && k < 14; ++k) {
          r.wanted |= static_cast<std::uint16_t>(1u << k);
        }
        r.requested = r.wanted;
        r.timestamp = frame.timestamp;
        r.file = file;
        r.frame_number = frame.frame_number;
        r.slot = slot_text(cp->header);
        r.eaxc = eaxc;
        ++(prach ? s.prach_requests : s.ul_requests);
        list.push_back(std::move(r));
      }
    }
    return;
  }

  // U-plane.
  ++s.uplane_by_side[si];
  ++s.bucket(CaseId::kCompression, side).judged;
  ++s.bucket(CaseId::kSingleSection, side).judged;
  const unsigned limit = config_.max_sections_per_uplane.value_or(1);
  if (up->sections.size() > limit) {
    const std::string text = std::to_string(up->sections.size()) +
                             " sections in one U-plane message " + slot_text(up->header) +
                             " symbol " + std::to_string(up->header.start_symbol_id) +
                             (config_.max_sections_per_uplane
                                  ? ", at most " + std::to_string(limit) + " agreed"
                                  : " (no limit configured: a warning; many O-DUs expect one)");
    // Without an agreed limit several sections are legal, only a known interop risk.
    s.add(CaseId::kSingleSection, side,
          config_.max_sections_per_uplane ? rules::kMultiSection : rules::kMultiSectionUnagreed,
          text, file, frame.frame_number, base + 12);
  }
  const std::uint32_t address = (std::uint32_t(direction) << 16) | eaxc;
  ++s.bucket(CaseId::kEaxcMapping, side).judged;
  if (!s.addressed.contains(address)) {
    if (!s.unaddressed.contains(address)) {
      LocatedFinding f;
      f.message = direction_name(direction) + " U-plane on eAxC " +
                  eaxc_text(eaxc, message.eaxc_split) + ", which no C-plane message addressed";
      f.file = file;
      f.frame_number = frame.frame_number;
      f.byte_offset = base + 4;
      s.unaddressed.emplace(address, std::move(f));
      s.unaddressed_side[address] = side;
    }
    ++s.unaddressed_count[address];
  }
  if (direction == DataDirection::kUplink) {
    ++s.bucket(CaseId::kCplaneUplane, side).judged;
    const bool prach_answer = up->header.filter_index != 0;
    bool matched = false;
    auto it = s.pending.find(slot_key(eaxc, up->header));
    if (it != s.pending.end()) {
      const unsigned sym = up->header.start_symbol_id;
      for (PendingRequest& r : it->second) {
        if (r.prach != prach_answer) continue;
        if (prach_answer && r.filter_index != up->header.filter_index) continue;
        if (sym >= 14 || !(r.requested & (1u << sym))) continue;
        for (const auto& section : up->sections) {
          if (section.section_id == r.section_id) {
            r.wanted &= static_cast<std::uint16_t>(~(1u << sym));
            matched = true;
          }
        }
      }
    }
    if (prach_answer) ++s.bucket(CaseId::kPrachResponse, Role::kOru).judged;
    // A PRACH answer of the first requested slot or earlier may answer a request the
    // capture does not hold.
    const auto first_prach = s.first_prach_slot.find(eaxc);
    const bool prach_at_start =
        prach_answer && !matched &&
        (first_prach == s.first_prach_slot.end() ||
         slot_at_or_before(slot_ordinal(up->header), first_prach->second));
    if (prach_at_start) {
      const std::string here = file + " frame " + std::to_string(frame.frame_number);
      if (!s.validator->last_before_start()) {
        if (s.before_start++ == 0) s.before_start_first = here;
        s.before_start_last = here;
      }
    } else if (prach_answer && !matched) {
      s.add(CaseId::kPrachResponse, side, rules::kPrachUnrequested,
            "PRACH U-plane filterIndex " + std::to_string(up->header.filter_index) + " eAxC " +
                std::to_string(eaxc) + " " + slot_text(up->header) + " symbol " +
                std::to_string(up->header.start_symbol_id) +
                ": no section type 3 request for this symbol and filter",
            file, frame.frame_number, base + 4);
    }
  } else {
    ++s.bucket(CaseId::kCplaneUplane, side).judged;
  }
}

}  // namespace plugfest::analyze
