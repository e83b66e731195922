#include "interfaces/fronthaul/stream_validator.h"

#include <algorithm>
#include <string>

namespace plugfest::fronthaul {
namespace {

// Slots of C-plane requests kept for coupling: a few frames of a 4T4R cell.
constexpr std::size_t kMaxRequestSlots = 8192;
// Packets after which a slot's C-plane requests are stale (tens of milliseconds of a
// 4T4R cell; a frameId wrap takes 2.56 s).
constexpr std::size_t kStaleAfterPackets = 4096;

std::uint32_t stream_key(bool uplane, DataDirection direction, std::uint16_t eaxc) {
  return (std::uint32_t{uplane} << 17) | (std::uint32_t(direction) << 16) | eaxc;
}

std::uint64_t slot_key(DataDirection direction, std::uint16_t eaxc,
                       const RadioApplicationHeader& h) {
  return (std::uint64_t(direction) << 40) | (std::uint64_t{eaxc} << 24) |
         (std::uint64_t{h.frame_id} << 16) | (std::uint64_t{h.subframe_id} << 8) | h.slot_id;
}

std::uint32_t layout_key(DataDirection direction, std::uint16_t eaxc) {
  return (std::uint32_t(direction) << 16) | eaxc;
}

// Slots in time order within the 2.56 s of frameId: slotId has 6 bits.
constexpr std::uint32_t kSlotPeriod = 256u * 10u * 64u;
std::uint32_t slot_ordinal(const RadioApplicationHeader& h) {
  return (std::uint32_t{h.frame_id} * 10u + h.subframe_id) * 64u + h.slot_id;
}
// Whether slot `a` is `b` or before it (nearer than half the frameId period).
bool at_or_before(std::uint32_t a, std::uint32_t b) {
  return (b + kSlotPeriod - a) % kSlotPeriod < kSlotPeriod / 2;
}

// Findings a message's missing tail causes when the capture cut the frame short.
bool caused_by_cut(std::string_view rule) {
  return rule == rules::kEcpriPayloadSize || rule == rules::kEcpriTruncated ||
         rule == rules::kCpSectionTruncated || rule == rules::kUpSectionTruncated ||
         rule == rules::kCpTrailingBytes || rule == rules::kUpTrailingBytes ||
         rule == rules::kCpExtLen || rule == rules::kUpCompHdrMode || rule == rules::kCpNoSections ||
         rule == rules::kUpNoSections;
}

const RadioApplicationHeader* radio_header(const Message& message) {
  if (const auto* up = std::get_if<UplaneMessage>(&message.body)) return &up->header;
  if (const auto* cp = std::get_if<CplaneMessage>(&message.body)) return &cp->header;
  return nullptr;
}

}  // namespace

StreamValidator::StreamValidator(DecoderConfig config, bool from_capture)
    : config_(std::move(config)), from_capture_(from_capture), stream_config_(config_) {}

void StreamValidator::set_stream_layout(DataDirection direction, std::uint16_t eaxc,
                                        StreamLayout layout) {
  layouts_[layout_key(direction, eaxc)] = layout;
}

void StreamValidator::report(std::string_view rule, std::size_t offset, std::string message) {
  findings_.push_back(make_finding(rule, offset, std::move(message)));
}

std::span<const Finding> StreamValidator::feed(std::span<const std::uint8_t> ecpri,
                                               std::chrono::nanoseconds timestamp,
                                               bool cut_by_capture) {
  // A stream of its own layout: eAxC in octets 4-5, dataDirection the top bit of octet 8.
  if (!layouts_.empty()) {
    const StreamLayout* layout = nullptr;
    if (ecpri.size() > 8 && ecpri[1] == 0) {
      const auto it = layouts_.find(layout_key(static_cast<DataDirection>(ecpri[8] >> 7),
                                               static_cast<std::uint16_t>(ecpri[4] << 8 | ecpri[5])));
      if (it != layouts_.end()) layout = &it->second;
    }
    stream_config_.uplane_compression =
        layout ? layout->compression : config_.uplane_compression;
    stream_config_.carrier_prbs = layout ? layout->carrier_prbs : config_.carrier_prbs;
  }
  bool headers_only = false;
  decode_into(ecpri, stream_config_, last_);
  if (!layouts_.empty() && ecpri.size() > 8 && ecpri[1] == 0) {
    const auto it = layouts_.find(layout_key(static_cast<DataDirection>(ecpri[8] >> 7),
                                             static_cast<std::uint16_t>(ecpri[4] << 8 | ecpri[5])));
    headers_only = it != layouts_.end() && !it->second.decodable;
  }
  if (headers_only) {
    std::erase_if(last_.findings, [](const Finding& f) { return f.rule_id.starts_with("FH-UP-"); });
    if (auto* up = std::get_if<UplaneMessage>(&last_.message.body)) up->sections.clear();
    last_.bytes_read = std::min<std::size_t>(last_.bytes_read, 12);
  }
  if (cut_by_capture) {
    std::erase_if(last_.findings, [](const Finding& f) { return caused_by_cut(f.rule_id); });
  }
  last_before_start_ = false;
  packet_findings_start_ = findings_.size();
  findings_.insert(findings_.end(), last_.findings.begin(), last_.findings.end());
  const Message& message = last_.message;
  // Only messages whose transport header was read take part in stream checks.
  if (last_.bytes_read >= 8 && radio_header(message) != nullptr) {
    check_sequence(message);
    if (const auto* cp = std::get_if<CplaneMessage>(&message.body)) {
      record_cplane(message, *cp);
    } else if (const auto* up = std::get_if<UplaneMessage>(&message.body); up && !headers_only) {
      check_uplane(message, *up);
    }
  }
  for (std::size_t i = packet_findings_start_; i < findings_.size(); ++i) {
    if (!findings_[i].packet_index) findings_[i].packet_index = packets_;
  }
  ++packets_;
  last_timestamp_ = timestamp;
  return std::span<const Finding>(findings_).subspan(packet_findings_start_);
}

void StreamValidator::close_hole(const SequenceHole& closing, bool expired) {
  SequenceHole hole = closing;
  if (hole.after_first) {
    for (unsigned k = 0; k < hole.count && hole.missing[k]; ++k) {
      hole.missing.reset(k);
      ++boundary_.sequence_ids_before_start;
    }
  }
  const std::uint64_t left = hole.missing.count();
  if (left == 0 || hole.before_start) return;
  if (!expired) {
    sequence_totals_.unresolved += left;
    return;
  }
  sequence_totals_.missing += left;
  // The IDs still missing, as ranges.
  std::string ids;
  for (unsigned k = 0; k < hole.count; ++k) {
    if (!hole.missing[k]) continue;
    unsigned last = k;
    while (last + 1 < hole.count && hole.missing[last + 1]) ++last;
    const auto id = [&](unsigned i) { return std::to_string((hole.first + i) & 0xff); };
    ids += (ids.empty() ? "" : ", ") + id(k) + (last > k ? ".." + id(last) : "");
    k = last;
  }
  findings_.push_back(make_finding(
      rules::kStreamSeqIdGap, 6,
      "ecpriSeqid " + ids + " not seen within " + std::to_string(kReorderWindow) +
          " messages of the stream (" + std::to_string(left) + " missing)"));
  findings_.back().packet_index = hole.packet;
}

void StreamValidator::check_sequence(const Message& message) {
  const RadioApplicationHeader* header = radio_header(message);
  const std::uint32_t key = stream_key(message.is_uplane(), header->data_direction,
                                       message.eaxc.to_wire(message.eaxc_split));
  const std::uint8_t seq = message.seq_id.sequence_id;
  const auto [it, inserted] = sequence_.try_emplace(key);
  SequenceState& state = it->second;
  ++state.messages;
  if (inserted && !from_capture_) {
    state.highest = seq;
    return;
  }
  if (inserted) {
    // IDs just before the first one may still arrive, reordered across the start.
    state.first = seq;
    state.highest = seq;
    SequenceHole before{static_cast<std::uint8_t>(seq - 127), 127, {}, 1 + kReorderWindow,
                        packets_, true};
    for (unsigned k = 0; k < 127; ++k) before.missing.set(k);
    state.holes.push_back(before);
    return;
  }
  // Holes whose window has passed are gaps.
  while (!state.holes.empty() && state.holes.front().deadline <= state.messages) {
    close_hole(state.holes.front(), true);
    state.holes.pop_front();
  }
  const std::uint8_t expected = static_cast<std::uint8_t>(state.highest + 1);
  const std::uint8_t ahead = static_cast<std::uint8_t>(seq - expected);
  if (ahead == 0) {
    state.highest = seq;
    return;
  }
  if (ahead < 128 && !from_capture_) {
    sequence_totals_.missing += ahead;
    report(rules::kStreamSeqIdGap, 6,
           "ecpriSeqid " + std::to_string(seq) + ", expected " + std::to_string(expected) + " (" +
               std::to_string(ahead) + " missing)");
    state.highest = seq;
    return;
  }
  if (ahead < 128) {
    SequenceHole hole{expected, ahead, {}, state.messages + kReorderWindow, packets_};
    for (unsigned k = 0; k < ahead; ++k) hole.missing.set(k);
    hole.after_first = state.highest == state.first && state.messages <= kReorderWindow + 1;
    state.holes.push_back(hole);
    state.highest = seq;
    return;
  }
  // Behind the highest ID: a late arrival fills its hole, anything else is unexpected.
  for (SequenceHole& hole : state.holes) {
    const std::uint8_t k = static_cast<std::uint8_t>(seq - hole.first);
    if (k < hole.count && hole.missing[k]) {
      hole.missing.reset(k);
      ++sequence_totals_.reordered;
      report(rules::kStreamSeqIdReorder, 6,
             "ecpriSeqid " + std::to_string(seq) + " after " + std::to_string(state.highest) +
                 " (reordered within the window)");
      return;
    }
  }
  ++sequence_totals_.unexpected;
  report(rules::kStreamSeqIdReorder, 6,
         "ecpriSeqid " + std::to_string(seq) + " after " + std::to_string(state.highest) +
             ": repeated, or later than the reorder window of " + std::to_string(kReorderWindow) +
             " messages");
}

void StreamValidator::finish() {
  for (auto& [key, state] : sequence_) {
    for (const SequenceHole& hole : state.holes) close_hole(hole, false);
    state.holes.clear();
  }
  // Requests of a stream's last U-plane slot and later still waiting for symbols.
  for (const auto& [key, slot] : requests_) {
    const std::uint32_t stream = static_cast<std::uint32_t>(key >> 24);
    const std::uint32_t ordinal =
        static_cast<std::uint32_t>((((key >> 16) & 0xff) * 10 + ((key >> 8) & 0xff)) * 64 +
                                   (key & 0xff));
    const auto last = last_uplane_slot_.find(stream);
    if (last != last_uplane_slot_.end() && !at_or_before(last->second, ordinal)) continue;
    for (const Request& r : slot.requests) {
      const unsigned end = std::min<unsigned>(r.end_symbol, 14);
      const std::uint16_t wanted =
          static_cast<std::uint16_t>(((1u << end) - 1) & ~((1u << r.first_symbol) - 1));
      if ((wanted & ~r.seen) != 0) ++boundary_.sections_open_at_end;
    }
  }
}

void StreamValidator::record_cplane(const Message& message, const CplaneMessage& cplane) {
  if (cplane.section_type != SectionType::kMostDlUl &&
      cplane.section_type != SectionType::kPrachAndMixedNumerology &&
      cplane.section_type != SectionType::kUeScheduling) {
    return;
  }
  const std::uint16_t eaxc = message.eaxc.to_wire(message.eaxc_split);
  const DataDirection direction = cplane.header.data_direction;
  coupled_.insert(stream_key(false, direction, eaxc));
  first_cplane_slot_.try_emplace(layout_key(direction, eaxc), slot_ordinal(cplane.header));
  const auto layout = layouts_.find(layout_key(direction, eaxc));
  const unsigned carrier =
      layout == layouts_.end() ? config_.carrier_prbs : layout->second.carrier_prbs;
  const std::uint64_t key = slot_key(direction, eaxc, cplane.header);
  auto [it, inserted] = requests_.try_emplace(key);
  if (!inserted && packets_ - it->second.last_packet > kStaleAfterPackets) {
    it->second.requests.clear();
  }
  it->second.last_packet = packets_;
  if (inserted) {
    request_order_.push_back(key);
    if (request_order_.size() > kMaxRequestSlots) {
      requests_.erase(request_order_.front());
      request_order_.pop_front();
    }
  }
  unsigned symbol = cplane.header.start_symbol_id;
  for (const CplaneSection& s : cplane.sections) {
    if (s.sym_inc) ++symbol;
    Request request;
    request.section_id = s.section_id;
    const unsigned count = s.num_prbc == 0 ? carrier : s.num_prbc;
    request.first_prb = s.num_prbc == 0 ? 0 : s.start_prbc;
    request.last_prb = static_cast<std::uint16_t>(
        request.first_prb + (count == 0 ? 0 : (s.rb ? 2 * (count - 1) : count - 1)));
    request.first_symbol = static_cast<std::uint8_t>(symbol);
    request.end_symbol = static_cast<std::uint8_t>(symbol + s.num_symbol);
    request.ud_comp_hdr = cplane.ud_comp_hdr;
    it->second.requests.push_back(request);
  }
}

void StreamValidator::check_uplane(const Message& message, const UplaneMessage& uplane) {
  const std::uint16_t eaxc = message.eaxc.to_wire(message.eaxc_split);
  const DataDirection direction = uplane.header.data_direction;
  const std::uint32_t ordinal = slot_ordinal(uplane.header);
  last_uplane_slot_[layout_key(direction, eaxc)] = ordinal;
  // U-plane whose C-plane may precede the capture: its stream's first C-plane slot or
  // earlier. What does not match there is counted, not judged.
  const auto first_cplane = first_cplane_slot_.find(layout_key(direction, eaxc));
  const bool at_start =
      from_capture_ && (first_cplane == first_cplane_slot_.end() ||
                        at_or_before(ordinal, first_cplane->second));
  auto before_start = [&] {
    if (last_before_start_) return;
    last_before_start_ = true;
    ++boundary_.uplane_before_start;
  };
  if (!coupled_.contains(stream_key(false, direction, eaxc))) {
    if (from_capture_) before_start();
    return;
  }
  const auto slot = requests_.find(slot_key(direction, eaxc, uplane.header));
  const unsigned symbol = uplane.header.start_symbol_id;
  // Built only when something is reported: this runs for every U-plane packet.
  auto where = [&] {
    return "frame " + std::to_string(uplane.header.frame_id) + " subframe " +
           std::to_string(uplane.header.subframe_id) + " slot " +
           std::to_string(uplane.header.slot_id) + " symbol " + std::to_string(symbol);
  };
  if (slot == requests_.end() || slot->second.requests.empty() ||
      packets_ - slot->second.last_packet > kStaleAfterPackets) {
    if (at_start) {
      before_start();
      return;
    }
    report(rules::kStreamUpNoCplane, 8, "no C-plane section requested " + where());
    return;
  }
  std::size_t offset = 12;
  for (const UplaneSection& s : uplane.sections) {
    const std::size_t section_offset = offset;
    offset += 4 + (s.ud_comp_hdr ? 2 : 0) + s.iq_data.size();
    Request* match = nullptr;
    const Request* same_id = nullptr;
    for (Request& request : slot->second.requests) {
      if (request.section_id != s.section_id) continue;
      same_id = &request;
      if (symbol >= request.first_symbol && symbol < request.end_symbol) {
        match = &request;
        break;
      }
    }
    if (match == nullptr && at_start) {
      before_start();
      continue;
    }
    if (same_id == nullptr) {
      report(rules::kStreamUpSectionId, section_offset,
             "sectionId " + std::to_string(s.section_id) + " was not requested by the C-plane " +
                 where());
      continue;
    }
    if (match == nullptr) {
      report(rules::kStreamUpSymbolOutside, section_offset,
             "sectionId " + std::to_string(s.section_id) + " requested symbols " +
                 std::to_string(same_id->first_symbol) + ".." +
                 std::to_string(same_id->end_symbol - 1) + ", U-plane " + where());
      continue;
    }
    if (symbol < 14) match->seen = static_cast<std::uint16_t>(match->seen | (1u << symbol));
    const unsigned count = s.num_prbu == 0 ? stream_config_.carrier_prbs : s.num_prbu;
    const unsigned first = s.num_prbu == 0 ? 0 : s.start_prbu;
    const unsigned last = first + (count == 0 ? 0 : (s.rb ? 2 * (count - 1) : count - 1));
    if (first < match->first_prb || last > match->last_prb) {
      report(rules::kStreamUpPrbOutside, section_offset + 1,
             "sectionId " + std::to_string(s.section_id) + " PRBs " + std::to_string(first) + ".." +
                 std::to_string(last) + " outside the requested " +
                 std::to_string(match->first_prb) + ".." + std::to_string(match->last_prb));
    }
    // Uplink: the C-plane udCompHdr says how the O-RU must compress; 0x00 is no
    // compression at 16 bits, not "as configured".
    if (direction == DataDirection::kUplink) {
      const CompressionParams used =
          s.ud_comp_hdr ? *s.ud_comp_hdr : stream_config_.uplane_compression.static_params;
      if (!(used == match->ud_comp_hdr)) {
        report(rules::kStreamUpCompression, section_offset,
               "sectionId " + std::to_string(s.section_id) + " sent with udCompHdr " +
                   std::to_string(used.ud_comp_hdr()) + ", C-plane asked for " +
                   std::to_string(match->ud_comp_hdr.ud_comp_hdr()));
      }
    }
  }
}

}  // namespace plugfest::fronthaul
